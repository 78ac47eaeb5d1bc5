import type { Histogram } from '../../../../shared/domain/run.js';

/** Counts of `values` in `bins` equal-width bins over [low, high]; values outside go to the end bins. */
export function histogram(values: ArrayLike<number>, low: number, high: number, bins: number): Histogram {
  const counts = new Array<number>(bins).fill(0);
  const width = (high - low) / bins;
  for (let i = 0; i < values.length; i += 1) {
    const v = values[i] ?? 0;
    const bin = width > 0 ? Math.floor((v - low) / width) : 0;
    const at = Math.min(bins - 1, Math.max(0, bin));
    counts[at] = (counts[at] ?? 0) + 1;
  }
  return { low, high, counts };
}

/** The q-quantile of ascending `sorted` values, linearly interpolated between order statistics. */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return NaN;
  const position = q * (sorted.length - 1);
  const below = Math.floor(position);
  const above = Math.min(sorted.length - 1, below + 1);
  const fraction = position - below;
  return (sorted[below] ?? NaN) * (1 - fraction) + (sorted[above] ?? NaN) * fraction;
}

/** Each unit's mean over samples, for codes laid out [samples × units]. */
export function unitMeans(codes: ArrayLike<number>, units: number): number[] {
  const samples = units > 0 ? Math.floor(codes.length / units) : 0;
  const sums = new Float64Array(units);
  for (let i = 0; i < samples; i += 1) for (let j = 0; j < units; j += 1) sums[j] = (sums[j] ?? 0) + (codes[i * units + j] ?? 0);
  return Array.from(sums, (s) => s / Math.max(1, samples));
}

/** Each unit's variance over samples (population variance, divided by the sample count). */
export function unitVariances(codes: ArrayLike<number>, units: number): number[] {
  const samples = units > 0 ? Math.floor(codes.length / units) : 0;
  const means = unitMeans(codes, units);
  const squares = new Float64Array(units);
  for (let i = 0; i < samples; i += 1) {
    for (let j = 0; j < units; j += 1) squares[j] = (squares[j] ?? 0) + ((codes[i * units + j] ?? 0) - (means[j] ?? 0)) ** 2;
  }
  return Array.from(squares, (s) => s / Math.max(1, samples));
}

export function sum(values: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < values.length; i += 1) total += values[i] ?? 0;
  return total;
}
