import { pcaAt, type PcaSummary } from '../../../shared/analyses/pca/pcaSpec.js';
import type { RunSummary, TestMetrics } from '../../../shared/domain/run.js';

export interface MetricRow {
  name: string;
  values: Array<number | null>;
  /** Index of the best value (lowest, or highest where higher is better), null when none. */
  best: number | null;
  format: (value: number) => string;
}

const rows: Array<{ name: string; pick: (m: TestMetrics) => number | null; higherIsBetter?: boolean; format: (v: number) => string }> = [
  { name: 'Test MSE (per pixel)', pick: (m) => m.mse, format: (v) => v.toFixed(5) },
  { name: 'PSNR (dB)', pick: (m) => m.psnr, higherIsBetter: true, format: (v) => v.toFixed(2) },
  { name: 'Binary cross-entropy (per pixel)', pick: (m) => m.bce, format: (v) => v.toFixed(4) },
  { name: 'Test loss (per sample)', pick: (m) => m.loss.total ?? null, format: (v) => v.toFixed(3) },
  { name: 'ELBO (nats)', pick: (m) => m.elbo, higherIsBetter: true, format: (v) => v.toFixed(2) },
  { name: 'Active latent units', pick: (m) => m.activeUnits, higherIsBetter: true, format: (v) => String(v) },
];

/** Which value of a row is best; none unless at least two runs have one. */
function bestOf(values: Array<number | null>, higherIsBetter = false): number | null {
  let best: number | null = null;
  values.forEach((v, i) => {
    if (v === null || !Number.isFinite(v)) return;
    const current = best === null ? null : values[best];
    if (current === null || current === undefined || (higherIsBetter ? v > current : v < current)) best = i;
  });
  return values.filter((v) => v !== null).length > 1 ? best : null;
}

/** The metrics table of a comparison, with the best value of each row marked. */
export function metricRows(evaluations: Array<TestMetrics | null>): MetricRow[] {
  return rows
    .map(({ name, pick, higherIsBetter, format }) => {
      const values = evaluations.map((m) => (m ? pick(m) : null));
      return { name, values, best: bestOf(values, higherIsBetter), format };
    })
    .filter((row) => row.values.some((v) => v !== null));
}

/** A run's per-class error with the names of its dataset's classes. */
export interface ClassErrors {
  perClassMse: ReadonlyArray<number | null>;
  classNames: readonly string[];
}

/** The name of class `index` where the dataset names fewer classes than the evaluation has. */
export const className = (names: readonly string[], index: number): string => names[index] ?? `class ${index}`;

/**
 * The per-class test MSE of each run, one row per class name (runs on different datasets meet
 * on the classes they share), the lowest error of each row marked.
 */
export function perClassRows(runs: Array<ClassErrors | null>): MetricRow[] {
  const names: string[] = [];
  for (const run of runs)
    for (let i = 0; i < (run?.perClassMse.length ?? 0); i += 1) {
      const name = className(run?.classNames ?? [], i);
      if (!names.includes(name)) names.push(name);
    }
  return names.map((name) => {
    const values = runs.map((run) => {
      if (!run) return null;
      const index = run.perClassMse.findIndex((_, i) => className(run.classNames, i) === name);
      return index >= 0 ? (run.perClassMse[index] ?? null) : null;
    });
    return { name, values, best: bestOf(values), format: (v: number) => v.toFixed(5) };
  });
}

export const pcaRowName = 'PCA with k = d (test MSE)';

/** Each run's PCA baseline, for the CSV: PCA of its dataset with as many components as its latent size (null where not computed). */
export function pcaBaselineRow(runs: RunSummary[], pca: Record<string, PcaSummary | null | undefined>): MetricRow {
  const values = runs.map((run) => {
    const summary = pca[run.config.datasetId];
    // Fitted on every class: not comparable with a run tested on its normal classes only.
    return summary && !run.config.normalClasses ? (pcaAt(summary, run.config.latentDim)?.testMse ?? null) : null;
  });
  return { name: pcaRowName, values, best: null, format: (v) => v.toFixed(5) };
}

/** Configuration fields whose values differ between the runs: a diff, not two long lists. */
export function configDiff(runs: RunSummary[]): Array<{ field: string; values: string[] }> {
  const flatten = (run: RunSummary): Record<string, string> => {
    const { architectureParams, objectiveParams, ...rest } = run.config;
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(rest)) out[k] = JSON.stringify(v);
    for (const [k, v] of Object.entries(architectureParams)) out[`architecture.${k}`] = JSON.stringify(v);
    for (const [k, v] of Object.entries(objectiveParams)) out[`objective.${k}`] = JSON.stringify(v);
    return out;
  };
  const flat = runs.map(flatten);
  const fields = [...new Set(flat.flatMap((f) => Object.keys(f)))].filter((field) => new Set(flat.map((f) => f[field] ?? '—')).size > 1);
  return fields.map((field) => ({ field, values: flat.map((f) => (f[field] ?? '—').replace(/^"|"$/g, '')) }));
}

export function metricsCsv(names: string[], table: MetricRow[]): string {
  const quote = (s: string) => `"${s.replace(/"/g, '""')}"`;
  return [['metric', ...names].map(quote).join(','), ...table.map((row) => [quote(row.name), ...row.values.map((v) => (v === null ? '' : String(v)))].join(','))].join('\n') + '\n';
}
