import { parseLabelCounts } from '../../../../shared/analyses/probe/labelCounts.js';
import type { ProbeProtocol } from '../../../../shared/analyses/probe/probeProtocol.js';
import { probeSpecSchema, type LabelsPerClass, type ProbeBaseline, type ProbeHead, type ProbeMode, type ProbeSpec } from '../../../../shared/analyses/probe/probeSpec.js';
import { issueSentence } from '../../../../shared/contract/userMessages.js';
import type { DatasetSummary } from '../../../../shared/domain/dataset.js';
import type { RunSummary } from '../../../../shared/domain/run.js';

const shape = probeSpecSchema.shape;

/** The numeric fields of the protocol, typed as text so that what is wrong with them can be said. */
export const numericFields = {
  draws: 'Draws',
  hiddenUnits: 'Hidden units',
  learningRate: 'Learning rate',
  encoderLearningRateFactor: 'Encoder learning-rate factor',
  maxEpochs: 'Max epochs',
  maxSteps: 'Max steps',
  patience: 'Patience',
  batchSize: 'Batch size',
  seed: 'Seed',
} as const;
export type NumericField = keyof typeof numericFields;

export interface ProbeForm {
  labels: string;
  head: ProbeHead;
  modes: ProbeMode[];
  baselines: ProbeBaseline[];
  knn: boolean;
  keepClassifiers: boolean;
  numbers: Record<NumericField, string>;
}

export type FormField = NumericField | 'labels' | 'lines';

/** The form as the spec's defaults fill it. */
export function defaultProbeForm(): ProbeForm {
  const numbers = Object.fromEntries((Object.keys(numericFields) as NumericField[]).map((k) => [k, String(shape[k].parse(undefined))])) as Record<NumericField, string>;
  return {
    labels: shape.labelsPerClass.parse(undefined).map(String).join(', '),
    head: shape.head.parse(undefined),
    modes: shape.modes.parse(undefined),
    baselines: shape.baselines.parse(undefined),
    knn: shape.knn.parse(undefined),
    keepClassifiers: shape.keepClassifiers.parse(undefined),
    numbers,
  };
}

/** The form with a configuration's protocol over the defaults: what the probe it hands over will run. */
export function protocolForm(protocol: ProbeProtocol | null): ProbeForm {
  const form = defaultProbeForm();
  if (!protocol) return form;
  return {
    ...form,
    ...(protocol.labelsPerClass ? { labels: protocol.labelsPerClass.map(String).join(', ') } : {}),
    ...(protocol.modes ? { modes: [...protocol.modes] } : {}),
    ...(protocol.baselines ? { baselines: [...protocol.baselines] } : {}),
    numbers: { ...form.numbers, ...(protocol.draws !== undefined ? { draws: String(protocol.draws) } : {}) },
  };
}

/** Labels per class as typed ("1, 5, 10, all"): the CLI's parser, its problem named by the field's label. */
export function parseLabels(text: string): { values: LabelsPerClass[] } | { error: string } {
  const parsed = parseLabelCounts(text);
  return 'problem' in parsed ? { error: `Labels per class: ${parsed.problem}` } : { values: parsed.counts };
}

/** One numeric field read through the spec's own schema: its value, or a sentence naming the field. */
export function parseNumber(field: NumericField, text: string): { value: number } | { error: string } {
  const label = numericFields[field];
  const trimmed = text.trim();
  if (trimmed === '') return { error: `${label}: enter a number` };
  const value = Number(trimmed);
  if (!Number.isFinite(value)) return { error: `${label}: '${trimmed}' is not a number` };
  const parsed = shape[field].safeParse(value);
  if (parsed.success) return { value: parsed.data ?? value };
  const [issue] = parsed.error.issues;
  return { error: issue ? issueSentence(issue, value, {}, label) : `${label} is not valid` };
}

/** What is wrong with the form, by field; the hidden units count only where the head has a hidden layer. */
export function formProblems(form: ProbeForm): Partial<Record<FormField, string>> {
  const problems: Partial<Record<FormField, string>> = {};
  const labels = parseLabels(form.labels);
  if ('error' in labels) problems.labels = labels.error;
  for (const field of Object.keys(numericFields) as NumericField[]) {
    if (field === 'hiddenUnits' && form.head !== 'mlp') continue;
    const parsed = parseNumber(field, form.numbers[field]);
    if ('error' in parsed) problems[field] = parsed.error;
  }
  if (form.modes.length === 0 && form.baselines.length === 0 && !form.knn) problems.lines = 'Choose at least one mode, baseline or the kNN probe: there is nothing to measure';
  return problems;
}

/** The spec the form asks for, or null while a field is wrong. */
export function probeSpecOf(form: ProbeForm, runIds: string[]): ProbeSpec | null {
  if (Object.keys(formProblems(form)).length > 0) return null;
  const labels = parseLabels(form.labels);
  if (!('values' in labels)) return null;
  const number = (field: NumericField): number => {
    const parsed = parseNumber(field, form.numbers[field]);
    return 'value' in parsed ? parsed.value : NaN;
  };
  return {
    runIds,
    labelsPerClass: labels.values,
    draws: number('draws'),
    head: form.head,
    hiddenUnits: form.head === 'mlp' ? number('hiddenUnits') : shape.hiddenUnits.parse(undefined),
    modes: [...form.modes],
    baselines: [...form.baselines],
    knn: form.knn,
    learningRate: number('learningRate'),
    encoderLearningRateFactor: number('encoderLearningRateFactor'),
    maxEpochs: number('maxEpochs'),
    maxSteps: number('maxSteps'),
    patience: number('patience'),
    batchSize: number('batchSize'),
    seed: number('seed'),
    keepClassifiers: form.keepClassifiers,
  };
}

/** What stops the chosen runs from being probed together, said as a person would. */
export function runProblems(runs: readonly RunSummary[], datasets: readonly DatasetSummary[], max: number): string[] {
  if (runs.length === 0) return ['Choose at least one trained run'];
  const ids = [...new Set(runs.map((r) => r.config.datasetId))];
  if (ids.length > 1) return [`The chosen runs were trained on different datasets (${ids.join(', ')}); one curve draws its labels from one dataset, so probe the runs of each dataset on their own`];
  const problems: string[] = [];
  if (runs.length > max) problems.push(`Choose at most ${max} runs (${runs.length} chosen)`);
  const dataset = datasets.find((d) => d.id === ids[0]);
  if (!dataset) return [...problems, `The runs' dataset ${ids[0] ?? ''} is not in this workspace any more`];
  const labelled = dataset.classCounts.filter((n) => n > 0).length;
  if (dataset.classNames.length < 2 || labelled < 2) problems.push(`${dataset.name} has ${labelled < 2 ? 'labels of fewer than two classes' : 'no class labels'}: a classifier needs at least two labelled classes`);
  if (dataset.splits.test === 0) problems.push(`${dataset.name} has no test split: there is nothing held out to measure accuracy on`);
  return problems;
}
