import type * as TF from '@tensorflow/tfjs';
import type { Tfjs } from '../backend.js';

/**
 * The classifier's loss: softmax cross-entropy of the logits against one-hot targets, the
 * mean over the batch (the compiled step's graph/softmaxLoss.ts computes the same).
 */
export function meanCrossEntropy(tf: Tfjs, logits: TF.Tensor, oneHot: TF.Tensor): TF.Scalar {
  return tf.tidy(() => tf.mean(tf.neg(tf.sum(tf.mul(oneHot, tf.logSoftmax(logits)), -1))) as TF.Scalar);
}

/** Throws, naming the sample, where a label is not one of 0 … classes − 1. */
export function checkLabels(labels: Int32Array, classes: number, set = 'training'): void {
  const wrong = labels.findIndex((label) => !(label >= 0 && label < classes));
  if (wrong >= 0) throw new Error(`label ${labels[wrong]} of ${set} sample ${wrong} is not one of the ${classes} classes (0 … ${classes - 1})`);
}

/** The labels at `rows` as one-hot float rows, built in JavaScript: a batch's targets without an op. */
export function oneHotRows(labels: Int32Array, rows: ArrayLike<number>, classes: number): Float32Array {
  const oneHot = new Float32Array(rows.length * classes);
  for (let i = 0; i < rows.length; i += 1) oneHot[i * classes + (labels[rows[i] as number] as number)] = 1;
  return oneHot;
}

/** The labels as one-hot float rows; a label outside 0 … classes − 1 is an error naming it. */
export function oneHotOf(tf: Tfjs, labels: Int32Array, classes: number): TF.Tensor2D {
  checkLabels(labels, classes);
  return tf.tensor2d(oneHotRows(labels, Int32Array.from(labels.keys()), classes), [labels.length, classes]);
}
