import { z } from 'zod';
import { labelsPerClassSchema, probeLineKinds } from './probeSpec.js';

/**
 * What a kept classifier is, written beside its tfjs layers model (classifier.json): the model
 * takes samples in the dataset's model-input scale (stored value → (value − offset) · factor) and
 * layout, and gives class probabilities; the standardisation of its features is folded into its
 * weights, so nothing else is needed to use it.
 */
export const classifierInfoSchema = z.object({
  jobId: z.string(),
  lineId: z.string(),
  kind: z.enum(probeLineKinds),
  label: z.string(),
  runId: z.string().nullable(),
  labelsPerClass: labelsPerClassSchema,
  /** Which draw of the job it was trained on (always the first). */
  draw: z.number().int().min(0),
  datasetId: z.string(),
  classNames: z.array(z.string()),
  /** Per sample, what the model takes: [height, width, channels] or [features]. */
  inputShape: z.array(z.number().int().min(1)),
  /** model input = (stored value − offset) · factor */
  inputScaling: z.object({ offset: z.number(), factor: z.number() }),
  testAccuracy: z.number(),
});
export type ClassifierInfo = z.infer<typeof classifierInfoSchema>;

/** A kept classifier, as the lab hands it out: its tfjs files (model.json names weights.bin) and what it is. */
export const classifierFilesSchema = z.object({
  info: classifierInfoSchema,
  modelJson: z.string(),
  weights: z.instanceof(Uint8Array),
});
export type ClassifierFiles = z.infer<typeof classifierFilesSchema>;
