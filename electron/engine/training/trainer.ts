import type * as TF from '@tensorflow/tfjs';
import { objectives } from '../../../shared/catalogue/objectives.js';
import type { ResolvedRunConfig } from '../../../shared/catalogue/runConfig.js';
import { seededRandom, shuffledIndices } from '../../../shared/random.js';
import type { Tfjs } from '../backend.js';
import type { BuiltRun } from '../model/createAutoencoder.js';
import { CompiledStep } from '../graph/compiledStep.js';
import { stepModelsOf } from '../model/modelParts.js';
import { weightedReconstructionLoss } from '../model/reconstruction.js';
import { evaluationSeeds } from '../tasks/engineTask.js';
import { FlatAdam, type OptimizerState } from './flatAdam.js';
import { NativeOptimizer } from './nativeOptimizer.js';
import { disposeBatch, taskBatch, type TaskBatch, type TrainingData } from './trainingData.js';

export interface LossValues {
  total: number;
  reconstruction: number;
  [component: string]: number;
}

export interface EpochMetrics {
  epoch: number;
  train: LossValues;
  validation: LossValues | null;
  /** Training time of the epoch: its wall time less validation and the time it was held paused. */
  seconds: number;
  /** The run's one throughput figure (see `BatchProgress.samplesPerSecond`), over the whole epoch. */
  samplesPerSecond: number;
}

export interface BatchProgress {
  epoch: number;
  batch: number;
  batches: number;
  loss: LossValues;
  /** The total loss smoothed over the last few batches (an exponential moving average), for a curve within an epoch. */
  runningLoss: number;
  /**
   * Training samples per second of training time over the epoch so far: wall time less the
   * time held paused, validation not included. The epoch's figure is this one at its last
   * batch; the run page, the list and the CLI all show this figure.
   */
  samplesPerSecond: number;
  etaSeconds: number;
}

export interface TrainerHooks {
  onBatch?(progress: BatchProgress): void;
  /** Called after each epoch (checkpoints are written here); awaited. */
  onEpoch?(metrics: EpochMetrics, isBest: boolean): void | Promise<void>;
  /**
   * Awaited before each batch and once after the last epoch: resolves at once, or when a
   * paused run is resumed. The process's events (the lab's messages) are let in just before.
   */
  checkpoint?(): Promise<'continue' | 'cancel'>;
}

/**
 * A step's `await data()` settles as a microtask, so a training loop never reaches the event
 * loop on its own and the lab's pause or cancel would wait for the epoch's file writes. A
 * setImmediate round trip costs tens of microseconds, under 1 % of even a batch of 8's step,
 * so it is taken before every batch: a control lands within one batch whatever the step's
 * speed (a yield every so many milliseconds would let it land batches later on fast steps).
 */
const yieldToEvents = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** The running loss's smoothing: each batch weighs this much, about the last 20 batches count. */
const runningLossWeight = 0.1;

export class NonFiniteLossError extends Error {
  constructor(
    readonly epoch: number,
    readonly batch: number,
    readonly component: string,
    readonly value: number,
  ) {
    super(`The ${component} loss became ${value} at epoch ${epoch}, batch ${batch}: training stopped (try a lower learning rate)`);
  }
}

interface Minimizer {
  minimize(loss: () => TF.Scalar): void;
  state(): Promise<OptimizerState>;
  restore(state: OptimizerState): void | Promise<void>;
  dispose(): void;
}

/**
 * Adam is always the flat Adam (fused on the native backend). SGD and RMSprop are tf.train's,
 * or, where the step will be compiled, the same rules kept in TensorFlow resource variables.
 */
function optimizerFor(tf: Tfjs, config: ResolvedRunConfig, variables: TF.Variable[], compiled: boolean): Minimizer {
  if (config.optimizer === 'adam') return new FlatAdam(tf, variables, { learningRate: config.learningRate });
  if (compiled) return new NativeOptimizer(tf, variables, config.optimizer, { learningRate: config.learningRate, momentum: config.momentum });
  const optimizer = config.optimizer === 'sgd' ? tf.train.momentum(config.learningRate, config.momentum) : tf.train.rmsprop(config.learningRate, 0.9, config.momentum);
  return {
    minimize: (loss) => void optimizer.minimize(loss, false, variables),
    // tfjs optimizers name their slots after the variables; order is stable for one model.
    state: async () => {
      const weights = await optimizer.getWeights();
      // The iteration count is an int32 tensor: copied into floats, not reinterpreted.
      return { kind: config.optimizer, step: 0, arrays: await Promise.all(weights.map(async (w) => Float32Array.from(await w.tensor.data()))), names: weights.map((w) => w.name), shapes: weights.map((w) => w.tensor.shape) };
    },
    restore: async (state) => {
      await optimizer.setWeights(state.arrays.map((values, i) => ({ name: state.names?.[i] ?? '', tensor: tf.tensor(values, state.shapes?.[i]) })));
    },
    dispose: () => optimizer.dispose(),
  };
}

/** Seeds for a batch's random draws depend only on (seed, epoch, batch): a resumed run draws the same. */
function seedStream(seed: number, epoch: number, batch: number): () => number {
  const random = seededRandom((seed * 1_000_003 + epoch * 7919 + batch) >>> 0);
  return () => Math.floor(random() * 2 ** 31);
}

export class Trainer {
  private optimizer: Minimizer;
  /** The step as one TensorFlow function, where the backend, optimizer, model and objective allow. */
  private readonly compiled: CompiledStep | null;
  private best = Infinity;
  private sinceBest = 0;

  /** Why the steps run op by op, in words a user reads; null where they are compiled. */
  readonly opByOp: string | null;
  /** The task weighs the loss's elements (an inpainting loss on the hole only). */
  private readonly weighted: boolean;

  constructor(
    private readonly tf: Tfjs,
    private readonly run: BuiltRun,
    private readonly config: ResolvedRunConfig,
    private readonly data: TrainingData,
    /** `compiledSteps: false` trains op by op even where a compiled step applies. */
    options: { compiledSteps?: boolean } = {},
  ) {
    const stepModels = stepModelsOf(run.model);
    const compiledObjective = run.objective.compiled;
    this.weighted = config.task === 'inpaint' && config.taskParams.lossRegion === 'hole';
    const unavailable =
      options.compiledSteps === false
        ? 'compiled steps were turned off for this run'
        : compiledObjective === undefined
          ? `the ${config.objective} objective has no compiled form`
          : CompiledStep.unavailable(tf, stepModels.models, run.variables);
    this.optimizer = optimizerFor(tf, config, run.variables, unavailable === null);
    const optimizer = this.optimizer;
    let compiled: CompiledStep | null = null;
    let reason = unavailable;
    if (reason === null && compiledObjective && (optimizer instanceof FlatAdam || optimizer instanceof NativeOptimizer)) {
      const code = compiledObjective.codeTerm(config.objectiveParams, config.latentDim);
      const step = this.weighted
        ? { reason: 'the compiled step has no loss that counts the removed region only (train with the loss on the whole image to compile)' }
        : CompiledStep.compile(tf, { ...stepModels, loss: config.reconstructionLoss, code }, run.variables, optimizer);
      if (step instanceof CompiledStep) compiled = step;
      else reason = step.reason;
    } else reason ??= 'the optimizer keeps its state outside TensorFlow';
    this.compiled = compiled;
    this.opByOp = compiled ? null : reason;
    if (!this.compiled && optimizer instanceof NativeOptimizer) {
      // TensorFlow refused the function: the run trains op by op, with tf.train's optimizer.
      optimizer.dispose();
      this.optimizer = optimizerFor(tf, config, run.variables, false);
    }
  }

  /** Whether steps run as one compiled TensorFlow function (reported with the run's backend). */
  get compiledSteps(): boolean {
    return this.compiled !== null;
  }

  /** One training step; the loss parts as [total, reconstruction, ...components], kept for the caller. */
  private step(batch: TaskBatch, nextSeed: () => number): TF.Tensor {
    const { tf, run, config } = this;
    const compiled = this.compiled;
    const compiledObjective = run.objective.compiled;
    if (compiled && compiledObjective) {
      const x = batch.input;
      const context = { tf, model: run.model, x, target: batch.target, params: config.objectiveParams, latentDim: config.latentDim, training: true, reconstruction: run.reconstruction, nextSeed };
      const { input, noise } = tf.tidy(() => compiledObjective.inputs(context));
      const { parts } = compiled.run(input, batch.target, noise);
      tf.dispose([...(input === x ? [] : [input]), ...(noise ? [noise] : [])]);
      const stacked = tf.stack(parts);
      tf.dispose(parts);
      return stacked;
    }
    let stacked: TF.Tensor | undefined;
    this.optimizer.minimize(() => {
      const parts = this.lossParts(batch, true, nextSeed);
      stacked?.dispose();
      stacked = tf.keep(tf.stack([parts.total, parts.reconstruction, ...Object.values(parts.components)]));
      return parts.total;
    });
    if (!stacked) throw new Error('the optimizer did not evaluate the loss');
    return stacked;
  }

  /** The loss parts of one batch: the task's input and target, its weights where it has them. */
  private lossParts(batch: TaskBatch, training: boolean, nextSeed: () => number) {
    const { tf, run, config } = this;
    const { weight } = batch;
    const reconstruction = weight ? (output: TF.Tensor, target: TF.Tensor) => weightedReconstructionLoss(tf, config.reconstructionLoss)(output, target, weight) : run.reconstruction;
    return run.objective.loss({ tf, model: run.model, x: batch.input, target: batch.target, params: config.objectiveParams, latentDim: config.latentDim, training, reconstruction, nextSeed });
  }

  /** A batch of the task: training draws each sample's hole from the batch's stream, evaluation from the sample's index. */
  private batch(indices: Int32Array, nextSeed: (() => number) | null): TaskBatch {
    const { task } = this.run;
    const seeds = task.identity ? [] : nextSeed ? Array.from(indices, () => nextSeed()) : evaluationSeeds(indices);
    return taskBatch(this.tf, this.data, indices, task, this.run.model, seeds);
  }

  private componentNames(): string[] {
    return ['total', 'reconstruction', ...objectives[this.config.objective].components];
  }

  private toValues(values: ArrayLike<number>): LossValues {
    const names = this.componentNames();
    return Object.fromEntries(names.map((name, i) => [name, values[i] ?? NaN])) as LossValues;
  }

  async evaluate(indices: Int32Array, epoch = 0): Promise<LossValues | null> {
    if (indices.length === 0) return null;
    const { tf } = this;
    const sums = new Float64Array(this.componentNames().length);
    for (let start = 0; start < indices.length; start += this.config.batchSize) {
      const slice = indices.subarray(start, start + this.config.batchSize);
      const batch = this.batch(slice, null);
      const stacked = tf.tidy(() => {
        const parts = this.lossParts(batch, false, seedStream(this.config.seed + 1, epoch, start));
        return tf.stack([parts.total, parts.reconstruction, ...Object.values(parts.components)]);
      });
      disposeBatch(tf, batch);
      const values = await stacked.data();
      stacked.dispose();
      values.forEach((v, i) => (sums[i] = (sums[i] ?? 0) + v * slice.length));
    }
    return this.toValues(Array.from(sums, (s) => s / indices.length));
  }

  /** Trains epochs [fromEpoch, config.epochs); returns how it ended. */
  async train(hooks: TrainerHooks = {}, fromEpoch = 0): Promise<{ status: 'completed' | 'cancelled' | 'early-stopped'; epochs: EpochMetrics[] }> {
    const { tf, config, data } = this;
    const epochs: EpochMetrics[] = [];
    const batches = Math.ceil(data.train.length / config.batchSize);
    const names = this.componentNames();
    let runningLoss: number | undefined;
    /** Awaits the checkpoint hook; answers how long it held the run (a pause). */
    const held = async (): Promise<{ cancel: boolean; ms: number }> => {
      await yieldToEvents();
      const before = performance.now();
      const cancel = hooks.checkpoint !== undefined && (await hooks.checkpoint()) === 'cancel';
      return { cancel, ms: performance.now() - before };
    };
    for (let epoch = fromEpoch; epoch < config.epochs; epoch += 1) {
      const order = shuffledIndices(data.train.length, seededRandom(config.seed + epoch));
      const sums = new Float64Array(names.length);
      const started = performance.now();
      let heldMs = 0;
      let seconds = 0;
      for (let batch = 0; batch < batches; batch += 1) {
        const gate = await held();
        heldMs += gate.ms;
        if (gate.cancel) {
          this.compiled?.publish();
          return { status: 'cancelled', epochs };
        }
        const positions = order.subarray(batch * config.batchSize, (batch + 1) * config.batchSize);
        const indices = Int32Array.from(positions, (p) => data.train[p] ?? 0);
        const nextSeed = seedStream(config.seed, epoch, batch);
        const samples = this.batch(indices, nextSeed);
        const stacked = this.step(samples, nextSeed);
        disposeBatch(tf, samples);
        const values = await stacked.data();
        stacked.dispose();
        values.forEach((v, i) => {
          if (!Number.isFinite(v)) throw new NonFiniteLossError(epoch + 1, batch + 1, names[i] ?? 'total', v);
          sums[i] = (sums[i] ?? 0) + v * indices.length;
        });
        seconds = (performance.now() - started - heldMs) / 1000;
        const done = Math.min((batch + 1) * config.batchSize, data.train.length);
        const samplesPerSecond = done / Math.max(seconds, 1e-9);
        const remaining = (config.epochs - epoch - 1) * data.train.length + (data.train.length - done);
        const total = values[0] ?? NaN;
        runningLoss = runningLoss === undefined ? total : runningLoss + runningLossWeight * (total - runningLoss);
        hooks.onBatch?.({ epoch: epoch + 1, batch: batch + 1, batches, loss: this.toValues(values), runningLoss, samplesPerSecond, etaSeconds: remaining / samplesPerSecond });
      }
      // Validation, checkpoints and the reconstruction panel read the model's variables.
      this.compiled?.publish();
      const train = this.toValues(Array.from(sums, (s) => s / data.train.length));
      const validation = await this.evaluate(data.validation, epoch);
      const score = (validation ?? train).total;
      const isBest = score < this.best;
      if (isBest) {
        this.best = score;
        this.sinceBest = 0;
      } else this.sinceBest += 1;
      const metrics: EpochMetrics = { epoch: epoch + 1, train, validation, seconds, samplesPerSecond: data.train.length / Math.max(seconds, 1e-9) };
      epochs.push(metrics);
      await hooks.onEpoch?.(metrics, isBest);
      if (config.earlyStoppingPatience > 0 && this.sinceBest >= config.earlyStoppingPatience) return { status: 'early-stopped', epochs };
    }
    // A pause or cancel sent during the last epoch lands here, before the evaluation, not never.
    if ((await held()).cancel) return { status: 'cancelled', epochs };
    return { status: 'completed', epochs };
  }

  /** What a checkpoint must hold besides the weights to resume exactly. */
  async state(): Promise<{ optimizer: OptimizerState; best: number; sinceBest: number }> {
    return { optimizer: await this.optimizer.state(), best: this.best, sinceBest: this.sinceBest };
  }

  async restore(state: { optimizer: OptimizerState; best: number; sinceBest: number }): Promise<void> {
    await this.optimizer.restore(state.optimizer);
    this.best = state.best;
    this.sinceBest = state.sinceBest;
  }

  dispose(): void {
    this.optimizer.dispose();
  }
}
