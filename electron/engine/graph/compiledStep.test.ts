import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type * as TF from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadBackend, type Tfjs } from '../backend.js';
import { reconstructionLoss } from '../model/createAutoencoder.js';
import { FlatAdam } from '../training/flatAdam.js';
import { CompiledStep } from './compiledStep.js';

const require = createRequire(import.meta.url);
const native = existsSync(join(dirname(require.resolve('@tensorflow/tfjs-node/package.json')), 'lib', 'napi-v8', 'tfjs_binding.node'));

let tf: Tfjs;
beforeAll(async () => {
  if (native) tf = (await loadBackend('tensorflow')).tf;
});

interface TestModel {
  models: TF.Sequential[];
  variables: TF.Variable[];
  /** One sample's shape. */
  shape: number[];
}

/** A dense autoencoder with every activation the compiler knows, and a layer without bias. */
function denseAutoencoder(): TestModel {
  const encoder = tf.sequential({
    layers: [
      tf.layers.dense({ inputShape: [12], units: 9, activation: 'relu' }),
      tf.layers.dense({ units: 6, activation: 'elu' }),
      tf.layers.dense({ units: 3, activation: 'linear', useBias: false }),
    ],
  });
  const decoder = tf.sequential({
    layers: [tf.layers.dense({ inputShape: [3], units: 7, activation: 'tanh' }), tf.layers.dense({ units: 12, activation: 'sigmoid' })],
  });
  const models = [encoder, decoder];
  return { models, variables: models.flatMap((m) => m.trainableWeights.map((w) => w.read() as TF.Variable)), shape: [12] };
}

/** A convolutional autoencoder with every spatial layer the lab's conv architecture builds. */
function convAutoencoder(): TestModel {
  const encoder = tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [8, 8, 1], filters: 4, kernelSize: 3, padding: 'same', activation: 'relu' }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.conv2d({ filters: 6, kernelSize: 3, strides: 2, padding: 'same', activation: 'tanh' }),
      tf.layers.conv2d({ filters: 3, kernelSize: [2, 2], padding: 'valid' }),
      tf.layers.flatten(),
    ],
  });
  const decoder = tf.sequential({
    layers: [
      tf.layers.reshape({ inputShape: [3], targetShape: [1, 1, 3] }),
      tf.layers.conv2dTranspose({ filters: 6, kernelSize: [2, 2], padding: 'valid', activation: 'elu' }),
      tf.layers.conv2dTranspose({ filters: 4, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }),
      tf.layers.upSampling2d({ size: [2, 2] }),
      tf.layers.conv2d({ filters: 1, kernelSize: 3, padding: 'same', activation: 'sigmoid' }),
    ],
  });
  const models = [encoder, decoder];
  return { models, variables: models.flatMap((m) => m.trainableWeights.map((w) => w.read() as TF.Variable)), shape: [8, 8, 1] };
}

function copyWeights(from: TF.Variable[], to: TF.Variable[]): void {
  to.forEach((v, i) => v.assign(from[i] as TF.Tensor));
}

async function flat(variables: TF.Variable[]): Promise<Float32Array> {
  const parts = await Promise.all(variables.map((v) => v.data()));
  return Float32Array.from(parts.flatMap((p) => Array.from(p)));
}

// Compiled steps exist only on the native backend (with the binding's addFunctionDef), which CI provisions.
describe.skipIf(!native)('a training step compiled into one TensorFlow function', () => {
  const cases = [
    ['dense', denseAutoencoder, 'mse'],
    ['dense', denseAutoencoder, 'bce'],
    ['conv', convAutoencoder, 'mse'],
    ['conv', convAutoencoder, 'bce'],
  ] as const;
  for (const [kind, build, loss] of cases) {
    it(`computes the eager loss and gradient, and takes the same Adam steps (${kind}, ${loss}, corrupted input, 6 steps)`, async () => {
      const eager = build();
      const graph = build();
      copyWeights(eager.variables, graph.variables);
      const initial = await flat(graph.variables);
      const eagerAdam = new FlatAdam(tf, eager.variables, { learningRate: 0.01 });
      const graphAdam = new FlatAdam(tf, graph.variables, { learningRate: 0.01 });
      const compiled = CompiledStep.create(tf, graph.models, graph.variables, loss, graphAdam, { returnGradient: true });
      expect(compiled).not.toBeNull();
      const reconstruction = reconstructionLoss(tf, loss);
      const [encoder, decoder] = eager.models as [TF.Sequential, TF.Sequential];
      for (let step = 0; step < 6; step += 1) {
        const target = tf.randomUniform([16, ...eager.shape], 0, 1, 'float32', step + 1);
        const input = tf.tidy(() => tf.mul(target, tf.randomUniform([16, ...eager.shape], 0.5, 1.5, 'float32', step + 100)));
        const before = tf.memory().numTensors;
        const lossOf = () => reconstruction(decoder.apply(encoder.apply(input)) as TF.Tensor, target);
        // The gradient itself, not only the Adam steps (which would hide a gradient off by a constant factor).
        const autodiff = tf.tidy(() => {
          const { grads } = tf.variableGrads(lossOf, eager.variables);
          return tf.concat(eager.variables.map((v) => tf.reshape(grads[v.name] as TF.Tensor, [-1])));
        });
        const eagerLoss = eagerAdam.minimize(lossOf, true);
        const [graphLoss, graphGradient] = compiled?.runWithGradient(input, target) ?? [];
        expect((await graphLoss?.data())?.[0]).toBeCloseTo((await eagerLoss?.data())?.[0] ?? NaN, 4);
        const [expectedGradient, actualGradient] = [await autodiff.data(), await graphGradient?.data()];
        expect(actualGradient?.length).toBe(expectedGradient.length);
        expectedGradient.forEach((g, i) => expect(actualGradient?.[i]).toBeCloseTo(g, 5));
        tf.dispose([eagerLoss as TF.Scalar, graphLoss as TF.Scalar, graphGradient as TF.Tensor, autodiff]);
        expect(tf.memory().numTensors).toBe(before);
        tf.dispose([input, target]);
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
    const model = denseAutoencoder();
    const adam = new FlatAdam(tf, model.variables, { learningRate: 0.1 });
    const compiled = CompiledStep.create(tf, model.models, model.variables, 'mse', adam);
    const start = await flat(model.variables);
    const x = tf.randomUniform([8, 12], 0, 1, 'float32', 7);
    compiled?.run(x, x).dispose();
    expect(await flat(model.variables)).toEqual(start);
    compiled?.publish();
    const stepped = await flat(model.variables);
    expect(stepped).not.toEqual(start);
    // A checkpoint restored into the model: the next step starts from it, not from the flat copy.
    model.variables.forEach((v) => v.assign(tf.zerosLike(v)));
    compiled?.run(x, x).dispose();
    compiled?.publish();
    (await flat(model.variables)).forEach((v) => expect(Math.abs(v)).toBeLessThan(0.11));
    tf.dispose([x]);
    adam.dispose();
  });

  it('declines models it cannot compile, and optimizers that are not the native flat Adam', () => {
    const unknown = [
      tf.sequential({ layers: [tf.layers.dense({ inputShape: [4], units: 4, activation: 'softmax' })] }),
      tf.sequential({ layers: [tf.layers.conv2d({ inputShape: [8, 8, 1], filters: 2, kernelSize: 3, dilationRate: 2 })] }),
      tf.sequential({ layers: [tf.layers.dense({ inputShape: [4], units: 4 }), tf.layers.batchNormalization()] }),
    ];
    for (const model of unknown) {
      const variables = model.trainableWeights.map((w) => w.read() as TF.Variable);
      const adam = new FlatAdam(tf, variables, { learningRate: 0.1 });
      expect(CompiledStep.create(tf, [model], variables, 'mse', adam)).toBeNull();
      adam.dispose();
    }
    const dense = denseAutoencoder();
    // Variables the layers do not own would never be updated by the step.
    const stray = tf.variable(tf.zeros([2]));
    const withStray = [...dense.variables, stray];
    const strayAdam = new FlatAdam(tf, withStray, { learningRate: 0.1 });
    expect(CompiledStep.create(tf, dense.models, withStray, 'mse', strayAdam)).toBeNull();
    strayAdam.dispose();
    stray.dispose();
  });
});
