import type { AnomalyResult, AnomalyRunResult, AnomalyScoreId, ScoreSeries } from '../../../../shared/analyses/anomaly/anomalySpec.js';
import { anomalyScoreLabels } from '../../../../shared/analyses/anomaly/anomalySpec.js';
import { confusionFromCounts, separation, type Confusion, type CurvePoint, type Separation } from '../../../../shared/analyses/anomaly/separation.js';

/** A run's own scores, or PCA-k's reconstruction error on the same samples. */
export type ScoreKey = AnomalyScoreId | 'pca';

/** One class of a run's test samples under one score, sorted by score (ascending). */
export interface SortedScores {
  values: Float64Array;
  /** Where each value's sample is in the result's `samples`. */
  positions: Int32Array;
}

/**
 * One run's one score, prepared once so that a threshold costs two binary searches: the
 * curves (from `separation`), and the normal and anomalous samples sorted by score.
 */
export interface ScoreCurve {
  runId: string;
  key: ScoreKey;
  label: string;
  separation: Separation;
  normals: SortedScores;
  anomalies: SortedScores;
  min: number;
  max: number;
}

export const scoreLabel = (key: ScoreKey, pcaK?: number): string => (key === 'pca' ? `PCA, k = ${pcaK ?? '?'} (MSE)` : anomalyScoreLabels[key]);

/** The score series of a run by key, or null when the run has none (PCA not asked for, BCE on data outside [0, 1], a VAE's scores on a plain AE). */
export function seriesOf(run: AnomalyRunResult, key: ScoreKey): (ScoreSeries & { k?: number }) | null {
  if (key === 'pca') return run.pca;
  return run.scores.find((s) => s.score === key) ?? null;
}

/** The scores a run has, its primary first, PCA last. */
export function scoreKeysOf(run: AnomalyRunResult): ScoreKey[] {
  const own = run.scores.map((s) => s.score).sort((a, b) => (a === run.primary ? -1 : b === run.primary ? 1 : 0));
  return run.pca ? [...own, 'pca'] : own;
}

function sortedBy(values: number[], positions: number[]): SortedScores {
  const order = positions.map((_, i) => i).sort((a, b) => (values[a] as number) - (values[b] as number));
  return { values: Float64Array.from(order, (i) => values[i] as number), positions: Int32Array.from(order, (i) => positions[i] as number) };
}

/** The curve of one run's score, or what makes it meaningless (said the way a person reads it, never NaN). */
export function scoreCurve(result: AnomalyResult, run: AnomalyRunResult, key: ScoreKey): { curve: ScoreCurve } | { problem: string } {
  const series = seriesOf(run, key);
  const label = scoreLabel(key, run.pca?.k);
  if (!series) return { problem: `${run.name} has no ${label} score` };
  const count = result.samples.index.length;
  if (series.values.length !== count || run.truth.length !== count) {
    return { problem: `The result is inconsistent: ${count} samples, but ${run.name}'s ${label} has ${series.values.length} values and ${run.truth.length} labels` };
  }
  const normal = { values: [] as number[], positions: [] as number[] };
  const anomalous = { values: [] as number[], positions: [] as number[] };
  for (let i = 0; i < count; i += 1) {
    const truth = run.truth[i];
    const value = series.values[i] as number;
    if (truth === -1) continue;
    if (!Number.isFinite(value)) return { problem: `${run.name}'s ${label} of sample ${i} is not a finite number` };
    const side = truth === 1 ? anomalous : normal;
    side.values.push(value);
    side.positions.push(i);
  }
  if (anomalous.values.length === 0) return { problem: `${run.name}'s test set has no anomalies (${normal.values.length} normal samples): choose anomalies from classes it was not trained on, or from another dataset` };
  if (normal.values.length === 0) return { problem: `${run.name}'s test set has no normal samples (its normal classes have no test samples), so nothing can be told apart` };
  const positions = run.truth.flatMap((t, i) => (t === -1 ? [] : [i]));
  const sep = separation(
    positions.map((i) => series.values[i] as number),
    positions.map((i) => run.truth[i] === 1),
  );
  const normals = sortedBy(normal.values, normal.positions);
  const anomalies = sortedBy(anomalous.values, anomalous.positions);
  const min = Math.min(normals.values[0] as number, anomalies.values[0] as number);
  const max = Math.max(normals.values.at(-1) as number, anomalies.values.at(-1) as number);
  return { curve: { runId: run.runId, key, label, separation: sep, normals, anomalies, min, max } };
}

/** How many of the sorted values are below `threshold` (the first index at or above it). */
export function countBelow(sorted: Float64Array, threshold: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((sorted[mid] as number) < threshold) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** The confusion matrix at a threshold by binary search: the same figures as `confusionAt` over every sample. */
export function operatingPoint(curve: ScoreCurve, threshold: number): Confusion {
  const anomalies = curve.anomalies.values.length;
  const normals = curve.normals.values.length;
  const tp = anomalies - countBelow(curve.anomalies.values, threshold);
  const fp = normals - countBelow(curve.normals.values, threshold);
  return confusionFromCounts(threshold, tp, fp, anomalies, normals);
}

/**
 * The slider steps through the curve's points, one distinct operating point a step: step 0
 * calls everything anomalous (the lowest score), the last step nothing (threshold ∞).
 */
export const stepCount = (curve: ScoreCurve): number => curve.separation.points.length;

export function thresholdAtStep(curve: ScoreCurve, step: number): number {
  const points = curve.separation.points;
  const clamped = Math.min(points.length - 1, Math.max(0, Math.round(step)));
  return (points[points.length - 1 - clamped] as CurvePoint).threshold;
}

/** The step whose operating point a threshold has: the lowest curve threshold at or above it. */
export function stepOfThreshold(curve: ScoreCurve, threshold: number): number {
  const points = curve.separation.points;
  // Points run from ∞ down: find the last one whose threshold is still ≥ the given one.
  let low = 0;
  let high = points.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >>> 1;
    if ((points[mid] as CurvePoint).threshold >= threshold) low = mid;
    else high = mid - 1;
  }
  return points.length - 1 - low;
}

/**
 * A curve thinned for drawing: a point is kept once it is `1/resolution` away from the last
 * kept one in either axis (the first and last always), so a 10,000-sample curve draws as a few
 * hundred segments that stay within a pixel of the exact one.
 */
export function thinned(points: Array<{ x: number; y: number }>, resolution = 800): Array<{ x: number; y: number }> {
  if (points.length <= 2) return points;
  const step = 1 / resolution;
  const kept = [points[0] as { x: number; y: number }];
  for (let i = 1; i < points.length - 1; i += 1) {
    const p = points[i] as { x: number; y: number };
    const last = kept[kept.length - 1] as { x: number; y: number };
    if (Math.abs(p.x - last.x) >= step || Math.abs(p.y - last.y) >= step) kept.push(p);
  }
  kept.push(points[points.length - 1] as { x: number; y: number });
  return kept;
}

export const rocPoints = (curve: ScoreCurve): Array<{ x: number; y: number }> => thinned(curve.separation.points.map((p) => ({ x: p.falsePositiveRate, y: p.truePositiveRate })));

/** Precision against recall; the ∞ point (nothing called, precision 1 by convention) is left out, as scikit-learn's plot starts at the first threshold. */
export const prPoints = (curve: ScoreCurve): Array<{ x: number; y: number }> => thinned(curve.separation.points.slice(1).map((p) => ({ x: p.truePositiveRate, y: p.precision })));
