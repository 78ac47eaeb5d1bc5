import type { PrincipalAnglesResult } from '../../../../shared/analyses/principalAngles/principalAnglesSpec.js';

export interface AngleBar {
  index: number;
  degrees: number;
  /** Width of the bar, 0…1 of the 90° scale. */
  share: number;
}

/** Angles as bars on a 0–90° scale: 0° means the subspace contains that principal direction. */
export const angleBars = (degrees: readonly number[]): AngleBar[] => degrees.map((d, i) => ({ index: i + 1, degrees: d, share: Math.min(1, Math.max(0, d / 90)) }));

const mse = (v: number): string => v.toFixed(5);

/** "test MSE: this run … / PCA-d … / gap …", as the lecture states the comparison. */
export function errorComparison(result: PrincipalAnglesResult): string {
  const run = result.runTestMse === null ? 'not evaluated' : mse(result.runTestMse);
  const gap = result.errorGap === null ? '—' : `${result.errorGap >= 0 ? '+' : '−'}${mse(Math.abs(result.errorGap))}`;
  return `test MSE: this run ${run} / PCA-${result.latentDim} ${mse(result.pcaTestMse)} / gap ${gap}`;
}

/** The largest angle, which says how far the whole subspace is from PCA's. */
export const largestAngle = (degrees: readonly number[]): number | null => (degrees.length === 0 ? null : Math.max(...degrees));

/** The latest result of each run, for runs analysed more than once. */
export function latestByRun(results: ReadonlyArray<{ jobId: string; result: PrincipalAnglesResult }>): Map<string, { jobId: string; result: PrincipalAnglesResult }> {
  const byRun = new Map<string, { jobId: string; result: PrincipalAnglesResult }>();
  for (const entry of [...results].sort((a, b) => a.jobId.localeCompare(b.jobId))) byRun.set(entry.result.runId, entry);
  return byRun;
}
