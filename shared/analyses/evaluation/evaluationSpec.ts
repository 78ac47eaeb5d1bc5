import { z } from 'zod';
import { testMetricsSchema } from '../../domain/run.js';

/** Evaluates a trained run again with this lab's evaluation (a run trained before a diagnostic existed gets it). */
export const evaluationSpecSchema = z.object({
  runId: z.string().regex(/^[0-9]{14}-[0-9a-f]{6}$/, 'not a run id'),
});
export type EvaluationSpec = z.infer<typeof evaluationSpecSchema>;

export const evaluationResultSchema = z.object({ runId: z.string(), checkpoint: z.enum(['best', 'last']), metrics: testMetricsSchema });
export type EvaluationResult = z.infer<typeof evaluationResultSchema>;
