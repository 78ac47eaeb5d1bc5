import { z } from 'zod';

const runId = z.string().regex(/^[0-9]{14}-[0-9a-f]{6}$/, 'not a run id');

/**
 * How a trained run's encoder serves a classifier:
 * - frozen: its codes (μ for a VAE) are the features of a head trained alone;
 * - finetune: encoder initialised from the run and trained with the head, the encoder at a
 *   smaller learning rate.
 */
export const probeModes = ['frozen', 'finetune'] as const;
export type ProbeMode = (typeof probeModes)[number];

/**
 * What every run is measured against, on the same draws:
 * - pixels: the head on the raw pixels;
 * - pca: the head on PCA-k codes (k of each run), PCA fitted on the train split without labels;
 * - scratch: the run's encoder architecture from random initialisation, trained with the head.
 */
export const probeBaselines = ['pixels', 'pca', 'scratch'] as const;
export type ProbeBaseline = (typeof probeBaselines)[number];

/** softmax: multinomial logistic regression; mlp: one hidden ReLU layer, then softmax. */
export const probeHeads = ['softmax', 'mlp'] as const;
export type ProbeHead = (typeof probeHeads)[number];

/** Labels per class: a count, or every labelled sample of the train split ('all'). */
export const labelsPerClassSchema = z.union([z.number().int().min(1).max(1_000_000), z.literal('all')]);
export type LabelsPerClass = z.infer<typeof labelsPerClassSchema>;

export const defaultLabelsPerClass: LabelsPerClass[] = [1, 5, 10, 50, 100, 1000, 'all'];

/**
 * Label draws for early stopping: where a class has at least `minPerClassForValidation`
 * labels in a draw, a fifth of them (at least one) is held out as that draw's validation set
 * and the head stops when its validation loss has not improved for `patience` epochs (the best
 * epoch's weights are kept); with fewer, every label trains and the budget alone ends training.
 * Twenty, because a loss on one or two labels per class picks an epoch by noise: on
 * Fashion-MNIST, stopping on them lost 4–6 points at 5 and 10 labels per class against the budget.
 */
export const minPerClassForValidation = 20;
export const validationShare = 0.2;

/**
 * Learning-curve probe: classifiers trained on few labels on top of one or more runs' encoders,
 * against baselines, on the same stratified draws of the train split; tested on the test split.
 */
export const probeSpecSchema = z.object({
  runIds: z.array(runId).min(1).max(16),
  labelsPerClass: z.array(labelsPerClassSchema).min(1).max(20).default(defaultLabelsPerClass),
  /** Random draws of the labelled set per labels-per-class count ('all' is one draw: every draw would be the same). */
  draws: z.number().int().min(1).max(50).default(5),
  head: z.enum(probeHeads).default('softmax'),
  hiddenUnits: z.number().int().min(1).max(4096).default(128),
  modes: z.array(z.enum(probeModes)).max(probeModes.length).default(['frozen', 'finetune']),
  baselines: z.array(z.enum(probeBaselines)).max(probeBaselines.length).default(['pixels', 'pca', 'scratch']),
  /** kNN on the frozen codes (k = 1 and 5): no training. */
  knn: z.boolean().default(true),
  /** The head's Adam learning rate; the encoder's, when fine-tuned, is this times `encoderLearningRateFactor`. */
  learningRate: z.number().positive().max(1).default(0.01),
  encoderLearningRateFactor: z.number().positive().max(1).default(0.1),
  /**
   * Per classifier: at most this many epochs and this many steps, whichever ends first. The
   * step budget is what ends training on a few labels (ten labels are one step an epoch), the
   * epoch budget rarely does.
   */
  maxEpochs: z.number().int().min(1).max(10_000).default(1000),
  maxSteps: z.number().int().min(1).max(1_000_000).default(1500),
  patience: z.number().int().min(1).max(1000).default(20),
  batchSize: z.number().int().min(1).max(4096).default(64),
  seed: z.number().int().min(0).max(2 ** 31 - 1).default(0),
  /** Keep the classifier of each line's first draw at every labels-per-class count, for export. */
  keepClassifiers: z.boolean().default(true),
});
export type ProbeSpec = z.infer<typeof probeSpecSchema>;

/** What a line measures: a run's encoder in a mode, kNN on its codes, or a baseline. */
export const probeLineKinds = ['frozen', 'finetune', 'knn1', 'knn5', 'scratch', 'pixels', 'pca'] as const;
export type ProbeLineKind = (typeof probeLineKinds)[number];

/** One trained (or, for kNN, fitted) classifier on one draw, tested on the whole test split. */
export const probeDrawResultSchema = z.object({
  /** Index of the draw in the job (the same draw for every line). */
  draw: z.number().int().min(0),
  accuracy: z.number().min(0).max(1),
  /** Counts, [true class][predicted class]. */
  confusion: z.array(z.array(z.number().int().min(0))),
  /** Epochs trained (the best epoch's weights kept where a validation set stopped it); 0 for kNN. */
  epochs: z.number().int().min(0),
  steps: z.number().int().min(0),
  /** Whether a validation set held out of the draw chose the epoch, or the budget ended training. */
  stoppedBy: z.enum(['validation', 'budget', 'none']),
  seconds: z.number().min(0),
  /**
   * Why this draw's classifier has no result (its training diverged); absent where it has one.
   * A failed draw keeps its place with accuracy 0 and an empty confusion matrix, and is left
   * out of its point's mean and deviation.
   */
  failure: z.string().optional(),
});
export type ProbeDrawResult = z.infer<typeof probeDrawResultSchema>;

export const probePointSchema = z.object({
  labelsPerClass: labelsPerClassSchema,
  /** Labelled samples in each draw (train + held-out validation), summed over classes. */
  labelledCount: z.number().int().min(0),
  draws: z.array(probeDrawResultSchema),
  /** Over the draws without a failure; NaN where every draw failed (written as null in JSON). */
  meanAccuracy: z.union([z.number(), z.null().transform(() => NaN)]),
  /** Sample standard deviation over draws; 0 with one draw. */
  stdAccuracy: z.number(),
});
export type ProbePoint = z.infer<typeof probePointSchema>;

export const probeLineSchema = z.object({
  /** Stable within the job: `<runId>:<kind>` for a run's lines, `pixels`, `pca-<k>`. */
  id: z.string().regex(/^[A-Za-z0-9:_-]{1,80}$/),
  kind: z.enum(probeLineKinds),
  label: z.string(),
  /** The run the line belongs to (frozen, finetune, knn, scratch); null for pixels and PCA. */
  runId: runId.nullable(),
  /** Feature dimension the head sees: the run's d, PCA's k, the pixel count. */
  features: z.number().int().min(1),
  /** Whether its training ran as one compiled TensorFlow function, and if not why (null where nothing trains). */
  compiledStep: z.boolean().nullable(),
  fallbackReason: z.string().nullable(),
  /** Whether a classifier of this line is kept for export (see `ProbeSpec.keepClassifiers`). */
  exportable: z.boolean(),
  points: z.array(probePointSchema),
});
export type ProbeLine = z.infer<typeof probeLineSchema>;

export const probeResultSchema = z.object({
  datasetId: z.string(),
  classNames: z.array(z.string()),
  /** The draws every line used: per labels-per-class count, per draw, the dataset indices of the labelled samples and which of them validated. */
  draws: z.array(
    z.object({
      labelsPerClass: labelsPerClassSchema,
      sets: z.array(z.object({ seed: z.number().int(), train: z.array(z.number().int().min(0)), validation: z.array(z.number().int().min(0)) })),
    }),
  ),
  testCount: z.number().int().min(0),
  head: z.enum(probeHeads),
  lines: z.array(probeLineSchema),
  /** How each draw's validation set was chosen and used, for the view to say. */
  validationRule: z.string(),
  seconds: z.number(),
});
export type ProbeResult = z.infer<typeof probeResultSchema>;
