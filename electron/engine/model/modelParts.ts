import type * as TF from '@tensorflow/tfjs';
import type { Tfjs } from '../backend.js';
import { layersOf } from '../graph/compiledStep.js';
import type { Autoencoder, ObjectiveModule } from './types.js';

/**
 * The model's trained variables, each once: a model with skips has one whole model whose
 * layers include the encoder's; the others have an encoder and a decoder of their own.
 */
export function trainableVariables(model: Autoencoder): TF.Variable[] {
  const weights = model.skips ? model.decoder.trainableWeights : [...model.encoder.trainableWeights, ...model.decoder.trainableWeights];
  return weights.map((w) => w.read() as TF.Variable);
}

/** The layout the decoder gives back. */
export const outputShapeOf = (model: Autoencoder): number[] => model.outputShape ?? model.inputShape;

/** The models whose layers, in order, are the compiled step's stack, and how many of them are the encoder's. */
export interface StepModels {
  models: TF.LayersModel[];
  encoderLayers: number;
}

export function stepModelsOf(model: Autoencoder): StepModels {
  const encoderLayers = layersOf(model.encoder).length;
  return { models: model.skips ? [model.decoder] : [model.encoder, model.decoder], encoderLayers };
}

/** What the model gives back for inputs x (in the decoder's output layout): through the objective's code, or, with skips, the whole model. */
export function modelOutput(tf: Tfjs, model: Autoencoder, objective: ObjectiveModule, x: TF.Tensor, latentDim: number): TF.Tensor {
  if (model.skips) return model.decoder.predict(x) as TF.Tensor;
  return tf.tidy(() => model.decoder.predict(objective.encode(tf, model, x, latentDim)) as TF.Tensor);
}

/** A loaded decoder that joins maps by concatenation is a whole model with skips (a U-Net): it takes the input, not a code. */
export const hasSkips = (decoder: TF.LayersModel): boolean => decoder.layers.some((layer) => layer.getClassName() === 'Concatenate');

/** Why a code alone cannot be decoded by this model, in words a user reads; null where it can. */
export function decodingUnavailable(model: Autoencoder): string | null {
  return model.skips
    ? "a U-Net's decoder also takes the encoder's maps at every resolution (its skip connections), so a code alone cannot be decoded: the latent explorer, samples and interpolations do not apply"
    : null;
}
