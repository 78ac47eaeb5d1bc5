import { describe, expect, it } from 'vitest';
import { normalClassProblems, validateRunConfig } from './runConfig.js';

const shapes = { shape: [32, 32, 1] as const, kind: 'image' as const, unitRange: true, classNames: ['square', 'ellipse', 'triangle', 'cross', 'star'], classCounts: [2015, 1979, 1994, 2027, 0] };

describe('normal classes', () => {
  it('accepts classes of the dataset, and a run without any', () => {
    expect(normalClassProblems([0, 2], shapes)).toEqual([]);
    expect(normalClassProblems(undefined, shapes)).toEqual([]);
    const validated = validateRunConfig({ datasetId: 'shapes', architecture: 'dense', objective: 'plain', normalClasses: [1, 3] }, shapes);
    expect(validated.ok && validated.config.normalClasses).toEqual([1, 3]);
  });

  it('refuses a class the dataset does not have, a class given twice, classes without samples, and an unlabelled dataset', () => {
    expect(normalClassProblems([1, 7], shapes)).toEqual(['Normal classes: 7 is not a class of this dataset (it has 5: 0–4)']);
    expect(normalClassProblems([2, 2], shapes)).toEqual(["Normal classes: 'triangle' is given twice"]);
    expect(normalClassProblems([4], shapes)).toEqual(["Normal classes: 'star' has no samples in this dataset"]);
    expect(normalClassProblems([0], { ...shapes, classNames: [], classCounts: [] })[0]).toMatch(/^Normal classes need a labelled dataset/);
  });

  it('names the field as the form does when it is not a list of class numbers', () => {
    const validated = validateRunConfig({ datasetId: 'shapes', architecture: 'dense', objective: 'plain', normalClasses: [] }, shapes);
    expect(validated.ok).toBe(false);
    expect(!validated.ok && validated.errors.join(' ')).toMatch(/Normal classes/);
  });
});
