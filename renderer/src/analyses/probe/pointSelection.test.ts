import { describe, expect, it } from 'vitest';
import { fixtureProbe, fixtureRunId } from './probeFixture.js';
import { classRows, confusionOfChoice, pointOf, shownAccuracy, validChoice } from './pointSelection.js';

describe('the point whose confusion is shown', () => {
  it('sums the confusions of every draw of the point, or shows one draw', () => {
    const result = fixtureProbe();
    const found = pointOf(result, { lineId: `${fixtureRunId}:frozen`, count: '5' });
    expect(found?.point.draws).toHaveLength(2);
    const sum = confusionOfChoice(found!.point, 'sum');
    expect(sum.flat().reduce((a, b) => a + b, 0)).toBe(2 * result.testCount);
    expect(shownAccuracy(sum)).toBeCloseTo(0.75, 10);
    const second = confusionOfChoice(found!.point, 1);
    expect(second).toEqual(found!.point.draws[1]?.confusion);
    expect(shownAccuracy(second)).toBeCloseTo(0.8, 10);
  });

  it('keeps a choice that still names a point, falls back to the sum for a draw it lacks, and starts at the winner with fewest labels', () => {
    const result = fixtureProbe();
    expect(validChoice(result, { lineId: 'pca-8', count: '10', draw: 1 })).toEqual({ lineId: 'pca-8', count: '10', draw: 1 });
    // 'all' is one draw: draw 1 is not there.
    expect(validChoice(result, { lineId: 'pca-8', count: 'all', draw: 1 })).toEqual({ lineId: 'pca-8', count: 'all', draw: 'sum' });
    expect(validChoice(result, { lineId: 'gone', count: '5', draw: 'sum' })).toEqual({ lineId: `${fixtureRunId}:frozen`, count: '1', draw: 'sum' });
    expect(validChoice(result, null)).toEqual({ lineId: `${fixtureRunId}:frozen`, count: '1', draw: 'sum' });
    expect(validChoice({ ...result, lines: [] }, null)).toBeNull();
  });

  it('lists each class by name with its accuracy and what it is mistaken for most', () => {
    const rows = classRows(['a', 'b', 'c'], [
      [8, 2, 0],
      [1, 6, 3],
      [0, 0, 0],
    ]);
    expect(rows.map((r) => [r.name, r.tested, r.correct, r.accuracy])).toEqual([
      ['a', 10, 8, 0.8],
      ['b', 10, 6, 0.6],
      ['c', 0, 0, NaN],
    ]);
    expect(rows[1]?.confusedWith).toEqual({ name: 'c', count: 3 });
    expect(rows[2]?.confusedWith).toBeNull();
  });
});
