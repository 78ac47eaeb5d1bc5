import type { AnomalyResult, AnomalyScoreId } from '../../../../shared/analyses/anomaly/anomalySpec.js';
import type { RunConfig } from '../../../../shared/catalogue/runConfig.js';

export interface OneClassRow {
  runIndex: number;
  runId: string;
  /** The normal class (or classes) by name. */
  normal: string;
  auroc: number;
  pcaAuroc: number | null;
  normalCount: number;
  anomalyCount: number;
}

export interface OneClassTable {
  rows: OneClassRow[];
  /** The runs' primary score (all share it: one family). */
  primary: AnomalyScoreId;
  /** Over the rows with a finite AUROC (a run without its primary score is left out); null when none has one. */
  meanAuroc: number | null;
  /** Null unless every row has PCA's; like the mean above, over the finite ones. */
  meanPcaAuroc: number | null;
}

/** JSON with every object's keys in order, so that two equal configurations read the same. */
const canonical = (value: unknown): string =>
  Array.isArray(value)
    ? `[${value.map(canonical).join(',')}]`
    : value !== null && typeof value === 'object'
      ? `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(',')}}`
      : JSON.stringify(value);

/** A configuration without what a one-class sweep varies (the normal classes) and what names it. */
function sweptAway(config: RunConfig): string {
  const { normalClasses: _normal, name: _name, ...rest } = config;
  return canonical(rest);
}

/**
 * The one-class table when the result's runs differ only in their normal classes (a one-class
 * sweep: one model per class); null otherwise. With the runs' configurations at hand they
 * are compared whole; without, by what the result records (family and latent size).
 */
export function oneClassTable(result: AnomalyResult, configs: ReadonlyMap<string, RunConfig> = new Map()): OneClassTable | null {
  const runs = result.runs;
  if (runs.length < 2 || runs.some((r) => r.normalClasses === null)) return null;
  const normalKeys = new Set(runs.map((r) => [...(r.normalClasses ?? [])].sort((a, b) => a - b).join(',')));
  if (normalKeys.size !== runs.length) return null;
  const family = new Set(runs.map((r) => `${r.architecture}|${r.objective}|${r.latentDim}|${r.primary}`));
  if (family.size !== 1) return null;
  const known = runs.map((r) => configs.get(r.runId));
  if (known.every((c) => c !== undefined) && new Set(known.map((c) => sweptAway(c as RunConfig))).size !== 1) return null;
  // In class order, as the one-class literature lists them, whatever order the runs were chosen in.
  const order = runs.map((_, i) => i).sort((a, b) => Math.min(...(runs[a]?.normalClasses ?? [])) - Math.min(...(runs[b]?.normalClasses ?? [])));
  const rows = order.map((runIndex) => {
    const run = runs[runIndex] as (typeof runs)[number];
    const primary = run.scores.find((s) => s.score === run.primary);
    return {
      runIndex,
      runId: run.runId,
      normal: (run.normalClasses ?? []).map((c) => result.classNames[c] ?? `class ${c}`).join(' + '),
      auroc: primary?.auroc ?? NaN,
      pcaAuroc: run.pca?.auroc ?? null,
      normalCount: run.normalCount,
      anomalyCount: run.anomalyCount,
    };
  });
  // A missing score would make the whole mean NaN; the rest are still averaged, as the CLI does.
  const mean = (values: number[]): number | null => {
    const finite = values.filter((v) => Number.isFinite(v));
    return finite.length > 0 ? finite.reduce((s, v) => s + v, 0) / finite.length : null;
  };
  const pca = rows.map((r) => r.pcaAuroc);
  return {
    rows,
    primary: runs[0]?.primary ?? 'mse',
    meanAuroc: mean(rows.map((r) => r.auroc)),
    meanPcaAuroc: pca.every((v): v is number => v !== null) ? mean(pca) : null,
  };
}
