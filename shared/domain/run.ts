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
  /** Why the run trains op by op rather than by the compiled step (a sentence a user reads); null or absent where it compiles. */
  opByOp: z.string().nullable().optional(),
  error: z.string().nullable(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  /** The last finished epoch's throughput, the same figure progress reports live (runProgressSchema). */
  samplesPerSecond: z.number().nullable(),
  /** Resident memory of the engine process at its last report. */
  engineRssBytes: z.number().nullable(),
});

export type RunState = z.infer<typeof runStateSchema>;

/** A control the lab sent to the run's engine that has not landed yet (kept in memory only; null or absent: none). */
export const pendingControls = ['pausing', 'resuming', 'cancelling'] as const;
export type PendingControl = (typeof pendingControls)[number];

export const runSummarySchema = runStateSchema.extend({
  id: z.string(),
  name: z.string(),
  config: runConfigSchema.extend({ architectureParams: z.record(z.string(), z.unknown()), objectiveParams: z.record(z.string(), z.unknown()) }),
  pendingControl: z.enum(pendingControls).nullable().optional(),
});

export type RunSummary = z.infer<typeof runSummarySchema>;

export const runProgressSchema = z.object({
  runId: z.string(),
  epoch: z.number().int(),
  batch: z.number().int(),
  batches: z.number().int(),
  loss: lossValuesSchema,
  /** The total loss smoothed over the last few batches: the curve drawn within an epoch. */
  runningLoss: z.number().optional(),
  /** Training samples per second of training time over the epoch so far (no validation, no time paused): the run's one throughput figure. */
  samplesPerSecond: z.number(),
  etaSeconds: z.number(),
  /** Resident memory of the engine process. */
  engineRssBytes: z.number().optional(),
});

export type RunProgress = z.infer<typeof runProgressSchema>;

/** Equal-width bins from `low` to `high`; a value outside the range is counted in the nearest end bin. */
export const histogramSchema = z.object({ low: z.number(), high: z.number(), counts: z.array(z.number().int().min(0)) });
export type Histogram = z.infer<typeof histogramSchema>;

/** The code's activations over the test split (every run). */
export const codeActivationsSchema = z.object({
  testImages: z.number().int(),
  units: z.number().int(),
  /** Over the code's bounds where its activation has them (a sigmoid: [0, 1]), else over the observed min and max. */
  histogram: histogramSchema,
  histogramRange: z.enum(['code bounds', 'observed']),
  /** |h| below `nearZeroCutoff` counts as near zero: `nearZeroFraction` of the code's bound, or of the largest |h| seen. */
  nearZeroCutoff: z.number(),
  nearZeroFraction: z.number(),
  nearZeroRelativeTo: z.enum(['code bound', 'largest |h|']),
  nearZeroShare: z.number(),
  meanPerUnit: z.array(z.number()),
  /** KL sparsity runs: the target ρ, and each unit's KL(ρ ‖ ρ̂ⱼ) with ρ̂ⱼ its mean over the test split. */
  target: z.number().nullable(),
  klToTargetPerUnit: z.array(z.number()).nullable(),
});

/** Per-sample ‖∂f/∂x‖_F of a deterministic encoder, on the first `testImages` of the split's `splitImages`. */
export const jacobianNormsSchema = z.object({
  testImages: z.number().int(),
  splitImages: z.number().int(),
  /** At most `sampleCap` images, and fewer where the code's many units make each image's Jacobian costly. */
  sampleCap: z.number().int(),
  codeUnits: z.number().int(),
  meanNorm: z.number(),
  meanSquaredNorm: z.number(),
  quantiles: z.array(z.object({ q: z.number(), value: z.number() })),
  /** Over the smallest and largest norm seen. */
  histogram: histogramSchema,
});

/** A VAE's posterior over the test split: which units carry information, and whether the decoder reads them. */
export const posteriorSchema = z.object({
  testImages: z.number().int(),
  klPerUnit: z.array(z.number()),
  /** Var over the test images of E_q[z_u] = μ_u(x); a unit is active above `activeVarianceThreshold`. */
  meanVariancePerUnit: z.array(z.number()),
  activeVarianceThreshold: z.number(),
  activeUnits: z.number().int(),
  /** Collapse: every unit's KL (nats) below `collapseKlThreshold`. */
  collapseKlThreshold: z.number(),
  collapsed: z.boolean(),
  /** Per-pixel mean squared difference between g(μ) and g(μ of another test image), against the test images' per-pixel variance. */
  shuffledCodeDifference: z.number(),
  pixelVariance: z.number(),
  /** The decoder ignores z when the difference is below this fraction of the pixel variance. */
  ignoresCodeFraction: z.number(),
  ignoresCode: z.boolean(),
});

/** An overcomplete code without a regulariser: does it reconstruct uniform noise about as well as the data? */
export const copyCheckSchema = z.object({
  noiseImages: z.number().int(),
  noiseSeed: z.number().int(),
  /** Uniform over the test inputs' range, model scale. */
  noiseLow: z.number(),
  noiseHigh: z.number(),
  codeSize: z.number().int(),
  inputSize: z.number().int(),
  /** Per-pixel MSE on the test split and on the noise images; ratio = noise / test. */
  testMse: z.number(),
  noiseMse: z.number(),
  ratio: z.number(),
  /** It may be copying its input when the ratio is below this. */
  ratioThreshold: z.number(),
  copies: z.boolean(),
});

export const diagnosticsSchema = z.object({
  codeActivations: codeActivationsSchema.optional(),
  jacobianNorms: jacobianNormsSchema.optional(),
  posterior: posteriorSchema.optional(),
  copyCheck: copyCheckSchema.optional(),
});

export type Diagnostics = z.infer<typeof diagnosticsSchema>;
export type DiagnosticId = keyof Diagnostics;

/**
 * What the test split's outputs are against their targets, as images: for colorization the
 * output is the RGB image it stands for (L* of the input and the predicted a*b*), for
 * inpainting the input with the output inside the hole. PSNR and SSIM (Wang et al. 2004,
 * Gaussian window σ = 1.5, per channel, averaged) on values in [0, 1].
 */
export const imagingMetricsSchema = z.object({
  task: z.string(),
  /** Mean over test images of each image's PSNR, dB (an image given back exactly counts as 100 dB). */
  psnr: z.number(),
  /** Null for images smaller than SSIM's 11×11 window. */
  ssim: z.number().nullable(),
  /** Hasler & Süsstrunk's (2003) colourfulness, mean over the test images, of outputs and of targets: RGB images only. */
  colourfulness: z.object({ output: z.number(), target: z.number() }).nullable(),
  /** Inpainting: mean squared error per element of the raw output inside and outside the removed region. */
  hole: z.object({ inside: z.number().nullable(), outside: z.number().nullable() }).nullable(),
  /** How many test images were measured (SSIM is computed on at most the first 2000). */
  images: z.number().int(),
});
export type ImagingMetrics = z.infer<typeof imagingMetricsSchema>;

export const testMetricsSchema = z.object({
  mse: z.number(),
  psnr: z.number(),
  bce: z.number().nullable(),
  loss: lossValuesSchema,
  perClassMse: z.array(z.number().nullable()),
  /** Variational runs: the ELBO (per sample), KL per latent unit, active units (variance of μ over the test split > 0.01). */
  elbo: z.number().nullable(),
  klPerUnit: z.array(z.number()).nullable(),
  activeUnits: z.number().int().nullable(),
  /** Sparse runs: mean |code activation| and the share of |h| < 0.01, over the test split. */
  meanActivation: z.number().nullable(),
  nearZeroShare: z.number().nullable(),
  /** Deterministic encoders: mean ‖∂f/∂x‖²_F over diagnostics.jacobianNorms.testImages test images. */
  meanJacobianNorm: z.number().nullable(),
  testSamples: z.number().int(),
  /** Regulariser diagnostics, each where it applies; absent in evaluations written before them. */
  diagnostics: diagnosticsSchema.optional(),
  /** Image measures of the outputs against the targets, for image datasets; absent in evaluations written before them. */
  imaging: imagingMetricsSchema.optional(),
});

export type TestMetrics = z.infer<typeof testMetricsSchema>;
