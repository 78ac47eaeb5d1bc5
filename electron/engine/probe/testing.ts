import type * as TF from '@tensorflow/tfjs';
import { seededRandom } from '../../../shared/random.js';
import type { Tfjs } from '../backend.js';
import type { ClassifierSet } from './classifierTraining.js';

/** A set held as rows of numbers, each batch a fresh tensor of `shape` per sample. */
export function arraySet(tf: Tfjs, values: Float32Array, shape: number[], labels: Int32Array): ClassifierSet & { count: number } {
  const size = shape.reduce((a, b) => a * b, 1);
  return {
    labels,
    count: labels.length,
    inputs(rows: Int32Array): TF.Tensor {
      const batch = new Float32Array(rows.length * size);
      rows.forEach((row, i) => batch.set(values.subarray(row * size, (row + 1) * size), i * size));
      return tf.tensor(batch, [rows.length, ...shape]);
    },
  };
}

/**
 * Gaussian blobs: `perClass` points of each of `classes` classes in `dimension` dimensions,
 * unit spread around centres drawn with spread `separation`; `flip` of the labels replaced
 * by the next class (label noise a classifier can overfit to).
 */
export function blobs(options: { classes: number; perClass: number; dimension: number; separation: number; seed: number; centresSeed?: number; flip?: number }): { values: Float32Array; labels: Int32Array } {
  const { classes, perClass, dimension, separation } = options;
  const normal = (random: () => number) => () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const centre = normal(seededRandom(options.centresSeed ?? 1));
  const centres = Array.from({ length: classes }, () => Array.from({ length: dimension }, () => separation * centre()));
  const noise = normal(seededRandom(options.seed));
  const random = seededRandom(options.seed + 1);
  const values = new Float32Array(classes * perClass * dimension);
  const labels = new Int32Array(classes * perClass);
  for (let i = 0; i < labels.length; i += 1) {
    const label = i % classes;
    (centres[label] as number[]).forEach((c, d) => (values[i * dimension + d] = c + noise()));
    labels[i] = random() < (options.flip ?? 0) ? (label + 1) % classes : label;
  }
  return { values, labels };
}
