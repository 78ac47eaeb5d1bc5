import { z } from 'zod';
import { runConfigSchema, type ResolvedRunConfig } from '../../../shared/catalogue/runConfig.js';
import { epochMetricsSchema, runStateSchema, testMetricsSchema } from '../../../shared/domain/run.js';
import { defineFormat } from '../versionedFile.js';

const paramValuesSchema = z.record(z.string(), z.union([z.number(), z.string(), z.array(z.number())]));

/** config.json: the run's resolved configuration, written once when the run is created. */
export const storedRunConfigSchema = runConfigSchema.extend({
  name: z.string(),
  // Runs made before tasks existed reconstruct their input.
  taskParams: paramValuesSchema.default({}),
  architectureParams: paramValuesSchema,
  objectiveParams: paramValuesSchema,
});
export type StoredRunConfig = ResolvedRunConfig & { name: string };

export const runConfigFormat = defineFormat<StoredRunConfig>('run configuration', 1, storedRunConfigSchema as z.ZodType<StoredRunConfig>);
export const runStateFormat = defineFormat('run state', 1, runStateSchema);
/** One line of metrics.jsonl per epoch; each line carries the version. */
export const epochMetricsFormat = defineFormat('epoch metrics line', 1, epochMetricsSchema);
export const evaluationFormat = defineFormat('test evaluation', 1, testMetricsSchema);

/** Describes a float32 file beside it: its element layout, so the bytes are never guessed at. */
export const float32LayoutSchema = z.object({
  /** Per-item shape; the file holds `count` items of it (`panel.f32`: originals, then as many reconstructions). */
  shape: z.array(z.number().int().min(1)),
  count: z.number().int().min(0),
});
export const panelLayoutFormat = defineFormat(
  'reconstruction panel layout',
  1,
  float32LayoutSchema.extend({
    /** Per item, what the model was given as an image, where the task's input is not the target: the file then holds `count` of these after the reconstructions. */
    inputShape: z.array(z.number().int().min(1)).optional(),
  }),
);
export const codesLayoutFormat = defineFormat('test codes layout', 1, float32LayoutSchema);
