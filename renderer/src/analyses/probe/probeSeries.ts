import { labelsKey, meanAndStd, winners } from '../../../../shared/analyses/probe/probeCurves.js';
import type { LabelsPerClass, ProbeLine, ProbeLineKind, ProbePoint, ProbeResult } from '../../../../shared/analyses/probe/probeSpec.js';

/** What the band around a line's mean spans: ± one standard deviation over the draws, their minimum to maximum, or nothing. */
export type Spread = 'std' | 'range' | 'none';

export const spreadLabels: Record<Spread, string> = { std: 'mean ± 1 standard deviation over draws', range: 'mean, band from the worst to the best draw', none: 'mean over draws' };

export type MarkerStyle = 'circle' | 'triangle' | 'rect' | 'rectRot' | 'crossRot' | 'cross' | 'line';

/** How each kind of line is told apart beside its colour: its dash and its marker. */
export const kindStyles: Record<ProbeLineKind, { name: string; dash: number[]; marker: MarkerStyle }> = {
  frozen: { name: 'frozen codes', dash: [], marker: 'circle' },
  finetune: { name: 'fine-tuned', dash: [], marker: 'triangle' },
  knn1: { name: 'kNN-1 on codes', dash: [2, 3], marker: 'rect' },
  knn5: { name: 'kNN-5 on codes', dash: [2, 3], marker: 'rectRot' },
  scratch: { name: 'from scratch', dash: [9, 3, 2, 3], marker: 'crossRot' },
  pixels: { name: 'pixels', dash: [6, 4], marker: 'cross' },
  pca: { name: 'PCA', dash: [12, 4], marker: 'rectRot' },
};

export interface CurvePoint {
  x: number;
  /** Mean test accuracy over the point's draws. */
  y: number;
  low: number;
  high: number;
  labelsPerClass: LabelsPerClass;
  labelledCount: number;
  draws: number;
}

export interface CurveSeries {
  lineId: string;
  label: string;
  kind: ProbeLineKind;
  /** A baseline (pixels, PCA): not any run's encoder. */
  baseline: boolean;
  /** The series colour of a run's line (its place among the runs' lines); −1 for a baseline, drawn in its kind's neutral colour. */
  colorIndex: number;
  points: CurvePoint[];
}

/**
 * Where a point sits on the log x axis: at the labelled samples per class it really had
 * (its draw's labelled count over the classes). That is the count asked for wherever every
 * class had that many; 'all', and a count some classes had fewer of, land where they are.
 */
export function xOf(point: Pick<ProbePoint, 'labelsPerClass' | 'labelledCount'>, classes: number): number {
  const real = classes > 0 ? point.labelledCount / classes : 0;
  if (real > 0) return real;
  return point.labelsPerClass === 'all' ? 1 : point.labelsPerClass;
}

function band(point: ProbePoint, spread: Spread): { low: number; high: number } {
  const accuracies = measured(point).map((d) => d.accuracy);
  if (spread === 'range' && accuracies.length > 0) return { low: Math.min(...accuracies), high: Math.max(...accuracies) };
  if (spread === 'std') return { low: Math.max(0, point.meanAccuracy - point.stdAccuracy), high: Math.min(1, point.meanAccuracy + point.stdAccuracy) };
  return { low: point.meanAccuracy, high: point.meanAccuracy };
}

/** The draws that gave a classifier: a diverged one records accuracy 0, which is no measurement. */
const measured = (point: ProbePoint): ProbePoint['draws'] => point.draws.filter((d) => d.failure === undefined);

/** The mean of a point's draws as the curve shows it: the result's own, else the measured draws' (NaN where every draw diverged: no point is drawn). */
const meanOf = (point: ProbePoint): number => (Number.isFinite(point.meanAccuracy) ? point.meanAccuracy : meanAndStd(measured(point).map((d) => d.accuracy)).mean);

/**
 * Each line's colour: the runs' lines take the series colours in order, so that one run's
 * frozen, fine-tuned and kNN lines differ (their dashes and markers tell the kind as well);
 * baselines take neutral colours (−1), told apart by their dashes.
 */
export function colorIndices(lines: readonly ProbeLine[]): Map<string, number> {
  let next = 0;
  return new Map(lines.map((l) => [l.id, l.runId === null ? -1 : next++]));
}

/** One series per line, in the result's order: its points along x with the band the spread asks for; points without a measurement are left out. */
export function curveSeries(result: ProbeResult, spread: Spread): CurveSeries[] {
  const classes = result.classNames.length;
  const colors = colorIndices(result.lines);
  return result.lines.map((line) => ({
    lineId: line.id,
    label: line.label,
    kind: line.kind,
    baseline: line.runId === null,
    colorIndex: colors.get(line.id) ?? -1,
    points: line.points
      .filter((p) => Number.isFinite(meanOf(p)))
      .map((p) => ({ x: xOf(p, classes), y: meanOf(p), ...band(p, spread), labelsPerClass: p.labelsPerClass, labelledCount: p.labelledCount, draws: p.draws.length }))
      .sort((a, b) => a.x - b.x),
  }));
}

export const countLabel = (n: LabelsPerClass): string => (n === 'all' ? 'all' : n.toLocaleString('en-US'));

/**
 * The x axis's ticks: one per labels-per-class count of the result, labelled as it was asked
 * ('all' as "all"). Counts that land within 12 % of each other on the log axis (1000 on a
 * dataset with fewer labels of some class than that, beside 'all') share one tick.
 */
export function curveTicks(result: ProbeResult): Array<{ value: number; label: string }> {
  const classes = result.classNames.length;
  const seen = new Map<string, { value: number; label: string }>();
  for (const line of result.lines) {
    for (const point of line.points) {
      const key = labelsKey(point.labelsPerClass);
      if (!seen.has(key)) seen.set(key, { value: xOf(point, classes), label: countLabel(point.labelsPerClass) });
    }
  }
  const ticks: Array<{ value: number; label: string }> = [];
  for (const tick of [...seen.values()].sort((a, b) => a.value - b.value)) {
    const last = ticks[ticks.length - 1];
    if (last && tick.value / last.value < 1.12) ticks[ticks.length - 1] = { value: last.value, label: `${last.label}, ${tick.label}` };
    else ticks.push(tick);
  }
  return ticks;
}

export interface WinnerMark {
  labelsPerClass: LabelsPerClass;
  lineId: string;
  lineLabel: string;
  kind: ProbeLineKind;
  colorIndex: number;
  x: number;
  y: number;
  std: number;
  /** Mean accuracy over the second-best line at that count (0 where only one line was measured). */
  margin: number;
}

/** The best line at each labels-per-class count (`winners`), where the chart marks it, in the order of x. */
export function winnerMarks(result: ProbeResult): WinnerMark[] {
  const classes = result.classNames.length;
  const colors = colorIndices(result.lines);
  const marks: WinnerMark[] = [];
  for (const [key, win] of winners(result.lines)) {
    const line = result.lines.find((l) => l.id === win.lineId);
    const point = line?.points.find((p) => labelsKey(p.labelsPerClass) === key);
    if (!line || !point) continue;
    marks.push({ labelsPerClass: point.labelsPerClass, lineId: line.id, lineLabel: line.label, kind: line.kind, colorIndex: colors.get(line.id) ?? -1, x: xOf(point, classes), y: point.meanAccuracy, std: point.stdAccuracy, margin: win.margin });
  }
  return marks.sort((a, b) => a.x - b.x);
}

/** Test accuracy as the view writes it. */
export const percent = (v: number, digits = 1): string => (Number.isFinite(v) ? `${(v * 100).toFixed(digits)} %` : '—');
