import { pcaAt, type PcaSummary } from '../../shared/analyses/pca/pcaSpec.js';
import type { EvaluationResult } from '../../shared/analyses/evaluation/evaluationSpec.js';
import type { PrincipalAnglesResult } from '../../shared/analyses/principalAngles/principalAnglesSpec.js';
import type { RobustnessResult } from '../../shared/analyses/robustness/robustnessSpec.js';
import { architectures } from '../../shared/catalogue/architectures.js';
import { objectives } from '../../shared/catalogue/objectives.js';
import type { JobSummary } from '../../shared/domain/job.js';
import type { SweepAxis, SweepSpec } from '../../shared/domain/sweep.js';
import { LabError } from '../../shared/result.js';
import type { Lab } from '../lab/lab.js';
import type { CliArgs } from './args.js';
import { safeName } from './output.js';
import { configFromArgs, evaluationText } from './train.js';

const listOf = (text: string): string[] => text.split(',').map((v) => v.trim()).filter((v) => v !== '');
const valueOf = (text: string): number | string => (text !== '' && Number.isFinite(Number(text)) ? Number(text) : text);

/** `aelab pca --dataset ID [--k 2,4,8]`: the dataset's PCA (computed once, then read from its cache). */
export async function pcaCommand(lab: Lab, values: CliArgs['values']): Promise<{ text: string; value: unknown }> {
  if (typeof values.dataset !== 'string') throw new LabError('invalid-option', '--dataset is required (see aelab datasets)');
  await lab.ensureBuiltins();
  let summary = await lab.call('analyses.pca', { datasetId: values.dataset });
  if (!summary) {
    const job = await lab.call('analyses.run', { analysis: 'pca', spec: { datasetId: values.dataset } });
    const finished = await lab.analyses.wait(job.id);
    if (finished.status !== 'done') throw new LabError(finished.error?.code ?? 'internal', finished.error?.message ?? `the PCA job ${finished.status}`);
    summary = await lab.call('analyses.pca', { datasetId: values.dataset });
    if (!summary) throw new LabError('internal', 'the PCA finished but left no result');
  }
  const ks = typeof values.k === 'string' ? listOf(values.k).map(Number) : [1, 2, 4, 8, 16, 32, 64, 128, 256].filter((k) => k <= (summary?.components ?? 0));
  const bad = ks.find((k) => !Number.isInteger(k) || k < 1);
  if (bad !== undefined) throw new LabError('invalid-option', `--k: '${bad}' is not a whole number of components ≥ 1`);
  return pcaOutput(summary, ks);
}

function pcaOutput(summary: PcaSummary, ks: number[]): { text: string; value: unknown } {
  const rows = ks.map((k) => {
    const at = pcaAt(summary, k);
    if (!at || at.k !== k) throw new LabError('invalid-option', `--k ${k}: the PCA keeps ${summary.components} components of ${summary.dimension}`);
    return { k, explainedVariance: at.explained, testMse: at.testMse };
  });
  const how = `${summary.method}${summary.errorBound ? `, ${summary.errorBound.text}` : ''}; ${summary.trainCount} training samples × ${summary.dimension}; test error on the ${summary.evaluatedOn} split (${summary.testCount}); ${summary.seconds.toFixed(2)} s`;
  const text = [`PCA of ${summary.datasetId} (${how})`, '    k  explained variance  test MSE', ...rows.map((r) => `${String(r.k).padStart(5)}  ${(r.explainedVariance * 100).toFixed(2).padStart(17)} %  ${r.testMse.toFixed(6)}`)].join('\n');
  return { text, value: { datasetId: summary.datasetId, method: summary.method, errorBound: summary.errorBound, dimension: summary.dimension, seconds: summary.seconds, components: rows } };
}

/**
 * `aelab sweep`: the train flags, where a comma-separated list makes an axis — `--latent 2,4,8`,
 * `--arch dense,conv`, `--lr 1e-3,1e-2`, `--param level=0.1,0.3`; a list hyperparameter's
 * values are separated by ';' (`--param hiddenWidths=256,64;512,128`).
 */
export function sweepSpecFromArgs(values: CliArgs['values']): SweepSpec {
  const axes: SweepAxis[] = [];
  const first: CliArgs['values'] = { ...values };
  const flagFields: Record<string, string> = { arch: 'architecture', objective: 'objective', latent: 'latentDim', lr: 'learningRate', batch: 'batchSize', epochs: 'epochs', loss: 'reconstructionLoss', optimizer: 'optimizer' };
  for (const [flag, field] of Object.entries(flagFields)) {
    const text = values[flag];
    if (typeof text !== 'string' || !text.includes(',')) continue;
    const list = listOf(text);
    axes.push({ field, values: list.map(valueOf) });
    first[flag] = list[0];
  }
  const params: string[] = [];
  const architecture = String(first.arch ?? 'dense') as keyof typeof architectures;
  const objective = String(first.objective ?? 'plain') as keyof typeof objectives;
  for (const entry of (values.param as string[] | undefined) ?? []) {
    const [key = '', ...rest] = entry.split('=');
    const value = rest.join('=');
    const spec = architectures[architecture]?.params[key] ?? objectives[objective]?.params[key];
    const group = architectures[architecture]?.params[key] ? 'architectureParams' : 'objectiveParams';
    const isList = spec?.kind === 'integers';
    const choices = isList ? value.split(';') : value.split(',');
    if (choices.length > 1) {
      axes.push({ field: `${group}.${key}`, values: choices.map((c) => (isList ? listOf(c).map(Number) : valueOf(c))) });
      params.push(`${key}=${choices[0]}`);
    } else params.push(entry);
  }
  first.param = params;
  if (axes.length === 0) throw new LabError('invalid-option', 'a sweep needs at least one list of values, e.g. --latent 2,4,8 or --param level=0.1,0.3');
  const base = configFromArgs(first);
  return { ...(typeof values.name === 'string' ? { name: values.name } : {}), base: Object.fromEntries(Object.entries(base).filter(([, v]) => v !== undefined)), axes };
}

const jobLine = (job: JobSummary): string =>
  `${job.id}  ${job.kind.padEnd(8)} ${(job.pendingControl ? `${job.pendingControl}…` : job.status).padEnd(11)} ${job.progress ? `${job.progress.done}/${job.progress.total}`.padStart(7) : '       '}  ${safeName(job.title)}${job.error ? `  (${safeName(job.error.message)})` : ''}`;

export function jobsText(jobs: JobSummary[]): string {
  return jobs.length === 0 ? 'No jobs yet: aelab train, aelab sweep or aelab pca' : ['id                     kind     status      progress  title', ...jobs.map(jobLine)].join('\n');
}

/** Queues the sweep, waits for every member, and prints the error against the swept values with PCA beside it. */
export async function sweepCommand(lab: Lab, values: CliArgs['values'], json: boolean): Promise<{ text: string; value: unknown; job: JobSummary }> {
  await lab.ensureBuiltins();
  const spec = sweepSpecFromArgs(values);
  const job = await lab.call('sweeps.create', { spec });
  // One line each time the sweep moves on (a member's epoch, a member done), never the same line twice.
  let last = '';
  const report = (changed: JobSummary): void => {
    const line = `${changed.status} ${changed.progress?.done ?? 0}/${changed.progress?.total ?? 0}: ${changed.progress?.message ?? ''}`;
    if (json || line === last) return;
    last = line;
    process.stderr.write(`${safeName(line)}\n`);
  };
  if (!json) process.stderr.write(`${jobLine(job)}\n`);
  const unsubscribe = lab.on((channel, payload) => {
    if (channel !== 'jobs.changed') return;
    const changed = (payload as { job: JobSummary }).job;
    if (changed.id === job.id) report(changed);
  });
  const finished = await lab.sweeps.wait(job.id).finally(unsubscribe);
  const datasetId = String(spec.base.datasetId);
  // PCA at each member's latent size is the baseline every sweep is read against.
  if (!(await lab.call('analyses.pca', { datasetId }))) await lab.analyses.wait((await lab.call('analyses.run', { analysis: 'pca', spec: { datasetId } })).id);
  const results = await lab.call('sweeps.results', { id: job.id });
  const rows = results.members.map((m) => {
    const pca = results.pca ? pcaAt(results.pca, m.run.config.latentDim) : null;
    return { runId: m.run.id, point: m.point, status: m.run.status, latentDim: m.run.config.latentDim, testMse: m.evaluation?.mse ?? null, pcaTestMse: pca?.testMse ?? null };
  });
  const fields = results.axes.map((a) => a.field);
  const text = [
    `${finished.title}: ${finished.status}`,
    `${fields.map((f) => f.padEnd(22)).join('')}  test MSE   PCA-d MSE  run`,
    ...rows.map((r) => `${fields.map((f) => String(r.point[f] ?? '').padEnd(22)).join('')}  ${r.testMse === null ? '   —    ' : r.testMse.toFixed(5)}   ${r.pcaTestMse === null ? '   —    ' : r.pcaTestMse.toFixed(5)}  ${r.runId} (${r.status})`),
  ].join('\n');
  return { text, value: { job: finished, axes: results.axes, members: rows }, job: finished };
}

/** Queues an analysis and waits for its result; a failed analysis is the command's error. */
async function analyse(lab: Lab, analysis: string, spec: Record<string, unknown>): Promise<Record<string, unknown>> {
  await lab.ensureBuiltins();
  const job = await lab.call('analyses.run', { analysis, spec });
  const finished = await lab.analyses.wait(job.id);
  if (finished.status !== 'done') throw new LabError(finished.error?.code ?? 'internal', finished.error?.message ?? `the analysis ${finished.status}`);
  const { result } = await lab.call('analyses.result', { id: job.id });
  if (!result) throw new LabError('internal', `the analysis ${job.id} finished but left no result`);
  return result;
}

/** `aelab angles RUN`: a linear autoencoder's subspace against PCA's. */
export async function anglesCommand(lab: Lab, positionals: string[]): Promise<{ text: string; value: unknown }> {
  const runId = positionals[0];
  if (!runId) throw new LabError('invalid-request', 'angles needs a RUN id of a linear autoencoder (see aelab runs)');
  const result = (await analyse(lab, 'principalAngles', { runId })) as PrincipalAnglesResult;
  const degrees = (angles: number[]): string => angles.map((a) => `${a.toFixed(1)}°`).join(', ');
  const text = [
    `run ${runId} (d = ${result.latentDim}, ${result.checkpoint} checkpoint) against PCA's top ${result.latentDim} components:`,
    `  decoder column space: ${degrees(result.anglesDegrees)}`,
    `  encoder row space:    ${degrees(result.encoderAnglesDegrees)}`,
    `  test MSE: this run ${result.runTestMse?.toFixed(6) ?? '—'}, PCA-${result.latentDim} ${result.pcaTestMse.toFixed(6)}, gap ${result.errorGap?.toExponential(2) ?? '—'}`,
  ].join('\n');
  return { text, value: result };
}

/** `aelab robustness RUN… [--corruption gaussian] [--levels 0,0.1,0.3]`: test error under corruption at test time. */
export async function robustnessCommand(lab: Lab, positionals: string[], values: CliArgs['values']): Promise<{ text: string; value: unknown }> {
  if (positionals.length === 0) throw new LabError('invalid-request', 'robustness needs one or more RUN ids of one dataset (see aelab runs)');
  const levels = typeof values.levels === 'string' ? listOf(values.levels).map(Number) : undefined;
  const spec = {
    runIds: positionals,
    ...(typeof values.corruption === 'string' ? { corruption: values.corruption } : {}),
    ...(levels ? { levels } : {}),
    ...(typeof values.samples === 'string' ? { samples: Number(values.samples) } : {}),
  };
  const result = (await analyse(lab, 'robustness', spec)) as RobustnessResult;
  const header = `${'level'.padEnd(28)}${result.levels.map((l) => l.toFixed(2).padStart(10)).join('')}`;
  const row = (name: string, mse: number[]): string => `${safeName(name).slice(0, 27).padEnd(28)}${mse.map((v) => v.toFixed(5).padStart(10)).join('')}`;
  const text = [
    `test MSE against the clean input, ${result.corruption} corruption at test time, ${result.samples} test images of ${result.datasetId}:`,
    header,
    ...result.lines.map((l) => row(l.name, l.mse)),
    ...result.pca.map((p) => row(`PCA-${p.k}`, p.mse)),
  ].join('\n');
  return { text, value: result };
}

/** `aelab evaluate RUN`: the run evaluated again with this lab's evaluation, as a job. */
export async function evaluateCommand(lab: Lab, positionals: string[]): Promise<{ text: string; value: unknown }> {
  const runId = positionals[0];
  if (!runId) throw new LabError('invalid-request', 'evaluate needs a RUN id (see aelab runs)');
  const result = (await analyse(lab, 'evaluation', { runId })) as EvaluationResult;
  return { text: `${evaluationText(runId, result.metrics)}\n  (evaluated again from the ${result.checkpoint} checkpoint)`, value: result };
}
