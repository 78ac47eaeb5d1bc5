import { describe, expect, it } from 'vitest';
import type { TestMetrics } from '../../shared/domain/run.js';
import { evaluationText } from './train.js';

const metrics: TestMetrics = {
  mse: 0.01234,
  psnr: 19.09,
  bce: 0.2345,
  loss: { total: 50.5, reconstruction: 48.25, kl: 2.25 },
  perClassMse: [0.011, null, 0.013],
  elbo: -50.5,
  klPerUnit: [1.5, 0.75],
  activeUnits: 2,
  meanActivation: 0.3125,
  nearZeroShare: 0.125,
  meanJacobianNorm: 6.5,
  testSamples: 150,
  diagnostics: {
    codeActivations: {
      testImages: 150, units: 2, histogram: { low: 0, high: 1, counts: [3, 0, 1, 2] }, histogramRange: 'code bounds',
      nearZeroCutoff: 0.01, nearZeroFraction: 0.01, nearZeroRelativeTo: 'code bound', nearZeroShare: 0.25, meanPerUnit: [0.04, 0.6], target: 0.05, klToTargetPerUnit: [0.0015, 0.5],
    },
    jacobianNorms: { testImages: 100, splitImages: 150, sampleCap: 2000, codeUnits: 1024, meanNorm: 2.5, meanSquaredNorm: 6.5, quantiles: [{ q: 0.05, value: 1.25 }, { q: 0.5, value: 2.375 }], histogram: { low: 0, high: 3, counts: [1, 2, 3] } },
    posterior: {
      testImages: 150, klPerUnit: [1.5, 0.75], meanVariancePerUnit: [0.875, 0.0625], activeVarianceThreshold: 0.01, activeUnits: 2, collapseKlThreshold: 0.01, collapsed: false,
      shuffledCodeDifference: 0.0425, pixelVariance: 0.0575, ignoresCodeFraction: 0.01, ignoresCode: false,
    },
    copyCheck: { noiseImages: 150, noiseSeed: 42, noiseLow: 0, noiseHigh: 1, codeSize: 1024, inputSize: 784, testMse: 0.01234, noiseMse: 0.0148, ratio: 1.2, ratioThreshold: 2, copies: true },
  },
};

describe('aelab eval, as text', () => {
  it('shows every figure the JSON has, each with what it was computed on', () => {
    const text = evaluationText('r1', metrics);
    for (const expected of [
      'run r1: test MSE 0.01234, PSNR 19.09 dB, BCE 0.2345 (over 150 test samples)',
      'test loss per sample: total 50.5, reconstruction 48.25, kl 2.25',
      'per-class MSE: 0.0110, —, 0.0130',
      'ELBO -50.50 nats per sample',
      'KL per latent unit: 1.5, 0.75',
      'active units: 2',
      'mean |code activation| 0.3125',
      'code values with |h| < 0.01: 12.5 %',
      'mean ‖∂f/∂x‖²_F 6.5 (over 100 test images)',
      'Code activations over 150 test images × 2 units',
      'histogram over [0, 1], 4 bins: |█ ▃▆| (code bounds)',
      'counts: 3 0 1 2',
      'near zero: 25.0 % of values have |h| < 0.01 (1 % of the code bound)',
      'mean per unit: 0.04, 0.6',
      'target ρ 0.05; KL(ρ ‖ ρ̂ⱼ) per unit: 0.0015, 0.5',
      'Jacobian norm ‖∂f/∂x‖_F over 100 of the 150 test images',
      '1024 code units; at most 2000 images',
      'mean ‖J‖_F 2.5, mean ‖J‖²_F 6.5',
      'quantiles: 5 % 1.25, 50 % 2.375',
      'Posterior q(z|x) over 150 test images',
      'Var over images of μ per unit: 0.875, 0.0625',
      'active units (Var of μ > 0.01): 2 of 2',
      "posterior collapse (every unit's KL < 0.01 nats): no",
      'changes the output by 0.0425 per pixel, against a pixel variance of 0.0575',
      'decoder ignores z (change < 1 % of the pixel variance): no',
      'Copy check: 150 uniform-noise images (seed 42) against the test split',
      'noise U(0, 1); code of 1024 values for 784 inputs',
      'test MSE 0.01234, noise MSE 0.0148, ratio 1.2',
      'copying (ratio < 2): yes',
      'warning: This code may be copying its input',
    ]) {
      expect(text).toContain(expected);
    }
  });

  it('reads an evaluation written before the diagnostics', () => {
    const { diagnostics: _none, ...older } = metrics;
    const text = evaluationText('r0', { ...older, elbo: null, klPerUnit: null, activeUnits: null });
    expect(text).not.toContain('diagnostics:');
    expect(text.split('\n')[0]).toBe('run r0: test MSE 0.01234, PSNR 19.09 dB, BCE 0.2345 (over 150 test samples)');
  });
});
