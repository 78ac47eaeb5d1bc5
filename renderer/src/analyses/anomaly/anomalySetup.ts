import type { AnomalySource } from '../../../../shared/analyses/anomaly/anomalySpec.js';
import type { DatasetSummary } from '../../../../shared/domain/dataset.js';
import type { RunSummary } from '../../../../shared/domain/run.js';
import { formatShape } from '../../format.js';

export type SourceKind = AnomalySource['from'];

export interface AnomalyChoice {
  from: SourceKind;
  /** Chosen anomaly classes of the runs' dataset (from: 'classes'). */
  classes: number[];
  /** The out-of-distribution dataset (from: 'dataset'). */
  datasetId: string;
}

export const isTrained = (run: RunSummary): boolean => run.status === 'completed' || run.status === 'early-stopped';

/** A run's normal classes as the set-up lists them. */
export function normalClassesText(run: RunSummary, dataset: DatasetSummary | undefined): string {
  const normal = run.config.normalClasses;
  if (!normal) return 'every class';
  return normal.map((c) => dataset?.classNames[c] ?? `class ${c}`).join(', ');
}

/** The classes of the runs' dataset that none of the chosen runs was trained on: what can be an anomaly to all of them. */
export function anomalyClassChoices(dataset: DatasetSummary | undefined, runs: readonly RunSummary[]): Array<{ index: number; name: string }> {
  if (!dataset) return [];
  const normal = new Set(runs.flatMap((r) => r.config.normalClasses ?? dataset.classNames.map((_, i) => i)));
  return dataset.classNames.flatMap((name, index) => (normal.has(index) ? [] : [{ index, name }]));
}

/** Datasets that can give out-of-distribution anomalies (same sample shape, a test split), and why each other one cannot. */
export function anomalyDatasetChoices(dataset: DatasetSummary | undefined, datasets: readonly DatasetSummary[]): { matching: DatasetSummary[]; refused: Array<{ dataset: DatasetSummary; reason: string }> } {
  const matching: DatasetSummary[] = [];
  const refused: Array<{ dataset: DatasetSummary; reason: string }> = [];
  if (!dataset) return { matching, refused };
  for (const other of datasets) {
    if (other.id === dataset.id) continue;
    if (other.shape.join('×') !== dataset.shape.join('×')) refused.push({ dataset: other, reason: `its samples are ${formatShape(other.shape)}; the runs take ${formatShape(dataset.shape)}` });
    else if (other.splits.test === 0) refused.push({ dataset: other, reason: 'it has no test split to score' });
    else matching.push(other);
  }
  return { matching, refused };
}

/** What stops the analysis from making sense with these runs and this choice, said as a person would. */
export function setupProblems(runs: readonly RunSummary[], dataset: DatasetSummary | undefined, datasets: readonly DatasetSummary[], choice: AnomalyChoice): string[] {
  if (runs.length === 0) return ['Choose at least one trained run'];
  if (!dataset) return [`The runs' dataset ${runs[0]?.config.datasetId ?? ''} is not in this workspace any more`];
  const problems: string[] = [];
  const whole = runs.filter((r) => !r.config.normalClasses);
  if (choice.from === 'other-classes' && whole.length > 0) {
    problems.push(`${whole.map((r) => r.name).join(', ')} ${whole.length === 1 ? 'was' : 'were'} trained on every class of ${dataset.name}, so there are no other classes to call anomalous: take anomalies from another dataset, or train on normal classes only`);
  }
  if (choice.from === 'classes') {
    const allowed = new Set(anomalyClassChoices(dataset, runs).map((c) => c.index));
    if (choice.classes.length === 0) problems.push('Choose at least one anomaly class');
    const normal = choice.classes.filter((c) => !allowed.has(c));
    if (normal.length > 0) problems.push(`${normal.map((c) => dataset.classNames[c] ?? c).join(', ')} ${normal.length === 1 ? 'is' : 'are'} normal to a chosen run; anomalies must be classes it never saw`);
  }
  if (choice.from === 'dataset') {
    const { matching } = anomalyDatasetChoices(dataset, datasets);
    if (!matching.some((d) => d.id === choice.datasetId)) problems.push(matching.length === 0 ? `No other dataset has ${dataset.name}'s sample shape (${formatShape(dataset.shape)}) and a test split` : 'Choose the dataset the anomalies come from');
  }
  if (dataset.splits.test === 0) problems.push(`${dataset.name} has no test split: there is nothing held out to score`);
  return problems;
}

export function anomalySource(choice: AnomalyChoice): AnomalySource {
  if (choice.from === 'classes') return { from: 'classes', classes: [...choice.classes].sort((a, b) => a - b) };
  if (choice.from === 'dataset') return { from: 'dataset', datasetId: choice.datasetId };
  return { from: 'other-classes' };
}

/** How the result's anomalies were chosen, for its heading. */
export function describeSource(source: AnomalySource, classNames: readonly string[], anomalyDatasetName?: string): string {
  if (source.from === 'other-classes') return 'anomalies: every class a run was not trained on';
  if (source.from === 'classes') return `anomalies: ${source.classes.map((c) => classNames[c] ?? `class ${c}`).join(', ')}`;
  return `anomalies: the test split of ${anomalyDatasetName ?? source.datasetId} (out of distribution)`;
}
