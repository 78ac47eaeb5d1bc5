import { architectures } from '../../../../shared/catalogue/architectures.js';
import { objectives } from '../../../../shared/catalogue/objectives.js';
import type { ParamSpecs } from '../../../../shared/catalogue/params.js';
import { runConfigGroupLabels, runConfigGroups, runFields, type RunConfigGroup, type RunField } from '../../../../shared/catalogue/runFields.js';
import type { DatasetSummary } from '../../../../shared/domain/dataset.js';
import type { RunSummary } from '../../../../shared/domain/run.js';
import { formatCount, formatShape } from '../../format.js';
import { normalClassNames } from './normalData.js';

export interface ConfigRow {
  /** Where the value is in the configuration: `epochs`, `objectiveParams.beta`. */
  field: string;
  label: string;
  value: string;
  /** What the hyperparameter does, as the catalogue says it. */
  help?: string;
}

export interface ConfigGroup {
  group: RunConfigGroup;
  label: string;
  rows: ConfigRow[];
}

type RunConfig = RunSummary['config'];

const shownValue = (value: unknown): string => {
  if (Array.isArray(value)) return value.map(String).join(', ');
  if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value) ?? '—';
};

function runRow(config: RunConfig, field: RunField, dataset: DatasetSummary | null): ConfigRow | null {
  const info = runFields[field];
  const raw = config[field];
  if (raw === undefined) return null;
  let value = 'options' in info ? ((info.options as Record<string, string>)[String(raw)] ?? String(raw)) : shownValue(raw);
  if (field === 'datasetId') value = dataset ? `${dataset.name} (${formatCount(dataset.count)} samples, ${formatShape(dataset.shape)})` : String(raw);
  else if (field === 'normalClasses' && Array.isArray(raw)) value = normalClassNames(raw as number[], dataset?.classNames);
  else if (field === 'earlyStoppingPatience') value = raw === 0 ? 'off' : `after ${String(raw)} epochs without a better validation loss`;
  else if ('unit' in info) value = `${value} ${info.unit}`;
  return { field, label: info.label, value };
}

function familyRows(group: 'architectureParams' | 'objectiveParams', specs: ParamSpecs, values: Record<string, unknown>): ConfigRow[] {
  const rows: ConfigRow[] = Object.entries(specs).map(([key, spec]) => ({
    field: `${group}.${key}`,
    label: spec.label,
    value: shownValue(values[key] ?? spec.default),
    help: spec.description,
  }));
  // A value the catalogue no longer describes is still shown, under its own name.
  for (const [key, value] of Object.entries(values)) if (!(key in specs)) rows.push({ field: `${group}.${key}`, label: key, value: shownValue(value) });
  return rows;
}

/**
 * A run's configuration as the run page shows it: grouped into data, architecture, objective
 * and optimisation, each field under the form's label, choices by their names, counts with units.
 */
export function configGroups(config: RunConfig, dataset: DatasetSummary | null = null): ConfigGroup[] {
  const architecture = architectures[config.architecture];
  const objective = objectives[config.objective];
  const rowsOf = (fields: RunField[]): ConfigRow[] => fields.map((f) => runRow(config, f, dataset)).filter((r): r is ConfigRow => r !== null);
  const byGroup: Record<RunConfigGroup, ConfigRow[]> = {
    data: rowsOf(['datasetId', 'normalClasses']),
    architecture: [
      { field: 'architecture', label: runFields.architecture.label, value: architecture.label },
      ...familyRows('architectureParams', architecture.params, config.architectureParams),
      ...rowsOf(['latentDim']),
    ],
    objective: [
      { field: 'objective', label: runFields.objective.label, value: objective.label },
      ...familyRows('objectiveParams', objective.params, config.objectiveParams),
      ...rowsOf(['reconstructionLoss']),
    ],
    // Adam keeps its own moment estimates: the momentum field is SGD's and RMSprop's only.
    optimisation: rowsOf(['optimizer', 'learningRate', ...(config.optimizer === 'adam' ? [] : (['momentum'] as const)), 'batchSize', 'epochs', 'earlyStoppingPatience', 'seed']),
  };
  return runConfigGroups.map((group) => ({ group, label: runConfigGroupLabels[group], rows: byGroup[group] }));
}
