import { describe, expect, it } from 'vitest';
import { pcaSummary } from '../../testing/analysisFixtures.js';
import { componentTicks, componentsExplaining, describePca, explainedSeries, pcaCurveCsv, testMseSeries } from './pcaCurves.js';

describe('PCA curves', () => {
  it('draws explained variance in percent and the error curve from k = 1, clamped to the components kept', () => {
    const summary = pcaSummary();
    expect(explainedSeries(summary).points).toEqual([{ x: 1, y: 50 }, { x: 2, y: 75 }, { x: 3, y: 87.5 }, { x: 4, y: 93.75 }]);
    expect(testMseSeries(summary).points.map((p) => p.x)).toEqual([1, 2, 3, 4]);
    expect(testMseSeries(summary, 2, 32).points).toEqual([{ x: 2, y: 0.1 / 3 }, { x: 3, y: 0.025 }, { x: 4, y: 0.02 }]);
    expect(testMseSeries(summary).baseline).toBe(true);
  });

  it('names the k that explains a share, the method, and writes k = 0 to the CSV', () => {
    const summary = pcaSummary();
    expect(componentsExplaining(summary, 0.8)).toBe(3);
    expect(componentsExplaining(summary, 0.99)).toBeNull();
    expect(describePca(summary)).toBe('Exact PCA of 8,000 training samples × 1,024 values, 4 components kept, in 1.23 s; test MSE per value on the test split (1,000 samples).');
    const lines = pcaCurveCsv(summary).trim().split('\n');
    expect(lines[0]).toBe('k,eigenvalue,explained_variance_ratio,test_mse');
    expect(lines[1]).toBe('0,,0,0.1');
    expect(lines[2]).toBe('1,4,0.5,0.05');
    expect(lines).toHaveLength(6);
  });

  it('ticks a k axis at powers of two and at the components kept', () => {
    expect(componentTicks(256)).toEqual([1, 2, 4, 8, 16, 32, 64, 128, 256]);
    expect(componentTicks(50)).toEqual([1, 2, 4, 8, 16, 32, 50]);
  });
});
