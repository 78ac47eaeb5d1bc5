import { z } from 'zod';
import { runConfigSchema } from '../catalogue/runConfig.js';

/** A variant of a saved configuration: a run configuration without the dataset, which is chosen when it is used. */
export const presetVariantSchema = runConfigSchema.omit({ datasetId: true });
export type PresetVariant = z.input<typeof presetVariantSchema>;

export const presetIdPattern = /^(lecture|saved)-[a-z0-9-]{1,80}$/;

/** A set of variants queued together, kept to be reused: the lecture's experiments are built in, the user's own are saved. */
export const presetSchema = z.object({
  id: z.string().regex(presetIdPattern, 'not a configuration id'),
  name: z.string().trim().min(1).max(120),
  description: z.string().max(600).default(''),
  builtIn: z.boolean(),
  variants: z.array(presetVariantSchema).min(1).max(12),
});
export type Preset = z.output<typeof presetSchema>;
export type PresetInput = z.input<typeof presetSchema>;
