import { z } from 'zod';

const runId = z.string().regex(/^[0-9]{14}-[0-9a-f]{6}$/, 'not a run id');

/**
 * Per-sample anomaly scores, each "higher is more anomalous":
 * - mse: mean squared reconstruction error per element (model-input scale);
 * - bce: mean binary cross-entropy per element (inputs in [0, 1] only);
 * - negativeElbo: a VAE's −ELBO in nats per sample (reconstruction term of its decoder + KL), one draw of z;
 * - reconstructionProbability: a VAE's −(1/L) Σ log p(x | z_l), z_l ~ q(z | x), L Monte-Carlo draws
 *   (An & Cho 2015), in nats per sample.
 */
export const anomalyScoreIds = ['mse', 'bce', 'negativeElbo', 'reconstructionProbability'] as const;
export type AnomalyScoreId = (typeof anomalyScoreIds)[number];

export const anomalyScoreLabels: Record<AnomalyScoreId, string> = {
  mse: 'reconstruction error (MSE)',
  bce: 'reconstruction error (BCE)',
  negativeElbo: 'negative ELBO',
  reconstructionProbability: 'reconstruction probability (Monte-Carlo)',
};

/**
 * Where the anomalies of the test set come from. The normal part is always the test split of
 * the run's normal classes (every class for a run trained on all of its dataset).
 * - other-classes: every class of the run's dataset it was not trained on;
 * - classes: chosen classes of the run's dataset, none of them normal to the run;
 * - dataset: the test split of another dataset of the same sample shape (out of distribution),
 *   optionally only some of its classes.
 */
export const anomalySourceSchema = z.discriminatedUnion('from', [
  z.object({ from: z.literal('other-classes') }),
  z.object({ from: z.literal('classes'), classes: z.array(z.number().int().min(0)).min(1).max(1000) }),
  z.object({ from: z.literal('dataset'), datasetId: z.string().min(1), classes: z.array(z.number().int().min(0)).min(1).max(1000).optional() }),
]);
export type AnomalySource = z.infer<typeof anomalySourceSchema>;

/** Score the test set of one or more trained runs (one model per normal class for the one-class benchmark). */
export const anomalySpecSchema = z.object({
  runIds: z.array(runId).min(1).max(64),
  anomalies: anomalySourceSchema.default({ from: 'other-classes' }),
  /** PCA with each run's k, fitted on that run's normal training data, scored on the same samples. */
  pca: z.boolean().default(true),
  /** Draws of z per sample for a VAE's reconstruction probability. */
  monteCarloSamples: z.number().int().min(1).max(256).default(16),
  seed: z.number().int().min(0).max(2 ** 31 - 1).default(0),
});
export type AnomalySpec = z.infer<typeof anomalySpecSchema>;

/** One score over every scored sample, with how well it separates that run's anomalies from its normal samples. */
export const scoreSeriesSchema = z.object({
  score: z.enum(anomalyScoreIds),
  /** One value per scored sample, in the order of `samples`; NaN never (a score that cannot be computed is left out). */
  values: z.array(z.number()),
  auroc: z.number(),
  averagePrecision: z.number(),
});
export type ScoreSeries = z.infer<typeof scoreSeriesSchema>;

export const anomalyRunResultSchema = z.object({
  runId: z.string(),
  name: z.string(),
  architecture: z.string(),
  objective: z.string(),
  latentDim: z.number().int(),
  /** The classes the run was trained on; null: every class of its dataset. */
  normalClasses: z.array(z.number().int()).nullable(),
  /** Per scored sample: 1 anomalous, 0 normal, −1 not in this run's test (a class neither normal to it nor chosen as anomalous). */
  truth: z.array(z.union([z.literal(-1), z.literal(0), z.literal(1)])),
  normalCount: z.number().int(),
  anomalyCount: z.number().int(),
  /** The score the view and the benchmark table lead with: −ELBO for a VAE, else MSE. */
  primary: z.enum(anomalyScoreIds),
  scores: z.array(scoreSeriesSchema),
  /** PCA-k's MSE on the same samples, fitted on this run's normal training data; null when not asked for. */
  pca: scoreSeriesSchema.extend({ k: z.number().int() }).nullable(),
});
export type AnomalyRunResult = z.infer<typeof anomalyRunResultSchema>;

export const anomalyResultSchema = z.object({
  /** The dataset the runs were trained on. */
  datasetId: z.string(),
  anomalies: anomalySourceSchema,
  /** Class names of the runs' dataset, and of the anomaly dataset where anomalies come from another. */
  classNames: z.array(z.string()),
  anomalyClassNames: z.array(z.string()).nullable(),
  /** The scored samples, the test split of the runs' dataset and then (out of distribution) the anomaly dataset's: where each comes from. */
  samples: z.object({
    /** 0: the runs' dataset, 1: the anomaly dataset. */
    source: z.array(z.union([z.literal(0), z.literal(1)])),
    /** The sample's index in its dataset (what `runs.reconstruct` takes). */
    index: z.array(z.number().int().min(0)),
    /** Its class in its dataset; −1: unlabelled. */
    label: z.array(z.number().int()),
  }),
  runs: z.array(anomalyRunResultSchema),
  seconds: z.number(),
});
export type AnomalyResult = z.infer<typeof anomalyResultSchema>;
