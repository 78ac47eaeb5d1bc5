import { describe, expect, it } from 'vitest';
import type { DatasetSummary } from '../../../../shared/domain/dataset.js';
import { expandSweep } from '../../../../shared/domain/sweep.js';
import { applyTrainOn, foreignClassesWarning, normalClassNames, normalDataUnavailable, oneClassValues, trainOnForNewDataset, trainOnOf } from './normalData.js';
import { queueLabel, queuePlan } from './queuePlan.js';
import { variantProblems } from './sweepFields.js';
import { groupSweep } from './sweepGroup.js';
import { newVariant, withArchitecture, withNormalClasses } from './variant.js';

const shapes = {
  id: 'shapes',
  name: 'Shapes',
  count: 10000,
  shape: [32, 32, 1],
  kind: 'image',
  scaling: 'unit',
  classNames: ['square', 'ellipse', 'triangle', 'cross', 'star'],
  classCounts: [2010, 1980, 2000, 1990, 2020],
} as DatasetSummary;

describe('what the form trains on', () => {
  it('applies "only these classes" to every variant, sorted, and reads it back', () => {
    const variants = [newVariant(), withArchitecture(newVariant(), 'conv')];
    expect(trainOnOf(variants, {})).toEqual({ mode: 'all' });
    const chosen = applyTrainOn(variants, {}, { mode: 'classes', classes: [2, 0] }, shapes);
    expect(chosen.variants.map((v) => v.normalClasses)).toEqual([
      [0, 2],
      [0, 2],
    ]);
    expect(trainOnOf(chosen.variants, chosen.swept)).toEqual({ mode: 'classes', classes: [0, 2] });
    const plan = queuePlan(chosen.variants, chosen.swept, null, 'shapes');
    expect(plan.runs.map((r) => r.config.normalClasses)).toEqual([
      [0, 2],
      [0, 2],
    ]);
    const back = applyTrainOn(chosen.variants, chosen.swept, { mode: 'all' }, shapes);
    expect(back.variants.every((v) => !('normalClasses' in v))).toBe(true);
    expect(trainOnOf([variants[0]!, withNormalClasses(variants[1]!, [1])], {})).toEqual({ mode: 'mixed' });
  });

  it('makes "one model per class" the one-class sweep: axis normalClasses = [0], [1], …, beside a field the variant sweeps itself', () => {
    const variant = newVariant();
    const { variants, swept } = applyTrainOn([variant], { [variant.key]: { latentDim: [8, 16] } }, { mode: 'oneClass' }, shapes);
    expect(trainOnOf(variants, swept)).toEqual({ mode: 'oneClass' });
    expect(swept[variant.key]).toEqual({ latentDim: [8, 16], normalClasses: [[0], [1], [2], [3], [4]] });
    expect(variantProblems(variants[0]!, swept[variant.key]!, shapes)).toEqual([]);
    const plan = queuePlan(variants, swept, null, 'shapes');
    expect(plan.runs).toEqual([]);
    const spec = plan.sweeps[0]?.spec;
    expect(spec?.axes).toEqual([
      { field: 'latentDim', values: [8, 16] },
      { field: 'normalClasses', values: [[0], [1], [2], [3], [4]] },
    ]);
    const members = expandSweep(spec ?? { base: {}, axes: [] });
    expect(members.map((m) => [m.config.latentDim, m.config.normalClasses])).toEqual([
      [8, [0]], [8, [1]], [8, [2]], [8, [3]], [8, [4]],
      [16, [0]], [16, [1]], [16, [2]], [16, [3]], [16, [4]],
    ]);
    expect(queueLabel(plan)).toBe('Queue a sweep of 10 runs');
    // Back to every class: the sweep over classes goes, the variant's own sweep stays.
    const all = applyTrainOn(variants, swept, { mode: 'all' }, shapes);
    expect(all.swept[variant.key]).toEqual({ latentDim: [8, 16] });
  });

  it('sweeps only the classes that have samples, and names a repeated class set', () => {
    const sparse = { ...shapes, classCounts: [5, 0, 5, 5, 5] } as DatasetSummary;
    expect(oneClassValues(sparse)).toEqual([[0], [2], [3], [4]]);
    expect(variantProblems(newVariant(), { normalClasses: [[0], [0]] }, shapes)).toEqual(['Sweep of Normal classes: a value is listed twice']);
    expect(variantProblems(newVariant(), { normalClasses: [[1], [7]] }, shapes)[0]).toMatch(/^Sweep value normalClasses=7: Normal classes: 7 is not a class of this dataset/);
  });

  it('keeps a loaded one-class sweep together as one sweep of normalClasses', () => {
    const members = [[0], [1], [2]].map((c) => withNormalClasses(newVariant(), c));
    const grouped = groupSweep(members, ['normalClasses'], 'shapes');
    expect('spec' in grouped && grouped.spec.axes).toEqual([{ field: 'normalClasses', values: [[0], [1], [2]] }]);
  });

  it('says why an unlabelled or one-class dataset cannot be split into normal and anomalous', () => {
    expect(normalDataUnavailable(shapes)).toBeNull();
    expect(normalDataUnavailable({ ...shapes, classNames: [], classCounts: [] })).toMatch(/has no labels.*take anomalies from another dataset/);
    expect(normalDataUnavailable({ ...shapes, classNames: ['cat'], classCounts: [9] })).toMatch(/one class only \('cat'\)/);
    expect(normalDataUnavailable(null)).toBe('Choose a dataset first');
  });

  it('names normal classes by the dataset’s class names, or by number without them', () => {
    expect(normalClassNames([8, 5], ['T-shirt', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'])).toBe('Bag, Sandal');
    expect(normalClassNames([8], undefined)).toBe('class 8');
  });

  it('clears chosen classes when the dataset changes, so that they do not come to mean other classes, and asks for new ones', () => {
    const chosen = applyTrainOn([newVariant()], {}, { mode: 'classes', classes: [1, 3] }, shapes);
    const next = trainOnForNewDataset(trainOnOf(chosen.variants, chosen.swept));
    expect(next).toEqual({ mode: 'classes', classes: [] });
    const cleared = applyTrainOn(chosen.variants, chosen.swept, next!, shapes);
    expect(trainOnOf(cleared.variants, cleared.swept)).toEqual({ mode: 'classes', classes: [] });
    expect(variantProblems(cleared.variants[0]!, {}, shapes)).toEqual(['Normal classes must have at least 1 entry; 0 were given']);
    expect(trainOnForNewDataset({ mode: 'mixed' })).toEqual({ mode: 'classes', classes: [] });
    expect(trainOnForNewDataset({ mode: 'oneClass' })).toEqual({ mode: 'oneClass' });
    expect(trainOnForNewDataset({ mode: 'all' })).toBeNull();
  });

  it('warns when a configuration’s normal classes were written for a dataset the workspace does not have', () => {
    const variants = [withNormalClasses(newVariant(), [1]), withNormalClasses(newVariant(), [1]), newVariant()];
    expect(foreignClassesWarning('fashion-mnist', ['shapes'], variants, shapes.classNames)).toBe(
      "This configuration was written for the dataset 'fashion-mnist', which this workspace does not have: its normal classes are class numbers of that dataset, and here they are 'ellipse'. Check them, or import 'fashion-mnist' and load it again.",
    );
    expect(foreignClassesWarning('shapes', ['shapes'], variants, shapes.classNames)).toBeNull();
    expect(foreignClassesWarning('fashion-mnist', ['shapes'], [newVariant()], shapes.classNames)).toBeNull();
    expect(foreignClassesWarning(undefined, ['shapes'], variants, shapes.classNames)).toBeNull();
  });
});
