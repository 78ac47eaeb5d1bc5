import type { PcaSummary } from '../../../../shared/analyses/pca/pcaSpec.js';
import type { XySeries } from '../../components/charts/xySeries.js';

const count = (n: number): string => n.toLocaleString('en-US');

/** Cumulative explained variance (percent) against k = 1…components. */
export function explainedSeries(summary: PcaSummary): XySeries {
  return { label: 'explained variance, first k components', points: summary.explainedVarianceRatio.map((share, i) => ({ x: i + 1, y: share * 100 })), markers: false };
}

/** PCA-k's test MSE for k = from…to (clamped to 1…components): k = 0, the mean alone, has no place on a log axis. */
export function testMseSeries(summary: PcaSummary, from = 1, to = summary.components, label = 'PCA with k components'): XySeries {
  const points: XySeries['points'] = [];
  for (let k = Math.max(1, Math.ceil(from)); k <= Math.min(summary.components, Math.floor(to)); k += 1) {
    const y = summary.testMse[k];
    if (y !== undefined) points.push({ x: k, y });
  }
  return { label, points, baseline: true };
}

/** The smallest k whose components explain at least `share` of the variance, or null if all of them do not. */
export function componentsExplaining(summary: PcaSummary, share: number): number | null {
  const index = summary.explainedVarianceRatio.findIndex((s) => s >= share);
  return index < 0 ? null : index + 1;
}

/** How the PCA was computed and what its error was measured on, in one sentence. */
export function describePca(summary: PcaSummary): string {
  const bound = summary.errorBound ? ` (${summary.errorBound.text})` : '';
  return `${summary.method === 'exact' ? 'Exact' : 'Randomized'} PCA${bound} of ${count(summary.trainCount)} training samples × ${count(summary.dimension)} values, ${summary.components} components kept, in ${summary.seconds.toFixed(2)} s; test MSE per value on the ${summary.evaluatedOn} split (${count(summary.testCount)} samples).`;
}

/** The curve as a table: k = 0 (the mean alone) to the components kept. */
export function pcaCurveCsv(summary: PcaSummary): string {
  const rows = summary.testMse.map((mse, k) => [k, k === 0 ? '' : (summary.eigenvalues[k - 1] ?? ''), k === 0 ? 0 : (summary.explainedVarianceRatio[k - 1] ?? ''), mse].join(','));
  return ['k,eigenvalue,explained_variance_ratio,test_mse', ...rows].join('\n') + '\n';
}

/** Ticks for a k axis: the powers of two up to the components kept, and that number itself. */
export function componentTicks(components: number): number[] {
  const ticks: number[] = [];
  for (let k = 1; k <= components; k *= 2) ticks.push(k);
  if (ticks.at(-1) !== components) ticks.push(components);
  return ticks;
}
