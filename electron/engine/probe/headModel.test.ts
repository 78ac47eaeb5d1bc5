import type * as TF from '@tensorflow/tfjs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBackend, type Tfjs } from '../backend.js';
import { loadLayersModel, saveLayersModel } from '../runs/checkpoint.js';
import { buildHead, classifierModel } from './headModel.js';

let tf: Tfjs;
let dir: string;
beforeAll(async () => {
  tf = (await loadBackend()).tf;
  dir = await mkdtemp(join(tmpdir(), 'aelab-classifier-model-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const weightsOf = async (model: TF.LayersModel): Promise<number[]> => (await Promise.all(model.getWeights().map((w) => w.data()))).flatMap((d) => Array.from(d));
const predict = (model: TF.LayersModel, x: TF.Tensor): number[][] => tf.tidy(() => (model.predict(x) as TF.Tensor).arraySync() as number[][]);
const expectClose = (a: number[][], b: number[][]): void => {
  expect(a.length).toBe(b.length);
  a.forEach((row, r) => row.forEach((v, j) => expect(v).toBeCloseTo(b[r]?.[j] ?? NaN, 5)));
};

describe("a classifier's head and its one exported model", () => {
  it('draws the same head for the same seed and another for another seed; an MLP has a ReLU hidden layer', async () => {
    const [a, b, c] = [buildHead(tf, [5], 3, { kind: 'mlp', hiddenUnits: 4 }, 1), buildHead(tf, [5], 3, { kind: 'mlp', hiddenUnits: 4 }, 1), buildHead(tf, [5], 3, { kind: 'mlp', hiddenUnits: 4 }, 2)];
    expect(await weightsOf(b)).toEqual(await weightsOf(a));
    expect(await weightsOf(c)).not.toEqual(await weightsOf(a));
    expect(a.layers.map((l) => [l.getClassName(), (l.getConfig() as { activation?: string }).activation])).toEqual([['Dense', 'relu'], ['Dense', 'linear']]);
    const map = buildHead(tf, [2, 2, 3], 4, { kind: 'softmax', hiddenUnits: 0 }, 1);
    expect(map.layers.map((l) => l.getClassName())).toEqual(['Flatten', 'Dense']);
    expect(map.outputShape).toEqual([null, 4]);
    [a, b, c, map].forEach((m) => m.dispose());
  });

  const vaeEncoders: Array<[string, () => TF.Sequential, number[]]> = [
    ['a dense VAE encoder', () => tf.sequential({ layers: [tf.layers.dense({ inputShape: [6], units: 5, activation: 'relu' }), tf.layers.dense({ units: 8 })] }), [6]],
    [
      'a conv VAE encoder (a convolution spanning the map, flattened)',
      () => tf.sequential({ layers: [tf.layers.conv2d({ inputShape: [4, 4, 1], filters: 3, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }), tf.layers.conv2d({ filters: 8, kernelSize: [2, 2] }), tf.layers.flatten()] }),
      [4, 4, 1],
    ],
  ];
  for (const [name, build, inputShape] of vaeEncoders) {
    it(`is ${name} cut to μ, then the head and a softmax; it owns its weights and reloads from disk`, async () => {
      const encoder = build();
      const head = buildHead(tf, [4], 3, { kind: 'mlp', hiddenUnits: 5 }, 3);
      const x = tf.randomNormal([7, ...inputShape], 0, 1, 'float32', 4);
      const expected = tf.tidy(() => tf.softmax(head.apply(tf.slice(encoder.apply(x) as TF.Tensor, [0, 0], [-1, 4])) as TF.Tensor).arraySync() as number[][]);
      const model = classifierModel(tf, inputShape, { model: encoder, meanUnits: 4 }, head);
      expect(model.outputShape).toEqual([null, 3]);
      // The μ layer gives 4 units where the encoder's gave 8.
      expect(model.layers.map((l) => l.outputShape)).toContainEqual(inputShape.length === 1 ? [null, 4] : [null, 1, 1, 4]);
      // Independent: the models it came from are gone.
      encoder.dispose();
      head.dispose();
      expectClose(predict(model, x), expected);
      await saveLayersModel(tf, model, join(dir, name));
      const reloaded = await loadLayersModel(tf, join(dir, name));
      expectClose(predict(reloaded, x), expected);
      [model, reloaded].forEach((m) => m.dispose());
      x.dispose();
    });
  }

  it('refuses to cut μ from an encoder that does not end in its code layer', () => {
    const encoder = tf.sequential({ layers: [tf.layers.dense({ inputShape: [6], units: 8 }), tf.layers.activation({ activation: 'tanh' })] });
    const head = buildHead(tf, [4], 3, { kind: 'softmax', hiddenUnits: 0 }, 3);
    expect(() => classifierModel(tf, [6], { model: encoder, meanUnits: 4 }, head)).toThrow(/does not end in a Dense or Conv2D layer/);
    [encoder, head].forEach((m) => m.dispose());
  });
});
