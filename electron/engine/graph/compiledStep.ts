import { createHash } from 'node:crypto';
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
/**
 * The step functions this process has given TensorFlow, by name. A name is the hash of the
 * function's content, so the same stack (a probe trains hundreds of identical heads) is
 * added and instantiated once: the function takes its variables as arguments and keeps no state.
 */
const added = new Set<string>();

/** The name a step function is built under before its content gives it its own: as long as `aelab_step_` and 24 hex digits. */
const unnamedStep = `aelab_step_${'0'.repeat(24)}`;

/**
 * A serialised function definition with its name changed to one of the same length: the
 * name's bytes replaced where they occur once, so every length prefix around them stays right.
 */
export function renamedFunction(definition: Uint8Array, from: string, to: string): Uint8Array {
  const [old, name] = [Buffer.from(from, 'utf8'), Buffer.from(to, 'utf8')];
  if (old.length !== name.length) throw new Error(`a function named '${from}' cannot be renamed '${to}': the names differ in length`);
  const bytes = Buffer.from(definition);
  const at = bytes.indexOf(old);
  if (at < 0 || bytes.indexOf(old, at + 1) >= 0) throw new Error(`the function definition holds the name '${from}' ${at < 0 ? 'nowhere' : 'more than once'}`);
  name.copy(bytes, at);
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

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

/** A model's layers that compute something: a functional model's input layer is none. */
export const layersOf = (model: TF.LayersModel): TF.layers.Layer[] => model.layers.filter((layer) => layer.getClassName() !== 'InputLayer');

/** The layers of the models in order as step layers, or why not in words a user reads. */
function stepLayersOrReason(models: TF.LayersModel[], variables: TF.Variable[]): StepLayer[] | string {
  const index = new Map(variables.map((v, i) => [v.name, i]));
  const layers: StepLayer[] = [];
  for (const layer of models.flatMap(layersOf)) {
    const stepLayer = stepLayerOf(layer, index);
    if (!stepLayer) return `its ${layer.getClassName()} layer '${layer.name}' has no compiled form`;
    layers.push(stepLayer);
  }
  if (layers.length === 0) return 'the model has no layers';
  // Every variable must belong to a layer of the stack, or the step would not update it.
  const used = new Set(layers.flatMap((l) => ('kernel' in l ? (l.bias === null ? [l.kernel] : [l.kernel, l.bias]) : [])));
  return used.size === variables.length ? layers : 'some of its trained variables belong to no layer the step knows';
}

/** The layers of encoder then decoder as step layers; null if any is of a kind the compiler does not know. */
export function stepLayersOf(models: TF.LayersModel[], variables: TF.Variable[]): StepLayer[] | null {
  const layers = stepLayersOrReason(models, variables);
  return typeof layers === 'string' ? null : layers;
}

/** The step layers of these models where this backend can compile a step for them, else why not (a sentence a user reads). */
function compilableLayers(tf: Tfjs, models: TF.LayersModel[], variables: TF.Variable[]): StepLayer[] | string {
  if (process.env.AELAB_COMPILED_STEPS === '0') return 'compiled steps are turned off (AELAB_COMPILED_STEPS=0)';
  if (tf.getBackend() !== 'tensorflow') return `the ${tf.getBackend()} backend has no compiled steps`;
  const binding = (tf.backend() as unknown as { binding?: FunctionBinding }).binding;
  if (typeof binding?.addFunctionDef !== 'function') return 'this build of the TensorFlow binding cannot load compiled functions';
  return stepLayersOrReason(models, variables);
}

/** A stack of layers to compile with its loss: an encoder's layers (possibly none), the code term after them, then the rest. */
export interface StepStack {
  /** The models whose layers, in order, make the stack; the last one's output is what the loss reads. */
  models: TF.LayersModel[];
  /** How many of the stack's layers are the encoder's: the code term follows them (0: it takes the input). */
  encoderLayers: number;
  loss: 'mse' | 'bce' | 'softmax';
  code: StepCode;
  /** Per variable, a factor on the learning rate (see StepSpec). */
  learningRateScales?: readonly number[];
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
    return typeof compilableLayers(tf, models, variables) !== 'string';
  }

  /** Why this backend and these models cannot train by a compiled step, in words a user reads; null where they can. */
  static unavailable(tf: Tfjs, models: TF.LayersModel[], variables: TF.Variable[]): string | null {
    const layers = compilableLayers(tf, models, variables);
    return typeof layers === 'string' ? layers : null;
  }

  /**
   * Any stack of layers with its loss (an autoencoder's, or a classifier's: encoder layers,
   * the code term, a head giving logits, softmax cross-entropy); the step, or why it cannot
   * run as one (the caller then takes the eager step and says why).
   */
  static compile(tf: Tfjs, stack: StepStack, variables: TF.Variable[], optimizer: CompilableOptimizer, options: { returnGradient?: boolean } = {}): CompiledStep | { reason: string } {
    if (!optimizer.supportsCompiledSteps) return { reason: 'the optimizer keeps its state outside TensorFlow' };
    const layers = compilableLayers(tf, stack.models, variables);
    if (typeof layers === 'string') return { reason: layers };
    const binding = (tf.backend() as unknown as { binding: Required<FunctionBinding> }).binding;
    const returnGradient = options.returnGradient === true;
    const code = codeTermOf(stack.code);
    const last = stack.models[stack.models.length - 1];
    if (!last) return { reason: 'the model has no layers' };
    let functionName: string;
    try {
      const shapes = variables.map((v) => [...v.shape]);
      const learningRateScales = stack.learningRateScales ? { learningRateScales: stack.learningRateScales } : {};
      const spec = { layers, encoderLayers: stack.encoderLayers, code, update: optimizer.update, shapes, outputShape: perSample(last.outputShape), loss: stack.loss, returnGradient, ...learningRateScales };
      // Built once under a placeholder as long as the real name, hashed, then renamed in place.
      const definition = layerStepFunction(unnamedStep, spec);
      functionName = `aelab_step_${createHash('sha256').update(definition).digest('hex').slice(0, 24)}`;
      if (!added.has(functionName)) {
        binding.addFunctionDef(renamedFunction(definition, unnamedStep, functionName));
        added.add(functionName);
      }
    } catch (cause) {
      return { reason: `TensorFlow refused the compiled step (${(cause as Error).message.split('\n')[0] ?? ''})` };
    }
    const lossParts = (stack.loss === 'softmax' ? 1 : 2) + (code.penalised ? 1 : 0);
    return new CompiledStep(tf, optimizer, functionName, lossParts, returnGradient);
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
    if (!optimizer.supportsCompiledSteps || typeof compilableLayers(tf, models, variables) === 'string') return null;
    const step = CompiledStep.compile(tf, { models, encoderLayers: layersOf(models[0]).length, loss: objective.loss, code: objective.code }, variables, optimizer, options);
    if (step instanceof CompiledStep) return step;
    // The eager step trains the same model; the run's backend then does not say "compiled step".
    process.stderr.write(`compiled step unavailable, training op by op: ${step.reason}\n`);
    return null;
  }

  /**
   * One step: `input` is what the encoder sees (corrupted, for a denoising run), `target` what
   * the decoder should give back (a classifier's one-hot labels), `noise` a VAE's ε. Returns the
   * loss parts [total, reconstruction, the objective's component if it has one] (a
   * classifier's: [cross-entropy]), and the gradient where asked for.
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
