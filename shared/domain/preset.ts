import { z } from 'zod';
import { probeProtocolSchema } from '../analyses/probe/probeProtocol.js';
import { runConfigSchema } from '../catalogue/runConfig.js';
import { expandSweep, sweepAxisSchema, type SweepAxis } from './sweep.js';

/** A variant of a saved configuration: a run configuration without the dataset, which is chosen when it is used. */
export const presetVariantSchema = runConfigSchema.omit({ datasetId: true });
export type PresetVariant = z.input<typeof presetVariantSchema>;

export const presetIdPattern = /^(lecture|saved)-[a-z0-9-]{1,80}$/;

/**
 * Where a configuration's answer is once it is queued: its sweep's results, its runs' principal
 * angles, the run page's diagnostics, the anomaly workbench on its runs (scored once they are trained).
 */
export const presetOpens = ['sweep', 'principalAngles', 'diagnostics', 'anomaly', 'probe'] as const;
export type PresetOpens = (typeof presetOpens)[number];

const withoutFields = (variant: Record<string, unknown>, fields: readonly string[]): Record<string, unknown> => {
  const { name: _name, ...rest } = variant;
  const copy: Record<string, unknown> = { ...rest };
  for (const field of fields) {
    const [group, key] = field.split('.');
    if (key === undefined) delete copy[field];
    else if (group) copy[group] = Object.fromEntries(Object.entries((copy[group] as Record<string, unknown> | undefined) ?? {}).filter(([k]) => k !== key));
  }
  return copy;
};

/**
 * Why the variants are not the members of the sweep along `axes` (in expansion order, and
 * alike in everything the axes do not set), or null when they are.
 */
export function sweepMembersProblem(variants: readonly Record<string, unknown>[], axes: readonly SweepAxis[]): string | null {
  const first = variants[0];
  if (!first) return 'a sweep needs variants';
  const members = expandSweep({ base: withoutFields(first, axes.map((a) => a.field)), axes: [...axes] });
  if (members.length !== variants.length) return `the axes make ${members.length} combinations but there are ${variants.length} variants`;
  const common = JSON.stringify(withoutFields(first, axes.map((a) => a.field)));
  for (const [i, variant] of variants.entries()) {
    if (JSON.stringify(withoutFields(variant, axes.map((a) => a.field))) !== common) return `variant ${i + 1} differs from variant 1 in more than the swept fields`;
    const expected = members[i]?.config ?? {};
    for (const axis of axes) {
      const [group, key] = axis.field.split('.');
      const read = (config: Record<string, unknown>) => (key === undefined ? config[axis.field] : (config[group ?? ''] as Record<string, unknown> | undefined)?.[key]);
      if (JSON.stringify(read(variant)) !== JSON.stringify(read(expected))) return `variant ${i + 1} should have ${axis.field} = ${JSON.stringify(read(expected))}`;
    }
  }
  return null;
}

/** A set of variants queued together, kept to be reused: the lecture's experiments are built in, the user's own are saved. */
export const presetSchema = z
  .object({
    id: z.string().regex(presetIdPattern, 'not a configuration id'),
    name: z.string().trim().min(1).max(120),
    description: z.string().max(600).default(''),
    builtIn: z.boolean(),
    variants: z.array(presetVariantSchema).min(1).max(12),
    /** The variants are the members of one sweep along these axes (first axis slowest), queued as one sweep job. */
    sweep: z.array(sweepAxisSchema).min(1).max(3).optional(),
    opens: z.enum(presetOpens).optional(),
    /** The dataset it is written for (its normal classes are that dataset's classes): the form switches to it where the workspace has it. */
    datasetId: z.string().min(1).max(100).optional(),
    /** For a configuration that opens the probe: its protocol, over the probe's defaults, once its runs have trained. */
    probe: probeProtocolSchema.optional(),
  })
  .superRefine((preset, context) => {
    const problem = preset.sweep ? sweepMembersProblem(preset.variants, preset.sweep) : null;
    if (problem) context.addIssue({ code: 'custom', path: ['sweep'], message: problem });
    if (preset.probe && preset.opens !== 'probe') context.addIssue({ code: 'custom', path: ['probe'], message: 'a probe protocol applies only to a configuration that opens the probe' });
  });
export type Preset = z.output<typeof presetSchema>;
export type PresetInput = z.input<typeof presetSchema>;
