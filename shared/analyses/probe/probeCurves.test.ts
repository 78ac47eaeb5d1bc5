import { describe, expect, it } from 'vitest';
import { accuracyOf, confusionOf, meanAndStd, perClassAccuracy, winners } from './probeCurves.js';
import type { ProbeLine } from './probeSpec.js';

const line = (id: string, means: [number | 'all', number][]): ProbeLine => ({
  id,
  kind: 'frozen',
  label: id,
  runId: null,
  features: 2,
  compiledStep: null,
  fallbackReason: null,
  exportable: false,
  points: means.map(([labelsPerClass, meanAccuracy]) => ({ labelsPerClass, labelledCount: 0, draws: [], meanAccuracy, stdAccuracy: 0 })),
});

describe('probe curves', () => {
  it('counts a confusion matrix and reads accuracy and per-class accuracy from it', () => {
    const confusion = confusionOf([0, 0, 1, 1, 2], [0, 1, 1, 1, 0], 3);
    expect(confusion).toEqual([
      [1, 1, 0],
      [0, 2, 0],
      [1, 0, 0],
    ]);
    expect(accuracyOf(confusion)).toBeCloseTo(3 / 5);
    expect(perClassAccuracy(confusion)).toEqual([0.5, 1, 0]);
    expect(perClassAccuracy([[0, 0], [1, 1]])[0]).toBeNaN();
  });

  it('gives the sample standard deviation', () => {
    expect(meanAndStd([1, 2, 3])).toEqual({ mean: 2, std: 1 });
    expect(meanAndStd([0.5])).toEqual({ mean: 0.5, std: 0 });
  });

  it('marks the best line at each count with its margin', () => {
    const w = winners([line('a', [[1, 0.4], [10, 0.7]]), line('b', [[1, 0.5], [10, 0.6], ['all', 0.9]])]);
    expect(w.get('1')).toEqual({ lineId: 'b', margin: expect.closeTo(0.1, 9) });
    expect(w.get('10')?.lineId).toBe('a');
    expect(w.get('all')).toEqual({ lineId: 'b', margin: 0 });
  });
});
