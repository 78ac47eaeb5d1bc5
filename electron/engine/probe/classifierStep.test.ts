import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type * as TF from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadBackend, type Tfjs } from '../backend.js';
import { ClassifierStep, type ClassifierStack } from './classifierStep.js';
import { buildHead } from './headModel.js';
import { meanCrossEntropy, oneHotOf } from './softmaxLoss.js';

const require = createRequire(import.meta.url);
const native = existsSync(join(dirname(require.resolve('@tensorflow/tfjs-node/package.json')), 'lib', 'napi-v8', 'tfjs_binding.node'));

let tf: Tfjs;
beforeAll(async () => {
  tf = (await loadBackend(native ? 'tensorflow' : undefined)).tf;
});

const classes = 4;

interface Case {
  name: string;
  inputShape: number[];
  /** The encoder, or null for a head on features; `meanUnits` for a VAE's. */
  encoder: (() => TF.Sequential) | null;
  meanUnits: number | null;
  head: 'softmax' | 'mlp';
}

const denseEncoder = (units: number) => () =>
  tf.sequential({ layers: [tf.layers.dense({ inputShape: [10], units: 8, activation: 'relu' }), tf.layers.dense({ units: 7, activation: 'tanh' }), tf.layers.dense({ units })] });
const convEncoder = () =>
  tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [8, 8, 1], filters: 4, kernelSize: 3, padding: 'same', activation: 'relu' }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.conv2d({ filters: 5, kernelSize: 3, strides: 2, padding: 'same', activation: 'elu' }),
      tf.layers.conv2d({ filters: 6, kernelSize: [2, 2], padding: 'valid' }),
      tf.layers.flatten(),
    ],
  });

const cases: Case[] = [
  { name: 'softmax regression on features', inputShape: [10], encoder: null, meanUnits: null, head: 'softmax' },
  { name: 'MLP head on features', inputShape: [10], encoder: null, meanUnits: null, head: 'mlp' },
  { name: 'dense encoder + softmax head', inputShape: [10], encoder: denseEncoder(5), meanUnits: null, head: 'softmax' },
  { name: "VAE-style encoder (μ of 3 from 6 outputs) + MLP head", inputShape: [10], encoder: denseEncoder(6), meanUnits: 3, head: 'mlp' },
  { name: 'conv VAE-style encoder (μ of 3 from 6 filters) + softmax head', inputShape: [8, 8, 1], encoder: convEncoder, meanUnits: 3, head: 'softmax' },
  { name: 'conv encoder + MLP head', inputShape: [8, 8, 1], encoder: convEncoder, meanUnits: null, head: 'mlp' },
];

/** The stack of a case, its weights seeded so each run of the test checks the same numbers. */
function stackOf(c: Case, learningRateFactor = 0.3): ClassifierStack {
  const encoder = c.encoder ? c.encoder() : null;
  encoder?.trainableWeights.forEach((w, i) => (w.read() as TF.Variable).assign(tf.tidy(() => tf.randomUniform(w.read().shape, -0.5, 0.5, 'float32', 31 + i))));
  const features = encoder ? (c.meanUnits !== null ? [c.meanUnits] : [encoder.outputShape[1] as number]) : c.inputShape;
  return { encoder: encoder ? { model: encoder, meanUnits: c.meanUnits, learningRateFactor } : null, head: buildHead(tf, features, classes, { kind: c.head, hiddenUnits: 6 }, 5) };
}

function disposeStack(stack: ClassifierStack): void {
  stack.encoder?.model.dispose();
  stack.head.dispose();
}

function batch(c: Case, size: number, seed: number): { x: TF.Tensor; y: TF.Tensor } {
  const x = tf.randomNormal([size, ...c.inputShape], 0, 1, 'float32', seed);
  const labels = Int32Array.from({ length: size }, (_, i) => (i * 7 + seed) % classes);
  return { x, y: oneHotOf(tf, labels, classes) };
}

async function flat(variables: TF.Variable[]): Promise<Float32Array> {
  const parts = await Promise.all(variables.map((v) => v.data()));
  return Float32Array.from(parts.flatMap((p) => Array.from(p)));
}

const environment = process.env.AELAB_COMPILED_STEPS;
afterEach(() => {
  if (environment === undefined) delete process.env.AELAB_COMPILED_STEPS;
  else process.env.AELAB_COMPILED_STEPS = environment;
});

// Compiled steps exist only on the native backend (with the binding's addFunctionDef), which CI provisions.
describe.skipIf(!native)("a classifier's training step compiled into one TensorFlow function", () => {
  for (const c of cases) {
    it(`gives the loss and the gradient of tfjs autodiff on the same cross-entropy (${c.name}; 3 steps of 16, 5 and 9 samples)`, async () => {
      const stack = stackOf(c);
      const step = new ClassifierStep(tf, stack, 0.01, { returnGradient: true });
      expect(step.compiled).toBe(true);
      expect(step.fallbackReason).toBeNull();
      for (const [i, size] of [16, 5, 9].entries()) {
        const { x, y } = batch(c, size, i + 1);
        const before = tf.memory().numTensors;
        step.publish();
        const autodiff = tf.tidy(() => {
          const { value, grads } = tf.variableGrads(() => meanCrossEntropy(tf, step.logits(x), y), step.variables);
          return [value, tf.concat(step.variables.map((v) => tf.reshape(grads[v.name] as TF.Tensor, [-1])))];
        });
        const { loss, gradient } = step.run(x, y);
        const [expectedLoss, expectedGradient] = await Promise.all(autodiff.map((t) => t.data()));
        expect(Math.abs((await loss.data())[0] as number - (expectedLoss?.[0] ?? NaN))).toBeLessThan(1e-5);
        const actual = (await gradient?.data()) ?? new Float32Array(0);
        expect(actual.length).toBe(expectedGradient?.length);
        // A gradient that is all zeros would agree with nothing: it must carry signal.
        expect(Math.max(...Array.from(actual, Math.abs))).toBeGreaterThan(1e-3);
        expectedGradient?.forEach((g, k) => expect(Math.abs((actual[k] ?? NaN) - g)).toBeLessThanOrEqual(1e-4 * Math.abs(g) + 2e-6));
        tf.dispose([...autodiff, loss, ...(gradient ? [gradient] : [])]);
        expect(tf.memory().numTensors).toBe(before);
        tf.dispose([x, y]);
      }
      step.dispose();
      disposeStack(stack);
    });
  }

  it("moves the encoder's variables by the learning-rate factor times their move at factor 1, the head's alike", async () => {
    const c = cases[4] as Case;
    const moves: Float32Array[] = [];
    const { x, y } = batch(c, 12, 3);
    for (const factor of [1, 0.1]) {
      const stack = stackOf(c, factor);
      const step = new ClassifierStep(tf, stack, 0.01);
      expect(step.compiled).toBe(true);
      const start = await flat(step.variables);
      tf.dispose(step.run(x, y).loss);
      step.publish();
      moves.push((await flat(step.variables)).map((v, i) => v - (start[i] ?? NaN)));
      const encoderSize = stack.encoder?.model.countParams() ?? 0;
      expect(encoderSize).toBeGreaterThan(0);
      step.dispose();
      disposeStack(stack);
      if (moves.length === 2) {
        const [full, slow] = moves as [Float32Array, Float32Array];
        // Adam's first step is about ±learning rate wherever the gradient is not zero.
        expect(Math.max(...Array.from(full.subarray(0, encoderSize), Math.abs))).toBeGreaterThan(0.005);
        full.forEach((move, i) => expect(slow[i]).toBeCloseTo(i < encoderSize ? 0.1 * move : move, 6));
      }
    }
    tf.dispose([x, y]);
  });

  it('takes the same steps as the eager fallback, which says why it runs', async () => {
    const c = cases[3] as Case;
    const [compiledStack, eagerStack] = [stackOf(c), stackOf(c)];
    eagerStack.head.setWeights(compiledStack.head.getWeights());
    const compiled = new ClassifierStep(tf, compiledStack, 0.01);
    const eager = new ClassifierStep(tf, eagerStack, 0.01, { compiled: false });
    expect(compiled.compiled).toBe(true);
    expect(eager.compiled).toBe(false);
    expect(eager.fallbackReason).toBe('compiled steps were turned off for this training');
    expect(await flat(eager.variables)).toEqual(await flat(compiled.variables));
    for (let i = 0; i < 6; i += 1) {
      const { x, y } = batch(c, 8, 10 + i);
      const [a, b] = [compiled.run(x, y).loss, eager.run(x, y).loss];
      expect(Math.abs((await a.data())[0] as number - ((await b.data())[0] as number))).toBeLessThan(1e-4);
      tf.dispose([a, b, x, y]);
    }
    compiled.publish();
    const [w1, w2] = [await flat(compiled.variables), await flat(eager.variables)];
    w1.forEach((w, i) => expect(Math.abs(w - (w2[i] ?? NaN))).toBeLessThan(1e-4));
    [compiled, eager].forEach((s) => s.dispose());
    [compiledStack, eagerStack].forEach(disposeStack);
  });

  it('falls back with the reason where compiled steps are turned off or a layer has no compiled form', () => {
    process.env.AELAB_COMPILED_STEPS = '0';
    const stack = stackOf(cases[2] as Case);
    const off = new ClassifierStep(tf, stack, 0.01);
    expect(off.compiled).toBe(false);
    expect(off.fallbackReason).toBe('compiled steps are turned off (AELAB_COMPILED_STEPS=0)');
    off.dispose();
    delete process.env.AELAB_COMPILED_STEPS;
    const normalised = tf.sequential({ layers: [tf.layers.dense({ inputShape: [10], units: 5 }), tf.layers.batchNormalization()] });
    const unknown = new ClassifierStep(tf, { encoder: { model: normalised, meanUnits: null, learningRateFactor: 0.1 }, head: stack.head }, 0.01);
    expect(unknown.compiled).toBe(false);
    expect(unknown.fallbackReason).toMatch(/^its BatchNormalization layer '.+' has no compiled form$/);
    unknown.dispose();
    normalised.dispose();
    disposeStack(stack);
  });
});
