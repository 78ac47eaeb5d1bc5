import type { AnomalyResult, AnomalySource } from '../../../../shared/analyses/anomaly/anomalySpec.js';
import { LabError } from '../../../../shared/result.js';
import type { TrainingData } from '../../training/trainingData.js';

/** A dataset as the anomaly job knows it: its id, class names and samples. */
export interface ScoredDataset {
  id: string;
  classNames: readonly string[];
  data: TrainingData;
  /** How its samples were scaled at import (unit, minmax, standardize, none): another dataset scored by a run must share it. */
  scaling: string;
}

/** What the job scores of one dataset: sample indices in index order. */
export interface SampleSegment {
  data: TrainingData;
  indices: Int32Array;
}

/** The run as the truth of its samples depends on it. */
export interface NormalRun {
  name: string;
  /** Absent: every class of the dataset is normal to it. */
  normalClasses?: readonly number[];
}

export type Truth = -1 | 0 | 1;

const shapeText = (data: TrainingData): string => data.shape.join('×');
const classText = (names: readonly string[], c: number): string => `'${names[c] ?? c}' (${c})`;
const classRange = (dataset: ScoredDataset): string => `it has ${dataset.classNames.length}: 0–${dataset.classNames.length - 1}`;

/**
 * The split a detector is judged on: the test split, in index order, so every run sees the
 * same samples. Never validation: it chose each run's best checkpoint (and stopped it early),
 * so its samples are not held out.
 */
export function scoredSplit(dataset: ScoredDataset): Int32Array {
  if (dataset.data.test.length === 0) {
    throw new LabError('invalid-option', `Dataset '${dataset.id}' has no test split: its validation samples chose the runs' best checkpoints, so they are not held out — import it again with a test fraction above 0`);
  }
  return Int32Array.from(dataset.data.test).sort();
}

function checkClasses(what: string, classes: readonly number[], dataset: ScoredDataset): void {
  if (dataset.classNames.length === 0) throw new LabError('invalid-option', `${what} need a labelled dataset; '${dataset.id}' has no classes — take anomalies from another dataset`);
  const outside = classes.filter((c) => c >= dataset.classNames.length);
  if (outside.length > 0) throw new LabError('invalid-option', `${what}: ${outside.join(', ')} ${outside.length === 1 ? 'is' : 'are'} not a class of '${dataset.id}' (${classRange(dataset)})`);
}

/**
 * Checks where the anomalies come from against the runs' dataset (and the other dataset for
 * out-of-distribution anomalies), and lists the samples every run scores: the runs' dataset's
 * test split, then the other dataset's (only its chosen classes, where some are chosen).
 */
export function scoredSamples(source: AnomalySource, dataset: ScoredDataset, other?: ScoredDataset): { segments: SampleSegment[]; samples: AnomalyResult['samples'] } {
  if (source.from === 'other-classes') checkClasses('Anomalies from the other classes', [], dataset);
  if (source.from === 'classes') checkClasses('Anomaly classes', source.classes, dataset);
  const segments: SampleSegment[] = [{ data: dataset.data, indices: scoredSplit(dataset) }];
  if (source.from === 'dataset') {
    if (!other) throw new LabError('internal', `the anomaly dataset '${source.datasetId}' was not loaded`);
    if (other.id === dataset.id) throw new LabError('invalid-option', `Anomalies from a dataset must come from another dataset than the runs' own ('${dataset.id}'); to take them from its classes, choose anomaly classes`);
    if (shapeText(other.data) !== shapeText(dataset.data)) {
      throw new LabError('invalid-option', `Dataset '${other.id}' has samples of ${shapeText(other.data)}; the runs were trained on '${dataset.id}', whose samples are ${shapeText(dataset.data)}: out-of-distribution anomalies must have the runs' sample shape`);
    }
    if (other.scaling !== dataset.scaling) {
      // A model sees inputs on its training data's scale; another scale would separate on scale alone.
      throw new LabError('invalid-option', `Dataset '${other.id}' was scaled '${other.scaling}' at import, the runs' '${dataset.id}' '${dataset.scaling}': out-of-distribution anomalies must be on the runs' input scale — import it again with scaling '${dataset.scaling}'`);
    }
    let indices = scoredSplit(other);
    if (source.classes) {
      checkClasses(`Anomaly classes of '${other.id}'`, source.classes, other);
      const chosen = new Set(source.classes);
      indices = indices.filter((i) => chosen.has(other.data.labels[i] ?? -1));
    }
    segments.push({ data: other.data, indices });
  }
  const samples: AnomalyResult['samples'] = { source: [], index: [], label: [] };
  segments.forEach((segment, s) => {
    for (const i of segment.indices) {
      samples.source.push(s as 0 | 1);
      samples.index.push(i);
      samples.label.push(segment.data.labels[i] ?? -1);
    }
  });
  return { segments, samples };
}

/**
 * Per scored sample: 0 normal (a normal class of the run, every sample of its dataset where
 * it has none), 1 anomalous as the source says, −1 neither. A setup that leaves a run
 * without normal samples or without anomalies is refused, saying what to change.
 */
export function truthFor(run: NormalRun, source: AnomalySource, dataset: ScoredDataset, samples: AnomalyResult['samples']): { truth: Truth[]; normalCount: number; anomalyCount: number } {
  const normal = run.normalClasses === undefined ? undefined : new Set(run.normalClasses);
  if (source.from === 'classes') {
    const seen = source.classes.filter((c) => normal === undefined || normal.has(c));
    if (seen.length > 0) {
      const why = normal === undefined ? 'it was trained on every class of its dataset' : 'it was seen in training';
      throw new LabError('invalid-option', `Anomaly class ${seen.map((c) => classText(dataset.classNames, c)).join(', ')} ${seen.length === 1 ? 'is' : 'are'} normal to run '${run.name}': ${why}; choose classes the run was not trained on`);
    }
  }
  const chosen = source.from === 'classes' ? new Set(source.classes) : undefined;
  let normalCount = 0;
  let anomalyCount = 0;
  const truth = samples.label.map((label, k): Truth => {
    let value: Truth;
    if (samples.source[k] === 1) value = 1;
    else if (normal === undefined || normal.has(label)) value = 0;
    else if (source.from === 'other-classes') value = label >= 0 ? 1 : -1;
    else if (chosen) value = chosen.has(label) ? 1 : -1;
    else value = -1;
    if (value === 0) normalCount += 1;
    if (value === 1) anomalyCount += 1;
    return value;
  });
  const split = dataset.data.test.length > 0 ? 'test' : 'validation';
  if (normalCount === 0) {
    const classes = run.normalClasses?.map((c) => classText(dataset.classNames, c)).join(', ');
    throw new LabError('invalid-option', `Run '${run.name}' has no normal samples in the ${split} split of '${dataset.id}'${classes ? ` (normal classes ${classes})` : ''}: there is nothing to tell anomalies from`);
  }
  if (anomalyCount === 0) {
    const why =
      source.from === 'other-classes'
        ? normal === undefined || dataset.classNames.every((_, c) => normal.has(c))
          ? `it was trained on every class of '${dataset.id}', so no class is left over`
          : `the classes it was not trained on have no samples in the ${split} split`
        : source.from === 'classes'
          ? `anomaly class ${source.classes.map((c) => classText(dataset.classNames, c)).join(', ')} ${source.classes.length === 1 ? 'has' : 'have'} no samples in the ${split} split`
          : `the anomaly dataset '${source.datasetId}' gives no samples${source.classes ? ' of the chosen classes' : ''} in its test or validation split`;
    throw new LabError('invalid-option', `Run '${run.name}' has no anomalies to score: ${why} — choose anomaly classes or another dataset`);
  }
  return { truth, normalCount, anomalyCount };
}
