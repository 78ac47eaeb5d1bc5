import { architectures, type ArchitectureId } from '../../../../shared/catalogue/architectures.js';
import { objectives, type ObjectiveId } from '../../../../shared/catalogue/objectives.js';
import type { ParamValue } from '../../../../shared/catalogue/params.js';
import { validateRunConfig, type DataTraits, type RunConfigInput } from '../../../../shared/catalogue/runConfig.js';
import type { DatasetSummary } from '../../../../shared/domain/dataset.js';
import type { PresetVariant } from '../../../../shared/domain/preset.js';

/** One variant in the new-run form: a whole run configuration except the shared dataset. */
export interface Variant {
  key: number;
  name: string;
  architecture: ArchitectureId;
  objective: ObjectiveId;
  latentDim: number;
  architectureParams: Record<string, ParamValue>;
  objectiveParams: Record<string, ParamValue>;
  reconstructionLoss: 'mse' | 'bce';
  optimizer: 'adam' | 'sgd' | 'rmsprop';
  learningRate: number;
  batchSize: number;
  epochs: number;
  seed: number;
  /** Train on these classes of the dataset only (what is normal to an anomaly detector); absent: every class. */
  normalClasses?: number[];
}

let nextKey = 1;

const defaultsOf = (specs: Record<string, { default: unknown }>): Record<string, ParamValue> =>
  Object.fromEntries(Object.entries(specs).map(([k, spec]) => [k, spec.default as ParamValue]));

export function newVariant(): Variant {
  return {
    key: nextKey++,
    name: '',
    architecture: 'dense',
    objective: 'plain',
    latentDim: 16,
    architectureParams: defaultsOf(architectures.dense.params),
    objectiveParams: {},
    reconstructionLoss: 'bce',
    optimizer: 'adam',
    learningRate: 1e-3,
    batchSize: 128,
    epochs: 10,
    seed: 42,
  };
}

/** "Add variant": the same settings, a new identity; the user then changes what differs. */
export function cloneVariant(variant: Variant): Variant {
  return { ...variant, key: nextKey++, name: '', architectureParams: { ...variant.architectureParams }, objectiveParams: { ...variant.objectiveParams }, ...(variant.normalClasses ? { normalClasses: [...variant.normalClasses] } : {}) };
}

/** The same variant trained on these classes only, or (undefined) on every class. */
export function withNormalClasses(variant: Variant, normalClasses: readonly number[] | undefined): Variant {
  const { normalClasses: _old, ...rest } = variant;
  return normalClasses === undefined ? rest : { ...rest, normalClasses: [...normalClasses] };
}

/** Switching architecture or objective resets its hyperparameters to the catalogue's defaults, and the loss to one it trains with. */
export function withArchitecture(variant: Variant, architecture: ArchitectureId): Variant {
  const { params, reconstructionLosses } = architectures[architecture];
  const reconstructionLoss = reconstructionLosses.includes(variant.reconstructionLoss) ? variant.reconstructionLoss : (reconstructionLosses[0] ?? variant.reconstructionLoss);
  return { ...variant, architecture, architectureParams: defaultsOf(params), reconstructionLoss };
}

export function withObjective(variant: Variant, objective: ObjectiveId): Variant {
  return { ...variant, objective, objectiveParams: defaultsOf(objectives[objective].params) };
}

export function traitsOf(dataset: DatasetSummary): DataTraits {
  return { shape: dataset.shape, kind: dataset.kind, unitRange: dataset.scaling === 'unit' || dataset.scaling === 'minmax', classNames: dataset.classNames, classCounts: dataset.classCounts };
}

export function toConfig(variant: Variant, datasetId: string): RunConfigInput {
  const { key: _key, name, normalClasses, ...rest } = variant;
  return { ...rest, datasetId, ...(normalClasses ? { normalClasses: [...normalClasses] } : {}), ...(name.trim() !== '' ? { name: name.trim() } : {}) };
}

/** The same checks the lab makes, run as the user types, so nothing invalid is sent. */
export function problemsOf(variant: Variant, dataset: DatasetSummary | null): string[] {
  if (!dataset) return ['Choose a dataset'];
  const result = validateRunConfig(toConfig(variant, dataset.id), traitsOf(dataset));
  return result.ok ? [] : result.errors;
}

/** A saved or built-in configuration's variant in the form: catalogue defaults under what it sets. */
export function variantFromPreset(preset: PresetVariant): Variant {
  const base = withObjective(withArchitecture(newVariant(), preset.architecture), preset.objective);
  return {
    ...base,
    ...(preset.normalClasses ? { normalClasses: [...preset.normalClasses] } : {}),
    name: preset.name ?? '',
    latentDim: preset.latentDim ?? base.latentDim,
    architectureParams: { ...base.architectureParams, ...(preset.architectureParams as Record<string, ParamValue> | undefined) },
    objectiveParams: { ...base.objectiveParams, ...(preset.objectiveParams as Record<string, ParamValue> | undefined) },
    reconstructionLoss: preset.reconstructionLoss ?? base.reconstructionLoss,
    optimizer: preset.optimizer ?? base.optimizer,
    learningRate: preset.learningRate ?? base.learningRate,
    batchSize: preset.batchSize ?? base.batchSize,
    epochs: preset.epochs ?? base.epochs,
    seed: preset.seed ?? base.seed,
  };
}

/** What a saved configuration keeps of a variant: everything but the dataset, chosen when it is used. */
export function presetVariantOf(variant: Variant): PresetVariant {
  const { datasetId: _dataset, ...rest } = toConfig(variant, 'unused');
  return rest;
}
