import type * as TF from '@tensorflow/tfjs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../../../../shared/random.js';
import { loadBackend } from '../../backend.js';
import { loadLayersModel, saveLayersModel } from '../../runs/checkpoint.js';
import type { TrainingData } from '../../training/trainingData.js';
import { frozenClassifier, pcaClassifier, pixelsClassifier } from './classifierExport.js';
import { pcaTable } from './features.js';
import { standardisationOf, standardisedRows } from './standardisation.js';

let tf: typeof TF;
let dir: string;
beforeAll(async () => {
  tf = (await loadBackend()).tf;
  dir = await mkdtemp(join(tmpdir(), 'aelab-probe-export-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const values = (count: number, seed: number): Float32Array => {
  const random = seededRandom(seed);
  return Float32Array.from({ length: count }, () => random() * 2 - 1);
};
const head = (features: number, classes: number): TF.LayersModel =>
  tf.sequential({ layers: [tf.layers.dense({ inputShape: [features], units: 7, activation: 'relu' }), tf.layers.dense({ units: classes, activation: 'softmax' })] });
const rows = (n: number): number[] => Array.from({ length: n }, (_, i) => i);
const predict = (model: TF.LayersModel, x: TF.Tensor): number[][] => tf.tidy(() => (model.predict(x) as TF.Tensor).arraySync() as number[][]);
const expectClose = (a: number[][], b: number[][]): void => a.forEach((row, r) => row.forEach((v, j) => expect(v).toBeCloseTo(b[r]?.[j] ?? NaN, 5)));

describe('a kept classifier is one model from samples to probabilities', () => {
  it("frozen: a VAE encoder loaded from disk (μ only, standardisation folded) then the head, as the head on the draw's standardised μ; it reloads with tf.loadLayersModel", async () => {
    const d = 4;
    const built = tf.sequential({ layers: [tf.layers.dense({ inputShape: [10], units: 16, activation: 'relu' }), tf.layers.dense({ units: 2 * d })] });
    // Loaded from files its layers keep their saved names, which layers made in this process may have too.
    await saveLayersModel(tf, built, join(dir, 'encoder'));
    const encoder = await loadLayersModel(tf, join(dir, 'encoder'));
    const x = tf.tensor2d(values(30 * 10, 1), [30, 10]);
    const mu = Float32Array.from(predict(encoder, x).flatMap((row) => row.slice(0, d)));
    const standardisation = standardisationOf(mu, d, rows(12));
    const classifier = head(d, 3);
    const expected = predict(classifier, tf.tensor2d(standardisedRows(mu, d, rows(30), standardisation), [30, d]));
    const kept = frozenClassifier(tf, encoder, d, standardisation, classifier);
    expectClose(predict(kept, x), expected);
    await saveLayersModel(tf, kept, join(dir, 'frozen'));
    const reloaded = await loadLayersModel(tf, join(dir, 'frozen'));
    expectClose(predict(reloaded, x), expected);
    expect(reloaded.outputs[0]?.shape).toEqual([null, 3]);
    tf.dispose([x]);
    [built, encoder, classifier, kept, reloaded].forEach((m) => m.dispose());
  });

  it('frozen, a ReLU feature-map code: flattened, the standardisation folded into the head instead', async () => {
    const encoder = tf.sequential({ layers: [tf.layers.conv2d({ inputShape: [4, 4, 1], filters: 2, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' })] });
    const x = tf.tensor4d(values(20 * 16, 2), [20, 4, 4, 1]);
    const codes = Float32Array.from(predict(encoder, x).flat(3) as number[]);
    const standardisation = standardisationOf(codes, 8, rows(10));
    const classifier = head(8, 2);
    const expected = predict(classifier, tf.tensor2d(standardisedRows(codes, 8, rows(20), standardisation), [20, 8]));
    const kept = frozenClassifier(tf, encoder, null, standardisation, classifier);
    expectClose(predict(kept, x), expected);
    tf.dispose(x);
    [encoder, classifier, kept].forEach((m) => m.dispose());
  });

  it('pixels: flattened images, the head folded to take raw model-input values', () => {
    const x = values(15 * 12, 3);
    const standardisation = standardisationOf(x, 12, rows(6));
    const classifier = head(12, 4);
    const expected = predict(classifier, tf.tensor2d(standardisedRows(x, 12, rows(15), standardisation), [15, 12]));
    const kept = pixelsClassifier(tf, [3, 4, 1], standardisation, classifier);
    expectClose(predict(kept, tf.tensor4d(x, [15, 3, 4, 1])), expected);
    [classifier, kept].forEach((m) => m.dispose());
  });

  it("PCA: its codes are the projections (x − mean)Vᵀ, and the kept model's Dense(k) holds centring, projection and standardisation", async () => {
    // 2×3 images stored as bytes, scaled by 1/255; a random orthonormal-ish basis of 2 components.
    const samples = Uint8Array.from({ length: 20 * 6 }, (_, i) => (i * 37) % 256);
    const data: TrainingData = { samples, shape: [2, 3, 1], offset: 0, factor: 1 / 255, labels: new Int32Array(20), train: Int32Array.from(rows(20)), validation: new Int32Array(0), test: new Int32Array(0) };
    const components = values(2 * 6, 4);
    const mean = values(6, 5);
    const detector = { k: 2, dimension: 6, components, mean };
    const indices = Int32Array.from([3, 0, 17, 9]);
    const table = await pcaTable(tf, detector, data, indices);
    expect(table.dimension).toBe(2);
    indices.forEach((index, r) => {
      for (let j = 0; j < 2; j += 1) {
        let projection = 0;
        for (let i = 0; i < 6; i += 1) projection += ((samples[index * 6 + i] ?? 0) / 255 - (mean[i] ?? 0)) * (components[j * 6 + i] ?? 0);
        expect(table.values[table.rowOf(index) * 2 + j]).toBeCloseTo(projection, 5);
        expect(table.rowOf(index)).toBe(r);
      }
    });
    const standardisation = standardisationOf(table.values, 2, [0, 1, 2]);
    const classifier = head(2, 3);
    const expected = predict(classifier, tf.tensor2d(standardisedRows(table.values, 2, rows(4), standardisation), [4, 2]));
    const kept = pcaClassifier(tf, data.shape, detector, standardisation, classifier);
    const images = tf.tensor4d(Float32Array.from(Array.from(indices).flatMap((index) => Array.from(samples.subarray(index * 6, index * 6 + 6), (v) => v / 255))), [4, 2, 3, 1]);
    expectClose(predict(kept, images), expected);
    tf.dispose(images);
    [classifier, kept].forEach((m) => m.dispose());
  });
});
