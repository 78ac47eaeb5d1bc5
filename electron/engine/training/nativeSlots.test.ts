import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type * as TF from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadBackend, type Tfjs } from '../backend.js';
import { FlatAdam } from './flatAdam.js';

const require = createRequire(import.meta.url);
const native = existsSync(join(dirname(require.resolve('@tensorflow/tfjs-node/package.json')), 'lib', 'napi-v8', 'tfjs_binding.node'));

let tf: Tfjs;
beforeAll(async () => {
  if (native) tf = (await loadBackend('tensorflow')).tf;
});

function problem() {
  const w = tf.variable(tf.tensor2d([0.5, -0.2, 0.1, 0.3, -0.4, 0.2], [3, 2]));
  const b = tf.variable(tf.tensor1d([0.05, -0.05]));
  const x = tf.tensor2d([1, 2, 3, -1, 0.5, 2, 0, 1, -2, 1.5, -0.5, 0.25], [4, 3]);
  const y = tf.tensor2d([1, 0, 0, 1, 1, 1, 0, 0], [4, 2]);
  const loss = () => tf.losses.meanSquaredError(y, tf.sigmoid(tf.add(tf.matMul(x, w), b))) as TF.Scalar;
  return { w, b, variables: [w, b], loss, dispose: () => tf.dispose([w, b, x, y]) };
}

// TensorFlow's fused Adam kernel exists only in the native backend, which CI provisions.
describe.skipIf(!native)('FlatAdam on the native backend (TensorFlow resource variables)', () => {
  it('starts from weights loaded into the model after it was made, as a restored checkpoint does', async () => {
    const a = problem();
    const optimizer = new FlatAdam(tf, a.variables, { learningRate: 0.1 });
    optimizer.minimize(a.loss);
    a.w.assign(tf.zeros([3, 2]));
    optimizer.minimize(a.loss);
    // One Adam step moves each weight by about the learning rate from where it was set.
    const w = await a.w.data();
    w.forEach((v) => expect(Math.abs(v)).toBeLessThan(0.11));
    optimizer.dispose();
    a.dispose();
  });

  it('resumes from its saved state to the very same next steps', async () => {
    const first = problem();
    const optimizer = new FlatAdam(tf, first.variables, { learningRate: 0.05 });
    for (let step = 0; step < 5; step += 1) optimizer.minimize(first.loss);
    const state = await optimizer.state();
    const second = problem();
    second.w.assign(first.w);
    second.b.assign(first.b);
    const resumed = new FlatAdam(tf, second.variables, { learningRate: 0.05 });
    resumed.restore(state);
    for (let step = 0; step < 5; step += 1) {
      optimizer.minimize(first.loss);
      resumed.minimize(second.loss);
    }
    expect(Array.from(await second.w.data())).toEqual(Array.from(await first.w.data()));
    expect(Array.from(await second.b.data())).toEqual(Array.from(await first.b.data()));
    optimizer.dispose();
    resumed.dispose();
    first.dispose();
    second.dispose();
  });

  it('holds no tensors beyond its own from step to step, and frees them all when disposed', () => {
    const a = problem();
    const before = tf.memory().numTensors;
    const optimizer = new FlatAdam(tf, a.variables, { learningRate: 0.01 });
    optimizer.minimize(a.loss);
    const live = tf.memory().numTensors;
    for (let step = 0; step < 20; step += 1) optimizer.minimize(a.loss);
    expect(tf.memory().numTensors).toBe(live);
    optimizer.dispose();
    expect(tf.memory().numTensors).toBe(before);
    a.dispose();
  });
});
