import type { AnomalyResult, AnomalyRunResult } from '../../../../shared/analyses/anomaly/anomalySpec.js';
import { separation } from '../../../../shared/analyses/anomaly/separation.js';

/** Hand-made results for the view's tests: scores chosen per sample, curves' areas computed as the engine does. */

const series = (score: AnomalyRunResult['primary'], values: number[], truth: number[]) => {
  const kept = truth.flatMap((t, i) => (t === -1 ? [] : [i]));
  const anomalous = kept.map((i) => truth[i] === 1);
  // A test set of one side only has no curve; the view must say so itself.
  if (!anomalous.includes(true) || !anomalous.includes(false)) return { score, values, auroc: 0.5, averagePrecision: 0 };
  const sep = separation(
    kept.map((i) => values[i] as number),
    anomalous,
  );
  return { score, values, auroc: sep.auroc, averagePrecision: sep.averagePrecision };
};

export function fixtureRun(runId: string, normalClasses: number[] | null, labels: number[], mse: number[], rest: Partial<AnomalyRunResult> = {}): AnomalyRunResult {
  const truth = labels.map((l) => (normalClasses === null || normalClasses.includes(l) ? 0 : 1)) as Array<0 | 1>;
  const pca = mse.map((v, i) => v * 0.9 + (i % 3) * 0.01);
  return {
    runId,
    name: `run ${runId.slice(-2)}`,
    architecture: 'conv',
    objective: 'plain',
    latentDim: 8,
    normalClasses,
    truth,
    normalCount: truth.filter((t) => t === 0).length,
    anomalyCount: truth.filter((t) => t === 1).length,
    primary: 'mse',
    scores: [series('mse', mse, truth), series('bce', mse.map((v) => v * 3 + 0.1), truth)],
    pca: { ...series('mse', pca, truth), k: 8 },
    ...rest,
  };
}

/** Twelve test samples of three classes, four each; two one-class runs (circle, square). */
export function fixtureResult(): AnomalyResult {
  const labels = [0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2];
  const index = labels.map((_, i) => 100 + i);
  const mseCircle = [0.01, 0.02, 0.05, 0.03, 0.04, 0.08, 0.09, 0.07, 0.06, 0.1, 0.11, 0.02];
  const mseSquare = [0.08, 0.07, 0.09, 0.06, 0.01, 0.02, 0.03, 0.1, 0.05, 0.04, 0.12, 0.11];
  return {
    datasetId: 'shapes',
    anomalies: { from: 'other-classes' },
    classNames: ['circle', 'square', 'triangle'],
    anomalyClassNames: null,
    samples: { source: labels.map(() => 0 as const), index, label: labels },
    runs: [fixtureRun('20260101120000-0000a1', [0], labels, mseCircle), fixtureRun('20260101120000-0000b2', [1], labels, mseSquare)],
    seconds: 0.5,
  };
}
