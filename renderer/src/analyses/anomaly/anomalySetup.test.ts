import { describe, expect, it } from 'vitest';
import type { DatasetSummary } from '../../../../shared/domain/dataset.js';
import { runSummary } from '../../testing/analysisFixtures.js';
import { anomalyClassChoices, anomalyDatasetChoices, anomalySource, normalClassesText, setupProblems, type AnomalyChoice } from './anomalySetup.js';

const dataset = (id: string, shape: [number, number, number], rest: Partial<DatasetSummary> = {}): DatasetSummary => ({
  id, name: id, format: 'images', source: '/x', builtin: false, shape, kind: 'image', dtype: 'uint8', scaling: 'unit',
  count: 10, splits: { train: 8, validation: 1, test: 1 }, classNames: ['circle', 'square', 'triangle', 'star'], classCounts: [3, 3, 2, 2], unlabeled: 0, factorNames: [], bytesOnDisk: 1, contentHash: id, createdAt: '2026-01-01', ...rest,
});
const shapes = dataset('shapes', [32, 32, 1]);
const letters = dataset('letters', [32, 32, 1]);
const fashion = dataset('fashion-mnist', [28, 28, 1]);
const empty = dataset('no-test', [32, 32, 1], { splits: { train: 9, validation: 1, test: 0 } });
const circles = runSummary('20260101120000-00000a', { normalClasses: [0] }, { name: 'circles' });
const squares = runSummary('20260101120000-00000b', { normalClasses: [1, 2] }, { name: 'squares' });
const whole = runSummary('20260101120000-00000c', {}, { name: 'whole' });
const choice = (from: AnomalyChoice['from'], rest: Partial<AnomalyChoice> = {}): AnomalyChoice => ({ from, classes: [], datasetId: '', ...rest });

describe('the anomaly set-up', () => {
  it('names each run’s normal classes', () => {
    expect(normalClassesText(squares, shapes)).toBe('square, triangle');
    expect(normalClassesText(whole, shapes)).toBe('every class');
  });

  it('offers as anomaly classes only those no chosen run was trained on', () => {
    expect(anomalyClassChoices(shapes, [circles, squares]).map((c) => c.name)).toEqual(['star']);
    expect(anomalyClassChoices(shapes, [whole])).toEqual([]);
  });

  it('lists the datasets of the same shape with a test split, and says why the others are missing', () => {
    const { matching, refused } = anomalyDatasetChoices(shapes, [shapes, letters, fashion, empty]);
    expect(matching.map((d) => d.id)).toEqual(['letters']);
    expect(refused.map((r) => [r.dataset.id, r.reason])).toEqual([
      ['fashion-mnist', 'its samples are 28×28 px, grayscale; the runs take 32×32 px, grayscale'],
      ['no-test', 'it has no test split to score'],
    ]);
  });

  it('says what makes a choice meaningless', () => {
    expect(setupProblems([], shapes, [], choice('other-classes'))).toEqual(['Choose at least one trained run']);
    expect(setupProblems([whole], shapes, [], choice('other-classes'))[0]).toMatch(/^whole was trained on every class of shapes, so there are no other classes/);
    expect(setupProblems([circles], shapes, [], choice('other-classes'))).toEqual([]);
    expect(setupProblems([circles], shapes, [], choice('classes'))).toEqual(['Choose at least one anomaly class']);
    expect(setupProblems([circles, squares], shapes, [], choice('classes', { classes: [2, 3] }))).toEqual(['triangle is normal to a chosen run; anomalies must be classes it never saw']);
    expect(setupProblems([whole], shapes, [shapes, fashion], choice('dataset', { datasetId: 'fashion-mnist' }))).toEqual(["No other dataset has shapes's sample shape (32×32 px, grayscale) and a test split"]);
    expect(setupProblems([whole], shapes, [shapes, letters], choice('dataset', { datasetId: 'letters' }))).toEqual([]);
  });

  it('makes the spec’s anomaly source of the choice', () => {
    expect(anomalySource(choice('classes', { classes: [3, 1] }))).toEqual({ from: 'classes', classes: [1, 3] });
    expect(anomalySource(choice('dataset', { datasetId: 'letters' }))).toEqual({ from: 'dataset', datasetId: 'letters' });
    expect(anomalySource(choice('other-classes', { classes: [1] }))).toEqual({ from: 'other-classes' });
  });
});
