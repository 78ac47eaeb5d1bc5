import type * as TF from '@tensorflow/tfjs';
import type { LabelDraw } from '../../../../shared/analyses/probe/labelDraws.js';
import type { Tfjs } from '../../backend.js';
import type { ClassifierSet } from '../../probe/classifierTraining.js';
import { batchTensor, type TrainingData } from '../../training/trainingData.js';
import type { FeatureTable } from './features.js';
import { StandardisationSum, standardisationOf, standardisedRows, type Standardisation } from './standardisation.js';

/** A set the classifier is tested on: its inputs by position and how many there are. */
export type TestSet = Pick<ClassifierSet, 'inputs'> & { count: number };

/** A source's features standardised with one draw's statistics; `dispose` frees what it holds once the draw's classifier is done. */
export interface StandardisedFeatures {
  /** The samples at `indices` with their labels, standardised. */
  set(indices: Int32Array, labels: Int32Array): ClassifierSet;
  test(indices: Int32Array): TestSet;
  dispose(): void;
}

/**
 * Where a head's features come from, standardised with a draw's statistics: a table of codes
 * computed once (a run's, PCA's), or the pixels, read from the stored bytes per batch.
 */
export interface FeatureSource {
  dimension: number;
  /** The features' mean and deviation over the samples at `indices` (a draw's training labels). */
  standardisation(indices: Int32Array): Promise<Standardisation>;
  standardised(standardisation: Standardisation): StandardisedFeatures;
}

const gather = (indices: Int32Array, rows: Int32Array): Int32Array => Int32Array.from(rows, (r) => indices[r] as number);

/** Features of a code table, the draw's rows standardised once into a small table of their own. */
export function tableSource(tf: Tfjs, table: FeatureTable): FeatureSource {
  const { dimension } = table;
  const rowsOf = (indices: Int32Array, standardisation: Standardisation): ((rows: Int32Array) => TF.Tensor) => {
    const values = standardisedRows(table.values, dimension, table.rowsOf(indices), standardisation);
    return (rows) => {
      const out = new Float32Array(rows.length * dimension);
      rows.forEach((r, k) => out.set(values.subarray(r * dimension, (r + 1) * dimension), k * dimension));
      return tf.tensor2d(out, [rows.length, dimension]);
    };
  };
  return {
    dimension,
    standardisation: (indices) => Promise.resolve(standardisationOf(table.values, dimension, table.rowsOf(indices))),
    standardised: (standardisation) => ({
      set: (indices, labels) => ({ labels, inputs: rowsOf(indices, standardisation) }),
      test: (indices) => ({ count: indices.length, inputs: rowsOf(indices, standardisation) }),
      dispose: () => undefined,
    }),
  };
}

/** Rows of stored samples read a batch at a time, as flat model-input values. */
async function eachBatch(data: TrainingData, indices: Int32Array, dimension: number, visit: (values: Float32Array) => void, batch = 1024): Promise<void> {
  for (let start = 0; start < indices.length; start += batch) {
    const part = indices.subarray(start, start + batch);
    const values = new Float32Array(part.length * dimension);
    part.forEach((index, k) => values.set(data.samples.subarray(index * dimension, (index + 1) * dimension), k * dimension));
    for (let i = 0; i < values.length; i += 1) values[i] = ((values[i] as number) - data.offset) * data.factor;
    visit(values);
    // A draw of every train sample takes a while: let the process's messages in.
    if (start + batch < indices.length) await new Promise((resolve) => setImmediate(resolve));
  }
}

/**
 * The pixels as features, standardised per pixel: statistics summed from the stored bytes
 * and every batch built from them, so no float copy of the drawn samples or of the test split
 * is held; the mean and deviation are one pair of tensors per draw, freed by `dispose`.
 */
export function pixelSource(tf: Tfjs, data: TrainingData): FeatureSource {
  const dimension = data.shape[0] * data.shape[1] * data.shape[2];
  return {
    dimension,
    async standardisation(indices) {
      const sum = new StandardisationSum(dimension);
      await eachBatch(data, indices, dimension, (values) => sum.add(values));
      return sum.result();
    },
    standardised({ mean, deviation }) {
      const centre = tf.tensor2d(mean, [1, dimension]);
      const scale = tf.tensor2d(deviation, [1, dimension]);
      const rowsOf = (indices: Int32Array) => (rows: Int32Array) => tf.tidy(() => tf.div(tf.sub(batchTensor(tf, data, gather(indices, rows), [dimension]), centre), scale));
      return {
        set: (indices, labels) => ({ labels, inputs: rowsOf(indices) }),
        test: (indices) => ({ count: indices.length, inputs: rowsOf(indices) }),
        dispose: () => tf.dispose([centre, scale]),
      };
    },
  };
}

/** Samples as the encoder takes them (fine-tuning, from scratch): model-input values in its layout. */
export function imageSet(tf: Tfjs, data: TrainingData, indices: Int32Array, inputShape: number[]): TestSet {
  return { count: indices.length, inputs: (rows) => batchTensor(tf, data, gather(indices, rows), inputShape) };
}

/** A draw's training and validation sets' indices and labels. */
export function drawSets(draw: LabelDraw, labels: Int32Array): { train: Int32Array; trainLabels: Int32Array; validation: Int32Array; validationLabels: Int32Array } {
  const train = Int32Array.from(draw.train);
  const validation = Int32Array.from(draw.validation);
  return { train, trainLabels: Int32Array.from(train, (i) => labels[i] ?? 0), validation, validationLabels: Int32Array.from(validation, (i) => labels[i] ?? 0) };
}
