import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as TF from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../../../../shared/random.js';
import { loadBackend, type Tfjs } from '../../backend.js';
import { layersModelToOnnx } from './convert.js';
import { transposedAxis, windowAxis } from './layers.js';
import { encodeOnnxModel } from './onnxProto.js';
import { deviation, noOnnxRuntime, runInOnnxRuntime } from './onnxRuntimeReference.js';

let tf: Tfjs;
let dir: string;
beforeAll(async () => {
  tf = (await loadBackend()).tf;
  dir = mkdtempSync(join(tmpdir(), 'aelab-onnx-layers-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Layers = TF.Sequential['layers'][number];
interface Case {
  name: string;
  input: number[];
  layers: (tf: Tfjs) => Layers[];
}

/** Tiny models, one or two layer kinds each, on odd sizes where padding is asymmetric. */
const cases: Case[] = [
  ...(['relu', 'sigmoid', 'tanh', 'elu', 'linear'] as const).map((activation) => ({ name: `Dense ${activation}`, input: [7], layers: (t: Tfjs) => [t.layers.dense({ units: 5, activation, inputShape: [7] })] })),
  { name: 'Dense without bias', input: [4], layers: (t) => [t.layers.dense({ units: 3, useBias: false, inputShape: [4] })] },
  { name: 'Conv2D same, stride 1', input: [7, 6, 2], layers: (t) => [t.layers.conv2d({ filters: 3, kernelSize: 3, padding: 'same', activation: 'relu', inputShape: [7, 6, 2] })] },
  { name: 'Conv2D same, stride 2, odd size', input: [7, 9, 1], layers: (t) => [t.layers.conv2d({ filters: 4, kernelSize: 3, strides: 2, padding: 'same', activation: 'elu', inputShape: [7, 9, 1] })] },
  { name: 'Conv2D same, stride 2, even kernel', input: [8, 8, 2], layers: (t) => [t.layers.conv2d({ filters: 2, kernelSize: 4, strides: 2, padding: 'same', inputShape: [8, 8, 2] })] },
  { name: 'Conv2D valid, kernel 2×3', input: [6, 7, 2], layers: (t) => [t.layers.conv2d({ filters: 3, kernelSize: [2, 3], padding: 'valid', activation: 'tanh', inputShape: [6, 7, 2] })] },
  { name: 'Conv2D valid spanning the map (vector code)', input: [4, 4, 3], layers: (t) => [t.layers.conv2d({ filters: 6, kernelSize: [4, 4], padding: 'valid', inputShape: [4, 4, 3] }), t.layers.flatten()] },
  { name: 'Conv2D dilated', input: [9, 9, 1], layers: (t) => [t.layers.conv2d({ filters: 2, kernelSize: 3, dilationRate: 2, padding: 'same', inputShape: [9, 9, 1] })] },
  ...([
    [3, 2, 'same'],
    [4, 2, 'same'],
    [5, 2, 'same'],
    [1, 2, 'same'],
    [3, 1, 'same'],
    [3, 2, 'valid'],
    [1, 2, 'valid'],
    [2, 3, 'valid'],
  ] as const).map(([kernelSize, strides, padding]) => ({
    name: `Conv2DTranspose ${padding}, kernel ${kernelSize}, stride ${strides}`,
    input: [3, 5, 2],
    layers: (t: Tfjs) => [t.layers.conv2dTranspose({ filters: 3, kernelSize, strides, padding, inputShape: [3, 5, 2] })],
  })),
  { name: 'Conv2DTranspose from a 1×1 map (vector code)', input: [1, 1, 4], layers: (t) => [t.layers.conv2dTranspose({ filters: 3, kernelSize: [4, 4], padding: 'valid', activation: 'relu', inputShape: [1, 1, 4] })] },
  { name: 'MaxPooling2D', input: [6, 8, 2], layers: (t) => [t.layers.maxPooling2d({ poolSize: 2, inputShape: [6, 8, 2] })] },
  { name: 'MaxPooling2D same, odd size', input: [7, 5, 2], layers: (t) => [t.layers.maxPooling2d({ poolSize: 3, strides: 2, padding: 'same', inputShape: [7, 5, 2] })] },
  { name: 'AveragePooling2D same, odd size', input: [7, 5, 2], layers: (t) => [t.layers.averagePooling2d({ poolSize: 2, padding: 'same', inputShape: [7, 5, 2] })] },
  { name: 'UpSampling2D nearest', input: [3, 4, 2], layers: (t) => [t.layers.upSampling2d({ size: [2, 3], inputShape: [3, 4, 2] })] },
  { name: 'UpSampling2D bilinear', input: [3, 4, 2], layers: (t) => [t.layers.upSampling2d({ size: [2, 2], interpolation: 'bilinear', inputShape: [3, 4, 2] })] },
  { name: 'UpSampling2D between convolutions (NCHW)', input: [4, 4, 1], layers: (t) => [t.layers.conv2d({ filters: 2, kernelSize: 3, padding: 'same', inputShape: [4, 4, 1] }), t.layers.upSampling2d({ size: [2, 2] }), t.layers.conv2d({ filters: 1, kernelSize: 3, padding: 'same' })] },
  { name: 'Flatten after a convolution, in NHWC order', input: [4, 3, 2], layers: (t) => [t.layers.conv2d({ filters: 3, kernelSize: 2, padding: 'same', inputShape: [4, 3, 2] }), t.layers.flatten(), t.layers.dense({ units: 2 })] },
  { name: 'Reshape to an image, then a convolution', input: [12], layers: (t) => [t.layers.reshape({ targetShape: [2, 3, 2], inputShape: [12] }), t.layers.conv2d({ filters: 2, kernelSize: 2, padding: 'same' })] },
  { name: 'Reshape with an inferred axis', input: [4, 3, 2], layers: (t) => [t.layers.reshape({ targetShape: [-1, 4], inputShape: [4, 3, 2] })] },
  { name: 'Dense on a map (last axis)', input: [3, 2, 4], layers: (t) => [t.layers.dense({ units: 2, activation: 'relu', inputShape: [3, 2, 4] })] },
  { name: 'Activation and Dropout layers', input: [5], layers: (t) => [t.layers.dense({ units: 4, inputShape: [5] }), t.layers.dropout({ rate: 0.5 }), t.layers.activation({ activation: 'tanh' })] },
];

const size = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** Every weight drawn from a seeded stream, biases included, so none is the initialiser's zero. */
function seededModel(t: Tfjs, c: Case, seed: number): TF.Sequential {
  const model = t.sequential({ layers: c.layers(t) });
  const random = seededRandom(seed);
  for (const layer of model.layers) {
    const weights = layer.getWeights().map((w) => t.tensor(Float32Array.from({ length: w.size }, () => 2 * random() - 1), w.shape));
    if (weights.length > 0) layer.setWeights(weights);
    t.dispose(weights);
  }
  return model;
}

describe('each layer kind in onnxruntime', () => {
  const skip = noOnnxRuntime();
  it.skipIf(skip !== null)(`gives tfjs's predict to 1e-5 ${skip ? `(skipped: ${skip})` : ''}`, () => {
    const batch = 3;
    const prepared = cases.map((c, k) => {
      const model = seededModel(tf, c, 100 + k);
      const random = seededRandom(200 + k);
      const x = Float32Array.from({ length: batch * size(c.input) }, () => 2 * random() - 1);
      const predicted = tf.tidy(() => model.predict(tf.tensor(x, [batch, ...c.input])) as TF.Tensor);
      const [expected, outputShape] = [predicted.dataSync() as Float32Array, predicted.shape.slice(1)];
      predicted.dispose();
      const converted = layersModelToOnnx(model, { graphName: `case${k}`, docString: c.name, input: { name: 'x', docString: '' }, outputs: [{ name: 'y', docString: '' }] });
      const file = join(dir, `case${k}.onnx`);
      writeFileSync(file, encodeOnnxModel(converted.model));
      model.dispose();
      return { c, x, expected, outputShape, file };
    });
    const answers = runInOnnxRuntime(
      dir,
      prepared.map((p) => ({ model: p.file, feeds: { x: { values: p.x, shape: [batch, ...p.c.input] } } })),
    );
    const report = prepared.map((p, k) => {
      const output = answers[k]?.outputs[0];
      expect(output?.name, p.c.name).toBe('y');
      expect(output?.shape, p.c.name).toEqual(['batch', ...p.outputShape]);
      expect(output?.value.shape, p.c.name).toEqual([batch, ...p.outputShape]);
      expect(answers[k]?.inputs).toEqual([{ name: 'x', shape: ['batch', ...p.c.input] }]);
      return { name: p.c.name, deviation: deviation(output?.value.values ?? new Float32Array(0), p.expected) };
    });
    if (process.env.ONNX_REPORT) console.log(report.map((r) => `${r.name}: ${r.deviation.toExponential(2)}`).join("\n"));
    for (const r of report) expect(r.deviation, r.name).toBeLessThan(1e-5);
  });
});

describe('window sizes', () => {
  it("match tfjs's 'same' and 'valid' outputs", () => {
    expect(windowAxis(7, 3, 2, 1, 'same')).toEqual({ out: 4, before: 1, after: 1 });
    expect(windowAxis(8, 4, 2, 1, 'same')).toEqual({ out: 4, before: 1, after: 1 });
    expect(windowAxis(8, 3, 2, 1, 'same')).toEqual({ out: 4, before: 0, after: 1 });
    expect(windowAxis(6, 2, 1, 1, 'valid')).toEqual({ out: 5, before: 0, after: 0 });
    expect(windowAxis(9, 3, 1, 2, 'valid')).toEqual({ out: 5, before: 0, after: 0 });
  });

  it('pad a transposed convolution to the size tfjs gives, with output padding where the kernel is narrower than the stride', () => {
    expect(transposedAxis(4, 8, 3, 2, 'same')).toEqual({ before: 0, after: 1, extra: 0 });
    expect(transposedAxis(4, 8, 1, 2, 'same')).toEqual({ before: 0, after: 0, extra: 1 });
    expect(transposedAxis(4, 9, 3, 2, 'valid')).toEqual({ before: 0, after: 0, extra: 0 });
    expect(() => transposedAxis(4, 20, 3, 2, 'valid')).toThrow(/no ONNX padding/);
  });
});

describe('refusals', () => {
  it('names a layer kind it cannot export', () => {
    const model = tf.sequential({ layers: [tf.layers.dense({ units: 3, inputShape: [4] }), tf.layers.batchNormalization()] });
    expect(() => layersModelToOnnx(model, { graphName: 'g', docString: '', input: { name: 'x', docString: '' }, outputs: [{ name: 'y', docString: '' }] })).toThrow(/BatchNormalization layer has no ONNX lowering/);
    model.dispose();
  });

  it('refuses a model that is not a chain of layers', () => {
    const input = tf.input({ shape: [4] });
    const joined = tf.layers.add().apply([tf.layers.dense({ units: 3 }).apply(input), tf.layers.dense({ units: 3 }).apply(input)] as TF.SymbolicTensor[]) as TF.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: joined });
    expect(() => layersModelToOnnx(model, { graphName: 'g', docString: '', input: { name: 'x', docString: '' }, outputs: [{ name: 'y', docString: '' }] })).toThrow(/only chains of layers/);
    model.dispose();
  });

  it('names an activation it cannot export', () => {
    const model = tf.sequential({ layers: [tf.layers.dense({ units: 3, inputShape: [4], activation: 'softmax' })] });
    expect(() => layersModelToOnnx(model, { graphName: 'g', docString: '', input: { name: 'x', docString: '' }, outputs: [{ name: 'y', docString: '' }] })).toThrow(/softmax activation/);
    model.dispose();
  });
});
