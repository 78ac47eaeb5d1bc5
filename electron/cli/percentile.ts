/** The q-quantile (0–1) of values sorted ascending, by the nearest rank below; NaN for none. */
export const percentile = (sorted: readonly number[], q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))] ?? NaN;
