import { architectures } from '../../../../shared/catalogue/architectures.js';
import { objectives } from '../../../../shared/catalogue/objectives.js';
import type { ParamValue } from '../../../../shared/catalogue/params.js';
import { validateRunConfig } from '../../../../shared/catalogue/runConfig.js';
import { runFieldLabels } from '../../../../shared/catalogue/runFields.js';
import type { DatasetSummary } from '../../../../shared/domain/dataset.js';
import { describePoint, expandSweep, sweepLimit, type SweepSpec } from '../../../../shared/domain/sweep.js';
import { problemsOf, toConfig, traitsOf, type Variant } from './variant.js';

/** One value of a swept field: a number, or a list of numbers (a set of normal classes, `[3]`). */
export type SweepValue = number | number[];

/** A variant's swept fields, named as sweep axes name them (`latentDim`, `objectiveParams.level`, `normalClasses`), each with its values. */
export type SweptFields = Record<string, SweepValue[]>;

/** A swept field's values where they are numbers (what a number field's Sweep list edits), else null. */
export const numericSweep = (values: readonly SweepValue[] | undefined): number[] | null => (values && values.every((v) => typeof v === 'number') ? (values as number[]) : null);

const isValue = (v: SweepValue): boolean => (typeof v === 'number' ? Number.isFinite(v) : v.length > 0 && v.every(Number.isFinite));

const paramGroups = new Set(['architectureParams', 'objectiveParams']);

export function fieldValue(variant: Variant, field: string): ParamValue | undefined {
  const [group, key] = field.split('.');
  if (group && key !== undefined && paramGroups.has(group)) return variant[group as 'architectureParams' | 'objectiveParams'][key];
  return (variant as unknown as Record<string, ParamValue | undefined>)[field];
}

export function withField(variant: Variant, field: string, value: ParamValue | undefined): Variant {
  const [group, key] = field.split('.');
  if (group && key !== undefined && paramGroups.has(group)) {
    const params = { ...variant[group as 'architectureParams' | 'objectiveParams'] };
    if (value === undefined) delete params[key];
    else params[key] = value;
    return { ...variant, [group]: params };
  }
  return { ...variant, [field]: value };
}

/** A swept field as the form labels it ("Latent size d", "Noise level"), for messages. */
export function sweepFieldLabel(variant: Variant, field: string): string {
  const [group, key] = field.split('.');
  if (group === 'architectureParams' && key !== undefined) return architectures[variant.architecture].params[key]?.label ?? key;
  if (group === 'objectiveParams' && key !== undefined) return objectives[variant.objective].params[key]?.label ?? key;
  return runFieldLabels[field] ?? field;
}

/** Values as typed ("2, 4, 32"); an entry that is not a number stays as NaN, so it can be pointed at. */
export const parseSweepValues = (text: string): number[] =>
  text
    .split(/[,;\s]+/)
    .filter((p) => p !== '')
    .map(Number);

export const formatSweepValues = (values: readonly number[]): string => values.map((v) => (Number.isNaN(v) ? '?' : String(v))).join(', ');

/** The swept fields the variant still has: a hyperparameter of an architecture or objective it no longer uses is dropped. */
export function applicableSweeps(variant: Variant, swept: SweptFields): SweptFields {
  const params: Record<string, object> = { architectureParams: architectures[variant.architecture].params, objectiveParams: objectives[variant.objective].params };
  return Object.fromEntries(
    Object.entries(swept).filter(([field]) => {
      const [group, key] = field.split('.');
      return key === undefined || (group !== undefined && key in (params[group] ?? {}));
    }),
  );
}

export const sweepSize = (swept: SweptFields): number => Object.values(swept).reduce((n, values) => n * values.length, 1);

/** The sweep a variant makes of its swept fields, or null when it sweeps none. */
export function sweepOf(variant: Variant, datasetId: string, swept: SweptFields): SweepSpec | null {
  const axes = Object.entries(swept).map(([field, values]) => ({ field, values }));
  return axes.length === 0 ? null : { base: toConfig(variant, datasetId) as Record<string, unknown>, axes };
}

/** A variant's problems: its own, or with fields swept, every member's, each naming the value as the lab does. */
export function variantProblems(variant: Variant, swept: SweptFields, dataset: DatasetSummary | null): string[] {
  if (Object.keys(swept).length === 0) return problemsOf(variant, dataset);
  if (!dataset) return ['Choose a dataset'];
  const problems: string[] = [];
  for (const [field, values] of Object.entries(swept)) {
    const label = sweepFieldLabel(variant, field);
    if (!values.every(isValue)) problems.push(`Sweep of ${label}: every value must be a number`);
    else if (values.length < 2) problems.push(`Sweep of ${label}: list at least two values, separated by commas`);
    else if (new Set(values.map((v) => JSON.stringify(v))).size !== values.length) problems.push(`Sweep of ${label}: a value is listed twice`);
  }
  if (problems.length > 0) return problems;
  const spec = sweepOf(variant, dataset.id, swept);
  const size = sweepSize(swept);
  if (!spec) return [];
  if (size > sweepLimit) return [`The sweep has ${size} combinations; at most ${sweepLimit} runs are queued as one sweep`];
  for (const member of expandSweep(spec)) {
    const result = validateRunConfig(member.config as never, traitsOf(dataset));
    if (!result.ok) problems.push(`Sweep value ${describePoint(member.point)}: ${result.errors[0] ?? 'invalid'}`);
  }
  return [...new Set(problems)];
}
