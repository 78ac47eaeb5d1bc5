import type * as TF from '@tensorflow/tfjs';
import type { ResolvedRunConfig } from '../../../shared/catalogue/runConfig.js';
import type { TestMetrics } from '../../../shared/domain/run.js';
import type { Tfjs } from '../backend.js';
import type { BuiltRun } from '../model/createAutoencoder.js';
import { jacobianPenalty } from '../model/objectives/jacobian.js';
import { splitHeads } from '../model/objectives/objectives.js';
import type { Trainer } from '../training/trainer.js';
import { batchTensor, type TrainingData } from '../training/trainingData.js';

export const reconstructionPanelSize = 16;

export interface Evaluation {
  metrics: TestMetrics;
  /** Test-set codes, [test samples × code size], float32 (μ for a VAE). */
  codes: Float32Array;
}

/** The dataset's fixed reconstruction panel: its first test samples in index order, the same for every run. */
export function panelIndices(data: TrainingData): Int32Array {
  const test = data.test.length > 0 ? data.test : data.validation;
  return Int32Array.from([...test].sort((a, b) => a - b).slice(0, reconstructionPanelSize));
}

/** The panel's inputs and the model's reconstructions of them (model-input scale). */
export async function reconstructPanel(tf: Tfjs, run: BuiltRun, config: ResolvedRunConfig, data: TrainingData): Promise<{ originals: Float32Array; reconstructions: Float32Array; count: number }> {
  const indices = panelIndices(data);
  const x = batchTensor(tf, data, indices, run.model.inputShape);
  const reconstructed = tf.tidy(() => run.model.decoder.predict(run.objective.encode(tf, run.model, x, config.latentDim)) as TF.Tensor);
  const [originals, reconstructions] = await Promise.all([x.data(), reconstructed.data()]);
  tf.dispose([x, reconstructed]);
  return { originals: Float32Array.from(originals), reconstructions: Float32Array.from(reconstructions), count: indices.length };
}

/** Test metrics and artefacts after training. */
export async function evaluate(tf: Tfjs, run: BuiltRun, trainer: Trainer, config: ResolvedRunConfig, data: TrainingData, unitRange: boolean): Promise<Evaluation> {
  const test = data.test.length > 0 ? data.test : data.validation;
  const classes = Math.max(0, ...data.labels) + 1;
  const classSums = new Float64Array(classes);
  const classCounts = new Float64Array(classes);
  let squared = 0;
  let crossEntropy = 0;
  const codeChunks: Float32Array[] = [];
  const variational = config.objective === 'variational';
  const klSums = new Float64Array(variational ? config.latentDim : 0);
  const { model, objective } = run;
  for (let start = 0; start < test.length; start += 256) {
    const indices = test.subarray(start, start + 256);
    const [perSampleMse, perSampleBce, codes, kl] = tf.tidy(() => {
      const x = batchTensor(tf, data, indices, model.inputShape);
      const code = objective.encode(tf, model, x, config.latentDim);
      const reconstructed = model.decoder.predict(code) as TF.Tensor;
      const flatX = tf.reshape(x, [indices.length, -1]);
      const flatR = tf.reshape(reconstructed, [indices.length, -1]);
      const mse = tf.mean(tf.squaredDifference(flatR, flatX), 1);
      const p = tf.clipByValue(flatR, 1e-7, 1 - 1e-7);
      const bce = tf.mean(tf.neg(tf.add(tf.mul(flatX, tf.log(p)), tf.mul(tf.sub(1, flatX), tf.log(tf.sub(1, p))))), 1);
      let perUnitKl = tf.zeros([0]);
      if (variational) {
        const [mean, logVariance] = splitHeads(tf, model.encoder.predict(x) as TF.Tensor, config.latentDim);
        perUnitKl = tf.sum(tf.mul(0.5, tf.sub(tf.add(tf.square(mean), tf.exp(logVariance)), tf.add(1, logVariance))), 0);
      }
      return [mse, bce, tf.reshape(code, [indices.length, -1]), perUnitKl];
    });
    const [mseValues, bceValues, codeValues, klValues] = await Promise.all([perSampleMse.data(), perSampleBce.data(), codes.data(), kl.data()]);
    tf.dispose([perSampleMse, perSampleBce, codes, kl]);
    indices.forEach((index, k) => {
      const value = mseValues[k] ?? 0;
      squared += value;
      crossEntropy += bceValues[k] ?? 0;
      const label = data.labels[index] ?? -1;
      if (label >= 0) {
        classSums[label] = (classSums[label] ?? 0) + value;
        classCounts[label] = (classCounts[label] ?? 0) + 1;
      }
    });
    codeChunks.push(Float32Array.from(codeValues));
    klValues.forEach((v, j) => (klSums[j] = (klSums[j] ?? 0) + v));
  }
  const codes = concat(codeChunks);
  const codeSize = test.length > 0 ? codes.length / test.length : 0;
  const mse = squared / Math.max(1, test.length);
  const loss = (await trainer.evaluate(test)) ?? { total: NaN, reconstruction: NaN };
  const klPerUnit = variational ? Array.from(klSums, (s) => s / Math.max(1, test.length)) : null;
  const metrics: TestMetrics = {
    mse,
    psnr: 10 * Math.log10(1 / Math.max(mse, 1e-12)),
    bce: unitRange ? crossEntropy / Math.max(1, test.length) : null,
    loss,
    perClassMse: Array.from(classSums, (s, c) => ((classCounts[c] ?? 0) > 0 ? s / (classCounts[c] ?? 1) : null)),
    elbo: variational ? -((loss.reconstruction ?? 0) + (klPerUnit ?? []).reduce((a, b) => a + b, 0)) : null,
    klPerUnit,
    activeUnits: variational ? activeUnits(codes, codeSize) : null,
    meanActivation: config.objective === 'sparse' ? codes.reduce((a, b) => a + Math.abs(b), 0) / Math.max(1, codes.length) : null,
    nearZeroShare: config.objective === 'sparse' ? codes.filter((v) => Math.abs(v) < 0.01).length / Math.max(1, codes.length) : null,
    meanJacobianNorm: config.objective === 'contractive' ? await meanJacobianNorm(tf, run, config, data, test) : null,
    testSamples: test.length,
  };
  return { metrics, codes };
}

/** Units whose mean code varies across the data (variance of μ above 0.01, after Burda et al.). */
function activeUnits(codes: Float32Array, size: number): number {
  const n = size > 0 ? codes.length / size : 0;
  let active = 0;
  for (let j = 0; j < size; j += 1) {
    let sum = 0;
    let squares = 0;
    for (let i = 0; i < n; i += 1) {
      const v = codes[i * size + j] ?? 0;
      sum += v;
      squares += v * v;
    }
    const mean = sum / Math.max(1, n);
    if (squares / Math.max(1, n) - mean * mean > 0.01) active += 1;
  }
  return active;
}

async function meanJacobianNorm(tf: Tfjs, run: BuiltRun, config: ResolvedRunConfig, data: TrainingData, test: Int32Array): Promise<number> {
  const value = tf.tidy(() => jacobianPenalty(tf, run.model, batchTensor(tf, data, test.subarray(0, 64), run.model.inputShape), config.latentDim));
  const result = (await value.data())[0] ?? NaN;
  value.dispose();
  return result;
}

function concat(chunks: Float32Array[]): Float32Array {
  const out = new Float32Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}
