import { describe, expect, it } from 'vitest';
import { diagnosticWarnings } from '../../../../shared/catalogue/diagnostics.js';
import type { Diagnostics } from '../../../../shared/domain/run.js';
import { diagnosticSections, histogramChart } from './diagnosticSections.js';

const diagnostics: Diagnostics = {
  codeActivations: {
    testImages: 150, units: 2, histogram: { low: 0, high: 1, counts: [3, 0, 1, 2] }, histogramRange: 'code bounds',
    nearZeroCutoff: 0.01, nearZeroFraction: 0.01, nearZeroRelativeTo: 'code bound', nearZeroShare: 0.25, meanPerUnit: [0.04, 0.6], target: 0.05, klToTargetPerUnit: [0.001, 0.5],
  },
  jacobianNorms: { testImages: 100, splitImages: 150, sampleCap: 2000, codeUnits: 1024, meanNorm: 2, meanSquaredNorm: 5, quantiles: [{ q: 0.05, value: 1 }, { q: 0.5, value: 2 }, { q: 0.95, value: 3 }], histogram: { low: 0, high: 3, counts: [1, 2, 3] } },
  posterior: {
    testImages: 150, klPerUnit: [0.001, 0.002], meanVariancePerUnit: [0, 0], activeVarianceThreshold: 0.01, activeUnits: 0, collapseKlThreshold: 0.01, collapsed: true,
    shuffledCodeDifference: 0.0001, pixelVariance: 0.05, ignoresCodeFraction: 0.01, ignoresCode: true,
  },
  copyCheck: { noiseImages: 150, noiseSeed: 42, noiseLow: 0, noiseHigh: 1, codeSize: 1024, inputSize: 784, testMse: 0.01, noiseMse: 0.012, ratio: 1.2, ratioThreshold: 2, copies: true },
};

describe('the run page’s diagnostics', () => {
  it('shows each diagnostic there is, saying what it was computed on', () => {
    const sections = diagnosticSections(diagnostics);
    expect(sections.map((s) => s.id)).toEqual(['codeActivations', 'jacobianNorms', 'posterior', 'copyCheck']);
    expect(sections.map((s) => s.caption)).toEqual([
      'Code activations over 150 test images × 2 units',
      'Jacobian norm ‖∂f/∂x‖_F over 100 of the 150 test images',
      'Posterior q(z|x) over 150 test images',
      'Copy check: 150 uniform-noise images (seed 42) against the test split',
    ]);
    expect(sections[0]?.figures).toContainEqual(['Near zero (|h| < 0.01, 1 % of the code bound)', '25.0 %']);
    expect(sections[2]?.figures).toContainEqual(['Active units (Var of μ over images > 0.01)', '0 of 2']);
    expect(diagnosticSections(undefined)).toEqual([]);
    expect(diagnosticSections({ copyCheck: diagnostics.copyCheck })).toHaveLength(1);
  });

  it('ticks histogram bars at their bins’ lower edges and names their ranges', () => {
    expect(histogramChart({ low: 0, high: 1, counts: [3, 0, 1, 2] }, 'h')).toEqual({
      ticks: ['0', '0.25', '0.5', '0.75'],
      labels: ['0 – 0.25', '0.25 – 0.5', '0.5 – 0.75', '0.75 – 1'],
      values: [3, 0, 1, 2],
      xTitle: 'h',
      yTitle: 'count',
      histogram: true,
    });
  });

  it('says what went wrong in plain words, with the thresholds', () => {
    const warnings = diagnosticWarnings(diagnostics);
    expect(warnings).toHaveLength(3);
    expect(warnings[0]).toBe("Posterior collapse: every latent unit's KL is below 0.01 nats, so the codes carry almost nothing about the images.");
    expect(warnings[1]).toMatch(/^The decoder ignores its code: .* 0\.20 % of the pixel variance \(warning below 1\.0 %\)\.$/);
    expect(warnings[2]).toMatch(/uniform noise is reconstructed with only 1\.20× the test error \(warning below 2×\)/);
    expect(diagnosticWarnings({ codeActivations: diagnostics.codeActivations })).toEqual([]);
  });
});
