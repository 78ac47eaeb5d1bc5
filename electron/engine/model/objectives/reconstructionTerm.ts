import type * as TF from '@tensorflow/tfjs';
import type { Tfjs } from '../../backend.js';
import type { Autoencoder, ObjectiveContext } from '../types.js';

/** A deterministic encoder's code: f(x). */
export const encodeCode = (_tf: Tfjs, model: Autoencoder, x: TF.Tensor): TF.Tensor => model.encoder.apply(x) as TF.Tensor;

/**
 * The code of `input` and the loss of giving back the target from it (the clean x for
 * reconstruction). A model with skips decodes the input itself, its code is only reported.
 */
export function reconstructionOnly<P>({ model, x, target, reconstruction }: ObjectiveContext<P>, input: TF.Tensor = x): { code: TF.Tensor; loss: TF.Scalar } {
  const code = model.encoder.apply(input) as TF.Tensor;
  const output = (model.skips ? model.decoder.apply(input) : model.decoder.apply(code)) as TF.Tensor;
  return { code, loss: reconstruction(output, target) };
}
