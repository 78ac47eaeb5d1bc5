import type { Tfjs } from '../../backend.js';

/** Test rows per chunk are chosen so that one chunk's distance matrix stays near this many floats (16 MB). */
const chunkElements = 1 << 22;

/**
 * The k-nearest-neighbour vote (Euclidean) of each test row among the labelled rows: squared
 * distances as ‖b‖² − 2a·b with matrix products a chunk of test rows at a time (‖a‖² is the same
 * for every neighbour of a row, so it changes no ranking), the k nearest by topk, then a
 * majority vote; a tie between classes goes to the class of the nearest neighbour among them.
 */
export async function knnPredict(tf: Tfjs, train: Float32Array, labels: Int32Array, test: Float32Array, dimension: number, k: number): Promise<Int32Array> {
  return (await knnPredictions(tf, train, labels, test, dimension, [k]))[0] as Int32Array;
}

/**
 * The votes of several k from one neighbour search: the distances and the topk of the largest
 * k once, each smaller k's vote from the first columns of that ordering (nearest first).
 */
export async function knnPredictions(tf: Tfjs, train: Float32Array, labels: Int32Array, test: Float32Array, dimension: number, ks: readonly number[]): Promise<Int32Array[]> {
  const n = labels.length;
  const m = test.length / dimension;
  if (n === 0) throw new Error('kNN needs at least one labelled sample');
  if (train.length !== n * dimension) throw new Error(`kNN: ${train.length} values are not ${n} rows of ${dimension}`);
  if (ks.length === 0 || ks.some((k) => !Number.isInteger(k) || k < 1)) throw new Error(`kNN needs whole numbers k ≥ 1, not [${ks.join(', ')}]`);
  const neighbours = Math.min(Math.max(...ks), n);
  const predictions = ks.map(() => new Int32Array(m));
  const reference = tf.tensor2d(train, [n, dimension]);
  const referenceNorms = tf.tidy(() => tf.reshape(tf.sum(tf.square(reference), 1), [1, n]));
  const rows = Math.max(1, Math.floor(chunkElements / n));
  try {
    for (let start = 0; start < m; start += rows) {
      const count = Math.min(rows, m - start);
      const nearest = tf.tidy(() => {
        const queries = tf.tensor2d(test.subarray(start * dimension, (start + count) * dimension), [count, dimension]);
        const distances = tf.sub(referenceNorms, tf.mul(tf.matMul(queries, reference, false, true), 2));
        return tf.topk(tf.neg(distances), neighbours, true).indices;
      });
      const order = (await nearest.data()) as Int32Array;
      nearest.dispose();
      for (let r = 0; r < count; r += 1) {
        const row = order.subarray(r * neighbours, (r + 1) * neighbours);
        ks.forEach((k, i) => ((predictions[i] as Int32Array)[start + r] = vote(row.subarray(0, Math.min(k, n)), labels)));
      }
    }
  } finally {
    tf.dispose([reference, referenceNorms]);
  }
  return predictions;
}

/** The majority class of neighbours ordered nearest first; ties go to the nearest neighbour's class among the tied ones. */
export function vote(order: ArrayLike<number>, labels: Int32Array): number {
  const counts = new Map<number, number>();
  let best = 0;
  for (let i = 0; i < order.length; i += 1) {
    const label = labels[order[i] as number] as number;
    const c = (counts.get(label) ?? 0) + 1;
    counts.set(label, c);
    best = Math.max(best, c);
  }
  for (let i = 0; i < order.length; i += 1) {
    const label = labels[order[i] as number] as number;
    if (counts.get(label) === best) return label;
  }
  return -1;
}
