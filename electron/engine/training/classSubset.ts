import { LabError } from '../../../shared/result.js';
import type { TrainingData } from './trainingData.js';

/**
 * The dataset as a run with normal classes sees it: every split keeps only those classes, so
 * training, validation (early stopping, the best checkpoint) and the run's own test figures
 * never touch a sample an anomaly detector is later asked to find. Absent classes: unchanged.
 */
export function restrictToClasses(data: TrainingData, classes: readonly number[] | undefined): TrainingData {
  if (classes === undefined) return data;
  const normal = new Set(classes);
  const keep = (split: Int32Array): Int32Array => split.filter((i) => normal.has(data.labels[i] ?? -1));
  const restricted = { ...data, train: keep(data.train), validation: keep(data.validation), test: keep(data.test) };
  if (restricted.train.length === 0) throw new LabError('invalid-option', `Normal classes ${classes.join(', ')} have no samples in the training split`);
  return restricted;
}
