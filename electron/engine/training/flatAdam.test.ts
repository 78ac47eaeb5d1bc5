import type * as TF from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadBackend, type Tfjs } from '../backend.js';
import { buildAutoencoder } from '../bench/benchModels.js';
import { FlatAdam } from './flatAdam.js';

let tf: Tfjs;
beforeAll(async () => {
  tf = (await loadBackend()).tf;
});

function problem(seed: number) {
  const w = tf.variable(tf.randomNormal([6, 3], 0, 1, 'float32', seed));
  const b = tf.variable(tf.randomNormal([3], 0, 1, 'float32', seed + 1));
  const x = tf.randomNormal([10, 6], 0, 1, 'float32', seed + 2);
  const y = tf.randomNormal([10, 3], 0, 1, 'float32', seed + 3);
  const loss = () => tf.losses.meanSquaredError(y, tf.relu(tf.add(tf.matMul(x, w), b))) as TF.Scalar;
  return { variables: [w, b], loss, dispose: () => tf.dispose([w, b, x, y]) };
}

describe('FlatAdam', () => {
  it('takes the same steps as tf.train.adam', async () => {
    const reference = problem(3);
    const flat = problem(3);
    const adam = tf.train.adam(0.01);
    const fused = new FlatAdam(tf, flat.variables, { learningRate: 0.01 });
    for (let step = 0; step < 20; step += 1) {
      tf.tidy(() => void adam.minimize(reference.loss, false, reference.variables));
      fused.minimize(flat.loss);
    }
    for (let i = 0; i < 2; i += 1) {
      const a = await (reference.variables[i] as TF.Variable).data();
      const b = await (flat.variables[i] as TF.Variable).data();
      a.forEach((v, k) => expect(b[k]).toBeCloseTo(v, 5));
    }
    adam.dispose();
    fused.dispose();
    reference.dispose();
    flat.dispose();
  });

  it('lowers the loss of an autoencoder and leaks no tensors from step to step', async () => {
    const model = buildAutoencoder(tf, 'dense');
    const x = tf.randomUniform([32, 784], 0, 1, 'float32', 5);
    const loss = () => tf.losses.meanSquaredError(x, model.decoder.apply(model.encoder.apply(x)) as TF.Tensor) as TF.Scalar;
    const variables = [...model.encoder.trainableWeights, ...model.decoder.trainableWeights].map((w) => w.read() as TF.Variable);
    const optimizer = new FlatAdam(tf, variables, { learningRate: 1e-3 });
    const first = optimizer.minimize(loss, true) as TF.Scalar;
    const start = (await first.data())[0] ?? 0;
    first.dispose();
    const live = tf.memory().numTensors;
    for (let step = 0; step < 30; step += 1) optimizer.minimize(loss);
    expect(tf.memory().numTensors).toBe(live);
    const last = optimizer.minimize(loss, true) as TF.Scalar;
    expect((await last.data())[0]).toBeLessThan(start * 0.9);
    last.dispose();
    optimizer.dispose();
    x.dispose();
    model.encoder.dispose();
    model.decoder.dispose();
  });
});
