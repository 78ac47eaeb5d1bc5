import type { LabelsPerClass, ProbeLine } from './probeSpec.js';

/** Mean and sample standard deviation (0 for one value). */
export function meanAndStd(values: readonly number[]): { mean: number; std: number } {
  if (values.length === 0) return { mean: NaN, std: 0 };
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  if (values.length === 1) return { mean, std: 0 };
  const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / (values.length - 1);
  return { mean, std: Math.sqrt(variance) };
}

/** A confusion matrix [true][predicted] of `classes` classes from true and predicted labels. */
export function confusionOf(truth: ArrayLike<number>, predicted: ArrayLike<number>, classes: number): number[][] {
  const matrix = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  for (let i = 0; i < truth.length; i += 1) {
    const row = matrix[truth[i] as number];
    const p = predicted[i] as number;
    if (row && p >= 0 && p < classes) row[p] = (row[p] ?? 0) + 1;
  }
  return matrix;
}

export function accuracyOf(confusion: readonly (readonly number[])[]): number {
  let right = 0;
  let all = 0;
  confusion.forEach((row, c) => {
    right += row[c] ?? 0;
    all += row.reduce((a, b) => a + b, 0);
  });
  return all === 0 ? 0 : right / all;
}

/** Per class: the share of its test samples predicted as it (NaN for a class with no test sample). */
export function perClassAccuracy(confusion: readonly (readonly number[])[]): number[] {
  return confusion.map((row, c) => {
    const all = row.reduce((a, b) => a + b, 0);
    return all === 0 ? NaN : (row[c] ?? 0) / all;
  });
}

export const labelsKey = (n: LabelsPerClass): string => String(n);

/**
 * Per labels-per-class count, the line with the highest mean test accuracy (ties: the first
 * line), and its margin over the second best; counts no line measured are left out.
 */
export function winners(lines: readonly ProbeLine[]): Map<string, { lineId: string; margin: number }> {
  const best = new Map<string, { lineId: string; mean: number; second: number }>();
  for (const line of lines) {
    for (const point of line.points) {
      if (!Number.isFinite(point.meanAccuracy)) continue;
      const key = labelsKey(point.labelsPerClass);
      const current = best.get(key);
      if (!current) best.set(key, { lineId: line.id, mean: point.meanAccuracy, second: -Infinity });
      else if (point.meanAccuracy > current.mean) best.set(key, { lineId: line.id, mean: point.meanAccuracy, second: current.mean });
      else current.second = Math.max(current.second, point.meanAccuracy);
    }
  }
  return new Map([...best].map(([key, b]) => [key, { lineId: b.lineId, margin: Number.isFinite(b.second) ? b.mean - b.second : 0 }]));
}
