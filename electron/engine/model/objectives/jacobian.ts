import type * as TF from '@tensorflow/tfjs';
import type { Tfjs } from '../../backend.js';
import type { Autoencoder } from '../types.js';

/** The most input values one backward pass takes at once (16 MiB of floats); more code units take more passes. */
const tiledInputFloats = 4_194_304;

const perSampleSize = (shape: readonly (number | null)[]): number => shape.slice(1).reduce<number>((a, b) => a * (b ?? 1), 1);

/**
 * ‖∂f(x)/∂x‖²_F of each sample, [batch], exactly. Closed forms for the linear map and for one
 * sigmoid layer; otherwise autodiff, with the batch repeated once per code unit so that one
 * backward pass gives many Jacobian rows (samples do not interact, so the gradient of Σ over the
 * batch of unit u is each sample's row u). Differentiable, so it can be trained on.
 */
export function jacobianSquaredNorms(tf: Tfjs, model: Autoencoder, x: TF.Tensor): TF.Tensor {
  const batch = x.shape[0] ?? 1;
  if (model.linearKernel) {
    // f(x) = Wᵀx + b: the Jacobian is W for every sample.
    return tf.mul(tf.ones([batch]), tf.sum(tf.square(model.linearKernel.read())));
  }
  if (model.singleSigmoidLayer) {
    // h = σ(Wᵀx + b): ‖J‖²_F = Σⱼ (hⱼ(1 − hⱼ))² Σᵢ Wᵢⱼ².
    const h = model.encoder.apply(x) as TF.Tensor;
    const slope = tf.square(tf.mul(h, tf.sub(1, h)));
    const columnNorms = tf.sum(tf.square(model.singleSigmoidLayer.kernel.read()), 0);
    return tf.sum(tf.mul(slope, columnNorms), 1);
  }
  const codeUnits = perSampleSize(model.encoder.outputs[0]?.shape ?? [null, 1]);
  const inputSize = perSampleSize(x.shape);
  const unitsPerPass = Math.max(1, Math.min(codeUnits, Math.floor(tiledInputFloats / Math.max(1, batch * inputSize))));
  let total: TF.Tensor = tf.zeros([batch]);
  for (let from = 0; from < codeUnits; from += unitsPerPass) {
    const units = Math.min(unitsPerPass, codeUnits - from);
    // Copy k of the batch (rows k·batch … (k+1)·batch − 1) asks for code unit from + k.
    const tiled = tf.tile(x, [units, ...x.shape.slice(1).map(() => 1)]);
    const unitOfRow = tf.tensor1d(Int32Array.from({ length: units * batch }, (_, row) => from + Math.floor(row / batch)), 'int32');
    const selector = tf.cast(tf.oneHot(unitOfRow, codeUnits), 'float32');
    const rows = tf.grad((input: TF.Tensor) => tf.sum(tf.mul(tf.reshape(model.encoder.apply(input) as TF.Tensor, [units * batch, codeUnits]), selector)))(tiled);
    const perRow = tf.sum(tf.square(tf.reshape(rows, [units * batch, -1])), 1);
    total = tf.add(total, tf.sum(tf.reshape(perRow, [units, batch]), 0));
  }
  return total;
}

/** Mean over the batch of ‖∂f(x)/∂x‖²_F: the contractive penalty. */
export function jacobianPenalty(tf: Tfjs, model: Autoencoder, x: TF.Tensor): TF.Scalar {
  return tf.mean(jacobianSquaredNorms(tf, model, x)) as TF.Scalar;
}
