import type * as TF from '@tensorflow/tfjs';
import type { ReconstructionLossId } from '../../../shared/catalogue/definition.js';
import type { Tfjs } from '../backend.js';
import type { FunctionBuilder, Ref } from '../graph/functionDef.js';
import { T, batchMean, insideClip } from '../graph/graphOps.js';

/** Probabilities are clipped to [ε, 1 − ε] before their logarithms, so a saturated sigmoid costs a finite loss. */
export const probabilityClip = 1e-7;

/** −(x log p + (1 − x) log(1 − p)) element by element, p clipped. */
export function binaryCrossEntropy(tf: Tfjs, reconstructed: TF.Tensor, target: TF.Tensor): TF.Tensor {
  const p = tf.clipByValue(reconstructed, probabilityClip, 1 - probabilityClip);
  return tf.neg(tf.add(tf.mul(target, tf.log(p)), tf.mul(tf.sub(1, target), tf.log(tf.sub(1, p)))));
}

/** The reconstruction term, per sample summed over features, averaged over the batch. */
export function reconstructionLoss(tf: Tfjs, kind: ReconstructionLossId): (reconstructed: TF.Tensor, target: TF.Tensor) => TF.Scalar {
  const perSample = (t: TF.Tensor): TF.Tensor => tf.sum(tf.reshape(t, [t.shape[0] ?? -1, -1]), 1);
  if (kind === 'mse') return (reconstructed, target) => tf.mean(perSample(tf.squaredDifference(reconstructed, target))) as TF.Scalar;
  return (reconstructed, target) => tf.mean(perSample(binaryCrossEntropy(tf, reconstructed, target))) as TF.Scalar;
}

/**
 * The reconstruction term with a weight per element (an inpainting loss that counts the hole
 * only): per sample Σ w·ℓ over the features, averaged over the batch. All ones: `reconstructionLoss`.
 */
export function weightedReconstructionLoss(tf: Tfjs, kind: ReconstructionLossId): (reconstructed: TF.Tensor, target: TF.Tensor, weight: TF.Tensor) => TF.Scalar {
  const elementLoss = (reconstructed: TF.Tensor, target: TF.Tensor): TF.Tensor => (kind === 'mse' ? tf.squaredDifference(reconstructed, target) : binaryCrossEntropy(tf, reconstructed, target));
  return (reconstructed, target, weight) => {
    const weighted = tf.mul(elementLoss(reconstructed, target), weight);
    return tf.mean(tf.sum(tf.reshape(weighted, [weighted.shape[0] ?? -1, -1]), 1)) as TF.Scalar;
  };
}

/** The same binary cross-entropy as graph ops on [batch, features]: the element-wise loss, and its gradient in y before the batch mean. */
export function binaryCrossEntropyOps(g: FunctionBuilder, y: Ref, target: Ref): { loss: Ref; dy: Ref } {
  const one = g.constant([1]);
  const [low, high] = [g.constant([probabilityClip]), g.constant([1 - probabilityClip])];
  const p = g.op('ClipByValue', [y, low, high], T);
  const complement = g.op('Sub', [one, target], T);
  const oneMinusP = g.op('Sub', [one, p], T);
  const logLikelihood = g.op('AddV2', [g.op('Mul', [target, g.op('Log', [p], T)], T), g.op('Mul', [complement, g.op('Log', [oneMinusP], T)], T)], T);
  const dp = g.op('Sub', [g.op('RealDiv', [complement, oneMinusP], T), g.op('RealDiv', [target, p], T)], T);
  return { loss: g.op('Neg', [logLikelihood], T), dy: g.op('Mul', [dp, insideClip(g, y, low, high)], T) };
}

/** The reconstruction term as graph ops, and its gradient with respect to the reconstruction, both on [batch, features]. */
export function reconstructionLossOps(g: FunctionBuilder, kind: ReconstructionLossId, y: Ref, target: Ref, inverseBatch: Ref): { loss: Ref; dy: Ref } {
  if (kind === 'mse') {
    const difference = g.op('Sub', [y, target], T);
    const loss = batchMean(g, g.op('Square', [difference], T));
    return { loss, dy: g.op('Mul', [difference, g.op('Mul', [inverseBatch, g.constant([2])], T)], T) };
  }
  const { loss, dy } = binaryCrossEntropyOps(g, y, target);
  return { loss: batchMean(g, loss), dy: g.op('Mul', [dy, inverseBatch], T) };
}
