import { sweepMembersProblem } from '../../../../shared/domain/preset.js';
import type { SweepAxis, SweepSpec } from '../../../../shared/domain/sweep.js';
import { fieldValue, withField } from './sweepFields.js';
import { presetVariantOf, toConfig, type Variant } from './variant.js';

/**
 * Variants loaded from a configuration that is one sweep (the lecture's bottleneck sizes):
 * shown as its members and kept alike in everything but the swept fields.
 */
export interface SweepGroup {
  keys: number[];
  fields: string[];
}

/** The members' sweep — base: the first member, axes: each field's values in the members' order — or why they no longer make one. */
export function groupSweep(members: Variant[], fields: readonly string[], datasetId: string): { spec: SweepSpec } | { problem: string } {
  const first = members[0];
  if (!first || members.length < 2) return { problem: 'fewer than two of its variants are left' };
  const axes: SweepAxis[] = fields.map((field) => ({ field, values: [...new Map(members.map((m) => [JSON.stringify(fieldValue(m, field)), fieldValue(m, field) as number])).values()] }));
  const problem = sweepMembersProblem(members.map((m) => presetVariantOf(m) as Record<string, unknown>), axes);
  return problem ? { problem } : { spec: { base: toConfig(first, datasetId) as Record<string, unknown>, axes } };
}

/** An edit of one member applies to every member, except each one's own name and swept values. */
export function linkedUpdate(variants: Variant[], group: SweepGroup | null, updated: Variant): Variant[] {
  const linked = group?.keys.includes(updated.key) ? group : null;
  return variants.map((variant) => {
    if (variant.key === updated.key) return updated;
    if (!linked || !linked.keys.includes(variant.key)) return variant;
    let member: Variant = { ...updated, key: variant.key, name: variant.name, architectureParams: { ...updated.architectureParams }, objectiveParams: { ...updated.objectiveParams } };
    for (const field of linked.fields) member = withField(member, field, fieldValue(variant, field));
    return member;
  });
}
