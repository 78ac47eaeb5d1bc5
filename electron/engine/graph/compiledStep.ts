import type * as TF from '@tensorflow/tfjs';
import type { Tfjs } from '../backend.js';
import { codeTermOf, type StepCode } from './codeTerm.js';
import { layerStepFunction, type Activation, type StepLayer } from './layerStep.js';
import type { UpdateRule } from './updates.js';

/** An optimizer whose update a compiled step can carry out (FlatAdam, NativeOptimizer). */
export interface CompilableOptimizer {
  readonly update: UpdateRule;
  readonly supportsCompiledSteps: boolean;
  /** Runs the step function with the optimizer's own arguments appended; returns its outputs. */
  minimizeCompiled(functionName: string, inputs: TF.Tensor[], outputs: number): TF.Tensor[];
  publish(): void;
}

/** The binding's addition (scripts/tfjs-binding-functions.mjs), where this build has it. */
interface FunctionBinding {
  addFunctionDef?: (serialized: Uint8Array) => void;
}

interface LayerSettings {
  activation?: string;
  useBias?: boolean;
  strides?: number | number[];
  padding?: string;
  dataFormat?: string;
  dilationRate?: number | number[];
  poolSize?: number | number[];
  size?: number[];
  interpolation?: string;
}

const activations = new Set<string>(['relu', 'sigmoid', 'tanh', 'elu', 'linear']);
let compiled = 0;

const pair = (value: number | number[] | undefined, otherwise: number): [number, number] =>
  Array.isArray(value) ? [value[0] ?? otherwise, value[1] ?? value[0] ?? otherwise] : [value ?? otherwise, value ?? otherwise];
const perSample = (shape: TF.Shape | TF.Shape[]): number[] => (shape as Array<number | null>).slice(1).map((d) => d ?? -1);

/** A tfjs layer as a step layer, or null where the compiler does not know it (the eager step then trains the model). */
function stepLayerOf(layer: TF.layers.Layer, index: Map<string, number>): StepLayer | null {
  const config = layer.getConfig() as LayerSettings;
  const kind = layer.getClassName();
  const [inputShape, outputShape] = [perSample((layer.input as TF.SymbolicTensor).shape), perSample(layer.outputShape)];
  if (kind === 'Flatten' || kind === 'Reshape') return { kind: 'reshape', inputShape, outputShape };
  if (config.dataFormat !== undefined && config.dataFormat !== 'channelsLast') return null;
  const padding = config.padding === 'same' ? 'SAME' : 'VALID';
  if (kind === 'MaxPooling2D') {
    const size = pair(config.poolSize, 2);
    return { kind: 'maxPool', size, strides: config.strides === undefined ? size : pair(config.strides, 1), padding };
  }
  if (kind === 'UpSampling2D') {
    if (config.interpolation !== undefined && config.interpolation !== 'nearest') return null;
    return { kind: 'upsample', inputSize: [inputShape[0] ?? 0, inputShape[1] ?? 0], outputSize: [outputShape[0] ?? 0, outputShape[1] ?? 0] };
  }
  if (kind !== 'Dense' && kind !== 'Conv2D' && kind !== 'Conv2DTranspose') return null;
  const activation = config.activation ?? 'linear';
  if (!activations.has(activation) || pair(config.dilationRate, 1).some((d) => d !== 1)) return null;
  const [kernelVariable, biasVariable] = layer.trainableWeights.map((w) => w.read() as TF.Variable);
  const kernel = kernelVariable ? index.get(kernelVariable.name) : undefined;
  const bias = config.useBias === false ? null : biasVariable ? (index.get(biasVariable.name) ?? undefined) : undefined;
  if (kernel === undefined || bias === undefined) return null;
  const common = { kernel, bias, activation: activation as Activation };
  if (kind === 'Dense') return inputShape.length === 1 ? { kind: 'dense', ...common } : null;
  const window = { strides: pair(config.strides, 1), padding } as const;
  const kernelShape = [...(kernelVariable?.shape ?? [])];
  if (kind === 'Conv2D') return { kind: 'conv2d', ...common, ...window, kernelShape };
  return { kind: 'conv2dTranspose', ...common, ...window, kernelShape, outputShape };
}

/** The layers of encoder then decoder as step layers; null if any is of a kind the compiler does not know. */
export function stepLayersOf(models: TF.LayersModel[], variables: TF.Variable[]): StepLayer[] | null {
  const index = new Map(variables.map((v, i) => [v.name, i]));
  const layers: StepLayer[] = [];
  for (const layer of models.flatMap((m) => m.layers)) {
    const stepLayer = stepLayerOf(layer, index);
    if (!stepLayer) return null;
    layers.push(stepLayer);
  }
  // Every variable must belong to a layer of the stack, or the step would not update it.
  const used = new Set(layers.flatMap((l) => ('kernel' in l ? (l.bias === null ? [l.kernel] : [l.kernel, l.bias]) : [])));
  return layers.length > 0 && used.size === variables.length ? layers : null;
}

/** The step layers of these models where this backend can compile a step for them, else null. */
function compilableLayers(tf: Tfjs, models: TF.LayersModel[], variables: TF.Variable[]): StepLayer[] | null {
  if (process.env.AELAB_COMPILED_STEPS === '0' || tf.getBackend() !== 'tensorflow') return null;
  const binding = (tf.backend() as unknown as { binding?: FunctionBinding }).binding;
  return typeof binding?.addFunctionDef === 'function' ? stepLayersOf(models, variables) : null;
}

/**
 * A training step (reconstruction loss, the objective's code term, the optimizer's update)
 * compiled into one TensorFlow function and run as a single op (native backend; dense,
 * convolutional, pooling, upsampling and reshaping layers; plain, denoising, sparse and
 * variational objectives). Where it does not apply, `create` returns null and the caller
 * takes the eager step, which computes the same loss and update.
 */
export class CompiledStep {
  private constructor(
    private readonly tf: Tfjs,
    private readonly optimizer: CompilableOptimizer,
    private readonly functionName: string,
    private readonly lossParts: number,
    private readonly returnsGradient: boolean,
  ) {}

  /** Whether this backend and these models can train by a compiled step at all. */
  static possible(tf: Tfjs, models: [TF.LayersModel, TF.LayersModel], variables: TF.Variable[]): boolean {
    return compilableLayers(tf, models, variables) !== null;
  }

  /**
   * `models` are the encoder and the decoder; `code` is what the objective adds between them.
   * `returnGradient` also returns the flat gradient each step applies (to check it against autodiff).
   */
  static create(
    tf: Tfjs,
    models: [TF.LayersModel, TF.LayersModel],
    variables: TF.Variable[],
    objective: { loss: 'mse' | 'bce'; code: StepCode },
    optimizer: CompilableOptimizer,
    options: { returnGradient?: boolean } = {},
  ): CompiledStep | null {
    const layers = optimizer.supportsCompiledSteps ? compilableLayers(tf, models, variables) : null;
    if (!layers) return null;
    const binding = (tf.backend() as unknown as { binding: Required<FunctionBinding> }).binding;
    const [encoder, decoder] = models;
    const functionName = `aelab_step_${process.pid}_${(compiled += 1)}`;
    const returnGradient = options.returnGradient === true;
    const code = codeTermOf(objective.code);
    try {
      const shapes = variables.map((v) => [...v.shape]);
      binding.addFunctionDef(
        layerStepFunction(functionName, { layers, encoderLayers: encoder.layers.length, code, update: optimizer.update, shapes, outputShape: perSample(decoder.outputShape), loss: objective.loss, returnGradient }),
      );
    } catch (cause) {
      // The eager step trains the same model; the run's backend then does not say "compiled step".
      process.stderr.write(`compiled step unavailable, training op by op: ${(cause as Error).message}\n`);
      return null;
    }
    return new CompiledStep(tf, optimizer, functionName, code.penalised ? 3 : 2, returnGradient);
  }

  /**
   * One step: `input` is what the encoder sees (corrupted, for a denoising run), `target` what
   * the decoder should give back, `noise` a VAE's ε. Returns the loss parts [total,
   * reconstruction, the objective's component if it has one], and the gradient where asked for.
   */
  run(input: TF.Tensor, target: TF.Tensor, noise?: TF.Tensor): { parts: TF.Scalar[]; gradient?: TF.Tensor } {
    const inverseBatch = this.tf.scalar(1 / (input.shape[0] ?? 1));
    try {
      const outputs = this.optimizer.minimizeCompiled(this.functionName, [input, target, inverseBatch, ...(noise ? [noise] : [])], this.lossParts + (this.returnsGradient ? 1 : 0));
      const parts = outputs.slice(0, this.lossParts) as TF.Scalar[];
      return this.returnsGradient ? { parts, gradient: outputs[this.lossParts] } : { parts };
    } finally {
      inverseBatch.dispose();
    }
  }

  /** The model's variables brought up to date: before anything reads the weights. */
  publish(): void {
    this.optimizer.publish();
  }
}
