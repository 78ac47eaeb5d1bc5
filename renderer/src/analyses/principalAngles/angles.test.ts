import { describe, expect, it } from 'vitest';
import { angleBars, errorComparison, latestByRun } from './angles.js';

const result = (runId: string, gap: number | null) => ({
  runId, datasetId: 'shapes', latentDim: 4, anglesDegrees: [1, 2.5, 45, 90], encoderAnglesDegrees: [3, 4, 5, 6],
  runTestMse: gap === null ? null : 0.02 + gap, pcaTestMse: 0.02, errorGap: gap, checkpoint: 'best' as const,
});

describe('principal angles', () => {
  it('draws each angle on a 0–90° scale', () => {
    expect(angleBars([0, 45, 90]).map((b) => [b.index, b.share])).toEqual([[1, 0], [2, 0.5], [3, 1]]);
  });

  it('states the comparison of errors as the lecture does', () => {
    expect(errorComparison(result('r', 0.0004))).toBe('test MSE: this run 0.02040 / PCA-4 0.02000 / gap +0.00040');
    expect(errorComparison(result('r', null))).toBe('test MSE: this run not evaluated / PCA-4 0.02000 / gap —');
  });

  it('keeps each run’s latest result', () => {
    const latest = latestByRun([{ jobId: '20260102000000-bbbbbb', result: result('r1', 0.2) }, { jobId: '20260101000000-aaaaaa', result: result('r1', 0.1) }]);
    expect(latest.get('r1')?.jobId).toBe('20260102000000-bbbbbb');
  });
});
