import { z } from 'zod';
import { probeSpecSchema, type ProbeSpec } from './probeSpec.js';

const shape = probeSpecSchema.shape;

/**
 * The part of the probe's protocol a configuration that opens the probe may set (a lighter one
 * than the defaults, so that a recipe ends in minutes): the spec's own schemas without their
 * defaults, so that what it leaves out stays unset and takes the spec's default when queued.
 */
export const probeProtocolSchema = z
  .object({
    labelsPerClass: shape.labelsPerClass.unwrap(),
    draws: shape.draws.unwrap(),
    modes: shape.modes.unwrap(),
    baselines: shape.baselines.unwrap(),
  })
  .partial()
  .strict();
export type ProbeProtocol = z.infer<typeof probeProtocolSchema>;

const withoutRuns = probeSpecSchema.omit({ runIds: true });

/**
 * The spec a configuration's protocol asks for on these runs: its fields over the spec's
 * defaults. The run ids are the lab's to check when the job is queued.
 */
export function probeSpecWithProtocol(runIds: readonly string[], protocol: ProbeProtocol | null | undefined): ProbeSpec {
  return { ...withoutRuns.parse(protocol ?? {}), runIds: [...runIds] };
}
