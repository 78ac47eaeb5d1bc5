import { z } from 'zod';
import { runConfigSchema } from '../catalogue/runConfig.js';

export const runStatuses = ['queued', 'running', 'paused', 'completed', 'early-stopped', 'cancelled', 'failed', 'interrupted'] as const;
export type RunStatus = (typeof runStatuses)[number];

export const lossValuesSchema = z.record(z.string(), z.number().nullable());

export const epochMetricsSchema = z.object({
  epoch: z.number().int(),
  train: lossValuesSchema,
  validation: lossValuesSchema.nullable(),
  seconds: z.number(),
  samplesPerSecond: z.number(),
});

export type EpochMetricsData = z.infer<typeof epochMetricsSchema>;

export const runStateSchema = z.object({
  status: z.enum(runStatuses),
  /** Epochs finished so far. */
  epoch: z.number().int().min(0),
  epochs: z.number().int().min(1),
  backend: z.string().nullable(),
  error: z.string().nullable(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  samplesPerSecond: z.number().nullable(),
  /** Resident memory of the engine process at its last report. */
  engineRssBytes: z.number().nullable(),
});

export type RunState = z.infer<typeof runStateSchema>;

export const runSummarySchema = runStateSchema.extend({
  id: z.string(),
  name: z.string(),
  config: runConfigSchema.extend({ architectureParams: z.record(z.string(), z.unknown()), objectiveParams: z.record(z.string(), z.unknown()) }),
});

export type RunSummary = z.infer<typeof runSummarySchema>;

export const runProgressSchema = z.object({
  runId: z.string(),
  epoch: z.number().int(),
  batch: z.number().int(),
  batches: z.number().int(),
  loss: lossValuesSchema,
  samplesPerSecond: z.number(),
  etaSeconds: z.number(),
  /** Resident memory of the engine process. */
  engineRssBytes: z.number().optional(),
});

export type RunProgress = z.infer<typeof runProgressSchema>;

export const testMetricsSchema = z.object({
  mse: z.number(),
  psnr: z.number(),
  bce: z.number().nullable(),
  loss: lossValuesSchema,
  perClassMse: z.array(z.number().nullable()),
  /** Variational runs: the ELBO (per sample), KL per latent unit, active units (KL > 0.01). */
  elbo: z.number().nullable(),
  klPerUnit: z.array(z.number()).nullable(),
  activeUnits: z.number().int().nullable(),
  /** Sparse runs: mean code activation and the share of |h| < 0.01. */
  meanActivation: z.number().nullable(),
  nearZeroShare: z.number().nullable(),
  /** Contractive runs: mean ‖∂f/∂x‖²_F over a test batch. */
  meanJacobianNorm: z.number().nullable(),
  testSamples: z.number().int(),
});

export type TestMetrics = z.infer<typeof testMetricsSchema>;
