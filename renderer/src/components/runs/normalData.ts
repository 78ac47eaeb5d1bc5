import type { DatasetSummary } from '../../../../shared/domain/dataset.js';
import type { SweptFields } from './sweepFields.js';
import { withNormalClasses, type Variant } from './variant.js';

/**
 * What the form's variants train on, as its data section offers it: every class, only some
 * classes (the normal data of an anomaly detector), or one model per class (the one-class
 * benchmark: each variant becomes a sweep over `normalClasses` = [0], [1], …). `mixed`: the
 * variants disagree (a loaded configuration whose variants each have their own classes).
 */
export type TrainOn = { mode: 'all' } | { mode: 'classes'; classes: number[] } | { mode: 'oneClass' } | { mode: 'mixed' };

export const normalField = 'normalClasses';

const same = (a: readonly number[] | undefined, b: readonly number[] | undefined): boolean => JSON.stringify(a) === JSON.stringify(b);

/** The data section's choice for these variants and their swept fields. */
export function trainOnOf(variants: readonly Variant[], swept: Readonly<Record<number, SweptFields>>): TrainOn {
  if (variants.length > 0 && variants.every((v) => swept[v.key]?.[normalField] !== undefined)) return { mode: 'oneClass' };
  if (variants.some((v) => swept[v.key]?.[normalField] !== undefined)) return { mode: 'mixed' };
  const first = variants[0]?.normalClasses;
  if (!variants.every((v) => same(v.normalClasses, first))) return { mode: 'mixed' };
  return first === undefined ? { mode: 'all' } : { mode: 'classes', classes: [...first] };
}

/** Why the dataset cannot be split into normal classes, or null when it can. */
export function normalDataUnavailable(dataset: DatasetSummary | null): string | null {
  if (!dataset) return 'Choose a dataset first';
  if (dataset.classNames.length === 0) return 'This dataset has no labels, so it has no classes to choose from: train on all of it, and take anomalies from another dataset in the anomaly analysis';
  if (dataset.classNames.length < 2) return `This dataset has one class only ('${dataset.classNames[0] ?? ''}'): there is nothing to hold out as anomalous`;
  return null;
}

/** The one-class sweep's values on this dataset: each class that has samples, alone. */
export function oneClassValues(dataset: DatasetSummary): number[][] {
  return dataset.classNames.flatMap((_, c) => ((dataset.classCounts[c] ?? 0) > 0 ? [[c]] : []));
}

/**
 * The variants and swept fields once the data section's choice is applied to every variant.
 * One model per class sweeps `normalClasses` in each variant (beside its own swept fields);
 * any other choice drops that sweep and sets the variants' classes.
 */
export function applyTrainOn(variants: readonly Variant[], swept: Readonly<Record<number, SweptFields>>, choice: TrainOn, dataset: DatasetSummary | null): { variants: Variant[]; swept: Record<number, SweptFields> } {
  if (choice.mode === 'mixed') return { variants: [...variants], swept: { ...swept } };
  const nextSwept: Record<number, SweptFields> = {};
  for (const variant of variants) {
    const { [normalField]: _dropped, ...own } = swept[variant.key] ?? {};
    nextSwept[variant.key] = choice.mode === 'oneClass' && dataset ? { ...own, [normalField]: oneClassValues(dataset) } : own;
  }
  const classes = choice.mode === 'classes' ? [...choice.classes].sort((a, b) => a - b) : undefined;
  return { variants: variants.map((v) => withNormalClasses(v, classes)), swept: { ...swept, ...nextSwept } };
}

/** A set of normal classes by name ("Bag, Sandal"); an index the dataset does not have (or no dataset) by its number. */
export function normalClassNames(normalClasses: readonly number[], classNames: readonly string[] | undefined): string {
  return normalClasses.map((c) => classNames?.[c] ?? `class ${c}`).join(', ');
}

/**
 * The data section's choice once another dataset is chosen. Chosen classes are indices into the
 * old dataset's classes: on another one (even with as many classes) they would silently mean
 * others, so they are cleared and the picker asks for the new dataset's (the form is not valid
 * until some are chosen). One model per class is applied again to the new dataset's classes.
 * Null: nothing to change.
 */
export function trainOnForNewDataset(trainOn: TrainOn): TrainOn | null {
  if (trainOn.mode === 'classes' || trainOn.mode === 'mixed') return { mode: 'classes', classes: [] };
  if (trainOn.mode === 'oneClass') return trainOn;
  return null;
}

/**
 * The warning for a loaded configuration written for a dataset the workspace does not have:
 * its normal classes are that dataset's class numbers, and mean whatever classes the chosen
 * dataset has at those numbers. Null when the dataset is here, or no variant names classes.
 */
export function foreignClassesWarning(presetDatasetId: string | undefined, datasetIds: readonly string[], variants: readonly Pick<Variant, 'normalClasses'>[], classNames: readonly string[] | undefined): string | null {
  if (!presetDatasetId || datasetIds.includes(presetDatasetId)) return null;
  const sets = [...new Set(variants.flatMap((v) => (v.normalClasses ? [normalClassNames(v.normalClasses, classNames)] : [])))];
  if (sets.length === 0) return null;
  return `This configuration was written for the dataset '${presetDatasetId}', which this workspace does not have: its normal classes are class numbers of that dataset, and here they are ${sets.map((s) => `'${s}'`).join(', ')}. Check them, or import '${presetDatasetId}' and load it again.`;
}
