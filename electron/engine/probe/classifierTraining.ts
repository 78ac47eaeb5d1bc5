import type * as TF from '@tensorflow/tfjs';
import type { ProbeHead } from '../../../shared/analyses/probe/probeSpec.js';
import { seededRandom, shuffledIndices } from '../../../shared/random.js';
import type { Tfjs } from '../backend.js';
import { ClassifierStep } from './classifierStep.js';
import { buildHead, classifierModel, perSampleShape } from './headModel.js';
import { checkLabels, meanCrossEntropy, oneHotRows } from './softmaxLoss.js';

/**
 * A labelled set: its labels, and its inputs by position (0 … labels.length − 1) as a tensor in
 * the classifier's input layout: a new tensor on each call, which the training frees.
 */
export interface ClassifierSet {
  labels: Int32Array;
  inputs(rows: Int32Array): TF.Tensor;
}

export interface ClassifierOptions {
  /**
   * The encoder trained with the head (fine-tuning, or from scratch), used and changed in
   * place (the caller passes a copy of the run's); null: the head alone, on features.
   * `meanUnits`: for a VAE's encoder (μ and log σ² side by side), the head takes the first
   * `meanUnits` units (μ); null: the whole output. The encoder learns at the head's learning
   * rate times `learningRateFactor`.
   */
  encoder: { model: TF.LayersModel; meanUnits: number | null; learningRateFactor: number } | null;
  /** Per sample, what the classifier takes: the encoder's input shape, or [features]. */
  inputShape: number[];
  classes: number;
  head: { kind: ProbeHead; hiddenUnits: number };
  train: ClassifierSet;
  /** Early stopping on its loss (patience in epochs, the best epoch's weights kept); null: the budget ends training. */
  validation: ClassifierSet | null;
  learningRate: number;
  batchSize: number;
  maxEpochs: number;
  maxSteps: number;
  patience: number;
  /** The head's initial weights and the batch order: the same seed trains the same classifier. */
  seed: number;
  /** Awaited after each epoch (lets the process's messages in); 'cancel' stops training at once. */
  onEpoch?(epoch: number): Promise<'continue' | 'cancel'>;
  /** false: train op by op even where the compiled step applies (the result says so in `fallbackReason`). */
  compiledStep?: boolean;
}

export interface TrainedClassifier {
  /** Encoder (where one was trained) and head as one model taking `inputShape`, giving class probabilities. */
  model: TF.LayersModel;
  epochs: number;
  steps: number;
  stoppedBy: 'validation' | 'budget';
  /** Whether the steps ran as one compiled TensorFlow function; where not, why not. */
  compiledStep: boolean;
  fallbackReason: string | null;
  /** Whether `onEpoch` cancelled training (the best weights so far are still kept). */
  cancelled?: boolean;
  /** Per epoch trained: the mean cross-entropy of its training batches, and the validation set's after it (null without one). */
  history?: Array<{ epoch: number; trainLoss: number; validationLoss: number | null }>;
  /** The epoch whose weights the model holds (the best on validation; the last without validation). */
  bestEpoch?: number;
}

/**
 * Training went to a non-finite loss: this classifier failed, and only it — a job of many
 * classifiers records the failure and goes on, where any other error is a fault of the job.
 */
export class ClassifierDiverged extends Error {
  override readonly name = 'ClassifierDiverged';

  constructor(
    message: string,
    /** Epochs and steps trained when the loss was found non-finite. */
    readonly epochs: number,
    readonly steps: number,
  ) {
    super(message);
  }
}

/** Each epoch's batch order from the seed and the epoch alone. */
const orderSeed = (seed: number, epoch: number): number => ((seed >>> 0) ^ Math.imul(epoch + 1, 0x9e3779b1)) >>> 0;

const sameShape = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((d, i) => d === b[i]);

function checkOptions(options: ClassifierOptions): void {
  const whole = (name: string, value: number, least: number): void => {
    if (!Number.isInteger(value) || value < least) throw new Error(`the classifier's ${name} must be a whole number ≥ ${least}, not ${value}`);
  };
  whole('number of classes', options.classes, 2);
  whole('batch size', options.batchSize, 1);
  whole('maxEpochs', options.maxEpochs, 1);
  whole('maxSteps', options.maxSteps, 1);
  whole('patience', options.patience, 0);
  if (!(options.learningRate > 0 && Number.isFinite(options.learningRate))) throw new Error(`the classifier's learning rate must be a positive number, not ${options.learningRate}`);
  if (options.train.labels.length === 0) throw new Error('the classifier has no labelled samples to train on');
  if (options.validation?.labels.length === 0) throw new Error('the classifier was given an empty validation set (pass null to train without one)');
  checkLabels(options.train.labels, options.classes);
  if (options.validation) checkLabels(options.validation.labels, options.classes, 'validation');
  const encoder = options.encoder;
  if (encoder) {
    const expected = perSampleShape((encoder.model.inputs[0] as TF.SymbolicTensor).shape);
    if (!sameShape(expected, options.inputShape)) throw new Error(`the classifier's input shape [${options.inputShape.join(', ')}] is not its encoder's [${expected.join(', ')}]`);
  }
}

/** The mean cross-entropy of a whole set, in batches. */
async function setLoss(tf: Tfjs, step: ClassifierStep, set: ClassifierSet, classes: number, batchSize: number): Promise<number> {
  let sum = 0;
  for (let start = 0; start < set.labels.length; start += batchSize) {
    const rows = Int32Array.from({ length: Math.min(batchSize, set.labels.length - start) }, (_, i) => start + i);
    const loss = tf.tidy(() => {
      const x = set.inputs(rows);
      const oneHot = tf.tensor2d(oneHotRows(set.labels, rows, classes), [rows.length, classes]);
      return tf.mul(meanCrossEntropy(tf, step.logits(x), oneHot), rows.length);
    });
    sum += (await loss.data())[0] ?? NaN;
    loss.dispose();
  }
  return sum / set.labels.length;
}

/**
 * A classifier (an optional encoder, then a softmax-regression or MLP head) trained by
 * minibatch Adam on the mean softmax cross-entropy, in seeded batch order. With a validation
 * set, each epoch ends with its loss; the best epoch's weights are kept, training stops after
 * `patience` epochs without improvement, and the model returned holds the best weights.
 * Without one, training runs to maxEpochs or maxSteps, whichever comes first. The encoder
 * (changed in place) learns at learningRate × learningRateFactor. Every tensor made here is
 * freed, including those `inputs()` answers; the returned model's weights are the caller's.
 */
export async function trainClassifier(tf: Tfjs, options: ClassifierOptions): Promise<TrainedClassifier> {
  checkOptions(options);
  const { encoder, train, validation, classes, batchSize } = options;
  const encoderOutput = encoder ? perSampleShape(encoder.model.outputShape) : null;
  const featureShape = encoder ? (encoder.meanUnits !== null ? [encoder.meanUnits] : (encoderOutput as number[])) : options.inputShape;
  const head = buildHead(tf, featureShape, classes, options.head, options.seed);
  let step: ClassifierStep | null = null;
  let best: TF.Tensor[] | null = null;
  try {
    step = new ClassifierStep(tf, { encoder, head }, options.learningRate, options.compiledStep === false ? { compiled: false } : {});
    const history: NonNullable<TrainedClassifier['history']> = [];
    const count = train.labels.length;
    let [steps, epochs, bestEpoch, sinceBest, bestLoss] = [0, 0, 0, 0, Infinity];
    let stoppedBy: TrainedClassifier['stoppedBy'] = 'budget';
    let cancelled = false;
    while (epochs < options.maxEpochs && steps < options.maxSteps) {
      const order = shuffledIndices(count, seededRandom(orderSeed(options.seed, epochs)));
      // The batches' losses are read once, at the epoch's end: a read per step would wait on each.
      const losses: TF.Tensor[] = [];
      const sizes: number[] = [];
      let values: TF.TypedArray;
      try {
        for (let start = 0; start < count && steps < options.maxSteps; start += batchSize) {
          const rows = Int32Array.from(order.subarray(start, start + batchSize));
          const x = train.inputs(rows);
          // Built in JavaScript: a gather from a one-hot tensor costs more than the whole step of a small head.
          const target = tf.tensor2d(oneHotRows(train.labels, rows, classes), [rows.length, classes]);
          try {
            losses.push(step.run(x, target).loss);
          } finally {
            tf.dispose([x, target]);
          }
          sizes.push(rows.length);
          steps += 1;
        }
        const stacked = tf.stack(losses);
        values = await stacked.data();
        stacked.dispose();
      } finally {
        tf.dispose(losses);
      }
      epochs += 1;
      const trainLoss = sizes.reduce((sum, size, i) => sum + size * (values[i] ?? NaN), 0) / sizes.reduce((a, b) => a + b, 0);
      if (!Number.isFinite(trainLoss)) throw new ClassifierDiverged(`the classifier's training loss became ${trainLoss} in epoch ${epochs}: training stopped (try a lower learning rate)`, epochs, steps);
      step.publish();
      const validationLoss = validation ? await setLoss(tf, step, validation, classes, Math.max(batchSize, 256)) : null;
      history.push({ epoch: epochs, trainLoss, validationLoss });
      if (validationLoss !== null) {
        if (validationLoss < bestLoss) {
          bestLoss = validationLoss;
          bestEpoch = epochs;
          sinceBest = 0;
          tf.dispose(best ?? []);
          best = step.variables.map((v) => tf.clone(v));
        } else sinceBest += 1;
      } else bestEpoch = epochs;
      if (options.onEpoch && (await options.onEpoch(epochs)) === 'cancel') {
        cancelled = true;
        break;
      }
      if (validationLoss !== null && options.patience > 0 && sinceBest >= options.patience) {
        stoppedBy = 'validation';
        break;
      }
    }
    const trained = best;
    if (trained) step.variables.forEach((v, i) => v.assign(trained[i] as TF.Tensor));
    const model = classifierModel(tf, options.inputShape, encoder, head);
    return { model, epochs, steps, stoppedBy, compiledStep: step.compiled, fallbackReason: step.fallbackReason, cancelled, history, bestEpoch };
  } finally {
    tf.dispose(best ?? []);
    step?.dispose();
    head.dispose();
  }
}

/** The most probable class of each input, in batches. */
export async function predictClasses(tf: Tfjs, model: TF.LayersModel, set: Pick<ClassifierSet, 'inputs'> & { count: number }, batchSize = 256): Promise<Int32Array> {
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`the prediction batch size must be a whole number ≥ 1, not ${batchSize}`);
  const classes = new Int32Array(set.count);
  for (let start = 0; start < set.count; start += batchSize) {
    const rows = Int32Array.from({ length: Math.min(batchSize, set.count - start) }, (_, i) => start + i);
    const predicted = tf.tidy(() => tf.argMax(model.predict(set.inputs(rows)) as TF.Tensor, -1));
    classes.set(await predicted.data(), start);
    predicted.dispose();
  }
  return classes;
}
