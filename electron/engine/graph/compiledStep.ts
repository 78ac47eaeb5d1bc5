import type * as TF from '@tensorflow/tfjs';
import type { Tfjs } from '../backend.js';
import type { FlatAdam } from '../training/flatAdam.js';
import { denseStepFunction, type Activation, type DenseLayer } from './denseStep.js';

/** The binding's addition (scripts/tfjs-binding-functions.mjs), where this build has it. */
interface FunctionBinding {
  addFunctionDef?: (serialized: Uint8Array) => void;
}

const activations = new Set<string>(['relu', 'sigmoid', 'tanh', 'elu', 'linear']);
let compiled = 0;

/** The dense layers of encoder then decoder, by their variables' places in `variables`; null if any layer is of another kind. */
export function denseLayersOf(models: TF.LayersModel[], variables: TF.Variable[]): DenseLayer[] | null {
  const index = new Map(variables.map((v, i) => [v.name, i]));
  const layers: DenseLayer[] = [];
  for (const layer of models.flatMap((m) => m.layers)) {
    if (layer.getClassName() !== 'Dense') return null;
    const config = layer.getConfig() as { activation?: string; useBias?: boolean };
    const activation = config.activation ?? 'linear';
    if (!activations.has(activation)) return null;
    const [kernel, bias] = layer.trainableWeights.map((w) => index.get((w.read() as TF.Variable).name));
    if (kernel === undefined || (config.useBias !== false && bias === undefined)) return null;
    layers.push({ kernel, bias: config.useBias === false ? null : (bias ?? null), activation: activation as Activation });
  }
  // Every variable must belong to a layer of the stack, or the step would not update it.
  const used = new Set(layers.flatMap((l) => (l.bias === null ? [l.kernel] : [l.kernel, l.bias])));
  return layers.length > 0 && used.size === variables.length ? layers : null;
}

/**
 * A training step of reconstruction loss + Adam compiled into one TensorFlow function and run
 * as a single op (native backend, dense stacks). Where it does not apply, `create` returns null
 * and the caller takes the eager step, which computes the same loss and update.
 */
export class CompiledStep {
  private constructor(
    private readonly tf: Tfjs,
    private readonly optimizer: FlatAdam,
    private readonly functionName: string,
    private readonly outputs: number,
  ) {}

  static create(tf: Tfjs, models: TF.LayersModel[], variables: TF.Variable[], loss: 'mse' | 'bce', optimizer: FlatAdam, options: { returnGradient?: boolean } = {}): CompiledStep | null {
    if (!optimizer.supportsCompiledSteps || process.env.AELAB_COMPILED_STEPS === '0') return null;
    const binding = (tf.backend() as unknown as { binding?: FunctionBinding }).binding;
    if (typeof binding?.addFunctionDef !== 'function') return null;
    const layers = denseLayersOf(models, variables);
    if (!layers) return null;
    const functionName = `aelab_dense_step_${process.pid}_${(compiled += 1)}`;
    binding.addFunctionDef(denseStepFunction(functionName, { layers, shapes: variables.map((v) => [...v.shape]), loss, returnGradient: options.returnGradient === true }));
    return new CompiledStep(tf, optimizer, functionName, options.returnGradient === true ? 2 : 1);
  }

  /** One step: `input` is what the encoder sees (corrupted, for a denoising run), `target` what the decoder should give back. */
  run(input: TF.Tensor, target: TF.Tensor): TF.Scalar {
    const [loss, gradient] = this.runWithGradient(input, target);
    gradient?.dispose();
    return loss;
  }

  /** The step, with the flat gradient it applied where the step was created with `returnGradient`. */
  runWithGradient(input: TF.Tensor, target: TF.Tensor): [TF.Scalar, TF.Tensor | undefined] {
    const batch = input.shape[0] ?? 1;
    const flatten = (t: TF.Tensor): TF.Tensor => (t.rank === 2 ? t : this.tf.reshape(t, [batch, -1]));
    const [flatInput, flatTarget] = [flatten(input), flatten(target)];
    const inverseBatch = this.tf.scalar(1 / batch);
    try {
      const [loss, gradient] = this.optimizer.minimizeCompiled(this.functionName, [flatInput, flatTarget, inverseBatch], this.outputs);
      if (!loss) throw new Error('the compiled step returned no loss');
      return [loss as TF.Scalar, gradient];
    } finally {
      this.tf.dispose([inverseBatch, ...(flatInput === input ? [] : [flatInput]), ...(flatTarget === target ? [] : [flatTarget])]);
    }
  }

  /** The model's variables brought up to date: before anything reads the weights. */
  publish(): void {
    this.optimizer.publish();
  }
}
