import type * as TF from '@tensorflow/tfjs';
import type { Tfjs } from '../../backend.js';
import type { Autoencoder } from '../types.js';

/**
 * Mean over the batch of ‖∂f(x)/∂x‖²_F, exactly: one backward pass per code unit (each
 * sample's row of the Jacobian comes from the gradient of the batch's sum for that unit,
 * since samples do not interact). Differentiable, so it can be trained on.
 */
export function jacobianPenalty(tf: Tfjs, model: Autoencoder, x: TF.Tensor, codeUnits: number): TF.Scalar {
  if (model.linearKernel) {
    // f(x) = Wᵀx + b: the Jacobian is W for every sample.
    return tf.sum(tf.square(model.linearKernel.read())) as TF.Scalar;
  }
  if (model.singleSigmoidLayer) {
    // h = σ(Wᵀx + b): ‖J‖²_F = Σⱼ (hⱼ(1 − hⱼ))² Σᵢ Wᵢⱼ².
    const h = model.encoder.apply(x) as TF.Tensor;
    const slope = tf.square(tf.mul(h, tf.sub(1, h)));
    const columnNorms = tf.sum(tf.square(model.singleSigmoidLayer.kernel.read()), 0);
    return tf.mean(tf.sum(tf.mul(slope, columnNorms), 1)) as TF.Scalar;
  }
  let total: TF.Tensor = tf.scalar(0);
  for (let unit = 0; unit < codeUnits; unit += 1) {
    const rowGradient = tf.grad((input: TF.Tensor) => tf.sum(tf.gather(model.encoder.apply(input) as TF.Tensor, [unit], 1)))(x);
    total = tf.add(total, tf.sum(tf.square(rowGradient)));
  }
  return tf.div(total, x.shape[0] ?? 1) as TF.Scalar;
}
