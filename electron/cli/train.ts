import { architectures } from '../../shared/catalogue/architectures.js';
import { builtinDatasets, isBuiltinDatasetId } from '../../shared/catalogue/builtinDatasets.js';
import { diagnosticCaptions, diagnosticWarnings } from '../../shared/catalogue/diagnostics.js';
import { objectives } from '../../shared/catalogue/objectives.js';
import type { RunConfigInput } from '../../shared/catalogue/runConfig.js';
import type { DatasetSummary } from '../../shared/domain/dataset.js';
import type { DiagnosticId, Diagnostics, Histogram, RunSummary, TestMetrics } from '../../shared/domain/run.js';
import { LabError } from '../../shared/result.js';
import { Lab } from '../lab/lab.js';
import type { CliArgs } from './args.js';
import { tasks } from '../../shared/catalogue/tasks.js';
import { safeName } from './output.js';

/** `--param key=value`: numbers, comma-separated whole-number lists, or words. */
export function parseParams(entries: string[] | undefined): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (const entry of entries ?? []) {
    const [key, ...rest] = entry.split('=');
    const value = rest.join('=');
    if (!key || rest.length === 0) throw new LabError('invalid-option', `--param ${entry}: expected key=value`);
    params[key] = /^-?\d+(,-?\d+)+$/.test(value) ? value.split(',').map(Number) : value !== '' && Number.isFinite(Number(value)) ? Number(value) : value;
  }
  return params;
}

const number = (values: CliArgs['values'], key: string): number | undefined => (typeof values[key] === 'string' ? Number(values[key]) : undefined);

/** "0 T-shirt/top, 1 Trouser, …": a dataset's classes as a message lists them. */
export const classListText = (classNames: readonly string[]): string => classNames.map((name, i) => `${i} ${safeName(name)}`).join(', ');

/**
 * A comma-separated list of classes (`0,2,5`, `T-shirt/top,Trouser`) as class indices of a
 * dataset. A name is matched first (exactly, then ignoring case), so that a folder dataset
 * whose classes are named "3" and "7" means those folders; otherwise a whole number is an index.
 */
export function resolveClasses(text: string, classNames: readonly string[], flag: string, dataset: string): number[] {
  const entries = text.split(',').map((entry) => entry.trim()).filter((entry) => entry !== '');
  if (entries.length === 0) throw new LabError('invalid-option', `${flag}: no classes given (a comma-separated list of class numbers or names)`);
  if (classNames.length === 0) throw new LabError('invalid-option', `${flag}: dataset '${safeName(dataset)}' has no classes (it is unlabelled)`);
  const classes = entries.map((entry) => {
    const exact = classNames.indexOf(entry);
    if (exact >= 0) return exact;
    const folded = classNames.map((name, i) => [name.toLowerCase(), i] as const).filter(([name]) => name === entry.toLowerCase());
    if (folded.length === 1) return folded[0]?.[1] ?? 0;
    if (/^\d+$/.test(entry) && Number(entry) < classNames.length) return Number(entry);
    throw new LabError('invalid-option', `${flag}: '${safeName(entry)}' is not a class of dataset '${safeName(dataset)}'; its classes are ${classListText(classNames)}`);
  });
  const repeated = classes.find((c, i) => classes.indexOf(c) !== i);
  if (repeated !== undefined) throw new LabError('invalid-option', `${flag}: class '${safeName(classNames[repeated] ?? String(repeated))}' is given twice`);
  return classes;
}

/**
 * `--normal-classes`: class numbers stand as they are (the run's check refuses one the dataset
 * lacks); names need the dataset's classes, which `aelab train` looks up.
 */
function normalClassesFromArgs(values: CliArgs['values'], classNames: readonly string[] | undefined, dataset: string): number[] | undefined {
  const text = values['normal-classes'];
  if (typeof text !== 'string') return undefined;
  if (classNames) return resolveClasses(text, classNames, '--normal-classes', dataset);
  const entries = text.split(',').map((entry) => entry.trim());
  if (entries.some((entry) => !/^\d+$/.test(entry))) throw new LabError('invalid-option', `--normal-classes: give class numbers here (${safeName(text)} was given); aelab train also takes class names`);
  return entries.map(Number);
}

/** The run configuration the flags describe; `classNames` (of the --dataset) lets --normal-classes name classes. */
export function configFromArgs(values: CliArgs['values'], classNames?: readonly string[]): RunConfigInput {
  if (typeof values.dataset !== 'string') throw new LabError('invalid-option', '--dataset is required (see aelab datasets)');
  const params = parseParams(values.param as string[] | undefined);
  const architecture = (values.arch ?? 'dense') as RunConfigInput['architecture'];
  const objective = (values.objective ?? 'plain') as RunConfigInput['objective'];
  // --param keys go to whichever of architecture and objective declares them; a single number
  // for a list hyperparameter (hiddenWidths=256) is a list of one.
  const archSpecs = architectures[architecture]?.params ?? {};
  const objectiveKeys = new Set(Object.keys(objectives[objective]?.params ?? {}));
  const task = (values.task ?? 'reconstruct') as NonNullable<RunConfigInput['task']>;
  // The task's own keys (colourSpace, holeSize…) first: no architecture or objective shares them.
  const taskKeys = new Set(Object.keys(tasks[task]?.params ?? {}));
  const entries = Object.entries(params).map(([k, v]) => [k, archSpecs[k]?.kind === 'integers' && typeof v === 'number' ? [v] : v] as const);
  const normalClasses = normalClassesFromArgs(values, classNames, values.dataset);
  return {
    datasetId: values.dataset,
    ...(normalClasses ? { normalClasses } : {}),
    ...(typeof values.name === 'string' ? { name: values.name } : {}),
    task,
    taskParams: Object.fromEntries(entries.filter(([k]) => taskKeys.has(k))),
    architecture,
    objective,
    architectureParams: Object.fromEntries(entries.filter(([k]) => !objectiveKeys.has(k) && !taskKeys.has(k))),
    objectiveParams: Object.fromEntries(entries.filter(([k]) => objectiveKeys.has(k))),
    latentDim: number(values, 'latent'),
    epochs: number(values, 'epochs'),
    batchSize: number(values, 'batch'),
    learningRate: number(values, 'lr'),
    optimizer: values.optimizer as RunConfigInput['optimizer'],
    reconstructionLoss: values.loss as RunConfigInput['reconstructionLoss'],
    earlyStoppingPatience: number(values, 'patience'),
    seed: number(values, 'seed'),
  };
}

const bar = (fraction: number, width = 24): string => `[${'#'.repeat(Math.round(fraction * width)).padEnd(width, '.')}]`;

export const defined = (config: RunConfigInput): RunConfigInput => Object.fromEntries(Object.entries(config).filter(([, v]) => v !== undefined)) as RunConfigInput;

/** The dataset `--dataset ID` names, or an error listing the workspace's. */
export async function datasetNamed(lab: LabClient, id: string): Promise<DatasetSummary> {
  const datasets = await lab.call('datasets.list', {});
  const dataset = datasets.find((d) => d.id === id);
  if (!dataset) {
    // A built-in the workspace lacks (Fashion-MNIST without its package) comes with how to get it.
    const builtin = isBuiltinDatasetId(id) ? `. To get ${builtinDatasets[id].name}, ${builtinDatasets[id].howToGet}` : '';
    throw new LabError('not-found', `--dataset: no dataset '${safeName(id)}' in this workspace; it has ${datasets.length === 0 ? 'none (aelab import PATH…)' : datasets.map((d) => d.id).join(', ')}${builtin}`);
  }
  return dataset;
}

/**
 * The runs to queue: one from the flags, or every variant of a saved or lecture configuration
 * (`--preset ID`) on the given dataset, with --epochs, --batch, --lr and --seed applied to each.
 */
export async function configsFromArgs(lab: LabClient, values: CliArgs['values']): Promise<RunConfigInput[]> {
  if (typeof values.dataset !== 'string') throw new LabError('invalid-option', '--dataset is required (see aelab datasets)');
  // Class names are resolved here, where the dataset is known; a configuration's dataset is looked up before anything is queued.
  const dataset = typeof values['normal-classes'] === 'string' || typeof values.preset === 'string' ? await datasetNamed(lab, values.dataset) : undefined;
  if (typeof values.preset !== 'string') return [defined(configFromArgs(values, dataset?.classNames))];
  const normalClasses = normalClassesFromArgs(values, dataset?.classNames, values.dataset);
  const presets = await lab.call('presets.list', {});
  const preset = presets.find((p) => p.id === values.preset);
  if (!preset) throw new LabError('not-found', `--preset: no configuration '${values.preset}' (see aelab presets)`);
  const overrides = Object.fromEntries(
    Object.entries({ epochs: number(values, 'epochs'), batchSize: number(values, 'batch'), learningRate: number(values, 'lr'), seed: number(values, 'seed') }).filter(([, v]) => v !== undefined),
  ) as Partial<RunConfigInput>;
  const datasetId = values.dataset;
  return preset.variants.map((variant) => ({ ...variant, datasetId, ...(normalClasses ? { normalClasses } : {}), ...overrides }));
}

/** A lab to call: this process's own, or the one of the process that owns the workspace. */
export type LabClient = Pick<Lab, 'call' | 'on'>;

/** Training progress on stderr (a bar on a terminal, a line per epoch otherwise) or as JSON lines, until unsubscribed. */
export function showProgress(client: LabClient, json: boolean): () => void {
  return client.on((channel, payload) => {
    if (channel === 'runs.progress') {
      const p = payload as { epoch: number; batch: number; batches: number; loss: Record<string, number>; samplesPerSecond: number; etaSeconds: number };
      if (json) process.stdout.write(`${JSON.stringify({ type: 'progress', ...p })}\n`);
      else if (process.stderr.isTTY) {
        process.stderr.write(`\repoch ${p.epoch} ${bar(p.batch / p.batches)} loss ${p.loss.total?.toFixed(4)}  ${Math.round(p.samplesPerSecond)} samples/s  ETA ${Math.round(p.etaSeconds)} s   `);
      }
    }
    if (channel === 'runs.changed' && !json) {
      const { run } = payload as { run: RunSummary };
      if (!process.stderr.isTTY && run.status === 'running' && run.epoch > 0) process.stderr.write(`epoch ${run.epoch}/${run.epochs} done\n`);
    }
  });
}

const active = new Set<RunSummary['status']>(['queued', 'running', 'paused']);

/**
 * Waits until each run has stopped: in this process, until its engines are idle; through the
 * owner of the workspace, by asking it until every run has a final state.
 */
export async function waitForRuns(client: LabClient, ids: string[], json: boolean): Promise<RunSummary[]> {
  const unsubscribe = showProgress(client, json);
  try {
    if (client instanceof Lab) await client.runs.idle();
    else {
      while (true) {
        const runs = await Promise.all(ids.map(async (id) => (await client.call('runs.get', { id })).run));
        if (runs.every((run) => !active.has(run.status))) break;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
  } finally {
    unsubscribe();
    if (process.stderr.isTTY && !json) process.stderr.write('\n');
  }
  return Promise.all(ids.map(async (id) => (await client.call('runs.get', { id })).run));
}

/**
 * Trains runs to the end in engine processes, showing progress; the run folders are the same
 * the UI reads. Where another process owns the workspace, that process trains them and this
 * one follows until they stop.
 */
export async function trainCommand(lab: Lab, values: CliArgs['values'], json: boolean, owner: LabClient | null = null): Promise<Array<{ text: string; value: unknown; run: RunSummary }>> {
  const client = owner ?? lab;
  // The built-in datasets are made by the owner, on its first list.
  if (owner) await owner.call('datasets.list', {});
  else await lab.ensureBuiltins();
  const configs = await configsFromArgs(client, values);
  // Every configuration is checked before any is queued, so a bad variant queues nothing.
  for (const [i, config] of configs.entries()) {
    await lab.runs.check(config).catch((cause: unknown) => {
      if (configs.length === 1 || !(cause instanceof LabError)) throw cause;
      throw new LabError(cause.code, `variant ${i + 1} (${config.name ?? config.architecture}): ${cause.message}`);
    });
  }
  const created: RunSummary[] = [];
  for (const config of configs) created.push(await client.call('runs.create', { config: config as Record<string, unknown> }));
  await waitForRuns(client, created.map((run) => run.id), json);
  return Promise.all(created.map((run) => summarise(client, run.id)));
}

async function summarise(lab: LabClient, id: string): Promise<{ text: string; value: unknown; run: RunSummary }> {
  const details = await lab.call('runs.get', { id });
  // The engines are done: a run still shown active lost its final state, and is not reported as running.
  const run: RunSummary = active.has(details.run.status)
    ? { ...details.run, status: 'interrupted', error: details.run.error ?? 'The run stopped without recording a final state; resume it to continue from its last checkpoint' }
    : details.run;
  const summary = {
    type: 'summary',
    runId: run.id,
    status: run.status,
    backend: run.backend,
    opByOp: run.opByOp ?? null,
    samplesPerSecond: run.samplesPerSecond,
    error: run.error,
    epochs: details.metrics.length,
    test: details.evaluation,
  };
  const m = details.evaluation;
  const text = [
    `run ${run.id} (${safeName(run.name)}): ${run.status}${run.error ? ` — ${safeName(run.error)}` : ''}`,
    `  backend ${run.backend ?? '?'}, ${Math.round(run.samplesPerSecond ?? 0)} samples/s, ${details.metrics.length} epochs`,
    ...(run.opByOp ? [`  trains op by op: ${safeName(run.opByOp)}`] : []),
    ...(m?.imaging ? [`  images: PSNR ${m.imaging.psnr.toFixed(2)} dB${m.imaging.ssim !== null ? `, SSIM ${m.imaging.ssim.toFixed(3)}` : ''}${m.imaging.colourfulness ? `, colourfulness ${m.imaging.colourfulness.output.toFixed(1)} (targets ${m.imaging.colourfulness.target.toFixed(1)})` : ''}${m.imaging.hole ? `, MSE in the hole ${m.imaging.hole.inside?.toFixed(5) ?? '–'}, outside ${m.imaging.hole.outside?.toFixed(5) ?? '–'}` : ''}`] : []),
    ...(m ? [`  test MSE ${m.mse.toFixed(5)}, PSNR ${m.psnr.toFixed(2)} dB${m.bce !== null ? `, BCE ${m.bce.toFixed(4)}` : ''}${m.elbo !== null ? `, ELBO ${m.elbo.toFixed(2)}, active units ${m.activeUnits}` : ''}`] : []),
    ...diagnosticWarnings(m?.diagnostics).map((w) => `  warning: ${w}`),
  ].join('\n');
  return { text, value: summary, run };
}

const figure = (v: number): string => (Number.isInteger(v) ? String(v) : Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(3) : String(Number(v.toPrecision(4))));
const figures = (values: readonly number[]): string => values.map(figure).join(', ');
const share = (fraction: number): string => `${(fraction * 100).toFixed(1)} %`;
const bars = '▁▂▃▄▅▆▇█';

/** A histogram as one line: its range, a bar per bin, and the counts. */
function histogramLines(h: Histogram, indent: string): string[] {
  const top = Math.max(1, ...h.counts);
  const spark = h.counts.map((c) => (c === 0 ? ' ' : (bars[Math.min(bars.length - 1, Math.floor((c / top) * bars.length))] ?? ' '))).join('');
  return [`${indent}histogram over [${figure(h.low)}, ${figure(h.high)}], ${h.counts.length} bins: |${spark}|`, `${indent}  counts: ${h.counts.join(' ')}`];
}

type DiagnosticLines = { [K in DiagnosticId]: (d: NonNullable<Diagnostics[K]>) => string[] };

/** Each diagnostic's figures, with the sample and cut-offs they were computed with. */
const diagnosticLines: DiagnosticLines = {
  codeActivations: (d) => [
    ...histogramLines(d.histogram, '    ').map((line, i) => (i === 0 ? `${line} (${d.histogramRange})` : line)),
    `    near zero: ${share(d.nearZeroShare)} of values have |h| < ${figure(d.nearZeroCutoff)} (${d.nearZeroFraction * 100} % of the ${d.nearZeroRelativeTo})`,
    `    mean per unit: ${figures(d.meanPerUnit)}`,
    ...(d.target !== null ? [`    target ρ ${figure(d.target)}; KL(ρ ‖ ρ̂ⱼ) per unit: ${figures(d.klToTargetPerUnit ?? [])}`] : []),
  ],
  jacobianNorms: (d) => [
    `    ${d.codeUnits} code units; at most ${d.sampleCap} images, fewer for a costly Jacobian`,
    `    mean ‖J‖_F ${figure(d.meanNorm)}, mean ‖J‖²_F ${figure(d.meanSquaredNorm)}`,
    `    quantiles: ${d.quantiles.map(({ q, value }) => `${q * 100} % ${figure(value)}`).join(', ')}`,
    ...histogramLines(d.histogram, '    '),
  ],
  posterior: (d) => [
    `    KL per unit (nats): ${figures(d.klPerUnit)}`,
    `    Var over images of μ per unit: ${figures(d.meanVariancePerUnit)}`,
    `    active units (Var of μ > ${d.activeVarianceThreshold}): ${d.activeUnits} of ${d.klPerUnit.length}`,
    `    posterior collapse (every unit's KL < ${d.collapseKlThreshold} nats): ${d.collapsed ? 'yes' : 'no'}`,
    `    decoding from another image's code changes the output by ${figure(d.shuffledCodeDifference)} per pixel, against a pixel variance of ${figure(d.pixelVariance)}`,
    `    decoder ignores z (change < ${d.ignoresCodeFraction * 100} % of the pixel variance): ${d.ignoresCode ? 'yes' : 'no'}`,
  ],
  copyCheck: (d) => [
    `    noise U(${figure(d.noiseLow)}, ${figure(d.noiseHigh)}); code of ${d.codeSize} values for ${d.inputSize} inputs`,
    `    test MSE ${figure(d.testMse)}, noise MSE ${figure(d.noiseMse)}, ratio ${figure(d.ratio)}`,
    `    copying (ratio < ${d.ratioThreshold}): ${d.copies ? 'yes' : 'no'}`,
  ],
};

function diagnosticSection<K extends DiagnosticId>(id: K, diagnostics: Diagnostics): string[] {
  const diagnostic = diagnostics[id];
  return diagnostic ? [`  ${diagnosticCaptions[id](diagnostic)}`, ...diagnosticLines[id](diagnostic)] : [];
}

const diagnosticsText = (diagnostics: Diagnostics): string[] => (Object.keys(diagnosticLines) as DiagnosticId[]).flatMap((id) => diagnosticSection(id, diagnostics));

/** `aelab eval RUN` without --json: every figure the JSON has, with what it was computed on. */
export function evaluationText(runId: string, m: TestMetrics): string {
  return [
    `run ${runId}: test MSE ${m.mse.toFixed(5)}, PSNR ${m.psnr.toFixed(2)} dB${m.bce !== null ? `, BCE ${m.bce.toFixed(4)}` : ''} (over ${m.testSamples} test samples)`,
    `  test loss per sample: ${Object.entries(m.loss).map(([name, value]) => `${name} ${value === null ? '—' : figure(value)}`).join(', ')}`,
    `  per-class MSE: ${m.perClassMse.map((v) => (v === null ? '—' : v.toFixed(4))).join(', ')}`,
    ...(m.elbo !== null ? [`  ELBO ${m.elbo.toFixed(2)} nats per sample`] : []),
    ...(m.klPerUnit !== null ? [`  KL per latent unit: ${figures(m.klPerUnit)}`] : []),
    ...(m.activeUnits !== null ? [`  active units: ${m.activeUnits}`] : []),
    ...(m.meanActivation !== null ? [`  mean |code activation| ${figure(m.meanActivation)}`] : []),
    ...(m.nearZeroShare !== null ? [`  code values with |h| < 0.01: ${share(m.nearZeroShare)}`] : []),
    ...(m.meanJacobianNorm !== null ? [`  mean ‖∂f/∂x‖²_F ${figure(m.meanJacobianNorm)}${m.diagnostics?.jacobianNorms ? ` (over ${m.diagnostics.jacobianNorms.testImages} test images)` : ''}`] : []),
    ...(m.diagnostics ? ['diagnostics:', ...diagnosticsText(m.diagnostics)] : []),
    ...diagnosticWarnings(m.diagnostics).map((w) => `warning: ${w}`),
  ].join('\n');
}
