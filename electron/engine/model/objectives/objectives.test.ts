import type * as TF from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { validateRunConfig } from '../../../../shared/catalogue/runConfig.js';
import { loadBackend, type Tfjs } from '../../backend.js';
import { createAutoencoder } from '../createAutoencoder.js';
import { corrupt } from './corruption.js';
import { jacobianPenalty } from './jacobian.js';
import { gaussianKl } from './gaussianPosterior.js';
import { klSparsity } from './klSparsity.js';

let tf: Tfjs;
beforeAll(async () => {
  tf = (await loadBackend()).tf;
});

const traits = { shape: [4, 4, 1] as const, kind: 'image' as const, unitRange: true };

/** ‖J‖²_F by central differences of the encoder, in double precision around float32 evaluations. */
function finiteDifferenceJacobianNorm(encode: (x: Float32Array) => Float32Array, x: Float32Array, epsilon: number): number {
  let total = 0;
  for (let i = 0; i < x.length; i += 1) {
    const plus = Float32Array.from(x);
    const minus = Float32Array.from(x);
    plus[i] = (plus[i] ?? 0) + epsilon;
    minus[i] = (minus[i] ?? 0) - epsilon;
    const up = encode(plus);
    const down = encode(minus);
    for (let j = 0; j < up.length; j += 1) total += (((up[j] ?? 0) - (down[j] ?? 0)) / (2 * epsilon)) ** 2;
  }
  return total;
}

describe('contractive penalty', () => {
  const cases = [
    ['autodiff through a deep encoder', { architecture: 'dense', architectureParams: { hiddenWidths: [12, 8], activation: 'tanh', codeActivation: 'tanh' } }],
    ['closed form for one sigmoid layer', { architecture: 'dense', architectureParams: { hiddenWidths: [], codeActivation: 'sigmoid' } }],
    ['the linear map', { architecture: 'linear', architectureParams: {}, reconstructionLoss: 'mse' }],
  ] as const;
  for (const [name, overrides] of cases) {
    it(`equals a finite-difference Jacobian's Frobenius norm: ${name}`, () => {
      const validated = validateRunConfig({ datasetId: 'd', objective: 'contractive', latentDim: 5, seed: 9, ...overrides }, traits);
      if (!validated.ok) throw new Error(validated.errors.join('; '));
      const { model } = createAutoencoder(tf, validated.config, traits);
      const x = Float32Array.from({ length: 16 }, (_, i) => 0.5 + 0.4 * Math.sin(i * 1.7));
      const encode = (input: Float32Array) => tf.tidy(() => (model.encoder.predict(tf.tensor2d(input, [1, 16])) as TF.Tensor).dataSync() as Float32Array);
      const expected = finiteDifferenceJacobianNorm(encode, x, 1e-2);
      const penalty = tf.tidy(() => jacobianPenalty(tf, model, tf.tensor2d(x, [1, 16])).dataSync()[0] ?? NaN);
      expect(Math.abs(penalty - expected) / expected).toBeLessThan(1e-3);
    });
  }
});

describe('KL terms', () => {
  it('the Gaussian KL equals a Monte-Carlo estimate of E_q[log q(z) − log p(z)]', async () => {
    const mean = tf.tensor2d([[0.3, -1.2, 0.8]]);
    const logVariance = tf.tensor2d([[-0.5, 0.4, -1.5]]);
    const closed = (await gaussianKl(tf, mean, logVariance).data())[0] ?? NaN;
    const samples = 200_000;
    const estimate = tf.tidy(() => {
      const std = tf.exp(tf.mul(0.5, logVariance));
      const eps = tf.randomNormal([samples, 3], 0, 1, 'float32', 4);
      const z = tf.add(mean, tf.mul(std, eps));
      // log q(z) − log p(z) per dimension, summed: −½ε² − log σ + ½z².
      const logRatio = tf.sum(tf.add(tf.sub(tf.mul(-0.5, tf.square(eps)), tf.log(std)), tf.mul(0.5, tf.square(z))), 1);
      return tf.mean(logRatio).dataSync()[0] ?? NaN;
    });
    expect(Math.abs(estimate - closed)).toBeLessThan(0.02 * closed + 0.01);
    tf.dispose([mean, logVariance]);
  });

  it('the sparsity KL is zero at the target and grows away from it', async () => {
    const atTarget = (await klSparsity(tf, tf.fill([10, 4], 0.05), 0.05).data())[0];
    const away = (await klSparsity(tf, tf.fill([10, 4], 0.3), 0.05).data())[0] ?? 0;
    expect(atTarget).toBeCloseTo(0, 5);
    // Four units, each KL(0.05 ‖ 0.3) = 0.05·ln(0.05/0.3) + 0.95·ln(0.95/0.7).
    expect(away).toBeCloseTo(4 * (0.05 * Math.log(0.05 / 0.3) + 0.95 * Math.log(0.95 / 0.7)), 4);
  });
});

describe('corruption processes have the stated statistics', () => {
  const x = () => tf.fill([400, 250], 0.5);
  it('Gaussian noise: mean x, standard deviation σ', () => {
    const noisy = corrupt(tf, x(), 'gaussian', 0.2, 1);
    const moments = tf.moments(noisy);
    expect(moments.mean.dataSync()[0]).toBeCloseTo(0.5, 2);
    expect(Math.sqrt(moments.variance.dataSync()[0] ?? 0)).toBeCloseTo(0.2, 2);
  });
  it('masking drops the stated fraction to 0 and leaves the rest', () => {
    const masked = corrupt(tf, x(), 'masking', 0.3, 2).dataSync();
    const zeros = masked.filter((v) => v === 0).length / masked.length;
    expect(zeros).toBeCloseTo(0.3, 2);
    expect(masked.every((v) => v === 0 || v === 0.5)).toBe(true);
  });
  it('salt-and-pepper hits the stated fraction, half salt and half pepper', () => {
    const hit = corrupt(tf, x(), 'salt-and-pepper', 0.2, 3).dataSync();
    const salt = hit.filter((v) => v === 1).length / hit.length;
    const pepper = hit.filter((v) => v === 0).length / hit.length;
    expect(salt).toBeCloseTo(0.1, 2);
    expect(pepper).toBeCloseTo(0.1, 2);
  });
});
