import { z } from 'zod';

/**
 * A sweep: one base configuration and one or more fields, each with a list of values; the
 * grid of every combination is queued as runs that share data, split and seed.
 * A field is a configuration key (`latentDim`, `learningRate`) or a hyperparameter of the
 * architecture or objective (`objectiveParams.level`, `architectureParams.hiddenWidths`).
 */
export const sweepAxisSchema = z.object({
  field: z.string().regex(/^(architectureParams\.|objectiveParams\.)?[A-Za-z][A-Za-z0-9]*$/, 'a configuration field, or architectureParams.<name> / objectiveParams.<name>'),
  values: z.array(z.union([z.number(), z.string(), z.array(z.number())])).min(1).max(64),
});
export type SweepAxis = z.infer<typeof sweepAxisSchema>;

export const sweepSpecSchema = z.object({
  name: z.string().trim().min(1).max(120).optional(),
  base: z.record(z.string(), z.unknown()),
  axes: z.array(sweepAxisSchema).min(1).max(3),
});
export type SweepSpec = z.infer<typeof sweepSpecSchema>;

/** The value of one axis in one member, as stored in the sweep's job spec. */
export type SweepPoint = Record<string, SweepAxis['values'][number]>;

/** Every combination of the axes' values, first axis slowest; at most 64 runs. */
export function expandSweep(spec: SweepSpec): { point: SweepPoint; config: Record<string, unknown> }[] {
  let points: SweepPoint[] = [{}];
  for (const axis of spec.axes) points = points.flatMap((point) => axis.values.map((value) => ({ ...point, [axis.field]: value })));
  return points.map((point) => {
    const config: Record<string, unknown> = { ...spec.base };
    for (const [field, value] of Object.entries(point)) {
      const [group, key] = field.includes('.') ? (field.split('.') as [string, string]) : [undefined, field];
      if (group) config[group] = { ...((config[group] as Record<string, unknown> | undefined) ?? {}), [key]: value };
      else config[key] = value;
    }
    return { point, config };
  });
}

export const sweepLimit = 64;

/** "latentDim=8, objectiveParams.level=0.3": how a member is named and how errors point at it. */
export const describePoint = (point: SweepPoint): string =>
  Object.entries(point).map(([field, value]) => `${field}=${Array.isArray(value) ? value.join(',') : String(value)}`).join(', ');
