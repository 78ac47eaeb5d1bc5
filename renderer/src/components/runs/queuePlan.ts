import type { RunConfigInput } from '../../../../shared/catalogue/runConfig.js';
import { expandSweep, type SweepSpec } from '../../../../shared/domain/sweep.js';
import { groupSweep, type SweepGroup } from './sweepGroup.js';
import { sweepOf, type SweptFields } from './sweepFields.js';
import { toConfig, type Variant } from './variant.js';

export interface QueuePlan {
  /** Each with the words that name it in a refusal ("Variant 2"). */
  runs: Array<{ label: string; config: RunConfigInput }>;
  sweeps: Array<{ label: string; spec: SweepSpec }>;
  /** Why a loaded sweep's variants are queued as separate runs, when they are. */
  groupProblem: string | null;
}

/**
 * What the form queues: a loaded sweep's members as one sweep (while they still make one), each
 * variant with swept fields as a sweep of its own, every other variant as a run.
 */
export function queuePlan(variants: Variant[], swept: Record<number, SweptFields>, group: SweepGroup | null, datasetId: string): QueuePlan {
  const ownSweep = (v: Variant): boolean => Object.keys(swept[v.key] ?? {}).length > 0;
  const members = group ? variants.filter((v) => group.keys.includes(v.key)) : [];
  const numbers = (list: Variant[]): string => list.map((v) => variants.indexOf(v) + 1).join(', ');
  let grouped: { spec: SweepSpec } | { problem: string } | null = null;
  if (group && members.length > 0) grouped = members.some(ownSweep) ? { problem: 'one of them sweeps a field of its own' } : groupSweep(members, group.fields, datasetId);
  const plan: QueuePlan = { runs: [], sweeps: [], groupProblem: grouped && 'problem' in grouped ? grouped.problem : null };
  if (grouped && 'spec' in grouped) plan.sweeps.push({ label: `Variants ${numbers(members)} (sweep)`, spec: grouped.spec });
  for (const [i, variant] of variants.entries()) {
    if (grouped && 'spec' in grouped && members.includes(variant)) continue;
    const spec = sweepOf(variant, datasetId, swept[variant.key] ?? {});
    if (spec) plan.sweeps.push({ label: `Variant ${i + 1} (sweep)`, spec });
    else plan.runs.push({ label: `Variant ${i + 1}`, config: toConfig(variant, datasetId) });
  }
  return plan;
}

const runs = (n: number): string => `${n} run${n === 1 ? '' : 's'}`;

/** The submit button's words: "Queue 3 runs", "Queue a sweep of 3 runs", "Queue 2 sweeps (7 runs) and 1 run". */
export function queueLabel(plan: QueuePlan): string {
  if (plan.sweeps.length === 0) return `Queue ${runs(plan.runs.length)}`;
  const members = plan.sweeps.reduce((n, s) => n + expandSweep(s.spec).length, 0);
  const sweeps = plan.sweeps.length === 1 ? `a sweep of ${runs(members)}` : `${plan.sweeps.length} sweeps (${runs(members)})`;
  return `Queue ${sweeps}${plan.runs.length > 0 ? ` and ${runs(plan.runs.length)}` : ''}`;
}
