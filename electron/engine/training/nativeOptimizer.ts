import type * as TF from '@tensorflow/tfjs';
import type { Tfjs } from '../backend.js';
import { momentumUpdate, rmspropUpdate, type UpdateRule } from '../graph/updates.js';
import type { OptimizerState } from './flatAdam.js';
import { NativeSlots } from './nativeSlots.js';

/** tfjs's names for each slot of a variable, in the order tf.train's getWeights lists them. */
const slotSuffixes = { sgd: ['momentum'], rmsprop: ['rms', 'momentum'] } as const;

/**
 * SGD with momentum, or RMSprop, kept in TensorFlow resource variables for compiled steps
 * (graph/compiledStep.ts) on the native backend. Its checkpoint state is laid out as
 * tf.train.momentum's and tf.train.rmsprop's (iterations, then each slot per variable), so a
 * run resumes from it on a backend that trains op by op with those, and the other way round.
 */
export class NativeOptimizer {
  private readonly native: NativeSlots;
  private readonly constants: TF.Scalar[];
  private readonly sizes: number[];
  private step = 0;

  constructor(
    private readonly tf: Tfjs,
    private readonly variables: TF.Variable[],
    private readonly kind: 'sgd' | 'rmsprop',
    settings: { learningRate: number; momentum: number },
  ) {
    this.sizes = variables.map((v) => v.size);
    this.native = new NativeSlots(tf, variables, this.sizes, this.update);
    // tf.train.rmsprop's defaults: decay ρ = 0.9, ε = the backend's float epsilon.
    this.constants =
      kind === 'sgd'
        ? [tf.scalar(settings.learningRate), tf.scalar(settings.momentum)]
        : [tf.scalar(settings.learningRate), tf.scalar(0.9), tf.scalar(settings.momentum), tf.scalar(tf.backend().epsilon())];
  }

  get update(): UpdateRule {
    return this.kind === 'sgd' ? momentumUpdate : rmspropUpdate;
  }

  get supportsCompiledSteps(): boolean {
    return true;
  }

  minimize(): void {
    throw new Error(`the native ${this.kind} optimizer trains by compiled steps only`);
  }

  minimizeCompiled(functionName: string, inputs: TF.Tensor[], outputs: number): TF.Tensor[] {
    this.step += 1;
    return this.native.execute(functionName, inputs, outputs, this.constants);
  }

  publish(): void {
    this.native.publish();
  }

  async state(): Promise<OptimizerState> {
    const slots = await this.native.slotValues();
    const perVariable = slots.flatMap((slot) => this.split(slot));
    const suffixes = slotSuffixes[this.kind];
    return {
      kind: this.kind,
      step: 0,
      arrays: [Float32Array.of(this.step), ...perVariable],
      names: ['iter', ...suffixes.flatMap((suffix) => this.variables.map((v) => `${v.name}/${suffix}`))],
      shapes: [[], ...suffixes.flatMap(() => this.variables.map((v) => [...v.shape]))],
    };
  }

  restore(state: OptimizerState): void {
    const slotCount = slotSuffixes[this.kind].length;
    const perVariable = state.arrays.slice(1);
    const matches = state.kind === this.kind && perVariable.length === slotCount * this.sizes.length && perVariable.every((a, i) => a.length === this.sizes[i % this.sizes.length]);
    if (!matches) throw new Error('optimizer state does not match this model');
    this.step = Math.round(state.arrays[0]?.[0] ?? 0);
    this.native.setSlots(Array.from({ length: slotCount }, (_, s) => this.concat(perVariable.slice(s * this.sizes.length, (s + 1) * this.sizes.length))));
  }

  dispose(): void {
    this.native.dispose();
    this.tf.dispose(this.constants);
  }

  private split(flat: Float32Array): Float32Array[] {
    let at = 0;
    return this.sizes.map((size) => flat.slice(at, (at += size)));
  }

  private concat(parts: Float32Array[]): Float32Array {
    const flat = new Float32Array(this.sizes.reduce((a, b) => a + b, 0));
    let at = 0;
    for (const part of parts) {
      flat.set(part, at);
      at += part.length;
    }
    return flat;
  }
}
