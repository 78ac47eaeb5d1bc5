import { z } from 'zod';

export const testCorruptions = ['gaussian', 'masking', 'salt-and-pepper'] as const;

/** Test error against the corruption applied at test time, for several runs of one dataset and PCA with the same k. */
export const robustnessSpecSchema = z.object({
  runIds: z.array(z.string().regex(/^[0-9]{14}-[0-9a-f]{6}$/, 'not a run id')).min(1).max(8),
  corruption: z.enum(testCorruptions).default('gaussian'),
  /** σ for Gaussian noise; the share of inputs hit for masking and salt-and-pepper. */
  levels: z.array(z.number().min(0).max(1)).min(2).max(16).default([0, 0.1, 0.2, 0.3, 0.4, 0.5]),
  /** Test samples used (the first n of the test split, in index order); the corruption is seeded. */
  samples: z.number().int().min(16).max(100_000).default(2000),
  seed: z.number().int().min(0).default(7),
});
export type RobustnessSpec = z.infer<typeof robustnessSpecSchema>;

export const robustnessResultSchema = z.object({
  datasetId: z.string(),
  corruption: z.enum(testCorruptions),
  levels: z.array(z.number()),
  samples: z.number().int(),
  /** Error of the reconstruction of the corrupted input against the clean input, MSE per element. */
  lines: z.array(z.object({ runId: z.string(), name: z.string(), latentDim: z.number().int(), mse: z.array(z.number()) })),
  /** PCA-k on the same corrupted inputs, one line per distinct k among the runs. */
  pca: z.array(z.object({ k: z.number().int(), mse: z.array(z.number()) })),
});
export type RobustnessResult = z.infer<typeof robustnessResultSchema>;
