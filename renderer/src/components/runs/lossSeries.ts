import type { EpochMetricsData } from '../../../../shared/domain/run.js';
import type { BatchLoss } from '../../stores/runs.js';

export interface LossSeries {
  label: string;
  /** x in epochs: an epoch's figures at its end (1, 2, …), the running loss at fractions between. */
  points: Array<{ x: number; y: number | null }>;
  color: string;
  dashed: boolean;
  /** The within-epoch curve once epochs have ended: kept, drawn faint, under the epoch curves. */
  faint: boolean;
  /** Drawn without point markers (the dense within-epoch curve). */
  dense: boolean;
}

const palette = ['#2f6fde', '#d9822b', '#1d9e74', '#c62f3b', '#8e5bd6', '#6c757d'];

/**
 * The run's loss curves: train and validation per component at each epoch's end, and the
 * running total loss within epochs as progress reported it — the only curve during epoch 1.
 */
export function lossSeries(metrics: readonly EpochMetricsData[], batches: readonly BatchLoss[]): LossSeries[] {
  const all = Object.keys(metrics[0]?.train ?? {});
  // Without regulariser terms the total is the reconstruction: one curve, not two on top of each other.
  const components = all.length <= 2 ? all.filter((c) => c !== 'total') : all;
  const epochs = components.flatMap((component, i) => {
    const color = palette[i % palette.length] ?? '#888';
    const at = (value: (m: EpochMetricsData) => number | null | undefined) => metrics.map((m) => ({ x: m.epoch, y: value(m) ?? null }));
    return [
      { label: `${component} (train)`, points: at((m) => m.train[component]), color, dashed: false, faint: false, dense: false },
      { label: `${component} (validation)`, points: at((m) => m.validation?.[component]), color, dashed: true, faint: false, dense: false },
    ];
  });
  if (batches.length === 0) return epochs;
  const running: LossSeries = {
    label: 'total (train, running over batches)',
    points: batches.map((b) => ({ x: b.epoch, y: b.loss })),
    color: palette[0] ?? '#888',
    dashed: false,
    faint: metrics.length > 0,
    dense: true,
  };
  return [...epochs, running];
}
