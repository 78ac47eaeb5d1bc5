import type * as TF from '@tensorflow/tfjs';
import { validateRunConfig, type RunConfigInput } from '../../../../shared/catalogue/runConfig.js';
import { engineTaskOf } from '../../tasks/tasks.js';
import type { Tfjs } from '../../backend.js';
import type { BuiltRun } from '../../model/createAutoencoder.js';
import { objectiveModules } from '../../model/objectives/objectives.js';
import { reconstructionLoss } from '../../model/reconstruction.js';
import type { Autoencoder } from '../../model/types.js';
import type { TrainingData } from '../../training/trainingData.js';
import type { DiagnosticContext } from './context.js';

/** A dense layer stack with the given kernels ([in, out], row by row) and biases, for models whose Jacobian is known by hand. */
export function denseStack(tf: Tfjs, inputs: number, layers: Array<{ kernel: number[][]; bias?: number[]; activation?: 'relu' | 'linear' }>): TF.Sequential {
  const model = tf.sequential();
  layers.forEach(({ kernel, bias, activation }, i) => {
    const units = kernel[0]?.length ?? 0;
    const layer = tf.layers.dense({ units, activation: activation ?? 'linear', ...(i === 0 ? { inputShape: [inputs] } : {}) });
    model.add(layer);
    layer.setWeights([tf.tensor2d(kernel), tf.tensor1d(bias ?? new Array<number>(units).fill(0))]);
  });
  return model;
}

/** Vectors as a dataset whose test split is all of them, in model scale (offset 0, factor 1). */
export function vectorData(rows: number[][]): TrainingData {
  const features = rows[0]?.length ?? 0;
  return {
    samples: Float32Array.from(rows.flat()),
    shape: [1, features, 1],
    offset: 0,
    factor: 1,
    labels: new Int32Array(rows.length).fill(-1),
    train: new Int32Array(0),
    validation: new Int32Array(0),
    test: Int32Array.from(rows.keys()),
  };
}

/** A diagnostic's context for a hand-made model and dataset. */
export function contextFor(tf: Tfjs, model: Autoencoder, config: RunConfigInput, data: TrainingData, rest: Partial<DiagnosticContext> = {}): DiagnosticContext {
  const validated = validateRunConfig(config, { shape: data.shape, kind: 'vector', unitRange: false });
  if (!validated.ok) throw new Error(validated.errors.join('; '));
  const run: BuiltRun = { model, objective: objectiveModules[validated.config.objective], variables: [], reconstruction: reconstructionLoss(tf, 'mse'), task: engineTaskOf(validated.config, data.shape[2]) };
  return { tf, run, config: validated.config, data, test: data.test, codes: new Float32Array(0), codeSize: 0, testMse: 1, inputRange: [0, 1], pixelVariance: 1, ...rest };
}
