import { describe, expect, it } from 'vitest';
import type { TrainingData } from '../../training/trainingData.js';
import { scoredSamples, truthFor, type ScoredDataset } from './scoredSamples.js';

/** Ten 1×1 samples; labels as given (−1: unlabelled); splits as given. */
function dataset(id: string, labels: number[], splits: { train: number[]; validation: number[]; test: number[] }, classNames = ['a', 'b', 'c']): ScoredDataset {
  const data: TrainingData = {
    samples: new Uint8Array(labels.length),
    shape: [1, 1, 1],
    offset: 0,
    factor: 1,
    labels: Int32Array.from(labels),
    train: Int32Array.from(splits.train),
    validation: Int32Array.from(splits.validation),
    test: Int32Array.from(splits.test),
  };
  return { id, classNames, data, scaling: 'unit' };
}

const labels = [0, 1, 2, 0, 1, 2, 0, 1, 2, -1];
const abc = dataset('abc', labels, { train: [0, 1, 2, 3, 4, 5], validation: [6], test: [9, 8, 7] });

describe('which samples an anomaly job scores, and what each is to a run', () => {
  it("the test split in index order; an unlabelled sample is neither normal nor anomalous to a run with normal classes", () => {
    const { samples } = scoredSamples({ from: 'other-classes' }, abc);
    expect(samples).toEqual({ source: [0, 0, 0], index: [7, 8, 9], label: [1, 2, -1] });
    expect(truthFor({ name: 'r', normalClasses: [1] }, { from: 'other-classes' }, abc, samples)).toEqual({ truth: [0, 1, -1], normalCount: 1, anomalyCount: 1 });
  });

  it('refuses a dataset without a test split: its validation samples chose the checkpoints', () => {
    const noTest = dataset('v', labels, { train: [0, 1, 2], validation: [5, 3], test: [] });
    expect(() => scoredSamples({ from: 'other-classes' }, noTest)).toThrow("Dataset 'v' has no test split: its validation samples chose the runs' best checkpoints, so they are not held out");
  });

  it('refuses another dataset scaled otherwise than the runs\' own', () => {
    const other = { ...dataset('std', [0, 1], { train: [0], validation: [], test: [1] }), scaling: 'standardize' };
    expect(() => scoredSamples({ from: 'dataset', datasetId: 'std' }, abc, other)).toThrow("Dataset 'std' was scaled 'standardize' at import, the runs' 'abc' 'unit'");
  });

  it('refuses a run with no normal sample in the test split, naming its classes', () => {
    const { samples } = scoredSamples({ from: 'other-classes' }, abc);
    expect(() => truthFor({ name: 'zeros', normalClasses: [0] }, { from: 'other-classes' }, abc, samples)).toThrow("Run 'zeros' has no normal samples in the test split of 'abc' (normal classes 'a' (0)): there is nothing to tell anomalies from");
  });

  it("refuses the runs' own dataset as the out-of-distribution one", () => {
    expect(() => scoredSamples({ from: 'dataset', datasetId: 'abc' }, abc, abc)).toThrow(/must come from another dataset than the runs' own \('abc'\)/);
  });

  it("another dataset's chosen classes only, appended after the runs' own test split", () => {
    const other = dataset('xyz', [2, 0, 1, 2], { train: [0], validation: [], test: [3, 2, 0] }, ['x', 'y', 'z']);
    const { samples } = scoredSamples({ from: 'dataset', datasetId: 'xyz', classes: [2] }, abc, other);
    expect(samples).toEqual({ source: [0, 0, 0, 1, 1], index: [7, 8, 9, 0, 3], label: [1, 2, -1, 2, 2] });
    expect(truthFor({ name: 'r' }, { from: 'dataset', datasetId: 'xyz' }, abc, samples).truth).toEqual([0, 0, 0, 1, 1]);
  });
});
