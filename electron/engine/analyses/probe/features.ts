import type * as TF from '@tensorflow/tfjs';
import type { Tfjs } from '../../backend.js';
import type { Autoencoder, ObjectiveModule } from '../../model/types.js';
import { batchTensor, type TrainingData } from '../../training/trainingData.js';
import type { PcaDetector } from '../anomaly/pcaBaseline.js';

/** Large enough to keep both cores busy, small enough that a conv encoder's activations stay in tens of MB (as the anomaly scores batch). */
export const featureBatch = 512;

/** Features of some dataset samples: row `rowOf(index)` of a row-major table of `dimension` values. */
export class FeatureTable {
  private readonly rows = new Map<number, number>();

  constructor(
    readonly indices: Int32Array,
    readonly dimension: number,
    readonly values: Float32Array,
  ) {
    indices.forEach((index, row) => this.rows.set(index, row));
  }

  rowOf(index: number): number {
    const row = this.rows.get(index);
    if (row === undefined) throw new Error(`sample ${index} has no features in this table`);
    return row;
  }

  rowsOf(indices: ArrayLike<number>): Int32Array {
    return Int32Array.from({ length: indices.length }, (_, k) => this.rowOf(indices[k] as number));
  }
}

/** The distinct indices of several lists, in ascending order. */
export function unionOf(lists: readonly ArrayLike<number>[]): Int32Array {
  const seen = new Set<number>();
  for (const list of lists) for (let i = 0; i < list.length; i += 1) seen.add(list[i] as number);
  return Int32Array.from([...seen].sort((a, b) => a - b));
}

/** Features a batch at a time from `compute` (given the batch's model inputs), nothing alive between batches. */
async function tableOf(tf: Tfjs, data: TrainingData, indices: Int32Array, inputShape: number[], compute: (x: TF.Tensor) => TF.Tensor, batchSize: number, onBatch?: (done: number) => Promise<void>): Promise<FeatureTable> {
  let values: Float32Array | undefined;
  let dimension = 0;
  for (let start = 0; start < indices.length; start += batchSize) {
    const batch = indices.subarray(start, start + batchSize);
    const out = tf.tidy(() => tf.reshape(compute(batchTensor(tf, data, batch, inputShape)), [batch.length, -1]));
    const part = (await out.data()) as Float32Array;
    dimension = out.shape[1] ?? 0;
    out.dispose();
    values ??= new Float32Array(indices.length * dimension);
    values.set(part, start * dimension);
    await onBatch?.(start + batch.length);
  }
  return new FeatureTable(indices, dimension, values ?? new Float32Array(0));
}

/** The codes the run's objective takes for analyses (μ for a VAE), flattened, of the samples at `indices`. */
export function codeTable(tf: Tfjs, model: Autoencoder, objective: ObjectiveModule, latentDim: number, data: TrainingData, indices: Int32Array, onBatch?: (done: number) => Promise<void>): Promise<FeatureTable> {
  return tableOf(tf, data, indices, model.inputShape, (x) => objective.encode(tf, model, x, latentDim), featureBatch, onBatch);
}

/** PCA-k codes: the projections (x − mean)Vᵀ onto the top k components, of the samples at `indices`. */
export async function pcaTable(tf: Tfjs, detector: PcaDetector, data: TrainingData, indices: Int32Array): Promise<FeatureTable> {
  const basis = tf.tensor2d(detector.components, [detector.k, detector.dimension]);
  const centre = tf.tensor2d(detector.mean, [1, detector.dimension]);
  try {
    return await tableOf(tf, data, indices, [detector.dimension], (x) => tf.matMul(tf.sub(x, centre), basis, false, true), featureBatch * 4);
  } finally {
    tf.dispose([basis, centre]);
  }
}
