import type * as TF from '@tensorflow/tfjs';
import type { Tfjs } from '../backend.js';
import { adamUpdate, type UpdateRule } from '../graph/updates.js';
import { NativeSlots } from './nativeSlots.js';

export interface OptimizerState {
  kind: string;
  step: number;
  arrays: Float32Array[];
  /** tfjs optimizers' slot names and shapes, where the state comes from one. */
  names?: string[];
  shapes?: number[][];
}

export interface AdamSettings {
  learningRate: number;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
}

/**
 * Adam over all parameters at once ("multi-tensor" Adam): gradients are concatenated
 * into one vector, the moments live in two flat variables, and the update is split back.
 * Same arithmetic as tf.train.adam (and torch.optim.Adam), in about a fifth of the
 * kernel launches — per-op dispatch, not arithmetic, dominates small models' steps.
 * On the native backend the update is TensorFlow's fused Adam kernel on resource variables
 * (NativeSlots), one per model variable; its moments are still saved as two flat vectors.
 */
export class FlatAdam {
  private readonly firstMoment: TF.Variable | null = null;
  private readonly secondMoment: TF.Variable | null = null;
  private readonly native: NativeSlots | null = null;
  /** Learning rate, β₁ and β₂ as tensors, for the native kernel. */
  private readonly constants: TF.Scalar[] = [];
  private readonly sizes: number[];
  private readonly beta1: number;
  private readonly beta2: number;
  private readonly epsilon: number;
  private step = 0;

  constructor(
    private readonly tf: Tfjs,
    private readonly variables: TF.Variable[],
    private readonly settings: AdamSettings,
  ) {
    this.sizes = variables.map((v) => v.size);
    const total = this.sizes.reduce((a, b) => a + b, 0);
    this.beta1 = settings.beta1 ?? 0.9;
    this.beta2 = settings.beta2 ?? 0.999;
    this.epsilon = settings.epsilon ?? 1e-7;
    if (NativeSlots.available(tf)) {
      this.native = new NativeSlots(tf, variables, this.sizes, adamUpdate);
      this.constants = [tf.scalar(settings.learningRate), tf.scalar(this.beta1), tf.scalar(this.beta2)];
    } else {
      this.firstMoment = tf.variable(tf.zeros([total]), false);
      this.secondMoment = tf.variable(tf.zeros([total]), false);
    }
  }

  /** One step on the loss; returns the loss tensor (kept) when asked, else null. */
  minimize(loss: () => TF.Scalar, returnLoss = false): TF.Scalar | null {
    const { tf } = this;
    this.step += 1;
    // Bias corrections folded into one scalar step size, computed in JS rather than as ops.
    const stepSize = (this.settings.learningRate * Math.sqrt(1 - this.beta2 ** this.step)) / (1 - this.beta1 ** this.step);
    const epsilonHat = this.epsilon * Math.sqrt(1 - this.beta2 ** this.step);
    let kept: TF.Scalar | null = null;
    tf.tidy(() => {
      const { value, grads } = tf.variableGrads(loss, this.variables);
      if (returnLoss) kept = tf.keep(value);
      if (this.native) {
        // TensorFlow's kernel folds the bias corrections into the step size itself.
        this.native.apply(this.variables.map((v) => grads[v.name] as TF.Tensor), this.kernelScalars(this.stepScalars(epsilonHat)));
        return;
      }
      const gradient = tf.concat(this.variables.map((v) => tf.reshape(grads[v.name] as TF.Tensor, [-1])));
      if (!this.firstMoment || !this.secondMoment) return;
      const m = tf.add(tf.mul(this.firstMoment, this.beta1), tf.mul(gradient, 1 - this.beta1));
      const v = tf.add(tf.mul(this.secondMoment, this.beta2), tf.mul(tf.square(gradient), 1 - this.beta2));
      this.firstMoment.assign(m);
      this.secondMoment.assign(v);
      const update = tf.div(tf.mul(m, stepSize), tf.add(tf.sqrt(v), epsilonHat));
      const parts = tf.split(update, this.sizes);
      this.variables.forEach((variable, i) => variable.assign(tf.sub(variable, tf.reshape(parts[i] as TF.Tensor, variable.shape))));
    });
    return kept;
  }

  /**
   * One step by a compiled step function (native backend only): `inputs` are its leading
   * arguments; the parameters, moments and Adam's scalars follow. Returns its outputs.
   */
  minimizeCompiled(functionName: string, inputs: TF.Tensor[], outputs: number): TF.Tensor[] {
    const native = this.native;
    if (!native) throw new Error('compiled steps need the native backend');
    this.step += 1;
    const epsilonHat = this.epsilon * Math.sqrt(1 - this.beta2 ** this.step);
    const perStep = this.stepScalars(epsilonHat);
    try {
      return native.execute(functionName, inputs, outputs, this.kernelScalars(perStep));
    } finally {
      this.tf.dispose(perStep);
    }
  }

  get update(): UpdateRule {
    return adamUpdate;
  }

  /** β₁ᵗ, β₂ᵗ and the bias-corrected ε of this step, as tensors the caller frees. */
  private stepScalars(epsilonHat: number): TF.Tensor[] {
    const { tf } = this;
    return [tf.scalar(this.beta1 ** this.step), tf.scalar(this.beta2 ** this.step), tf.scalar(epsilonHat)];
  }

  /** The kernel's scalars in its rule's order: β₁ᵗ, β₂ᵗ, learning rate, β₁, β₂, ε̂. */
  private kernelScalars(perStep: TF.Tensor[]): TF.Tensor[] {
    const [beta1Power, beta2Power, epsilon] = perStep;
    const [learningRate, beta1, beta2] = this.constants;
    return [beta1Power, beta2Power, learningRate, beta1, beta2, epsilon] as TF.Tensor[];
  }

  /** The model's variables up to date after compiled steps. */
  publish(): void {
    this.native?.publish();
  }

  get supportsCompiledSteps(): boolean {
    return this.native !== null;
  }

  /** Everything a resumed run needs to take the very same next step. */
  async state(): Promise<OptimizerState> {
    if (this.native) return { kind: 'flat-adam', step: this.step, arrays: await this.native.slotValues() };
    if (!this.firstMoment || !this.secondMoment) throw new Error('optimizer has no moments');
    return { kind: 'flat-adam', step: this.step, arrays: [await this.firstMoment.data() as Float32Array, await this.secondMoment.data() as Float32Array] };
  }

  restore(state: OptimizerState): void {
    const [first, second] = state.arrays;
    const total = this.sizes.reduce((a, b) => a + b, 0);
    if (state.kind !== 'flat-adam' || !first || !second || first.length !== total || second.length !== total) throw new Error('optimizer state does not match this model');
    this.step = state.step;
    if (this.native) return this.native.setSlots([first, second]);
    this.firstMoment?.assign(this.tf.tensor1d(first));
    this.secondMoment?.assign(this.tf.tensor1d(second));
  }

  dispose(): void {
    this.native?.dispose();
    this.tf.dispose(this.constants);
    this.firstMoment?.dispose();
    this.secondMoment?.dispose();
  }
}
