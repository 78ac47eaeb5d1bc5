import { describe, expect, it } from 'vitest';
import type { ProbeResult } from '../../../../shared/analyses/probe/probeSpec.js';
import { fixtureProbe, fixtureRunId } from './probeFixture.js';
import { curveSeries, curveTicks, winnerMarks, xOf } from './probeSeries.js';

const seriesOf = (result: ProbeResult, id: string, spread: Parameters<typeof curveSeries>[1] = 'std') => curveSeries(result, spread).find((s) => s.lineId === id);

describe('the learning-curve series', () => {
  it("places each count at its real labels per class on the log axis, 'all' at the labelled count over the classes", () => {
    const frozen = seriesOf(fixtureProbe(), `${fixtureRunId}:frozen`);
    // Five classes: 8,000 labels in all are 1,600 a class.
    expect(frozen?.points.map((p) => p.x)).toEqual([1, 5, 10, 1600]);
    expect(frozen?.points.map((p) => p.labelsPerClass)).toEqual([1, 5, 10, 'all']);
    expect(xOf({ labelsPerClass: 1000, labelledCount: 5 * 640 }, 5)).toBe(640);
    expect(xOf({ labelsPerClass: 'all', labelledCount: 0 }, 5)).toBe(1);
  });

  it('draws the mean with a band of ± one deviation, clipped to 0–1, or from the worst to the best draw', () => {
    const frozen = fixtureProbe().lines[0];
    if (frozen?.points[0]) frozen.points[0].stdAccuracy = 0.6;
    const result = fixtureProbe();
    result.lines[0] = frozen ?? result.lines[0]!;
    const std = seriesOf(result, `${fixtureRunId}:frozen`, 'std')?.points[1];
    expect(std?.y).toBeCloseTo(0.75, 10);
    expect(std?.low).toBeCloseTo(0.75 - Math.sqrt(0.005), 10);
    expect(std?.high).toBeCloseTo(0.75 + Math.sqrt(0.005), 10);
    const clipped = seriesOf(result, `${fixtureRunId}:frozen`, 'std')?.points[0];
    expect([clipped?.low, clipped?.high]).toEqual([0, 1]);
    const range = seriesOf(result, `${fixtureRunId}:frozen`, 'range')?.points[1];
    expect([range?.low, range?.high]).toEqual([0.7, 0.8]);
    const none = seriesOf(result, `${fixtureRunId}:frozen`, 'none')?.points[1];
    expect([none?.low, none?.high]).toEqual([0.75, 0.75]);
  });

  it('leaves diverged draws out of the band and of a point whose mean is missing, and drops a point where every draw diverged', () => {
    const result = fixtureProbe();
    const frozen = result.lines[0]!;
    const point = frozen.points[1]!;
    const [first, second] = point.draws;
    frozen.points[1] = { ...point, meanAccuracy: NaN, draws: [first!, { ...second!, accuracy: 0, failure: 'The loss became NaN' }] };
    frozen.points[2] = { ...frozen.points[2]!, meanAccuracy: NaN, draws: frozen.points[2]!.draws.map((d) => ({ ...d, accuracy: 0, failure: 'The loss became NaN' })) };
    const series = seriesOf(result, `${fixtureRunId}:frozen`, 'range');
    const shown = series?.points.find((p) => p.labelsPerClass === point.labelsPerClass);
    expect(shown?.y).toBeCloseTo(first!.accuracy, 10);
    expect([shown?.low, shown?.high]).toEqual([first!.accuracy, first!.accuracy]);
    expect(series?.points.map((p) => p.labelsPerClass)).not.toContain(frozen.points[2]!.labelsPerClass);
  });

  it('leaves out points that were not measured and tells baselines from runs', () => {
    const result = fixtureProbe();
    const pixels = result.lines.find((l) => l.id === 'pixels');
    if (pixels?.points[2]) pixels.points[2] = { ...pixels.points[2], draws: [], meanAccuracy: NaN };
    const series = seriesOf(result, 'pixels');
    expect(series?.points.map((p) => p.labelsPerClass)).toEqual([1, 5, 'all']);
    expect(series?.baseline).toBe(true);
    expect(seriesOf(result, `${fixtureRunId}:frozen`)?.baseline).toBe(false);
    // The runs' lines take the series colours in turn; baselines a neutral one.
    expect(curveSeries(result, 'std').map((s) => s.colorIndex)).toEqual([0, 1, 2, 3, -1, -1]);
  });

  it('labels the ticks as asked, merging counts that land on the same place', () => {
    expect(curveTicks(fixtureProbe())).toEqual([
      { value: 1, label: '1' },
      { value: 5, label: '5' },
      { value: 10, label: '10' },
      { value: 1600, label: 'all' },
    ]);
    const capped = fixtureProbe();
    for (const line of capped.lines) line.points.splice(3, 0, { ...line.points[3]!, labelsPerClass: 1000, labelledCount: 7800 });
    expect(curveTicks(capped).map((t) => t.label)).toEqual(['1', '5', '10', '1,000, all']);
  });

  it('marks the best line at every count, with its margin over the second', () => {
    const marks = winnerMarks(fixtureProbe());
    expect(marks.map((m) => [m.labelsPerClass, m.lineLabel])).toEqual([
      [1, 'dense AE — frozen'],
      [5, 'dense AE — fine-tuned'],
      [10, 'dense AE — fine-tuned'],
      ['all', 'dense AE — fine-tuned'],
    ]);
    expect(marks[0]?.x).toBe(1);
    expect(marks[0]?.y).toBeCloseTo(0.55, 10);
    // At 1 label per class: frozen 0.55 against fine-tuned 0.5.
    expect(marks[0]?.margin).toBeCloseTo(0.05, 10);
    expect(marks[3]?.x).toBe(1600);
    expect(marks[3]?.colorIndex).toBe(1);
  });
});
