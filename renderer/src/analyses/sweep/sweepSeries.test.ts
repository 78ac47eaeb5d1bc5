import { describe, expect, it } from 'vitest';
import { pcaSummary, sweepResults } from '../../testing/analysisFixtures.js';
import { pointLabel, sweepChart, sweepCsv, sweepRows } from './sweepSeries.js';

describe('sweep chart', () => {
  it('puts test MSE against the latent size, log-x over a span of 8× or more, with PCA-k on the same axes', () => {
    const results = sweepResults([{ field: 'latentDim', values: [2, 4, 32] }], [{ point: { latentDim: 32 }, mse: 0.01 }, { point: { latentDim: 2 }, mse: 0.05 }, { point: { latentDim: 4 }, mse: null }], pcaSummary(40));
    const chart = sweepChart(results);
    expect([chart.xField, chart.xTitle, chart.logX]).toEqual(['latentDim', 'latent size d (log scale)', true]);
    expect(chart.series[0]?.points).toEqual([{ x: 2, y: 0.05 }, { x: 32, y: 0.01 }]);
    // PCA at every k from the smallest to the largest swept size.
    const pca = chart.series[1];
    expect(pca?.baseline).toBe(true);
    expect(pca?.points.map((p) => p.x)).toEqual(Array.from({ length: 31 }, (_, i) => i + 2));
    expect(pca?.points[0]?.y).toBeCloseTo(0.1 / 3);
    expect([chart.memberPoints, chart.pcaPoints, chart.pending]).toEqual([2, 31, 1]);
  });

  it('draws one line per family when architecture is swept with the latent size; linear x under 8×', () => {
    const results = sweepResults(
      [{ field: 'architecture', values: ['dense', 'linear'] }, { field: 'latentDim', values: [2, 8] }],
      [{ point: { architecture: 'dense', latentDim: 2 }, mse: 0.06 }, { point: { architecture: 'dense', latentDim: 8 }, mse: 0.05 }, { point: { architecture: 'linear', latentDim: 2 }, mse: 0.04 }, { point: { architecture: 'linear', latentDim: 8 }, mse: 0.03 }],
    );
    const chart = sweepChart(results);
    expect(chart.logX).toBe(false);
    expect(chart.series.map((s) => [s.label, s.points.length])).toEqual([['dense', 2], ['linear', 2]]);
    // No PCA computed yet: no baseline line.
    expect(chart.pcaPoints).toBe(0);
  });

  it('places a swept field that is not a number at named positions', () => {
    const chart = sweepChart(sweepResults([{ field: 'objective', values: ['plain', 'denoising'] }], [{ point: { objective: 'denoising' }, mse: 0.02 }, { point: { objective: 'plain' }, mse: 0.03 }]));
    expect(chart.categories).toEqual(['plain', 'denoising']);
    expect(chart.series[0]?.points).toEqual([{ x: 0, y: 0.03 }, { x: 1, y: 0.02 }]);
  });

  it('labels members as the lecture does, and tabulates them with PCA at each one’s latent size', () => {
    expect(pointLabel({ latentDim: 8, 'objectiveParams.level': 0.3 }, ['latentDim', 'objectiveParams.level'])).toBe('d = 8, level 0.3');
    const results = sweepResults([{ field: 'latentDim', values: [2, 4] }], [{ point: { latentDim: 2 }, mse: 0.05 }, { point: { latentDim: 4 }, mse: null }], pcaSummary(4));
    expect(sweepRows(results).map((r) => [r.label, r.testMse, r.pca?.k])).toEqual([['d = 2', 0.05, 2], ['d = 4', null, 4]]);
    const csv = sweepCsv(results).trim().split('\n');
    expect(csv[0]).toBe('latentDim,run,status,test_mse,psnr,pca_k,pca_test_mse');
    expect(csv[1]).toMatch(/^2,sweep: r1,completed,0\.05,[0-9.]+,2,0\.0333/);
    expect(csv[2]).toBe('4,sweep: r2,completed,,,4,0.02');
  });

  it('gives a one-class sweep no PCA of every class: its members are tested on their normal classes only', () => {
    const results = sweepResults([{ field: 'normalClasses', values: [[0], [1]] }], [{ point: { normalClasses: [0] }, mse: 0.05 }, { point: { normalClasses: [1] }, mse: 0.04 }], pcaSummary(4));
    const oneClass = { ...results, members: results.members.map((m, i) => ({ ...m, run: { ...m.run, config: { ...m.run.config, normalClasses: [i] } } })) };
    expect(sweepRows(oneClass).map((r) => r.pca)).toEqual([null, null]);
  });
});
