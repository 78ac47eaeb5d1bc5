import type * as TF from '@tensorflow/tfjs';
import type { ResolvedRunConfig } from '../../../shared/catalogue/runConfig.js';
import type { TestMetrics } from '../../../shared/domain/run.js';
import type { Tfjs } from '../backend.js';
import type { BuiltRun } from '../model/createAutoencoder.js';
import { binaryCrossEntropy } from '../model/reconstruction.js';
import type { Trainer } from '../training/trainer.js';
import { batchTensor, type TrainingData } from '../training/trainingData.js';
import { diagnosticBatch } from './diagnostics/context.js';
import { computeDiagnostics } from './diagnostics/diagnostics.js';
import { sum } from './diagnostics/statistics.js';

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

/** Sparse runs' summary keeps its fixed cut-off, |h| < 0.01, whatever the code's range (the diagnostics state a relative one). */
const sparseSummaryCutoff = 0.01;

/** What one pass over the test split measures: reconstruction errors, the codes, and the inputs' statistics. */
interface TestPass {
  squared: number;
  crossEntropy: number;
  classSums: Float64Array;
  classCounts: Float64Array;
  codes: Float32Array;
  inputRange: [number, number];
  pixelVariance: number;
}

async function passOverTest(tf: Tfjs, run: BuiltRun, config: ResolvedRunConfig, data: TrainingData, test: Int32Array): Promise<TestPass> {
  const classes = Math.max(0, ...data.labels) + 1;
  const classSums = new Float64Array(classes);
  const classCounts = new Float64Array(classes);
  let squared = 0;
  let crossEntropy = 0;
  const inputRange: [number, number] = [Infinity, -Infinity];
  let pixelSums: Float64Array | undefined;
  let pixelSquares: Float64Array | undefined;
  const codeChunks: Float32Array[] = [];
  const { model, objective } = run;
  for (let start = 0; start < test.length; start += diagnosticBatch) {
    const indices = test.subarray(start, start + diagnosticBatch);
    const outputs = tf.tidy(() => {
      const x = batchTensor(tf, data, indices, model.inputShape);
      const code = objective.encode(tf, model, x, config.latentDim);
      const reconstructed = model.decoder.predict(code) as TF.Tensor;
      const flatX = tf.reshape(x, [indices.length, -1]);
      const flatR = tf.reshape(reconstructed, [indices.length, -1]);
      return [
        tf.mean(tf.squaredDifference(flatR, flatX), 1),
        tf.mean(binaryCrossEntropy(tf, flatR, flatX), 1),
        tf.reshape(code, [indices.length, -1]),
        tf.sum(flatX, 0),
        tf.sum(tf.square(flatX), 0),
        tf.stack([tf.min(flatX), tf.max(flatX)]),
      ];
    });
    const [mseValues, bceValues, codeValues, sums, squares, range] = await Promise.all(outputs.map((t) => t.data()));
    tf.dispose(outputs);
    indices.forEach((index, k) => {
      const value = mseValues?.[k] ?? 0;
      squared += value;
      crossEntropy += bceValues?.[k] ?? 0;
      const label = data.labels[index] ?? -1;
      if (label >= 0) {
        classSums[label] = (classSums[label] ?? 0) + value;
        classCounts[label] = (classCounts[label] ?? 0) + 1;
      }
    });
    codeChunks.push(Float32Array.from(codeValues ?? []));
    pixelSums ??= new Float64Array(sums?.length ?? 0);
    pixelSquares ??= new Float64Array(sums?.length ?? 0);
    for (let i = 0; i < pixelSums.length; i += 1) {
      pixelSums[i] = (pixelSums[i] ?? 0) + (sums?.[i] ?? 0);
      pixelSquares[i] = (pixelSquares[i] ?? 0) + (squares?.[i] ?? 0);
    }
    inputRange[0] = Math.min(inputRange[0], range?.[0] ?? Infinity);
    inputRange[1] = Math.max(inputRange[1], range?.[1] ?? -Infinity);
  }
  const n = Math.max(1, test.length);
  const variances = Array.from(pixelSums ?? [], (s, i) => Math.max(0, (pixelSquares?.[i] ?? 0) / n - (s / n) ** 2));
  return { squared, crossEntropy, classSums, classCounts, codes: concat(codeChunks), inputRange, pixelVariance: sum(variances) / Math.max(1, variances.length) };
}

/** Test metrics and artefacts after training. */
export async function evaluate(tf: Tfjs, run: BuiltRun, trainer: Trainer, config: ResolvedRunConfig, data: TrainingData, unitRange: boolean): Promise<Evaluation> {
  const test = data.test.length > 0 ? data.test : data.validation;
  const pass = await passOverTest(tf, run, config, data, test);
  const { codes } = pass;
  const codeSize = test.length > 0 ? codes.length / test.length : 0;
  const mse = pass.squared / Math.max(1, test.length);
  const loss = (await trainer.evaluate(test)) ?? { total: NaN, reconstruction: NaN };
  const diagnostics = await computeDiagnostics({ tf, run, config, data, test, codes, codeSize, testMse: mse, inputRange: pass.inputRange, pixelVariance: pass.pixelVariance });
  const { posterior } = diagnostics;
  const sparsity = run.objective.sparsity !== undefined;
  const metrics: TestMetrics = {
    mse,
    psnr: 10 * Math.log10(1 / Math.max(mse, 1e-12)),
    bce: unitRange ? pass.crossEntropy / Math.max(1, test.length) : null,
    loss,
    perClassMse: Array.from(pass.classSums, (s, c) => ((pass.classCounts[c] ?? 0) > 0 ? s / (pass.classCounts[c] ?? 1) : null)),
    elbo: posterior ? -((loss.reconstruction ?? 0) + sum(posterior.klPerUnit)) : null,
    klPerUnit: posterior?.klPerUnit ?? null,
    activeUnits: posterior?.activeUnits ?? null,
    meanActivation: sparsity ? codes.reduce((a, b) => a + Math.abs(b), 0) / Math.max(1, codes.length) : null,
    nearZeroShare: sparsity ? codes.filter((v) => Math.abs(v) < sparseSummaryCutoff).length / Math.max(1, codes.length) : null,
    meanJacobianNorm: diagnostics.jacobianNorms?.meanSquaredNorm ?? null,
    testSamples: test.length,
    diagnostics,
  };
  return { metrics, codes };
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
