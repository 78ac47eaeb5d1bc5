import { beforeAll, describe, expect, it } from 'vitest';
import { loadBackend, type Tfjs } from '../../backend.js';
import { contextFor, denseStack, vectorData } from './knownModels.js';
import { encoderMultiplyAdds, jacobianNorms, jacobianSampleSize, summariseJacobianNorms } from './jacobianNorms.js';

let tf: Tfjs;
beforeAll(async () => {
  tf = (await loadBackend()).tf;
});

describe('Jacobian norms', () => {
  it('a ReLU encoder with known weights: ‖W₁ D W₂‖_F for the units each input switches on', async () => {
    // f(x) = W₂ᵀ relu(W₁ᵀ x): J = W₂ᵀ D W₁ᵀ, D the units that fire.
    const w1 = [[1, 0], [0, 1], [1, 1]];
    const w2 = [[2, 0], [1, 3]];
    const encoder = denseStack(tf, 3, [{ kernel: w1, activation: 'relu' }, { kernel: w2 }]);
    const model = { encoder, decoder: denseStack(tf, 2, [{ kernel: [[1, 0, 0], [0, 1, 0]] }]), inputShape: [3], latentShape: [2] };
    // [1, 1, 1] fires both hidden units: W₁W₂ = [[2, 0], [1, 3], [3, 3]], ‖·‖² = 32.
    // [−2, 1, 0] fires only the second: [[0, 0], [1, 3], [1, 3]], ‖·‖² = 20.
    const data = vectorData([[1, 1, 1], [-2, 1, 0]]);
    const context = contextFor(tf, model, { datasetId: 'd', architecture: 'dense', objective: 'denoising', latentDim: 2 }, data, { codeSize: 2 });
    expect(jacobianNorms.applies(context)).toBe(true);
    const result = await jacobianNorms.compute(context);
    expect(result).toMatchObject({ testImages: 2, splitImages: 2, codeUnits: 2, sampleCap: 2000 });
    expect(result.meanSquaredNorm).toBeCloseTo((32 + 20) / 2, 4);
    expect(result.meanNorm).toBeCloseTo((Math.sqrt(32) + Math.sqrt(20)) / 2, 4);
    expect(result.histogram.low).toBeCloseTo(Math.sqrt(20), 4);
    expect(result.histogram.high).toBeCloseTo(Math.sqrt(32), 4);
  });

  it('the linear map: ‖W‖_F for every sample', async () => {
    const kernel = [[1, 2], [3, 4]];
    const encoder = denseStack(tf, 2, [{ kernel }]);
    const linearKernel = encoder.layers[0]?.trainableWeights[0];
    if (!linearKernel) throw new Error('no kernel');
    const model = { encoder, decoder: denseStack(tf, 2, [{ kernel }]), inputShape: [2], latentShape: [2], linearKernel };
    const context = contextFor(tf, model, { datasetId: 'd', architecture: 'linear', objective: 'plain', latentDim: 2 }, vectorData([[0, 1], [5, -3], [2, 2]]), { codeSize: 2 });
    const result = await jacobianNorms.compute(context);
    expect(result.meanSquaredNorm).toBeCloseTo(30, 4);
    result.quantiles.forEach(({ value }) => expect(value).toBeCloseTo(Math.sqrt(30), 4));
  });

  it('summarises norms: mean, mean square, quantiles, a histogram over the range seen', () => {
    const summary = summariseJacobianNorms([1, 4, 9, 16, 25], 8);
    expect(summary).toMatchObject({ testImages: 5, codeUnits: 8, meanNorm: 3, meanSquaredNorm: 11 });
    expect(summary.quantiles.map((q) => q.value)).toEqual([1.2, 2, 3, 4, 4.8].map((v) => expect.closeTo(v, 12)));
    expect(summary.histogram.low).toBe(1);
    expect(summary.histogram.high).toBe(5);
    expect(summary.histogram.counts.reduce((a, b) => a + b, 0)).toBe(5);
  });

  it('takes up to 2,000 test images, fewer where each costs more, never under 50', () => {
    // The default dense encoder, 784-256-32: 784·256 + 256·32 multiply–adds per row, 32 rows per image.
    const encoder = tf.sequential({ layers: [tf.layers.dense({ inputShape: [784], units: 256, activation: 'relu' }), tf.layers.dense({ units: 32 })] });
    expect(encoderMultiplyAdds(encoder)).toBe(784 * 256 + 256 * 32);
    // A 3×3 convolution to 4 channels on 8×8 with stride 2: 4·4 positions of 3·3·1·4.
    const conv = tf.sequential({ layers: [tf.layers.conv2d({ inputShape: [8, 8, 1], filters: 4, kernelSize: 3, strides: 2, padding: 'same' }), tf.layers.flatten()] });
    expect(encoderMultiplyAdds(conv)).toBe(16 * 36);
    expect(jacobianSampleSize(10_000, 32 * encoderMultiplyAdds(encoder))).toBe(2000);
    expect(jacobianSampleSize(10_000, 1.6e8)).toBe(100);
    expect(jacobianSampleSize(10_000, 1e10)).toBe(50);
    expect(jacobianSampleSize(150, 1)).toBe(150);
  });

  it('does not apply to a VAE', () => {
    const model = { encoder: denseStack(tf, 2, [{ kernel: [[1, 0, 0, 0], [0, 1, 0, 0]] }]), decoder: denseStack(tf, 2, [{ kernel: [[1, 0], [0, 1]] }]), inputShape: [2], latentShape: [2] };
    expect(jacobianNorms.applies(contextFor(tf, model, { datasetId: 'd', architecture: 'dense', objective: 'variational', latentDim: 2 }, vectorData([[0, 0]])))).toBe(false);
  });
});
