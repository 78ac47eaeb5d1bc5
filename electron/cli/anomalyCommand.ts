import { anomalyScoreLabels, type AnomalyResult, type AnomalyRunResult, type AnomalySource } from '../../shared/analyses/anomaly/anomalySpec.js';
import type { DatasetSummary } from '../../shared/domain/dataset.js';
import type { JobSummary } from '../../shared/domain/job.js';
import type { RunStatus } from '../../shared/domain/run.js';
import type { SweepSpec } from '../../shared/domain/sweep.js';
import { LabError } from '../../shared/result.js';
import type { Lab } from '../lab/lab.js';
import type { CliArgs } from './args.js';
import { safeName } from './output.js';
import { configFromArgs, datasetNamed, defined, resolveClasses, showProgress } from './train.js';

/** `--anomalies` as typed, before its classes are looked up in a dataset. */
export type AnomaliesFlag = { from: 'other-classes' } | { from: 'classes'; classes: string } | { from: 'dataset'; datasetId: string; classes?: string };

/** `other`, `classes:3,4` (numbers or names) or `dataset:ID[:classes]`. */
export function parseAnomaliesFlag(text: string | undefined): AnomaliesFlag {
  if (text === undefined || text === 'other') return { from: 'other-classes' };
  const [kind = '', ...rest] = text.split(':');
  if (kind === 'classes' && rest.length === 1 && rest[0]) return { from: 'classes', classes: rest[0] };
  // `dataset:ID:` would silently mean every class of ID; an empty list is a slip, not a choice.
  if (kind === 'dataset' && rest[0] && rest.length === 2 && !rest[1]?.trim()) {
    throw new LabError('invalid-option', `--anomalies: '${safeName(text)}' has an empty class list after the dataset; give classes (dataset:${safeName(rest[0])}:3,4) or leave the list out for every class (dataset:${safeName(rest[0])})`);
  }
  if (kind === 'dataset' && rest[0] && rest.length <= 2) return { from: 'dataset', datasetId: rest[0], ...(rest[1] ? { classes: rest[1] } : {}) };
  throw new LabError('invalid-option', `--anomalies: '${safeName(text)}' is not one of other, classes:LIST (e.g. classes:3,4) or dataset:ID[:LIST]`);
}

/** What `aelab anomaly` does: score RUN ids, train and score the one-class benchmark, or score a one-class sweep. */
export type AnomalyMode = 'runs' | 'one-class' | 'sweep';

/** The mode the arguments ask for: `--sweep` first, then RUN ids, then `--dataset`. */
export function anomalyMode(positionals: readonly string[], values: CliArgs['values']): AnomalyMode {
  if (typeof values.sweep === 'string') return 'sweep';
  if (positionals.length > 0) return 'runs';
  if (typeof values.dataset === 'string') return 'one-class';
  throw new LabError('invalid-request', 'anomaly needs RUN ids to score, --dataset ID --one-class all|LIST to train the one-class benchmark, or --sweep JOB (see aelab --help)');
}

/** The flags that shape the models the one-class benchmark trains (as `aelab train` reads them). */
const trainFlags = ['name', 'arch', 'objective', 'latent', 'epochs', 'batch', 'lr', 'optimizer', 'loss', 'patience', 'param', 'seed', 'normal-classes', 'preset'] as const;
const scoringFlags = ['no-pca', 'mc-samples'] as const;
const globalFlags = ['workspace', 'json', 'help'] as const;
// `--normal-classes` and `--preset` pass here so that `oneClassSweepSpec` refuses them saying why.
const modeFlags: Record<AnomalyMode, ReadonlySet<string>> = {
  runs: new Set([...globalFlags, ...scoringFlags, 'anomalies']),
  'one-class': new Set([...globalFlags, ...scoringFlags, ...trainFlags, 'dataset', 'one-class']),
  sweep: new Set([...globalFlags, ...scoringFlags, 'sweep']),
};
const modeText: Record<AnomalyMode, string> = {
  runs: 'aelab anomaly RUN…, which scores runs already trained',
  'one-class': 'aelab anomaly --dataset ID --one-class, which scores each model against every other class of its dataset',
  sweep: 'aelab anomaly --sweep JOB, which scores the runs that sweep trained against the other classes of their dataset',
};
const flagHints: Partial<Record<AnomalyMode, Partial<Record<string, string>>>> = {
  runs: { dataset: '; to score against another dataset give --anomalies dataset:ID', 'one-class': '; to train new models give it with --dataset, not with RUN ids' },
};

/**
 * Refuses every flag the mode would ignore: a user who types `--epochs 20` beside RUN ids
 * believes something is trained, and must be told it is not, not shown a table as if it were.
 */
export function refuseInapplicableFlags(mode: AnomalyMode, positionals: readonly string[], values: CliArgs['values']): void {
  if (mode === 'sweep' && positionals.length > 0) throw new LabError('invalid-option', `--sweep JOB scores that sweep; it takes no RUN ids ('${safeName(positionals[0] ?? '')}' was given)`);
  const allowed = modeFlags[mode];
  // Boolean flags are false when not typed (their default), which is not a flag given.
  const given = Object.keys(values).filter((flag) => values[flag] !== undefined && values[flag] !== false);
  const stray = given.find((flag) => !allowed.has(flag));
  if (stray !== undefined) throw new LabError('invalid-option', `--${stray} does not apply to ${modeText[mode]}${flagHints[mode]?.[stray] ?? ''}`);
}

/** The anomaly source of the spec, with class names resolved against the dataset they belong to. */
export function resolveAnomalies(flag: AnomaliesFlag, runDataset: DatasetSummary, anomalyDataset: DatasetSummary | undefined): AnomalySource {
  if (flag.from === 'other-classes') return flag;
  if (flag.from === 'classes') return { from: 'classes', classes: resolveClasses(flag.classes, runDataset.classNames, '--anomalies', runDataset.id) };
  if (!anomalyDataset) throw new LabError('not-found', `--anomalies: no dataset '${safeName(flag.datasetId)}' in this workspace`);
  return { from: 'dataset', datasetId: anomalyDataset.id, ...(flag.classes ? { classes: resolveClasses(flag.classes, anomalyDataset.classNames, '--anomalies', anomalyDataset.id) } : {}) };
}

/** `--one-class all|LIST`: the classes that each get a model of their own; the dataset must have others to be anomalies. */
export function oneClassClasses(text: string | undefined, dataset: DatasetSummary): number[] {
  if (typeof text !== 'string') throw new LabError('invalid-option', '--one-class all|LIST is needed with --dataset: the classes that each get a model trained on that class alone');
  const names = dataset.classNames;
  if (names.length === 0) throw new LabError('invalid-option', `--one-class: dataset '${safeName(dataset.id)}' has no classes (it is unlabelled), so no class can be normal and the rest anomalies; train on all of it and score against another dataset: aelab anomaly RUN --anomalies dataset:ID`);
  if (names.length === 1) throw new LabError('invalid-option', `--one-class: dataset '${safeName(dataset.id)}' has one class only ('${safeName(names[0] ?? '')}'), so a model trained on it would have no anomalies to find`);
  return text.trim() === 'all' ? names.map((_, i) => i) : resolveClasses(text, names, '--one-class', dataset.id);
}

/** One sweep job of one run per class: the train flags' configuration, with `normalClasses` swept over single classes. */
export function oneClassSweepSpec(values: CliArgs['values'], classes: readonly number[]): SweepSpec {
  for (const flag of ['normal-classes', 'preset', 'sweep'] as const) {
    if (values[flag] !== undefined) throw new LabError('invalid-option', `--${flag} does not go with --one-class, which trains one model per class`);
  }
  return {
    ...(typeof values.name === 'string' ? { name: values.name } : {}),
    base: defined(configFromArgs(values)) as Record<string, unknown>,
    axes: [{ field: 'normalClasses', values: classes.map((c) => [c]) }],
  };
}

const figure = (v: number | null | undefined): string => (v === null || v === undefined || !Number.isFinite(v) ? '—' : v.toFixed(4));
const mean = (values: readonly number[]): number | null => (values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length);
const primaryOf = (run: AnomalyRunResult) => run.scores.find((s) => s.score === run.primary) ?? null;
const classesText = (classes: readonly number[] | null, names: readonly string[]): string =>
  classes === null ? `every class (${names.length})` : classes.map((c) => safeName(names[c] ?? String(c))).join(', ');

/** A row of the one-class table: the run's normal classes, its primary score's AUROC and PCA-k's beside it. */
export interface OneClassRow {
  classes: number[] | null;
  className: string;
  runId: string;
  auroc: number | null;
  averagePrecision: number | null;
  pcaAuroc: number | null;
  pcaK: number | null;
  normalCount: number;
  anomalyCount: number;
}

export interface OneClassTable {
  datasetId: string;
  primary: string;
  rows: OneClassRow[];
  mean: { auroc: number | null; pcaAuroc: number | null };
}

/** The per-class AUROC table of a one-class benchmark, and the mean over its classes. */
export function oneClassTable(result: AnomalyResult): OneClassTable {
  const rows = result.runs.map((run): OneClassRow => {
    const primary = primaryOf(run);
    return {
      classes: run.normalClasses,
      className: run.normalClasses === null ? 'every class' : run.normalClasses.map((c) => result.classNames[c] ?? String(c)).join('+'),
      runId: run.runId,
      auroc: primary?.auroc ?? null,
      averagePrecision: primary?.averagePrecision ?? null,
      pcaAuroc: run.pca?.auroc ?? null,
      pcaK: run.pca?.k ?? null,
      normalCount: run.normalCount,
      anomalyCount: run.anomalyCount,
    };
  });
  const present = (values: Array<number | null>): number[] => values.filter((v): v is number => v !== null && Number.isFinite(v));
  const primaries = [...new Set(result.runs.map((r) => r.primary))];
  return {
    datasetId: result.datasetId,
    primary: primaries.length === 1 ? (primaries[0] ?? 'mse') : 'mixed',
    rows,
    mean: { auroc: mean(present(rows.map((r) => r.auroc))), pcaAuroc: mean(present(rows.map((r) => r.pcaAuroc))) },
  };
}

export function oneClassText(table: OneClassTable): string {
  const score = table.primary === 'mixed' ? 'each run’s primary score' : anomalyScoreLabels[table.primary as keyof typeof anomalyScoreLabels];
  const ks = [...new Set(table.rows.map((r) => r.pcaK).filter((k): k is number => k !== null))];
  const pca = ks.length === 1 ? `PCA-${ks[0]}` : 'PCA-k';
  const width = Math.max(12, ...table.rows.map((r) => safeName(r.className).length)) + 2;
  // Every column at least two spaces wider than its heading: "PCA-256 AUROC" must not run into "AUROC".
  const pcaWidth = `${pca} AUROC`.length + 3;
  const line = (cls: string, auroc: string, pcaAuroc: string, normal: string, anomalies: string): string =>
    `${cls.padEnd(width)}${auroc.padStart(8)}${pcaAuroc.padStart(pcaWidth)}${normal.padStart(9)}${anomalies.padStart(11)}`;
  return [
    `One-class AUROC on ${safeName(table.datasetId)}: each model trained on one class, scored on the whole test split by ${score}; ${pca} fitted on the same class beside it`,
    line('normal class', 'AUROC', `${pca} AUROC`, 'normal', 'anomalies'),
    ...table.rows.map((r) => line(safeName(r.className), figure(r.auroc), figure(r.pcaAuroc), String(r.normalCount), String(r.anomalyCount))),
    line('mean', figure(table.mean.auroc), figure(table.mean.pcaAuroc), '', '').trimEnd(),
  ].join('\n');
}

const sourceText = (result: AnomalyResult): string => {
  const a = result.anomalies;
  if (a.from === 'other-classes') return 'the other classes';
  if (a.from === 'classes') return `classes ${classesText(a.classes, result.classNames)}`;
  return `dataset ${safeName(a.datasetId)}${a.classes ? ` (classes ${classesText(a.classes, result.anomalyClassNames ?? [])})` : ''}`;
};

/** `aelab anomaly RUN…` as text: per run its normal classes, the counts, and every score's AUROC and AP with PCA-k's beside them. */
export function runsText(result: AnomalyResult): string {
  const row = (label: string, auroc: number, ap: number): string => `  ${label.padEnd(44)}${figure(auroc).padStart(8)}${figure(ap).padStart(8)}`;
  return result.runs
    .map((run) =>
      [
        `run ${run.runId} (${safeName(run.name)}): ${run.architecture} ${run.objective} d=${run.latentDim}`,
        `  normal: ${classesText(run.normalClasses, result.classNames)}; anomalies: ${sourceText(result)}`,
        `  test samples: ${run.normalCount} normal, ${run.anomalyCount} anomalous`,
        `  ${'score'.padEnd(44)}${'AUROC'.padStart(8)}${'AP'.padStart(8)}`,
        ...run.scores.map((s) => row(`${anomalyScoreLabels[s.score]}${s.score === run.primary ? ' (primary)' : ''}`, s.auroc, s.averagePrecision)),
        ...(run.pca ? [row(`PCA-${run.pca.k} reconstruction error (MSE)`, run.pca.auroc, run.pca.averagePrecision)] : []),
      ].join('\n'),
    )
    .join('\n\n');
}

/** What `--json` prints for scored runs: the figures, not the per-sample scores (the job's result has those). */
export function runsJson(result: AnomalyResult, jobId: string): unknown {
  return {
    jobId,
    datasetId: result.datasetId,
    anomalies: result.anomalies,
    classNames: result.classNames,
    runs: result.runs.map((run) => ({
      runId: run.runId,
      name: run.name,
      architecture: run.architecture,
      objective: run.objective,
      latentDim: run.latentDim,
      normalClasses: run.normalClasses,
      normalCount: run.normalCount,
      anomalyCount: run.anomalyCount,
      primary: run.primary,
      scores: run.scores.map((s) => ({ score: s.score, auroc: s.auroc, averagePrecision: s.averagePrecision })),
      pca: run.pca ? { k: run.pca.k, auroc: run.pca.auroc, averagePrecision: run.pca.averagePrecision } : null,
    })),
  };
}

/** Queues the anomaly analysis and waits for its result; a failed analysis is the command's error. */
async function score(lab: Lab, spec: Record<string, unknown>, json: boolean): Promise<{ result: AnomalyResult; jobId: string }> {
  const job = await lab.call('analyses.run', { analysis: 'anomaly', spec });
  if (!json) process.stderr.write(`scoring: ${safeName(job.title)} (job ${job.id})\n`);
  const finished = await lab.analyses.wait(job.id);
  if (finished.status !== 'done') throw new LabError(finished.error?.code ?? 'internal', finished.error?.message ?? `the anomaly analysis ${finished.status}`);
  const { result } = await lab.call('analyses.result', { id: job.id });
  if (!result) throw new LabError('internal', `the anomaly analysis ${job.id} finished but left no result`);
  return { result: result as AnomalyResult, jobId: job.id };
}

function scoringOptions(values: CliArgs['values']): Record<string, unknown> {
  const samples = values['mc-samples'];
  if (samples !== undefined && !/^\d+$/.test(String(samples))) throw new LabError('invalid-option', `--mc-samples must be a whole number of draws; '${safeName(String(samples))}' was given`);
  return { pca: values['no-pca'] !== true, ...(samples !== undefined ? { monteCarloSamples: Number(samples) } : {}) };
}

const finished = new Set<RunStatus>(['completed', 'early-stopped']);
const resumeHint = (id: string): string => `aelab anomaly --sweep ${id}`;

/**
 * Waits for a one-class sweep, showing training progress as `aelab train` does. A paused sweep
 * is waited for (another process may resume it) unless the user pressed Ctrl+C here: that
 * pauses it, and the command ends saying how to go on.
 */
async function waitForSweep(lab: Lab, id: string, json: boolean): Promise<JobSummary> {
  let interrupted = false;
  const onInterrupt = (): void => {
    interrupted = true;
    if (!json) process.stderr.write(`\nstopping: pausing sweep ${id}…\n`);
    void lab.call('jobs.pause', { id }).catch(() => undefined);
  };
  process.once('SIGINT', onInterrupt);
  // Under --json stdout carries the one result document only.
  const unsubscribe = json ? () => undefined : showProgress(lab, false);
  let last = '';
  try {
    for (;;) {
      const job = await lab.sweeps.get(id);
      // A line each time a member starts or ends (the epochs are `showProgress`'s), never the same twice.
      const step = `${job.status} ${job.progress?.done ?? 0}/${job.progress?.total ?? 0}`;
      if (!json && step !== last) process.stderr.write(`${process.stderr.isTTY ? '\r\u001b[2K' : ''}sweep ${step}: ${safeName(job.progress?.message ?? '')}\n`);
      last = step;
      const active = job.status === 'queued' || job.status === 'running' || (job.status === 'paused' && !interrupted);
      if (!active) return job;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  } finally {
    unsubscribe();
    process.removeListener('SIGINT', onInterrupt);
    if (process.stderr.isTTY && !json) process.stderr.write('\n');
  }
}

/** Scores a one-class sweep's trained members against the rest of their dataset and tabulates them. */
async function scoreSweep(lab: Lab, id: string, values: CliArgs['values'], json: boolean): Promise<{ text: string; value: unknown }> {
  let job = await lab.sweeps.get(id);
  if (job.status === 'paused' || job.status === 'interrupted') {
    if (!json) process.stderr.write(`resuming sweep ${id} (${job.progress?.done ?? 0} of ${job.progress?.total ?? 0} runs trained)\n`);
    await lab.call('jobs.resume', { id });
    job = await lab.sweeps.get(id);
  }
  if (job.status === 'queued' || job.status === 'running') job = await waitForSweep(lab, id, json);
  if (job.status === 'paused' || job.status === 'interrupted') {
    throw new LabError('cancelled', `sweep ${id} is ${job.status} with ${job.progress?.done ?? 0} of ${job.progress?.total ?? 0} runs trained; resume it and score it with: ${resumeHint(id)}`);
  }
  const results = await lab.call('sweeps.results', { id });
  if (!results.axes.some((axis) => axis.field === 'normalClasses')) {
    throw new LabError('invalid-option', `--sweep: sweep ${id} does not sweep normalClasses (it sweeps ${results.axes.map((a) => a.field).join(', ')}); score its runs with aelab anomaly RUN…`);
  }
  const trained = results.members.filter((m) => finished.has(m.run.status));
  const untrained = results.members.filter((m) => !finished.has(m.run.status)).map((m) => ({ runId: m.run.id, name: m.run.name, status: m.run.status, error: m.run.error }));
  if (trained.length === 0) throw new LabError('invalid-option', `--sweep: no run of sweep ${id} finished training (${untrained.map((m) => `${safeName(m.name)}: ${m.status}`).join('; ')})`);
  const { result, jobId } = await score(lab, { runIds: trained.map((m) => m.run.id), anomalies: { from: 'other-classes' }, ...scoringOptions(values) }, json);
  const table = oneClassTable(result);
  const notes = untrained.map((m) => `note: ${safeName(m.name)} is ${m.status}${m.error ? ` (${safeName(m.error)})` : ''} and is not in the table`);
  return { text: [oneClassText(table), ...notes].join('\n'), value: { sweepId: id, analysisJobId: jobId, ...table, untrained } };
}

/**
 * `aelab anomaly`: scores trained runs (RUN…), trains and scores the one-class benchmark
 * (--dataset … --one-class), or scores a one-class sweep already made (--sweep JOB).
 */
export async function anomalyCommand(lab: Lab, positionals: string[], values: CliArgs['values'], json: boolean): Promise<{ text: string; value: unknown }> {
  const mode = anomalyMode(positionals, values);
  refuseInapplicableFlags(mode, positionals, values);
  await lab.ensureBuiltins();
  if (mode === 'sweep') return scoreSweep(lab, String(values.sweep), values, json);
  if (mode === 'runs') {
    const runs = await Promise.all(positionals.map(async (id) => (await lab.call('runs.get', { id })).run));
    const datasets = await lab.call('datasets.list', {});
    const runDataset = datasets.find((d) => d.id === runs[0]?.config.datasetId);
    if (!runDataset) throw new LabError('not-found', `run ${positionals[0]}'s dataset '${runs[0]?.config.datasetId}' is not in this workspace`);
    const flag = parseAnomaliesFlag(typeof values.anomalies === 'string' ? values.anomalies : undefined);
    const anomalyDataset = flag.from === 'dataset' ? datasets.find((d) => d.id === flag.datasetId) : undefined;
    const anomalies = resolveAnomalies(flag, runDataset, anomalyDataset);
    const { result, jobId } = await score(lab, { runIds: positionals, anomalies, ...scoringOptions(values) }, json);
    return { text: runsText(result), value: runsJson(result, jobId) };
  }
  const dataset = await datasetNamed(lab, String(values.dataset));
  const classes = oneClassClasses(typeof values['one-class'] === 'string' ? values['one-class'] : undefined, dataset);
  const spec = oneClassSweepSpec(values, classes);
  const job = await lab.call('sweeps.create', { spec });
  if (!json) process.stderr.write(`sweep ${job.id}: ${safeName(job.title)} on ${safeName(dataset.name)}, classes ${classes.map((c) => `${c} ${safeName(dataset.classNames[c] ?? '')}`).join(', ')}\n`);
  return scoreSweep(lab, job.id, values, json);
}
