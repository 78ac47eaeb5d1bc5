import type * as TF from '@tensorflow/tfjs';
import type { Diagnostics } from '../../../../shared/domain/run.js';
import type { Tfjs } from '../../backend.js';
import { jacobianSquaredNorms } from '../../model/objectives/jacobian.js';
import type { Autoencoder } from '../../model/types.js';
import { batchTensor, taskInput, type TrainingData } from '../../training/trainingData.js';
import type { EngineTask } from '../../tasks/engineTask.js';
import type { DiagnosticModule } from './context.js';
import { histogram, quantile, sum } from './statistics.js';

/** At most this many test images. */
export const jacobianSampleCap = 2000;
/**
 * The encoder multiply–adds the diagnostic may spend, one forward pass per image and code unit
 * (each Jacobian row's backward pass costs about as much again): 2,000 images of the default
 * 784-256-32 dense encoder (6.7 M each, 2 s on one core); a wide code gets fewer images.
 */
export const jacobianBudget = 1.6e10;
/** But never fewer images than this (or the whole split, where it is smaller). */
export const jacobianSampleFloor = 50;
export const jacobianBins = 30;
export const jacobianQuantiles = [0.05, 0.25, 0.5, 0.75, 0.95] as const;

/** Multiply–adds of the encoder's forward pass for one sample: its dense and convolution layers' kernels at each output position. */
export function encoderMultiplyAdds(encoder: TF.LayersModel): number {
  let total = 0;
  for (const layer of encoder.layers) {
    const kernel = layer.trainableWeights[0];
    if (!kernel) continue;
    const output = (layer.outputShape as Array<number | null>).slice(1).map((d) => d ?? 1);
    const positions = output.slice(0, -1).reduce((a, b) => a * b, 1);
    total += positions * kernel.shape.reduce<number>((a, b) => a * (b ?? 1), 1);
  }
  return total;
}

/** How many test images the Jacobian diagnostic takes, given what one image costs (code units × encoder multiply–adds). */
export function jacobianSampleSize(testImages: number, costPerImage: number): number {
  const affordable = Math.max(jacobianSampleFloor, Math.floor(jacobianBudget / Math.max(1, costPerImage)));
  return Math.min(testImages, jacobianSampleCap, affordable);
}

/** ‖∂f/∂x‖²_F of each of these samples, a few hundred Jacobian rows per backward pass. */
export async function squaredJacobianNorms(tf: Tfjs, model: Autoencoder, data: TrainingData, indices: Int32Array, codeUnits: number, task?: EngineTask): Promise<Float64Array> {
  const chunk = Math.min(256, Math.max(1, Math.floor(4096 / Math.max(1, codeUnits))));
  const norms = new Float64Array(indices.length);
  for (let start = 0; start < indices.length; start += chunk) {
    const slice = indices.subarray(start, start + chunk);
    const squared = tf.tidy(() => jacobianSquaredNorms(tf, model, task ? taskInput(tf, data, slice, task, model) : batchTensor(tf, data, slice, model.inputShape)) as TF.Tensor1D);
    norms.set(await squared.data(), start);
    squared.dispose();
  }
  return norms;
}

type JacobianNorms = NonNullable<Diagnostics['jacobianNorms']>;

/** Mean, quantiles and histogram (over the observed range) of ‖J‖_F from per-sample squared norms. */
export function summariseJacobianNorms(squared: ArrayLike<number>, codeUnits: number): Omit<JacobianNorms, 'sampleCap' | 'splitImages'> {
  const norms = Float64Array.from(squared, (s) => Math.sqrt(Math.max(0, s))).sort();
  const [smallest, largest] = [norms[0] ?? 0, norms[norms.length - 1] ?? 0];
  // Over the norms seen; a single value (a linear encoder's) gets a bin either side of it.
  const [low, high] = largest > smallest ? [smallest, largest] : [Math.max(0, smallest - 0.5), smallest + 0.5];
  return {
    testImages: norms.length,
    codeUnits,
    meanNorm: sum(norms) / Math.max(1, norms.length),
    meanSquaredNorm: sum(squared) / Math.max(1, norms.length),
    quantiles: jacobianQuantiles.map((q) => ({ q, value: quantile(norms, q) })),
    histogram: histogram(norms, low, high, jacobianBins),
  };
}

export const jacobianNorms: DiagnosticModule<'jacobianNorms'> = {
  // A VAE's encoder samples z: its Jacobian is not one map's.
  applies: ({ run }) => run.objective.posterior === undefined,
  async compute({ tf, run, data, test, codeSize }) {
    const indices = test.subarray(0, jacobianSampleSize(test.length, codeSize * encoderMultiplyAdds(run.model.encoder)));
    const squared = await squaredJacobianNorms(tf, run.model, data, indices, codeSize, run.task);
    return { ...summariseJacobianNorms(squared, codeSize), splitImages: test.length, sampleCap: jacobianSampleCap };
  },
};
