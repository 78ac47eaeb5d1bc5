import { z } from 'zod';

/** PCA of a dataset's training split: the baseline every autoencoder of that dataset is held against. */
export const pcaSpecSchema = z.object({
  datasetId: z.string().min(1),
  /** Components kept (and the length of the error curve): k = 1…min(this, D). */
  maxComponents: z.number().int().min(1).max(1024).default(256),
});
export type PcaSpec = z.infer<typeof pcaSpecSchema>;

export const pcaSummarySchema = z.object({
  datasetId: z.string(),
  /** The dataset's content hash when the PCA was computed: a re-imported dataset gets a new PCA. */
  contentHash: z.string(),
  dimension: z.number().int().min(1),
  trainCount: z.number().int().min(0),
  testCount: z.number().int().min(0),
  evaluatedOn: z.enum(['test', 'validation']),
  method: z.enum(['exact', 'randomized']),
  /** For a randomized PCA: what its error bound says, in words and as a number. */
  errorBound: z.object({ text: z.string(), value: z.number() }).nullable(),
  components: z.number().int().min(1),
  totalVariance: z.number(),
  /** Variance along each component (the covariance's eigenvalues), k = 1…components. */
  eigenvalues: z.array(z.number()),
  /** Cumulative share of the total variance explained by the first k components, k = 1…components. */
  explainedVarianceRatio: z.array(z.number()),
  /** Test reconstruction error, MSE per element at model-input scale, k = 0…components (k = 0: the mean alone). */
  testMse: z.array(z.number()),
  seconds: z.number(),
  computedAt: z.string(),
});
export type PcaSummary = z.infer<typeof pcaSummarySchema>;

/** The PCA baseline at latent size k, as the run page and Compare state it. */
export function pcaAt(summary: PcaSummary, k: number): { k: number; testMse: number; explained: number } | null {
  if (k < 1) return null;
  const kept = Math.min(k, summary.components);
  const testMse = summary.testMse[kept];
  const explained = summary.explainedVarianceRatio[kept - 1];
  return testMse === undefined || explained === undefined ? null : { k: kept, testMse, explained };
}
