import { describe, expect, it } from 'vitest';
import type { EpochMetricsData } from '../../../../shared/domain/run.js';
import { lossSeries } from './lossSeries.js';

const epoch = (n: number, total: number): EpochMetricsData => ({ epoch: n, train: { total, reconstruction: total }, validation: { total: total + 1, reconstruction: total + 1 }, seconds: 1, samplesPerSecond: 1 });

describe('loss series', () => {
  it('draws the running loss alone during the first epoch', () => {
    const series = lossSeries([], [{ epoch: 0.25, loss: 0.9 }, { epoch: 0.5, loss: 0.6 }]);
    expect(series).toHaveLength(1);
    expect(series[0]).toMatchObject({ points: [{ x: 0.25, y: 0.9 }, { x: 0.5, y: 0.6 }], faint: false, dense: true });
  });

  it('puts epoch figures at each epoch end and keeps the running loss faint under them', () => {
    const series = lossSeries([epoch(1, 0.5), epoch(2, 0.4)], [{ epoch: 0.5, loss: 0.6 }, { epoch: 1.5, loss: 0.45 }]);
    expect(series.map((s) => [s.label, s.faint])).toEqual([['reconstruction (train)', false], ['reconstruction (validation)', false], ['total (train, running over batches)', true]]);
    expect(series[0]?.points).toEqual([{ x: 1, y: 0.5 }, { x: 2, y: 0.4 }]);
    expect(series[1]?.points).toEqual([{ x: 1, y: 1.5 }, { x: 2, y: 1.4 }]);
  });

  it('has no running curve where no progress was seen (a finished run opened later)', () => {
    expect(lossSeries([epoch(1, 0.5)], []).map((s) => s.label)).toEqual(['reconstruction (train)', 'reconstruction (validation)']);
  });
});
