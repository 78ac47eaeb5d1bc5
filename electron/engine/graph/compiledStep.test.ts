import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type * as TF from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ParamValues } from '../../../shared/catalogue/params.js';
import type { ObjectiveId } from '../../../shared/catalogue/objectives.js';
import { loadBackend, type Tfjs } from '../backend.js';
import { reconstructionLoss } from '../model/reconstruction.js';
import { objectiveModules } from '../model/objectives/objectives.js';
import type { Autoencoder, ObjectiveContext } from '../model/types.js';
import { FlatAdam } from '../training/flatAdam.js';
import { CompiledStep, renamedFunction } from './compiledStep.js';
import { FunctionBuilder } from './functionDef.js';

const require = createRequire(import.meta.url);
const native = existsSync(join(dirname(require.resolve('@tensorflow/tfjs-node/package.json')), 'lib', 'napi-v8', 'tfjs_binding.node'));

let tf: Tfjs;
beforeAll(async () => {
  if (native) tf = (await loadBackend('tensorflow')).tf;
});

const latentDim = 3;

interface TestModel {
  model: Autoencoder;
  variables: TF.Variable[];
}

/** The model with seeded weights, so that every run of the test checks the same numbers. */
function withVariables(model: Autoencoder): TestModel {
  const variables = [model.encoder, model.decoder].flatMap((m) => m.trainableWeights.map((w) => w.read() as TF.Variable));
  variables.forEach((v, i) => v.assign(tf.tidy(() => tf.randomUniform(v.shape, -0.6, 0.6, 'float32', 17 + i))));
  return { model, variables };
}

/** A dense autoencoder with every activation the compiler knows, and a layer without bias. */
function denseAutoencoder(codeUnits: number, codeActivation: 'linear' | 'relu' | 'sigmoid'): TestModel {
  const encoder = tf.sequential({
    layers: [
      tf.layers.dense({ inputShape: [12], units: 9, activation: 'relu', useBias: false }),
      tf.layers.dense({ units: 6, activation: 'elu' }),
      tf.layers.dense({ units: codeUnits, activation: codeActivation }),
    ],
  });
  const decoder = tf.sequential({
    layers: [tf.layers.dense({ inputShape: [latentDim], units: 7, activation: 'tanh' }), tf.layers.dense({ units: 12, activation: 'sigmoid' })],
  });
  return withVariables({ encoder, decoder, inputShape: [12], latentShape: [latentDim] });
}

/** A convolutional autoencoder with every spatial layer the lab's conv architecture builds. */
function convAutoencoder(codeUnits: number): TestModel {
  const encoder = tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [8, 8, 1], filters: 4, kernelSize: 3, padding: 'same', activation: 'relu' }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.conv2d({ filters: 6, kernelSize: 3, strides: 2, padding: 'same', activation: 'tanh' }),
      tf.layers.conv2d({ filters: codeUnits, kernelSize: [2, 2], padding: 'valid' }),
      tf.layers.flatten(),
    ],
  });
  const decoder = tf.sequential({
    layers: [
      tf.layers.reshape({ inputShape: [latentDim], targetShape: [1, 1, latentDim] }),
      tf.layers.conv2dTranspose({ filters: 6, kernelSize: [2, 2], padding: 'valid', activation: 'elu' }),
      tf.layers.conv2dTranspose({ filters: 4, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }),
      tf.layers.upSampling2d({ size: [2, 2] }),
      tf.layers.conv2d({ filters: 1, kernelSize: 3, padding: 'same', activation: 'sigmoid' }),
    ],
  });
  return withVariables({ encoder, decoder, inputShape: [8, 8, 1], latentShape: [latentDim] });
}

async function flat(variables: TF.Variable[]): Promise<Float32Array> {
  const parts = await Promise.all(variables.map((v) => v.data()));
  return Float32Array.from(parts.flatMap((p) => Array.from(p)));
}

/** A batch's seeds, the same sequence however many times it is asked for. */
const seedsFor = (step: number) => {
  let drawn = 0;
  return () => step * 1000 + (drawn += 1);
};

interface Case {
  name: string;
  objective: ObjectiveId;
  params: ParamValues;
  loss: 'mse' | 'bce';
  build: (codeUnits: number) => TestModel;
}

const cases: Case[] = [
  { name: 'dense, plain, mse', objective: 'plain', params: {}, loss: 'mse', build: (u) => denseAutoencoder(u, 'linear') },
  { name: 'dense, plain, bce', objective: 'plain', params: {}, loss: 'bce', build: (u) => denseAutoencoder(u, 'linear') },
  { name: 'conv, plain, mse', objective: 'plain', params: {}, loss: 'mse', build: convAutoencoder },
  { name: 'conv, denoising (Gaussian), bce', objective: 'denoising', params: { corruption: 'gaussian', level: 0.3 }, loss: 'bce', build: convAutoencoder },
  { name: 'dense, denoising (masking), mse', objective: 'denoising', params: { corruption: 'masking', level: 0.3 }, loss: 'mse', build: (u) => denseAutoencoder(u, 'linear') },
  // A ReLU code has exact zeros, where |x|'s gradient convention matters.
  { name: 'dense, sparse L1 on a ReLU code, bce', objective: 'sparse', params: { penalty: 'l1', weight: 0.05, target: 0.05 }, loss: 'bce', build: (u) => denseAutoencoder(u, 'relu') },
  { name: 'dense, sparse KL on a sigmoid code, mse', objective: 'sparse', params: { penalty: 'kl', weight: 0.5, target: 0.05 }, loss: 'mse', build: (u) => denseAutoencoder(u, 'sigmoid') },
  { name: 'dense, variational, bce', objective: 'variational', params: { beta: 1 }, loss: 'bce', build: (u) => denseAutoencoder(u, 'linear') },
  { name: 'conv, variational (β = 4), mse', objective: 'variational', params: { beta: 4 }, loss: 'mse', build: convAutoencoder },
];

// Compiled steps exist only on the native backend (with the binding's addFunctionDef), which CI provisions.
describe.skipIf(!native)('a training step compiled into one TensorFlow function', () => {
  for (const c of cases) {
    it(`computes the eager objective's loss parts and gradient, and takes the same Adam steps (${c.name}; 5 steps of 5 to 16 samples)`, async () => {
      const objective = objectiveModules[c.objective];
      const codeUnits = objective.codeUnits(latentDim);
      const [eager, graph] = [c.build(codeUnits), c.build(codeUnits)];
      graph.variables.forEach((v, i) => v.assign(eager.variables[i] as TF.Tensor));
      const initial = await flat(graph.variables);
      const eagerAdam = new FlatAdam(tf, eager.variables, { learningRate: 0.01 });
      const graphAdam = new FlatAdam(tf, graph.variables, { learningRate: 0.01 });
      const code = objective.compiled?.codeTerm(c.params, latentDim);
      expect(code).toBeDefined();
      const compiled = code && CompiledStep.create(tf, [graph.model.encoder, graph.model.decoder], graph.variables, { loss: c.loss, code }, graphAdam, { returnGradient: true });
      expect(compiled).toBeTruthy();
      const reconstruction = reconstructionLoss(tf, c.loss);
      const context = (model: Autoencoder, x: TF.Tensor, step: number): ObjectiveContext => ({ tf, model, x, target: x, params: c.params, latentDim, training: true, reconstruction, nextSeed: seedsFor(step) });

      // An epoch's last batch is usually smaller: the function takes any batch size.
      for (const [step, batch] of [[1, 16], [2, 16], [3, 5], [4, 16], [5, 7]] as const) {
        const x = tf.randomUniform([batch, ...eager.model.inputShape], 0, 1, 'float32', step);
        const before = tf.memory().numTensors;
        const eagerParts = (partsOf: ReturnType<typeof objective.loss>): TF.Tensor => tf.stack([partsOf.total, partsOf.reconstruction, ...Object.values(partsOf.components)]);
        // The gradient itself, not only the Adam steps (which would hide a gradient off by a constant factor).
        const autodiff = tf.tidy(() => {
          const { grads } = tf.variableGrads(() => objective.loss(context(eager.model, x, step)).total, eager.variables);
          return tf.concat(eager.variables.map((v) => tf.reshape(grads[v.name] as TF.Tensor, [-1])));
        });
        let expectedParts: TF.Tensor | undefined;
        eagerAdam.minimize(() => {
          const parts = objective.loss(context(eager.model, x, step));
          expectedParts = tf.keep(eagerParts(parts));
          return parts.total;
        });
        const { input, noise } = tf.tidy(() => objective.compiled?.inputs(context(graph.model, x, step)) ?? { input: x });
        const result = compiled ? compiled.run(input, x, noise) : { parts: [] };
        const actualParts = tf.stack(result.parts);
        const [actualValues, expectedValues] = [await actualParts.data(), (await expectedParts?.data()) ?? new Float32Array(0)];
        expect(actualValues.length).toBe(expectedValues.length);
        // Float32 sums in another order: equal to about 1 part in 10⁵.
        actualValues.forEach((v, i) => expect(Math.abs(v - (expectedValues[i] ?? NaN))).toBeLessThanOrEqual(2e-5 * Math.abs(expectedValues[i] ?? 0) + 1e-8));
        const [expectedGradient, actualGradient] = [await autodiff.data(), await result.gradient?.data()];
        expect(actualGradient?.length).toBe(expectedGradient.length);
        expectedGradient.forEach((g, i) => expect(Math.abs((actualGradient?.[i] ?? NaN) - g)).toBeLessThanOrEqual(1e-4 * Math.abs(g) + 5e-6));
        tf.dispose([...result.parts, actualParts, expectedParts as TF.Tensor, autodiff, ...(result.gradient ? [result.gradient] : []), ...(input === x ? [] : [input]), ...(noise ? [noise] : [])]);
        expect(tf.memory().numTensors).toBe(before);
        x.dispose();
      }
      compiled?.publish();
      const [expected, actual] = [await flat(eager.variables), await flat(graph.variables)];
      // The weights moved, and moved alike.
      expect(Math.max(...actual.map((v, i) => Math.abs(v - (initial[i] ?? 0))))).toBeGreaterThan(0.01);
      actual.forEach((v, i) => expect(v).toBeCloseTo(expected[i] ?? NaN, 4));
      eagerAdam.dispose();
      graphAdam.dispose();
    });
  }

  it('leaves the model variables alone until published, then takes weights set from outside as the new start', async () => {
    const { model, variables } = denseAutoencoder(latentDim, 'linear');
    const adam = new FlatAdam(tf, variables, { learningRate: 0.1 });
    const compiled = CompiledStep.create(tf, [model.encoder, model.decoder], variables, { loss: 'mse', code: { kind: 'none' } }, adam);
    const step = (x: TF.Tensor) => tf.dispose(compiled?.run(x, x).parts ?? []);
    const start = await flat(variables);
    const x = tf.randomUniform([8, 12], 0, 1, 'float32', 7);
    step(x);
    expect(await flat(variables)).toEqual(start);
    compiled?.publish();
    expect(await flat(variables)).not.toEqual(start);
    // A checkpoint restored into the model: the next step starts from it, not from the flat copy.
    variables.forEach((v) => v.assign(tf.zerosLike(v)));
    step(x);
    compiled?.publish();
    (await flat(variables)).forEach((v) => expect(Math.abs(v)).toBeLessThan(0.11));
    x.dispose();
    adam.dispose();
  });

  it('declines models with layers it does not know, and variables no layer owns', () => {
    const decoder = tf.sequential({ layers: [tf.layers.dense({ inputShape: [4], units: 4 })] });
    const unknown = [
      tf.sequential({ layers: [tf.layers.dense({ inputShape: [4], units: 4, activation: 'softmax' })] }),
      tf.sequential({ layers: [tf.layers.conv2d({ inputShape: [8, 8, 1], filters: 2, kernelSize: 3, dilationRate: 2 })] }),
      tf.sequential({ layers: [tf.layers.dense({ inputShape: [4], units: 4 }), tf.layers.batchNormalization()] }),
    ];
    for (const encoder of unknown) {
      const variables = [encoder, decoder].flatMap((m) => m.trainableWeights.map((w) => w.read() as TF.Variable));
      const adam = new FlatAdam(tf, variables, { learningRate: 0.1 });
      expect(CompiledStep.create(tf, [encoder, decoder], variables, { loss: 'mse', code: { kind: 'none' } }, adam)).toBeNull();
      adam.dispose();
    }
    // Variables the layers do not own would never be updated by the step.
    const { model, variables } = denseAutoencoder(latentDim, 'linear');
    const stray = tf.variable(tf.zeros([2]));
    const strayAdam = new FlatAdam(tf, [...variables, stray], { learningRate: 0.1 });
    expect(CompiledStep.create(tf, [model.encoder, model.decoder], [...variables, stray], { loss: 'mse', code: { kind: 'none' } }, strayAdam)).toBeNull();
    strayAdam.dispose();
    stray.dispose();
  });
});

describe('a step function renamed after its content is hashed', () => {
  const built = (name: string): Uint8Array => {
    const g = new FunctionBuilder(name);
    const x = g.input('x', 'float');
    g.output('y', g.op('Neg', [x]));
    return g.serialize();
  };

  it('is byte for byte the definition built under the new name', () => {
    const [from, to] = [`aelab_step_${'0'.repeat(24)}`, `aelab_step_${'ab12'.repeat(6)}`];
    expect(Buffer.from(renamedFunction(built(from), from, to))).toEqual(Buffer.from(built(to)));
  });

  it('refuses a name of another length, or one the definition does not hold', () => {
    expect(() => renamedFunction(built('step_a'), 'step_a', 'step_ab')).toThrow("a function named 'step_a' cannot be renamed 'step_ab': the names differ in length");
    expect(() => renamedFunction(built('step_a'), 'step_b', 'step_c')).toThrow("the function definition holds the name 'step_b' nowhere");
  });
});
