import type * as TF from '@tensorflow/tfjs';
import type { ResolvedRunConfig } from '../../../shared/catalogue/runConfig.js';
import type { ImagingMetrics, TestMetrics } from '../../../shared/domain/run.js';
import type { Tfjs } from '../backend.js';
import type { BuiltRun } from '../model/createAutoencoder.js';
import { binaryCrossEntropy } from '../model/reconstruction.js';
import type { Trainer } from '../training/trainer.js';
import { disposeBatch, taskBatch, type TrainingData } from '../training/trainingData.js';
import { modelOutput } from '../model/modelParts.js';
import { evaluationSeeds } from '../tasks/engineTask.js';
import { ImagingTally } from './imagingTally.js';
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

/** The panel as it is shown: the targets (clean images), the outputs as images, and what the model was given where that is not the target. */
export interface Panel {
  originals: Float32Array;
  reconstructions: Float32Array;
  inputs: { shape: number[]; values: Float32Array } | null;
  count: number;
}

/** The panel's images and the model's outputs for them (model-input scale), each test image's draw (its hole) from its index. */
export async function reconstructPanel(tf: Tfjs, run: BuiltRun, config: ResolvedRunConfig, data: TrainingData): Promise<Panel> {
  const indices = panelIndices(data);
  const batch = taskBatch(tf, data, indices, run.task, run.model, evaluationSeeds(indices));
  const output = modelOutput(tf, run.model, run.objective, batch.input, config.latentDim);
  const values = Float32Array.from(await output.data());
  tf.dispose(output);
  disposeBatch(tf, batch);
  const [height, width] = data.shape;
  const inputs = run.task.inputImages(batch.samples, data.shape);
  return {
    originals: batch.clean,
    reconstructions: run.task.outputImages(values, batch.samples, batch.clean, data.shape),
    inputs: inputs ? { shape: [height, width, inputs.channels], values: inputs.values } : null,
    count: indices.length,
  };
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
  imaging: ImagingMetrics | null;
}

async function passOverTest(tf: Tfjs, run: BuiltRun, config: ResolvedRunConfig, data: TrainingData, test: Int32Array, unitRange: boolean): Promise<TestPass> {
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
  const imaging = data.shape[2] === 1 || data.shape[2] === 3 ? (unitRange ? new ImagingTally(config.task ?? 'reconstruct', data.shape) : null) : null;
  for (let start = 0; start < test.length; start += diagnosticBatch) {
    const indices = test.subarray(start, start + diagnosticBatch);
    const batch = taskBatch(tf, data, indices, run.task, model, evaluationSeeds(indices));
    const outputs = tf.tidy(() => {
      const x = batch.input;
      const code = objective.encode(tf, model, x, config.latentDim);
      const reconstructed = model.skips ? (model.decoder.predict(x) as TF.Tensor) : (model.decoder.predict(code) as TF.Tensor);
      const flatX = tf.reshape(x, [indices.length, -1]);
      const flatR = tf.reshape(reconstructed, [indices.length, -1]);
      const flatT = tf.reshape(batch.target, [indices.length, -1]);
      return [
        tf.mean(tf.squaredDifference(flatR, flatT), 1),
        tf.mean(binaryCrossEntropy(tf, flatR, flatT), 1),
        flatR,
        tf.reshape(code, [indices.length, -1]),
        tf.sum(flatX, 0),
        tf.sum(tf.square(flatX), 0),
        tf.stack([tf.min(flatX), tf.max(flatX)]),
      ];
    });
    const [mseValues, bceValues, outputValues, codeValues, sums, squares, range] = await Promise.all(outputs.map((t) => t.data()));
    tf.dispose(outputs);
    disposeBatch(tf, batch);
    imaging?.add(run.task.outputImages(outputValues as Float32Array, batch.samples, batch.clean, data.shape), batch.clean, batch.samples, outputValues as Float32Array);
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
  return { squared, crossEntropy, classSums, classCounts, codes: concat(codeChunks), inputRange, pixelVariance: sum(variances) / Math.max(1, variances.length), imaging: imaging?.result() ?? null };
}

/** Test metrics and artefacts after training. */
export async function evaluate(tf: Tfjs, run: BuiltRun, trainer: Trainer, config: ResolvedRunConfig, data: TrainingData, unitRange: boolean): Promise<Evaluation> {
  const test = data.test.length > 0 ? data.test : data.validation;
  const pass = await passOverTest(tf, run, config, data, test, unitRange);
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
    ...(pass.imaging ? { imaging: pass.imaging } : {}),
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
