import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ClassifierFiles, ClassifierInfo } from '../../shared/analyses/probe/classifierInfo.js';
import { parseLabelCounts } from '../../shared/analyses/probe/labelCounts.js';
import { labelsKey, winners } from '../../shared/analyses/probe/probeCurves.js';
import { probeBaselines, probeHeads, probeModes, probeSpecSchema, type LabelsPerClass, type ProbeLine, type ProbePoint, type ProbeResult, type ProbeSpec } from '../../shared/analyses/probe/probeSpec.js';
import { firstIssueSentence } from '../../shared/contract/userMessages.js';
import type { JobProgress, JobSummary } from '../../shared/domain/job.js';
import type { RunSummary } from '../../shared/domain/run.js';
import { LabError } from '../../shared/result.js';
import { classifierInfoFormat } from '../format/jobs/jobFolder.js';
import { writeVersioned } from '../format/versionedFile.js';
import type { Lab } from '../lab/lab.js';
import type { CliArgs } from './args.js';
import { safeName } from './output.js';

/** What `aelab probe` needs of a lab: to queue the analysis, follow it, and read it back. */
export type ProbeLab = Pick<Lab, 'call' | 'on' | 'ensureBuiltins'> & { analyses: Pick<Lab['analyses'], 'wait'> };
/** What `aelab probe export` needs: the contract's reads only. */
export type ExportLab = Pick<Lab, 'call'>;

const globalFlags = ['workspace', 'json', 'help'] as const;
const probeFlags = new Set<string>([...globalFlags, 'run', 'labels', 'draws', 'modes', 'baselines', 'head', 'hidden', 'no-knn', 'lr', 'encoder-lr-factor', 'max-epochs', 'max-steps', 'patience', 'batch', 'seed', 'no-keep']);
const exportFlags = new Set<string>([...globalFlags, 'line', 'labels', 'out', 'force']);
/** Where a user reaches for a flag of another command, the one that does it here. */
const probeHints: Partial<Record<string, string>> = {
  epochs: '; the classifiers’ budget is --max-epochs N (and --max-steps N)',
  dataset: '; the runs’ dataset is the one probed',
  latent: '; the features are the runs’ codes (PCA takes the same k)',
  samples: '; every sample of the test split is tested',
};

/** Refuses a flag the command would ignore: a user who types it believes it changed something. */
function refuseStrayFlags(values: CliArgs['values'], allowed: ReadonlySet<string>, what: string, hints: Partial<Record<string, string>> = {}): void {
  // Boolean flags are false when not typed (their default), which is not a flag given.
  const stray = Object.keys(values).find((flag) => values[flag] !== undefined && values[flag] !== false && !allowed.has(flag));
  if (stray !== undefined) throw new LabError('invalid-option', `--${stray} does not apply to ${what}${hints[stray] ?? ''}`);
}

const listOf = (text: string): string[] => text.split(',').map((entry) => entry.trim());

/** `--labels 1,5,10,all`: the shared parser of the probe form, its problem prefixed with the flag. */
export function parseLabels(text: string): LabelsPerClass[] {
  const parsed = parseLabelCounts(text);
  if ('problem' in parsed) throw new LabError('invalid-option', `--labels: ${safeName(parsed.problem)}`);
  return parsed.counts;
}

/** A comma list of names from `choices` (or `none`, where an empty choice makes sense), none twice. */
function parseChoices<T extends string>(flag: string, text: string, choices: readonly T[], what: string, none: boolean): T[] {
  if (none && text.trim() === 'none') return [];
  const picked = listOf(text).map((entry) => {
    if (!(choices as readonly string[]).includes(entry)) throw new LabError('invalid-option', `--${flag}: '${safeName(entry)}' is not ${what}; give a comma list of ${choices.join(', ')}${none ? ', or none' : ''}`);
    return entry as T;
  });
  const repeated = picked.find((c, i) => picked.indexOf(c) !== i);
  if (repeated !== undefined) throw new LabError('invalid-option', `--${flag}: ${repeated} is given twice`);
  return picked;
}

function wholeNumber(values: CliArgs['values'], flag: string, what: string): number | undefined {
  const text = values[flag];
  if (typeof text !== 'string') return undefined;
  if (!/^\d+$/.test(text.trim())) throw new LabError('invalid-option', `--${flag}: '${safeName(text)}' is not ${what} (a whole number)`);
  return Number(text);
}

function positiveNumber(values: CliArgs['values'], flag: string, what: string): number | undefined {
  const text = values[flag];
  if (typeof text !== 'string') return undefined;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value <= 0) throw new LabError('invalid-option', `--${flag}: '${safeName(text)}' is not ${what} (a number above 0)`);
  return value;
}

/** The spec's fields named as they are typed, for the schema's messages. */
const specFlags: Record<string, string> = {
  runIds: '--run',
  labelsPerClass: '--labels',
  draws: '--draws',
  head: '--head',
  hiddenUnits: '--hidden',
  modes: '--modes',
  baselines: '--baselines',
  learningRate: '--lr',
  encoderLearningRateFactor: '--encoder-lr-factor',
  maxEpochs: '--max-epochs',
  maxSteps: '--max-steps',
  patience: '--patience',
  batchSize: '--batch',
  seed: '--seed',
};

const probeOptionsSchema = probeSpecSchema.omit({ runIds: true });
export type ProbeOptions = Omit<ProbeSpec, 'runIds'>;

const schemaMessage = (error: Parameters<typeof firstIssueSentence>[0], input: unknown): string => firstIssueSentence(error, input, (path) => specFlags[String(path[0])], 'The probe');

/**
 * The probe's options as the flags give them (every field not typed at its default), checked
 * by the analysis's own schema, so that the CLI refuses what the lab would, naming the flag.
 */
export function probeOptionsFromArgs(values: CliArgs['values']): ProbeOptions {
  refuseStrayFlags(values, probeFlags, 'aelab probe --run R…', probeHints);
  const head = typeof values.head === 'string' ? values.head.trim() : undefined;
  if (head !== undefined && !(probeHeads as readonly string[]).includes(head)) throw new LabError('invalid-option', `--head: '${safeName(head)}' is not a head; give ${probeHeads.join(' or ')}`);
  if (values.hidden !== undefined && head !== 'mlp') throw new LabError('invalid-option', '--hidden sets the hidden units of the MLP head; it needs --head mlp');
  const modes = typeof values.modes === 'string' ? parseChoices('modes', values.modes, probeModes, 'a mode', true) : undefined;
  if (values['encoder-lr-factor'] !== undefined && modes !== undefined && !modes.includes('finetune')) {
    throw new LabError('invalid-option', '--encoder-lr-factor sets the fine-tuned encoder’s learning rate; it needs finetune in --modes');
  }
  const options = {
    ...(typeof values.labels === 'string' ? { labelsPerClass: parseLabels(values.labels) } : {}),
    ...defined({
      draws: drawsOf(values),
      head,
      hiddenUnits: wholeNumber(values, 'hidden', 'a number of hidden units'),
      modes,
      baselines: typeof values.baselines === 'string' ? parseChoices('baselines', values.baselines, probeBaselines, 'a baseline', true) : undefined,
      learningRate: positiveNumber(values, 'lr', 'a learning rate'),
      encoderLearningRateFactor: positiveNumber(values, 'encoder-lr-factor', 'a factor of the learning rate'),
      maxEpochs: wholeNumber(values, 'max-epochs', 'a number of epochs'),
      maxSteps: wholeNumber(values, 'max-steps', 'a number of steps'),
      patience: wholeNumber(values, 'patience', 'a number of epochs'),
      batchSize: wholeNumber(values, 'batch', 'a batch size'),
      seed: wholeNumber(values, 'seed', 'a seed'),
    }),
    ...(values['no-knn'] === true ? { knn: false } : {}),
    ...(values['no-keep'] === true ? { keepClassifiers: false } : {}),
  };
  const parsed = probeOptionsSchema.safeParse(options);
  if (!parsed.success) throw new LabError('invalid-option', schemaMessage(parsed.error, options));
  // The engine would refuse it too, but only once queued: say it before anything is.
  if (parsed.data.modes.length === 0 && parsed.data.baselines.length === 0 && !parsed.data.knn) {
    throw new LabError('invalid-option', '--modes none, --baselines none and --no-knn leave nothing to measure; keep at least one mode, baseline or the kNN probe');
  }
  return parsed.data;
}

/** The whole spec: the options and the runs, resolved to ids. */
export function probeSpec(options: ProbeOptions, runIds: readonly string[]): ProbeSpec {
  const spec = { ...options, runIds: [...runIds] };
  const parsed = probeSpecSchema.safeParse(spec);
  if (!parsed.success) throw new LabError('invalid-option', schemaMessage(parsed.error, spec));
  return parsed.data;
}

function drawsOf(values: CliArgs['values']): number | undefined {
  const text = values.draws;
  if (typeof text !== 'string') return undefined;
  if (!/^\d+$/.test(text.trim()) || Number(text) < 1) throw new LabError('invalid-option', `--draws: '${safeName(text)}' is not a number of draws (a whole number ≥ 1)`);
  return Number(text);
}

const defined = <T extends Record<string, unknown>>(record: T): Partial<T> => Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined)) as Partial<T>;

/**
 * Each `--run` as a run of the workspace: its id, or else its name where exactly one run has
 * it; an unknown or shared name is refused with what there is.
 */
export function resolveRuns(refs: readonly string[], runs: readonly RunSummary[]): RunSummary[] {
  if (refs.length === 0) throw new LabError('invalid-request', 'probe needs at least one trained run: --run ID|NAME (see aelab runs)');
  const resolved = refs.map((ref) => {
    const byId = runs.find((r) => r.id === ref);
    if (byId) return byId;
    const named = runs.filter((r) => r.name === ref);
    if (named.length === 1 && named[0]) return named[0];
    if (named.length > 1) throw new LabError('invalid-option', `--run: ${named.length} runs are named '${safeName(ref)}' (${named.map((r) => r.id).join(', ')}); give one by its id`);
    throw new LabError('not-found', `--run: no run '${safeName(ref)}' in this workspace (give a run id such as 20250101120000-a1b2c3, or a run’s name; see aelab runs)`);
  });
  const repeated = resolved.find((r, i) => resolved.findIndex((o) => o.id === r.id) !== i);
  if (repeated) throw new LabError('invalid-option', `--run: run ${repeated.id} (${safeName(repeated.name)}) is given twice`);
  return resolved;
}

/** One cell of the table: a line's point at a labels-per-class count. */
export interface ProbeCell {
  mean: number;
  std: number;
  draws: number;
  winner: boolean;
}

export interface ProbeTable {
  columns: LabelsPerClass[];
  rows: Array<{ lineId: string; label: string; cells: Array<ProbeCell | null> }>;
  /** Per column (labels-per-class count as text), the best line and its margin over the second. */
  winners: Record<string, { lineId: string; margin: number }>;
}

/** The learning curve as a table: a row per line, a column per labels-per-class count, the best of each column marked. */
export function probeTable(result: ProbeResult): ProbeTable {
  const best = winners(result.lines);
  // The job's counts in the order it was asked for; a count only some line measured still gets its column.
  const columns: LabelsPerClass[] = result.draws.map((d) => d.labelsPerClass);
  for (const line of result.lines) for (const p of line.points) if (!columns.some((c) => labelsKey(c) === labelsKey(p.labelsPerClass))) columns.push(p.labelsPerClass);
  const cellOf = (line: ProbeLine, n: LabelsPerClass): ProbeCell | null => {
    const point: ProbePoint | undefined = line.points.find((p) => labelsKey(p.labelsPerClass) === labelsKey(n));
    if (!point || !Number.isFinite(point.meanAccuracy)) return null;
    return { mean: point.meanAccuracy, std: point.stdAccuracy, draws: point.draws.length, winner: best.get(labelsKey(n))?.lineId === line.id };
  };
  return {
    columns,
    rows: result.lines.map((line) => ({ lineId: line.id, label: line.label, cells: columns.map((n) => cellOf(line, n)) })),
    winners: Object.fromEntries(best),
  };
}

const percent = (v: number): string => (v * 100).toFixed(1);
/** "81.3 ± 2.4", a lone draw without a spread; the column's best with a star after it, the others with room for one, so the figures line up. */
const cellText = (cell: ProbeCell | null): string => (cell === null ? '—  ' : `${percent(cell.mean)}${cell.draws > 1 ? ` ± ${percent(cell.std)}` : ''}${cell.winner ? ' *' : '  '}`);

/** `aelab probe` as text: the table, the validation rule, the lines that did not train compiled, and how to export. */
export function probeText(result: ProbeResult, jobId: string): string {
  const table = probeTable(result);
  const labels = table.rows.map((r) => safeName(r.label));
  const width = Math.max('labels per class'.length, ...labels.map((l) => l.length)) + 2;
  const cells = table.rows.map((r) => r.cells.map(cellText));
  const widths = table.columns.map((c, i) => Math.max(String(c).length, ...cells.map((row) => (row[i] ?? '').length)) + 2);
  const line = (first: string, rest: string[]): string => `${first.padEnd(width)}${rest.map((text, i) => text.padStart(widths[i] ?? 0)).join('')}`.trimEnd();
  const drawCounts = [...new Set(result.draws.filter((d) => d.labelsPerClass !== 'all').map((d) => d.sets.length))];
  const spread = drawCounts.length === 1 ? `mean ± std over ${drawCounts[0]} draw${drawCounts[0] === 1 ? '' : 's'}` : 'mean ± std over the draws';
  const fallbacks = result.lines.filter((l) => l.compiledStep === false);
  const exportable = result.lines.filter((l) => l.exportable && l.points.length > 0);
  return [
    `Test accuracy (%) on the ${result.testCount} test samples of ${safeName(result.datasetId)}, ${result.head} head; ${spread}; * the best at that count`,
    line('labels per class', table.columns.map((c) => `${String(c)}  `)),
    ...table.rows.map((row, r) => line(labels[r] ?? '', cells[r] ?? [])),
    '',
    `validation: ${safeName(result.validationRule)}`,
    ...(result.draws.some((d) => d.labelsPerClass === 'all') ? ["'all' is every labelled sample of the train split, drawn once: it has no spread."] : []),
    ...fallbacks.map((l) => `note: ${safeName(l.label)} trained step by step, not as one compiled step: ${safeName(l.fallbackReason ?? 'no reason given')}`),
    '',
    `job ${jobId} (${result.seconds.toFixed(1)} s)`,
    ...(exportable.length > 0
      ? [`export a kept classifier: aelab probe export ${jobId} --line LINE --labels N --out DIR`, ...exportable.map((l) => `  --line ${l.id}  (${safeName(l.label)})`)]
      : ['no classifier was kept for export (lines that train nothing, or a probe run with --no-keep)']),
  ].join('\n');
}

/** What `--json` prints: the job, the winner of each count, and the whole result. */
export function probeJson(result: ProbeResult, jobId: string): unknown {
  return { jobId, winners: probeTable(result).winners, result };
}

/** A line of the progress on stderr: where the job is, never the same line twice. */
function followProgress(lab: ProbeLab, jobId: string): () => void {
  let last = '';
  const tty = process.stderr.isTTY === true;
  const unsubscribe = lab.on((channel, payload) => {
    if (channel !== 'jobs.progress') return;
    const { jobId: id, progress } = payload as { jobId: string; progress: JobProgress };
    if (id !== jobId) return;
    const text = `probe ${progress.done}/${progress.total}: ${safeName(progress.message)}`;
    if (text === last) return;
    last = text;
    process.stderr.write(tty ? `\r\u001b[2K${text}` : `${text}\n`);
  });
  return () => {
    unsubscribe();
    if (tty && last !== '') process.stderr.write('\n');
  };
}

/** Queues the probe, follows it on stderr, and reads its result; a failed job is the command's error. */
async function runProbe(lab: ProbeLab, spec: ProbeSpec, json: boolean): Promise<{ result: ProbeResult; jobId: string }> {
  const job: JobSummary = await lab.call('analyses.run', { analysis: 'probe', spec: spec as unknown as Record<string, unknown> });
  if (!json) process.stderr.write(`probing: ${safeName(job.title)} (job ${job.id})\n`);
  // Under --json stdout carries the one result document only; progress stays off stdout either way.
  const stop = json ? () => undefined : followProgress(lab, job.id);
  // An analysis cannot pause half-way: Ctrl+C cancels it, so that no engine is left probing for nobody.
  let interrupted = false;
  const onInterrupt = (): void => {
    interrupted = true;
    if (!json) process.stderr.write(`\nstopping: cancelling probe ${job.id}…\n`);
    void lab.call('jobs.cancel', { id: job.id }).catch(() => undefined);
  };
  process.once('SIGINT', onInterrupt);
  const finished = await lab.analyses.wait(job.id).finally(() => {
    process.removeListener('SIGINT', onInterrupt);
    stop();
  });
  if (interrupted && finished.status === 'cancelled') throw new LabError('cancelled', `the probe ${job.id} was cancelled (Ctrl+C); the same flags and --seed run it again on the same draws`);
  if (finished.status !== 'done') throw new LabError(finished.error?.code ?? 'internal', finished.error?.message ?? `the probe ${job.id} ${finished.status}`);
  const { result } = await lab.call('analyses.result', { id: job.id });
  if (!result) throw new LabError('internal', `the probe ${job.id} finished but left no result`);
  return { result: result as unknown as ProbeResult, jobId: job.id };
}

/** `aelab probe --run R…`: the learning-curve probe of trained runs against the baselines, as a table. */
export async function probeCommand(lab: ProbeLab, positionals: string[], values: CliArgs['values'], json: boolean): Promise<{ text: string; value: unknown }> {
  if (positionals[0] === 'export') return exportCommand(lab, positionals.slice(1), values);
  if (positionals.length > 0) throw new LabError('invalid-request', `probe takes its runs as --run ID|NAME, and 'export JOB' to export a classifier; '${safeName(positionals[0] ?? '')}' was given`);
  // Every flag is checked before the runs are looked up: a typo is named as such, not as a missing run.
  const options = probeOptionsFromArgs(values);
  await lab.ensureBuiltins();
  const refs = Array.isArray(values.run) ? values.run : typeof values.run === 'string' ? [values.run] : [];
  const runs = resolveRuns(refs, await lab.call('runs.list', {}));
  const spec = probeSpec(options, runs.map((r) => r.id));
  const { result, jobId } = await runProbe(lab, spec, json);
  return { text: probeText(result, jobId), value: probeJson(result, jobId) };
}

/** "ID (label) at 1, 5, 10 labels per class": what a job kept, for a message that asks to choose. */
function exportableText(result: ProbeResult): string {
  const lines = result.lines.filter((l) => l.exportable && l.points.length > 0);
  if (lines.length === 0) return 'it kept no classifier (its lines train nothing, or it ran with --no-keep)';
  return `its exportable lines are ${lines.map((l) => `${l.id} (${safeName(l.label)}) at ${l.points.map((p) => String(p.labelsPerClass)).join(', ')} labels per class`).join('; ')}`;
}

/** How to use the exported classifier, written beside it. */
export function classifierReadme(info: ClassifierInfo): string {
  const image = info.inputShape.length === 3;
  const [h, w, c] = info.inputShape;
  const layout = image
    ? `[n, ${h}, ${w}, ${c}] (height, width, channels: channels last, rows top to bottom, as the dataset stores its samples)`
    : `[n, ${info.inputShape.join(', ')}] (each sample's values in the order the dataset stores them: for an image, flattened row by row, top to bottom, each pixel's channels together)`;
  const { offset, factor } = info.inputScaling;
  return `# ${info.label} — classifier at ${info.labelsPerClass} labels per class

Trained by the Autoencoder Lab's pretrained-encoders probe (job ${info.jobId}, line \`${info.lineId}\`, draw ${info.draw}) on dataset \`${info.datasetId}\`; test accuracy ${(info.testAccuracy * 100).toFixed(1)} %.

Files:
- \`model.json\`, \`weights.bin\`: a TensorFlow.js layers model (encoder and head in one model; the features' standardisation is folded into its weights).
- \`classifier.json\`: what the model is, with \`formatVersion\`: its line, the classes (\`classNames\`), \`inputShape\`, \`inputScaling\`, the test accuracy.

Input: a float32 tensor of shape ${layout}. Each value is the sample's stored value v scaled as
(v − offset) · factor, here (v − ${offset}) · ${factor}: the same scaling the lab trained with.

Output: a tensor [n, ${info.classNames.length}] of class probabilities, in the order of \`classNames\`:
${info.classNames.map((name, i) => `${i}. ${name}`).join('\n')}

## TensorFlow.js (Node)

\`\`\`js
const tf = require('@tensorflow/tfjs-node');
const model = await tf.loadLayersModel('file:///path/to/this/folder/model.json');
const x = tf.tensor(values, [n, ${info.inputShape.join(', ')}]).sub(${offset}).mul(${factor});
const probabilities = model.predict(x);          // [n, ${info.classNames.length}]
const classes = probabilities.argMax(-1);         // indices into classNames
\`\`\`

In a browser, serve the folder and load it with \`tf.loadLayersModel('https://…/model.json')\`.

## Python (Keras)

Convert it once with the \`tensorflowjs\` package (\`pip install tensorflowjs\`):

\`\`\`sh
tensorflowjs_converter --input_format=tfjs_layers_model --output_format=keras model.json classifier.h5
\`\`\`

\`\`\`python
import numpy as np, tensorflow as tf
model = tf.keras.models.load_model('classifier.h5')
x = (np.asarray(values, dtype=np.float32).reshape((-1, ${info.inputShape.join(', ')})) - ${offset}) * ${factor}
probabilities = model.predict(x)
\`\`\`

or load it without converting: \`tensorflowjs.converters.load_keras_model('model.json')\`.
`;
}

const exportFiles = ['model.json', 'weights.bin', 'classifier.json', 'README.md'] as const;

/** Writes a kept classifier's four files into `dir`; a non-empty folder is refused unless `force`. */
export async function writeClassifier(dir: string, files: ClassifierFiles, force: boolean): Promise<string[]> {
  let entries: string[] = [];
  try {
    entries = await readdir(dir);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    if (code === 'ENOTDIR') throw new LabError('invalid-option', `--out: '${safeName(dir)}' is a file, not a folder`);
    if (code !== 'ENOENT') throw cause;
  }
  if (entries.length > 0 && !force) throw new LabError('invalid-option', `--out: '${safeName(dir)}' is not empty (${entries.length} entr${entries.length === 1 ? 'y' : 'ies'}); choose an empty or new folder, or give --force to write ${exportFiles.join(', ')} into it`);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'model.json'), files.modelJson);
  await writeFile(join(dir, 'weights.bin'), files.weights);
  await writeVersioned(classifierInfoFormat, join(dir, 'classifier.json'), files.info);
  await writeFile(join(dir, 'README.md'), classifierReadme(files.info));
  return exportFiles.map((name) => join(dir, name));
}

/** `aelab probe export JOB --line LINE --labels N --out DIR [--force]`: a kept classifier as tfjs layers files. */
export async function exportCommand(lab: ExportLab, positionals: string[], values: CliArgs['values']): Promise<{ text: string; value: unknown }> {
  refuseStrayFlags(values, exportFlags, 'aelab probe export JOB, which writes a kept classifier');
  const [jobId, ...extra] = positionals;
  if (!jobId) throw new LabError('invalid-request', 'probe export needs the JOB id of a probe (see aelab jobs): aelab probe export JOB --line LINE --labels N --out DIR');
  if (extra.length > 0) throw new LabError('invalid-request', `probe export takes one JOB id; '${safeName(extra[0] ?? '')}' was given after it`);
  const { result, job } = await lab.call('analyses.result', { id: jobId });
  if (!result) throw new LabError('invalid-request', `job ${jobId} (${safeName(job.title)}) is ${job.status} and has no result to export from`);
  const probe = result as unknown as ProbeResult;
  if (!Array.isArray(probe.lines)) throw new LabError('invalid-request', `job ${jobId} (${safeName(job.title)}) is not a pretrained-encoders probe`);
  if (typeof values.line !== 'string') throw new LabError('invalid-option', `--line LINE is needed: which classifier of job ${jobId} to export; ${exportableText(probe)}`);
  const line = probe.lines.find((l) => l.id === values.line);
  if (!line) throw new LabError('invalid-option', `--line: job ${jobId} has no line '${safeName(values.line)}'; ${exportableText(probe)}`);
  if (typeof values.labels !== 'string') throw new LabError('invalid-option', `--labels N is needed: the labels per class of the classifier; ${exportableText({ ...probe, lines: [line] })}`);
  const counts = parseLabels(values.labels);
  if (counts.length !== 1 || counts[0] === undefined) throw new LabError('invalid-option', `--labels: give one count to export ('${safeName(values.labels)}' was given)`);
  const count = counts[0];
  if (!line.exportable || !line.points.some((p) => labelsKey(p.labelsPerClass) === labelsKey(count))) {
    throw new LabError('invalid-option', `--labels: line ${line.id} kept no classifier at ${count === 1 ? '1 label' : `${count} labels`} per class; ${exportableText(probe)}`);
  }
  if (typeof values.out !== 'string' || values.out.trim() === '') throw new LabError('invalid-option', '--out DIR is needed: the folder to write model.json, weights.bin, classifier.json and README.md into');
  const files = await lab.call('analyses.classifier', { id: jobId, lineId: line.id, labelsPerClass: count });
  const written = await writeClassifier(values.out, files, values.force === true);
  const text = [`Exported ${safeName(files.info.label)} at ${String(files.info.labelsPerClass)} labels per class (test accuracy ${(files.info.testAccuracy * 100).toFixed(1)} %) to ${safeName(values.out)}:`, ...written.map((f) => `  ${safeName(f)}`), 'README.md there says how to load it in TensorFlow.js and Python.'].join('\n');
  return { text, value: { jobId, lineId: line.id, labelsPerClass: files.info.labelsPerClass, files: written, info: files.info } };
}
