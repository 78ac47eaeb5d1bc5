import type * as TF from '@tensorflow/tfjs';
import type { Tfjs } from '../backend.js';
import type { Autoencoder } from '../model/types.js';
import { evaluationSeed, type EngineTask, type TaskSamples } from '../tasks/engineTask.js';

/** A dataset as the engine trains on it: raw stored samples plus how to scale them, and split indices. */
export interface TrainingData {
  samples: Uint8Array | Float32Array;
  shape: readonly [number, number, number];
  /** input = (stored − offset) · factor */
  offset: number;
  factor: number;
  labels: Int32Array;
  train: Int32Array;
  validation: Int32Array;
  test: Int32Array;
}

/**
 * The samples at `indices` as floats in model scale, image layout (N×H×W×C). Built per batch
 * from the stored bytes, so the engine never holds a float copy of the whole set. Rows are
 * copied whole (the typed-array conversion is native) and then scaled in one tight loop: four
 * times faster than scaling element by element while copying.
 */
export function batchValues(data: TrainingData, indices: ArrayLike<number>): Float32Array {
  const size = data.shape[0] * data.shape[1] * data.shape[2];
  const values = new Float32Array(indices.length * size);
  for (let k = 0; k < indices.length; k += 1) {
    const start = (indices[k] ?? 0) * size;
    values.set(data.samples.subarray(start, start + size), k * size);
  }
  const { offset, factor } = data;
  for (let i = 0; i < values.length; i += 1) values[i] = ((values[i] as number) - offset) * factor;
  return values;
}

/** The samples at `indices` as one float tensor in the model's input layout. */
export function batchTensor(tf: Tfjs, data: TrainingData, indices: ArrayLike<number>, inputShape: number[]): TF.Tensor {
  return tf.tensor(batchValues(data, indices), [indices.length, ...inputShape]);
}

/** A batch as the model trains on it: the task's input and target in the model's layouts, and the loss's weights where the task has them. */
export interface TaskBatch {
  input: TF.Tensor;
  /** The input itself where the task reconstructs it. */
  target: TF.Tensor;
  weight?: TF.Tensor;
  /** The task's arrays, for what is shown or measured of the batch. */
  samples: TaskSamples;
  clean: Float32Array;
}

/** The task's input and target for the samples at `indices`, each sample's draw from `seeds`. */
export function taskBatch(tf: Tfjs, data: TrainingData, indices: ArrayLike<number>, task: EngineTask, model: Pick<Autoencoder, 'inputShape' | 'outputShape'>, seeds: ArrayLike<number>): TaskBatch {
  const clean = batchValues(data, indices);
  const n = indices.length;
  const samples = task.samples(clean, n, data.shape, seeds);
  const input = tf.tensor(samples.input, [n, ...model.inputShape]);
  if (task.identity) return { input, target: input, samples, clean };
  const outputShape = model.outputShape ?? model.inputShape;
  const target = tf.tensor(samples.target, [n, ...outputShape]);
  return { input, target, ...(samples.weight ? { weight: tf.tensor(samples.weight, [n, ...outputShape]) } : {}), samples, clean };
}

/** The model's input for the samples at `indices` as the test metrics make it (each sample's draw from its index): what analyses encode. */
export function taskInput(tf: Tfjs, data: TrainingData, indices: ArrayLike<number>, task: EngineTask, model: Pick<Autoencoder, 'inputShape' | 'outputShape'>): TF.Tensor {
  if (task.identity) return batchTensor(tf, data, indices, model.inputShape);
  const samples = task.samples(batchValues(data, indices), indices.length, data.shape, Array.from(indices, evaluationSeed));
  return tf.tensor(samples.input, [indices.length, ...model.inputShape]);
}

/** Frees a batch's tensors (the target is the input's own where the task reconstructs). */
export function disposeBatch(tf: Tfjs, batch: TaskBatch): void {
  tf.dispose([batch.input, ...(batch.target === batch.input ? [] : [batch.target]), ...(batch.weight ? [batch.weight] : [])]);
}
