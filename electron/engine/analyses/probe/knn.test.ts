import type * as TF from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../../../../shared/random.js';
import { loadBackend } from '../../backend.js';
import { knnPredict, knnPredictions, vote } from './knn.js';

let tf: typeof TF;
beforeAll(async () => {
  tf = (await loadBackend()).tf;
});

/** Brute force in float64: every distance, sorted (ties by index), then the same vote rule written out again. */
function reference(train: Float32Array, labels: Int32Array, test: Float32Array, d: number, k: number): number[] {
  const n = labels.length;
  const out: number[] = [];
  for (let q = 0; q < test.length / d; q += 1) {
    const distances = Array.from({ length: n }, (_, i) => {
      let s = 0;
      for (let j = 0; j < d; j += 1) s += ((test[q * d + j] ?? 0) - (train[i * d + j] ?? 0)) ** 2;
      return { i, s };
    }).sort((a, b) => a.s - b.s || a.i - b.i);
    const nearest = distances.slice(0, k).map((x) => labels[x.i] ?? -1);
    const counts = new Map<number, number>();
    nearest.forEach((l) => counts.set(l, (counts.get(l) ?? 0) + 1));
    const top = Math.max(...counts.values());
    out.push(nearest.find((l) => counts.get(l) === top) ?? -1);
  }
  return out;
}

describe('kNN on codes', () => {
  it.each([1, 5])('k = %i agrees with a brute-force reference on random data, across chunks of test rows', async (k) => {
    const random = seededRandom(k);
    const [n, m, d] = [300, 500, 6];
    const train = Float32Array.from({ length: n * d }, () => random() * 4 - 2);
    const labels = Int32Array.from({ length: n }, () => Math.floor(random() * 4));
    const test = Float32Array.from({ length: m * d }, () => random() * 4 - 2);
    const before = tf.memory().numTensors;
    const predicted = await knnPredict(tf, train, labels, test, d, k);
    expect(tf.memory().numTensors).toBe(before);
    expect(Array.from(predicted)).toEqual(reference(train, labels, test, d, k));
    // Random labels: the votes are not all one class, so the test could tell a wrong vote.
    expect(new Set(predicted).size).toBeGreaterThan(2);
  });

  it('one neighbour search gives the 1-NN and 5-NN votes, each as its own search would', async () => {
    const random = seededRandom(7);
    const [n, m, d] = [200, 300, 4];
    const train = Float32Array.from({ length: n * d }, () => random() * 4 - 2);
    const labels = Int32Array.from({ length: n }, () => Math.floor(random() * 4));
    const test = Float32Array.from({ length: m * d }, () => random() * 4 - 2);
    const before = tf.memory().numTensors;
    const [one, five] = await knnPredictions(tf, train, labels, test, d, [1, 5]);
    expect(tf.memory().numTensors).toBe(before);
    expect(Array.from(one ?? [])).toEqual(reference(train, labels, test, d, 1));
    expect(Array.from(five ?? [])).toEqual(reference(train, labels, test, d, 5));
    expect(one).not.toEqual(five);
  });

  it('a tied vote goes to the class of the nearest neighbour among the tied classes', async () => {
    // Neighbours of 0 on a line at 1, 2, 3, 4, 5: classes 2, 1, 1, 2, 0 — classes 1 and 2 tie (2 votes each), the nearest is class 2.
    const train = Float32Array.from([1, 2, 3, 4, 5]);
    const labels = Int32Array.from([2, 1, 1, 2, 0]);
    expect(Array.from(await knnPredict(tf, train, labels, Float32Array.from([0]), 1, 5))).toEqual([2]);
    // From 2.9 the order is 3, 2, 4, 1, 5: classes 1, 1, 2, 2, 0 — the nearest of the tied classes is 1.
    expect(Array.from(await knnPredict(tf, train, labels, Float32Array.from([2.9]), 1, 5))).toEqual([1]);
    expect(vote([4, 0, 1], labels)).toBe(0);
    // Fewer labelled samples than k: every one of them votes.
    expect(Array.from(await knnPredict(tf, Float32Array.from([0, 10]), Int32Array.from([3, 1]), Float32Array.from([9]), 1, 5))).toEqual([1]);
  });
});
