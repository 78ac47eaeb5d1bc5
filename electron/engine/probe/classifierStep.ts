import type * as TF from '@tensorflow/tfjs';
import type { Tfjs } from '../backend.js';
import { meanSliceTerm } from '../graph/codeTerm.js';
import { CompiledStep, layersOf } from '../graph/compiledStep.js';
import { adamUpdate } from '../graph/updates.js';
import { FlatAdam } from '../training/flatAdam.js';
import { NativeSlots } from '../training/nativeSlots.js';
import { perSampleShape } from './headModel.js';
import { meanCrossEntropy } from './softmaxLoss.js';

/** Adam's constants, the same in the compiled kernel and the eager optimizers. */
const beta1 = 0.9;
const beta2 = 0.999;
const epsilon = 1e-7;

/**
 * The eager step's Adam: one learning rate per group of variables (encoder, head), the same
 * arithmetic as the compiled kernel. On the native backend each group's update is
 * TensorFlow's fused kernel on resource variables (as FlatAdam's); elsewhere tf.train.adam.
 */
class GroupedAdam {
  private readonly groups: Array<{ variables: TF.Variable[]; native: NativeSlots | null; rate: TF.Scalar | null; adam: TF.AdamOptimizer | null }>;
  private readonly constants: TF.Scalar[];
  private step = 0;

  constructor(
    private readonly tf: Tfjs,
    groups: Array<{ rate: number; variables: TF.Variable[] }>,
  ) {
    const native = NativeSlots.available(tf);
    this.constants = native ? [tf.scalar(beta1), tf.scalar(beta2)] : [];
    this.groups = groups
      .filter((g) => g.variables.length > 0)
      .map(({ rate, variables }) =>
        native
          ? { variables, native: new NativeSlots(tf, variables, variables.map((v) => v.size), adamUpdate), rate: tf.scalar(rate), adam: null }
          : { variables, native: null, rate: null, adam: tf.train.adam(rate, beta1, beta2, epsilon) },
      );
  }

  apply(grads: TF.NamedTensorMap): void {
    const { tf } = this;
    this.step += 1;
    // The kernel's scalars in adamUpdate's order, with the bias corrections folded as FlatAdam does.
    const perStep = [tf.scalar(beta1 ** this.step), tf.scalar(beta2 ** this.step), tf.scalar(epsilon * Math.sqrt(1 - beta2 ** this.step))];
    const [beta1Power, beta2Power, epsilonHat] = perStep as [TF.Scalar, TF.Scalar, TF.Scalar];
    const [b1, b2] = this.constants;
    try {
      for (const group of this.groups) {
        const gradients = group.variables.map((v) => grads[v.name] as TF.Tensor);
        if (group.native && group.rate && b1 && b2) group.native.apply(gradients, [beta1Power, beta2Power, group.rate, b1, b2, epsilonHat]);
        else group.adam?.applyGradients(Object.fromEntries(group.variables.map((v, i) => [v.name, gradients[i] as TF.Variable])));
      }
    } finally {
      tf.dispose(perStep);
    }
  }

  dispose(): void {
    for (const group of this.groups) {
      group.native?.dispose();
      group.rate?.dispose();
      group.adam?.dispose();
    }
    this.tf.dispose(this.constants);
  }
}

/** What a classifier trains: an optional encoder (its output, or a VAE's μ), then the head giving logits. */
export interface ClassifierStack {
  encoder: { model: TF.LayersModel; meanUnits: number | null; learningRateFactor: number } | null;
  head: TF.LayersModel;
}

const variablesOf = (model: TF.LayersModel): TF.Variable[] => model.trainableWeights.map((w) => w.read() as TF.Variable);

/** The encoder's code units, which a VAE's mean must fit in. */
function codeUnitsOf(encoder: TF.LayersModel): number {
  const shape = perSampleShape(encoder.outputShape);
  if (shape.length !== 1 || (shape[0] ?? -1) < 1) throw new Error(`a VAE encoder's output must be a vector of μ and log σ², not of shape [${shape.join(', ')}]`);
  return shape[0] as number;
}

/**
 * One training step of a classifier by minibatch Adam on the mean softmax cross-entropy, the
 * encoder's variables at the learning rate times its factor. Where the stack compiles (native
 * backend, the lab's layers), the whole step is one TensorFlow function; elsewhere it runs op
 * by op with the same Adam and says why in `fallbackReason`.
 */
export class ClassifierStep {
  /** The encoder's variables, then the head's. */
  readonly variables: TF.Variable[];
  private readonly encoderVariables: number;
  private readonly compiledStep: CompiledStep | null = null;
  private readonly flatAdam: FlatAdam | null = null;
  /** The eager step's optimizer: one learning rate for the encoder, one for the head. */
  private readonly eager: GroupedAdam | null = null;
  readonly fallbackReason: string | null = null;

  constructor(
    private readonly tf: Tfjs,
    private readonly stack: ClassifierStack,
    learningRate: number,
    /** `compiled: false` trains op by op even where a compiled step applies; `returnGradient` (tests) also returns each compiled step's flat gradient. */
    options: { compiled?: boolean; returnGradient?: boolean } = {},
  ) {
    const { encoder, head } = stack;
    const encoderVariables = encoder ? variablesOf(encoder.model) : [];
    this.encoderVariables = encoderVariables.length;
    this.variables = [...encoderVariables, ...variablesOf(head)];
    const factor = encoder?.learningRateFactor ?? 1;
    if (!(factor > 0 && Number.isFinite(factor))) throw new Error(`the encoder's learning-rate factor must be a positive number, not ${factor}`);
    const meanUnits = encoder?.meanUnits ?? null;
    const code = meanUnits !== null && encoder ? meanSliceTerm(meanUnits, codeUnitsOf(encoder.model)) : ({ kind: 'none' } as const);
    let reason: string | null = options.compiled === false ? 'compiled steps were turned off for this training' : null;
    if (reason === null) {
      const adam = new FlatAdam(tf, this.variables, { learningRate, beta1, beta2, epsilon });
      const learningRateScales = this.variables.map((_, i) => (i < this.encoderVariables ? factor : 1));
      const models = encoder ? [encoder.model, head] : [head];
      const step = CompiledStep.compile(tf, { models, encoderLayers: encoder ? layersOf(encoder.model).length : 0, loss: 'softmax', code, learningRateScales }, this.variables, adam, { returnGradient: options.returnGradient === true });
      if (step instanceof CompiledStep) {
        this.compiledStep = step;
        this.flatAdam = adam;
      } else {
        adam.dispose();
        reason = step.reason;
      }
    }
    if (!this.compiledStep) {
      this.fallbackReason = reason;
      this.eager = new GroupedAdam(tf, [
        { rate: learningRate * factor, variables: encoderVariables },
        { rate: learningRate, variables: this.variables.slice(this.encoderVariables) },
      ]);
    }
  }

  get compiled(): boolean {
    return this.compiledStep !== null;
  }

  /** The head's logits for a batch of inputs (the variables as published). */
  logits(x: TF.Tensor): TF.Tensor {
    const { tf, stack } = this;
    return tf.tidy(() => {
      let h = x;
      if (stack.encoder) {
        h = stack.encoder.model.apply(h, { training: true }) as TF.Tensor;
        const meanUnits = stack.encoder.meanUnits;
        if (meanUnits !== null) h = tf.slice(h, [0, 0], [-1, meanUnits]);
      }
      return stack.head.apply(h, { training: true }) as TF.Tensor;
    });
  }

  /** One step on a batch; the batch's mean cross-entropy before the update (and, compiled, the gradient where asked for). */
  run(x: TF.Tensor, oneHot: TF.Tensor): { loss: TF.Scalar; gradient?: TF.Tensor } {
    const { tf } = this;
    if (this.compiledStep) {
      const { parts, gradient } = this.compiledStep.run(x, oneHot);
      const [loss, ...rest] = parts;
      tf.dispose(rest);
      if (!loss) throw new Error('the compiled step returned no loss');
      return gradient ? { loss, gradient } : { loss };
    }
    const loss = tf.tidy(() => {
      const { value, grads } = tf.variableGrads(() => meanCrossEntropy(tf, this.logits(x), oneHot), this.variables);
      this.eager?.apply(grads);
      return value;
    });
    return { loss };
  }

  /** The model's variables brought up to date after compiled steps: before anything reads them. */
  publish(): void {
    this.compiledStep?.publish();
  }

  dispose(): void {
    this.flatAdam?.dispose();
    this.eager?.dispose();
  }
}
