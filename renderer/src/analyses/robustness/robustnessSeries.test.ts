import { describe, expect, it } from 'vitest';
import { parseLevels, robustnessCsv, robustnessSeries } from './robustnessSeries.js';

const result = {
  datasetId: 'shapes',
  corruption: 'gaussian' as const,
  levels: [0, 0.2, 0.4],
  samples: 500,
  lines: [
    { runId: 'r1', name: 'plain', latentDim: 8, mse: [0.01, 0.03, 0.08] },
    { runId: 'r2', name: 'denoising', latentDim: 8, mse: [0.012, 0.02, 0.04] },
  ],
  pca: [{ k: 8, mse: [0.02, 0.05, 0.1] }],
};

describe('robustness', () => {
  it('draws one line per run and a dashed one per PCA k', () => {
    const series = robustnessSeries(result);
    expect(series.map((s) => [s.label, s.dashed ?? false])).toEqual([['plain (d = 8)', false], ['denoising (d = 8)', false], ['PCA, k = 8', true]]);
    expect(series[1]?.points).toEqual([{ x: 0, y: 0.012 }, { x: 0.2, y: 0.02 }, { x: 0.4, y: 0.04 }]);
    expect(robustnessCsv(result).split('\n')[1]).toBe('0,0.01,0.012,0.02');
  });

  it('reads levels as typed, and says what is wrong with them', () => {
    expect(parseLevels('0.3, 0, 0.1 0.1')).toEqual({ levels: [0, 0.1, 0.3] });
    expect(parseLevels('0, 1.5')).toEqual({ error: "'1.5' is not a level between 0 and 1" });
    expect(parseLevels('0.2')).toEqual({ error: 'list 2 to 16 different levels (1 given)' });
  });
});
