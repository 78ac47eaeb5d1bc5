import { anomalyScoreIds, type AnomalyResult } from '../../../../shared/analyses/anomaly/anomalySpec.js';
import { classNameOf } from './galleries.js';

const quote = (s: string): string => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/**
 * Every scored sample of the result with one run's labels and scores: where it comes from,
 * its class, its truth for that run (1 anomalous, 0 normal, −1 not in that run's test) and
 * each score the run has, PCA's last. Scores a run lacks are not columns.
 */
export function anomalyCsv(result: AnomalyResult, runIndex: number): string {
  const run = result.runs[runIndex];
  if (!run) return '';
  const own = anomalyScoreIds.flatMap((id) => {
    const series = run.scores.find((s) => s.score === id);
    return series ? [{ name: id, values: series.values }] : [];
  });
  const columns = run.pca ? [...own, { name: `pca_k${run.pca.k}_mse`, values: run.pca.values }] : own;
  const anomalyDataset = result.anomalies.from === 'dataset' ? result.anomalies.datasetId : result.datasetId;
  const header = ['dataset', 'index', 'class', 'truth', ...columns.map((c) => c.name)].join(',');
  const rows = result.samples.index.map((index, i) => {
    const dataset = result.samples.source[i] === 1 ? anomalyDataset : result.datasetId;
    return [quote(dataset), index, quote(classNameOf(result, i)), run.truth[i] ?? -1, ...columns.map((c) => c.values[i] ?? '')].join(',');
  });
  return [header, ...rows].join('\n') + '\n';
}

/** A file name from the run's name: letters, digits and dashes. */
export const fileStem = (name: string): string => name.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60) || 'run';
