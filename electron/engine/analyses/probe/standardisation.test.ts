import type * as TF from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../../../../shared/random.js';
import { loadBackend } from '../../backend.js';
import { codeLayerOf, foldCodeStandardisation } from './layerChain.js';
import { StandardisationSum, foldIntoInputs, standardisationOf, standardisedRows } from './standardisation.js';

let tf: typeof TF;
beforeAll(async () => {
  tf = (await loadBackend()).tf;
});

const randomTable = (rows: number, columns: number, seed: number, scale = 3): Float32Array => {
  const random = seededRandom(seed);
  return Float32Array.from({ length: rows * columns }, (_, i) => (random() - 0.5) * scale + (i % columns));
};

describe('statistics of a draw', () => {
  it("are the chosen rows' mean and population deviation, each variance shrunk toward the mean variance", () => {
    // Rows 0 and 2 only: row 1 (a validation or test sample) must not move them.
    const table = Float32Array.from([1, 5, 2, /**/ 100, 5, -50, /**/ 3, 5, 6]);
    const { mean, deviation } = standardisationOf(table, 3, [0, 2]);
    expect(Array.from(mean)).toEqual([2, 5, 4]);
    // Variances 1, 0, 4 over the two rows; a tenth of their mean (5/3) added to each.
    const expected = [7 / 6, 1 / 6, 25 / 6].map(Math.sqrt);
    Array.from(deviation).forEach((s, j) => expect(s).toBeCloseTo(expected[j] ?? NaN, 6));
    const rows = standardisedRows(table, 3, [2, 1], { mean, deviation });
    [1 / expected[0]!, 0, 2 / expected[2]!, 98 / expected[0]!, 0, -54 / expected[2]!].forEach((v, i) => expect(rows[i]).toBeCloseTo(v, 4));
  });

  it('leave every feature at deviation 1 where none varies over the draw', () => {
    const { deviation } = standardisationOf(Float32Array.from([1, 5, 1, 5]), 2, [0, 1]);
    expect(Array.from(deviation)).toEqual([1, 1]);
  });

  it('summed a batch at a time they are the same as from a table', () => {
    const table = randomTable(50, 7, 1);
    const sum = new StandardisationSum(7);
    sum.add(table.subarray(0, 21 * 7));
    sum.add(table.subarray(21 * 7));
    const streamed = sum.result();
    const whole = standardisationOf(table, 7, Array.from({ length: 50 }, (_, i) => i));
    streamed.mean.forEach((m, j) => expect(m).toBeCloseTo(whole.mean[j] ?? NaN, 6));
    streamed.deviation.forEach((s, j) => expect(s).toBeCloseTo(whole.deviation[j] ?? NaN, 6));
  });
});

describe('standardisation folded into weights', () => {
  it("a folded code layer gives (code − m)/s of the unfolded one; a VAE's log σ² columns stay as they were", () => {
    const d = 3;
    const encoder = tf.sequential({ layers: [tf.layers.dense({ inputShape: [5], units: 8, activation: 'relu' }), tf.layers.dense({ units: 2 * d })] });
    const x = tf.tensor2d(randomTable(20, 5, 2), [20, 5]);
    const before = (encoder.predict(x) as TF.Tensor).arraySync() as number[][];
    const mu = before.map((row) => row.slice(0, d));
    const standardisation = standardisationOf(Float32Array.from(mu.flat()), d, Array.from({ length: 20 }, (_, i) => i));
    expect(foldCodeStandardisation(tf, encoder, standardisation)).toBeNull();
    const after = (encoder.predict(x) as TF.Tensor).arraySync() as number[][];
    after.forEach((row, r) => {
      row.forEach((v, j) => {
        const original = before[r]?.[j] ?? NaN;
        const expected = j < d ? (original - (standardisation.mean[j] ?? 0)) / (standardisation.deviation[j] ?? 1) : original;
        expect(v).toBeCloseTo(expected, 4);
      });
    });
    // The folded μ over the same samples: mean 0, deviation its raw one over the shrunk one (just under 1).
    for (let j = 0; j < d; j += 1) {
      const column = after.map((row) => row[j] ?? 0);
      const m = column.reduce((a, b) => a + b, 0) / column.length;
      expect(m).toBeCloseTo(0, 4);
      const raw = mu.map((row) => row[j] ?? 0);
      const rawMean = raw.reduce((a, b) => a + b, 0) / raw.length;
      const rawDeviation = Math.sqrt(raw.reduce((a, b) => a + (b - rawMean) ** 2, 0) / raw.length);
      expect(Math.sqrt(column.reduce((a, b) => a + (b - m) ** 2, 0) / column.length)).toBeCloseTo(rawDeviation / (standardisation.deviation[j] ?? NaN), 4);
    }
    tf.dispose(x);
    encoder.dispose();
  });

  it("a conv encoder's vector code (a linear Conv2D, then Flatten) folds the same way; a ReLU code layer is not folded and says why", () => {
    const conv = tf.sequential({ layers: [tf.layers.conv2d({ inputShape: [4, 4, 1], filters: 2, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }), tf.layers.conv2d({ filters: 3, kernelSize: [2, 2], padding: 'valid' }), tf.layers.flatten()] });
    expect(codeLayerOf(conv).layer.getClassName()).toBe('Conv2D');
    const x = tf.tensor4d(randomTable(6, 16, 3), [6, 4, 4, 1]);
    const before = (conv.predict(x) as TF.Tensor).arraySync() as number[][];
    const standardisation = { mean: Float32Array.from([0.5, -1, 2]), deviation: Float32Array.from([2, 0.5, 4]) };
    expect(foldCodeStandardisation(tf, conv, standardisation)).toBeNull();
    const after = (conv.predict(x) as TF.Tensor).arraySync() as number[][];
    after.forEach((row, r) => row.forEach((v, j) => expect(v).toBeCloseTo(((before[r]?.[j] ?? 0) - (standardisation.mean[j] ?? 0)) / (standardisation.deviation[j] ?? 1), 4)));
    const relu = tf.sequential({ layers: [tf.layers.dense({ inputShape: [4], units: 3, activation: 'relu' })] });
    const weights = relu.getWeights().map((w) => w.arraySync());
    expect(foldCodeStandardisation(tf, relu, standardisation)).toBe("its code layer's activation is relu");
    expect(relu.getWeights().map((w) => w.arraySync())).toEqual(weights);
    tf.dispose(x);
    conv.dispose();
    relu.dispose();
  });

  it('a linear conv code that is a feature map (one unit per channel, not per feature) is not folded, and says why', () => {
    const map = tf.sequential({ layers: [tf.layers.conv2d({ inputShape: [8, 8, 1], filters: 2, kernelSize: 3, strides: 2, padding: 'same' })] });
    // 4×4×2 = 32 features, standardised per feature.
    const standardisation = { mean: new Float32Array(32).fill(0.5), deviation: new Float32Array(32).fill(2) };
    const weights = map.getWeights().map((w) => w.arraySync());
    expect(codeLayerOf(map)).toMatchObject({ foldable: false, reason: 'its code is a feature map of 4×4×2' });
    expect(foldCodeStandardisation(tf, map, standardisation)).toBe('its code is a feature map of 4×4×2');
    expect(map.getWeights().map((w) => w.arraySync())).toEqual(weights);
    // A Dense whose code passes through a layer that changes values cannot be folded either.
    const activated = tf.sequential({ layers: [tf.layers.dense({ inputShape: [4], units: 3 }), tf.layers.activation({ activation: 'tanh' })] });
    expect(codeLayerOf(activated).reason).toBe("its code layer's output goes on through a Activation layer");
    map.dispose();
    activated.dispose();
  });

  it('a Dense folded on its inputs gives on raw x what the original gives on (x − m)/s', () => {
    const kernel = randomTable(4, 3, 4);
    const bias = Float32Array.from([0.1, -0.2, 0.3]);
    const standardisation = { mean: Float32Array.from([1, 2, 3, 4]), deviation: Float32Array.from([0.5, 1, 2, 1]) };
    const folded = foldIntoInputs(kernel, bias, standardisation);
    const x = [2, -1, 0.5, 7];
    for (let j = 0; j < 3; j += 1) {
      let original = bias[j] ?? 0;
      let raw = folded.bias[j] ?? 0;
      x.forEach((v, i) => {
        original += ((v - (standardisation.mean[i] ?? 0)) / (standardisation.deviation[i] ?? 1)) * (kernel[i * 3 + j] ?? 0);
        raw += v * (folded.kernel[i * 3 + j] ?? 0);
      });
      expect(raw).toBeCloseTo(original, 5);
    }
  });
});
