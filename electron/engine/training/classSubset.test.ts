import { describe, expect, it } from 'vitest';
import { restrictToClasses } from './classSubset.js';
import type { TrainingData } from './trainingData.js';

const data = (): TrainingData => ({
  samples: new Uint8Array(8),
  shape: [1, 1, 1],
  offset: 0,
  factor: 1,
  labels: Int32Array.from([0, 1, 2, 0, 1, 2, 0, -1]),
  train: Int32Array.from([0, 1, 2, 3, 7]),
  validation: Int32Array.from([4]),
  test: Int32Array.from([5, 6]),
});

describe('restrictToClasses', () => {
  it('keeps only the normal classes in every split, unlabelled samples out', () => {
    const restricted = restrictToClasses(data(), [0, 1]);
    expect([...restricted.train]).toEqual([0, 1, 3]);
    expect([...restricted.validation]).toEqual([4]);
    expect([...restricted.test]).toEqual([6]);
  });

  it('leaves the data as it is without normal classes', () => {
    const all = data();
    expect(restrictToClasses(all, undefined)).toBe(all);
  });

  it('refuses classes with nothing to train on', () => {
    expect(() => restrictToClasses(data(), [5])).toThrow('Normal classes 5 have no samples in the training split');
  });
});
