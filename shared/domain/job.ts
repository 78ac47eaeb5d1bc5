import { z } from 'zod';
import { labErrorSchema } from '../result.js';
import { pendingControls } from './run.js';

/**
 * A job is a piece of engine work with a spec, a folder, a state and progress: training a
 * run, an analysis, a sweep of runs. The UI and the CLI show every kind the same way.
 */
export const jobKinds = ['train', 'analysis', 'sweep'] as const;
export type JobKind = (typeof jobKinds)[number];

export const jobStatuses = ['queued', 'running', 'paused', 'done', 'failed', 'cancelled', 'interrupted'] as const;
export type JobStatus = (typeof jobStatuses)[number];

export const jobProgressSchema = z.object({
  done: z.number().min(0),
  total: z.number().min(0),
  /** What the job is doing now, in words ("epoch 3 of 10", "eigenvectors of the covariance"). */
  message: z.string(),
});
export type JobProgress = z.infer<typeof jobProgressSchema>;

export const jobSummarySchema = z.object({
  id: z.string(),
  kind: z.enum(jobKinds),
  /** What the job is, for lists: "PCA of Fashion-MNIST", "latent size sweep (5 runs)". */
  title: z.string(),
  status: z.enum(jobStatuses),
  progress: jobProgressSchema.nullable(),
  error: labErrorSchema.nullable(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  /** The run a training job trains; the runs a sweep queued. */
  runIds: z.array(z.string()),
  /** The sweep a training job belongs to. */
  parentId: z.string().nullable(),
  /** For analyses: which analysis (a key of the analyses registry). */
  analysis: z.string().nullable(),
  /** A pause, resume or cancel sent to a training engine and not landed yet (a sweep: its member's). */
  pendingControl: z.enum(pendingControls).nullable().optional(),
});
export type JobSummary = z.infer<typeof jobSummarySchema>;
