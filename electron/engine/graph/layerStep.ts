import { reconstructionLossOps } from '../model/reconstruction.js';
import type { CodeOps, CodeTerm } from './codeTerm.js';
import { FunctionBuilder, type Attr, type Ref } from './functionDef.js';
import { T, int32 } from './graphOps.js';
import { softmaxCrossEntropyOps } from './softmaxLoss.js';
import type { UpdateRule } from './updates.js';

export type Activation = 'relu' | 'sigmoid' | 'tanh' | 'elu' | 'linear';

/** Spatial layers' settings, in TensorFlow's terms. */
interface Window {
  strides: [number, number];
  padding: 'SAME' | 'VALID';
}

/** A layer of the step, its variables by their places in the model's variable list; shapes per sample. */
export type StepLayer =
  | { kind: 'dense'; kernel: number; bias: number | null; activation: Activation }
  | ({ kind: 'conv2d'; kernel: number; bias: number | null; activation: Activation; kernelShape: number[] } & Window)
  | ({ kind: 'conv2dTranspose'; kernel: number; bias: number | null; activation: Activation; kernelShape: number[]; outputShape: number[] } & Window)
  | ({ kind: 'maxPool'; size: [number, number] } & Window)
  | { kind: 'upsample'; outputSize: [number, number]; inputSize: [number, number] }
  | { kind: 'reshape'; inputShape: number[]; outputShape: number[] };

export interface StepSpec {
  layers: StepLayer[];
  /** How many of `layers` are the encoder's: the code term sits after them (0: on the input, for a head trained on features). */
  encoderLayers: number;
  code: CodeTerm;
  /** The optimizer's fused kernel; its parameters, slots and scalars are the function's last arguments. */
  update: UpdateRule;
  /** Shapes of the variables, in the model's order (the optimizer's resource variables follow it). */
  shapes: number[][];
  /** Per sample: the reconstruction's shape (the target's); a classifier's: [classes]. */
  outputShape: number[];
  /** A reconstruction loss, or 'softmax': the last layer gives logits, the target is one-hot, the loss is the mean cross-entropy. */
  loss: 'mse' | 'bce' | 'softmax';
  /**
   * Per variable, a factor on the optimizer's learning rate (1 where absent): fine-tuning
   * moves a pretrained encoder more slowly than the head it trains with.
   */
  learningRateScales?: readonly number[];
  /** Also return the flat gradient (before the update), to check it against autodiff. */
  returnGradient?: boolean;
}

/** The function's leading arguments, which its caller passes: a VAE's step also takes the ε of its sample. */
export function dataArguments(code: CodeTerm): string[] {
  return ['input', 'target', 'inverse_batch', ...(code.takesNoise ? ['noise'] : [])];
}

const NHWC: Record<string, Attr> = { data_format: { s: 'NHWC' } };

function activate(g: FunctionBuilder, activation: Activation, z: Ref): Ref {
  if (activation === 'relu') return g.op('Relu', [z], T);
  if (activation === 'elu') return g.op('Elu', [z], T);
  if (activation === 'sigmoid') return g.op('Sigmoid', [z], T);
  if (activation === 'tanh') return g.op('Tanh', [z], T);
  return z;
}

/** ∂loss/∂z from ∂loss/∂y and the layer's output y: each activation's gradient from its output. */
function activationGradient(g: FunctionBuilder, activation: Activation, dy: Ref, y: Ref): Ref {
  // relu(z) > 0 exactly where z > 0, so the output serves as ReluGrad's features.
  if (activation === 'relu') return g.op('ReluGrad', [dy, y], T);
  if (activation === 'elu') return g.op('EluGrad', [dy, y], T);
  if (activation === 'sigmoid') return g.op('SigmoidGrad', [y, dy], T);
  if (activation === 'tanh') return g.op('TanhGrad', [y, dy], T);
  return dy;
}

function reshape(g: FunctionBuilder, x: Ref, perSample: readonly number[]): Ref {
  return g.op('Reshape', [x, g.constant([-1, ...perSample], [perSample.length + 1], 'int32')], { ...T, Tshape: int32 });
}

function windowAttrs(window: Window): Record<string, Attr> {
  return { ...T, ...NHWC, strides: { ints: [1, ...window.strides, 1] }, padding: { s: window.padding } };
}

function convAttrs(window: Window): Record<string, Attr> {
  return { ...windowAttrs(window), dilations: { ints: [1, 1, 1, 1] }, use_cudnn_on_gpu: { b: true }, explicit_paddings: { ints: [] } };
}

/** [batch of x, ...perSample] as an int32 vector: the batch is only known when the step runs. */
function batchShape(g: FunctionBuilder, x: Ref, perSample: readonly number[]): Ref {
  const batch = g.op('Slice', [g.op('Shape', [x], { ...T, out_type: int32 }), g.constant([0], [1], 'int32'), g.constant([1], [1], 'int32')], { T: int32, Index: int32 });
  return g.op('ConcatV2', [batch, g.constant(perSample, [perSample.length], 'int32'), g.constant([0], [], 'int32')], { T: int32, N: { i: 2 }, Tidx: int32 });
}

interface Emitted {
  output: Ref;
  /** Writes the gradients of the layer's variables; returns ∂loss/∂input, or null for the first layer. */
  backward(dy: Ref, needInput: boolean): Ref | null;
}

/** One layer's forward ops, and the closure that emits its backward ops. */
function emitLayer(g: FunctionBuilder, layer: StepLayer, x: Ref, weight: (i: number) => Ref, gradients: Ref[]): Emitted {
  if (layer.kind === 'reshape') return { output: reshape(g, x, layer.outputShape), backward: (dy) => reshape(g, dy, layer.inputShape) };
  if (layer.kind === 'maxPool') {
    const attrs = { ...windowAttrs(layer), ksize: { ints: [1, ...layer.size, 1] } };
    const output = g.op('MaxPool', [x], attrs);
    return { output, backward: (dy) => g.op('MaxPoolGrad', [x, output, dy], attrs) };
  }
  if (layer.kind === 'upsample') {
    const attrs = { ...T, align_corners: { b: false }, half_pixel_centers: { b: false } };
    return {
      output: g.op('ResizeNearestNeighbor', [x, g.constant(layer.outputSize, [2], 'int32')], attrs),
      backward: (dy) => g.op('ResizeNearestNeighborGrad', [dy, g.constant(layer.inputSize, [2], 'int32')], attrs),
    };
  }
  const kernel = weight(layer.kernel);
  let z: Ref;
  if (layer.kind === 'dense') z = g.op('MatMul', [x, kernel], { ...T, transpose_a: { b: false }, transpose_b: { b: false } });
  else if (layer.kind === 'conv2d') z = g.op('Conv2D', [x, kernel], convAttrs(layer));
  else z = g.op('Conv2DBackpropInput', [batchShape(g, x, layer.outputShape), kernel, x], convAttrs(layer));
  if (layer.bias !== null) z = g.op('BiasAdd', [z, weight(layer.bias)], { ...T, ...NHWC });
  const output = activate(g, layer.activation, z);
  return {
    output,
    backward(dy, needInput) {
      const dz = activationGradient(g, layer.activation, dy, output);
      if (layer.bias !== null) gradients[layer.bias] = g.op('BiasAddGrad', [dz], { ...T, ...NHWC });
      if (layer.kind === 'dense') {
        gradients[layer.kernel] = g.op('MatMul', [x, dz], { ...T, transpose_a: { b: true }, transpose_b: { b: false } });
        return needInput ? g.op('MatMul', [dz, kernel], { ...T, transpose_a: { b: false }, transpose_b: { b: true } }) : null;
      }
      const filterSizes = g.constant(layer.kernelShape, [4], 'int32');
      if (layer.kind === 'conv2d') {
        gradients[layer.kernel] = g.op('Conv2DBackpropFilter', [x, filterSizes, dz], convAttrs(layer));
        return needInput ? g.op('Conv2DBackpropInput', [g.op('Shape', [x], { ...T, out_type: int32 }), kernel, dz], convAttrs(layer)) : null;
      }
      // A transposed convolution is the input-gradient of a convolution: its gradients are that convolution's.
      gradients[layer.kernel] = g.op('Conv2DBackpropFilter', [dz, filterSizes, x], convAttrs(layer));
      return needInput ? g.op('Conv2D', [dz, kernel], convAttrs(layer)) : null;
    },
  };
}

/**
 * One training step of a stack of layers as a single TensorFlow function: read the
 * parameters, forward, loss, the backward pass written out layer by layer (each op's own
 * gradient kernels: MatMul, Conv2DBackpropFilter/Input, BiasAddGrad, ReluGrad…), and the
 * optimizer's fused TensorFlow kernel on each parameter and its slots. Returns the loss parts.
 * TensorFlow's executor runs the whole graph, and fuses what it can, without returning to
 * JavaScript per op.
 */
export function layerStepFunction(name: string, spec: StepSpec): Uint8Array {
  const g = new FunctionBuilder(name);
  const data = dataArguments(spec.code).map((arg) => g.input(arg, 'float'));
  const [input, target, inverseBatch] = data as [Ref, Ref, Ref];
  const noise = data[3] ?? null;
  // The optimizer's arguments, in the order NativeSlots passes them: a resource variable per
  // model variable, then each slot's per variable, then the rule's scalars.
  const count = spec.shapes.length;
  const parameters = spec.shapes.map((_, i) => g.input(`parameter_${i}`, 'resource'));
  const slots = Array.from({ length: spec.update.slots }, (_, s) => spec.shapes.map((_, i) => g.input(`slot_${s}_${i}`, 'resource')));
  const scalars = new Map(spec.update.scalars.map((name) => [name, g.input(name, 'float')]));
  const weights = parameters.map((parameter) => g.op('ReadVariableOp', [parameter], { dtype: { type: 'float' } }));
  const weight = (index: number): Ref => {
    const ref = weights[index];
    if (!ref) throw new Error(`the step has no variable ${index}`);
    return ref;
  };

  const gradients: Ref[] = [];
  const emitted: Emitted[] = [];
  let h = input;
  let code: CodeOps | null = null;
  if (spec.encoderLayers === 0) {
    code = spec.code.emit(g, h, { noise, inverseBatch });
    h = code.decoderInput;
  }
  spec.layers.forEach((layer, i) => {
    const layerOps = emitLayer(g, layer, h, weight, gradients);
    emitted.push(layerOps);
    h = layerOps.output;
    if (i === spec.encoderLayers - 1) {
      code = spec.code.emit(g, h, { noise, inverseBatch });
      h = code.decoderInput;
    }
  });
  const codeOps = code as CodeOps | null;
  if (!codeOps) throw new Error(`the encoder has ${spec.encoderLayers} layers of ${spec.layers.length}`);
  const features = spec.outputShape.reduce((a, b) => a * b, 1);
  const [flatOutput, flatTarget] = [reshape(g, h, [features]), reshape(g, target, [features])];
  const { loss: reconstruction, dy: lossGradient } =
    spec.loss === 'softmax' ? softmaxCrossEntropyOps(g, flatOutput, flatTarget, inverseBatch) : reconstructionLossOps(g, spec.loss, flatOutput, flatTarget, inverseBatch);
  const total = codeOps.penalty ? g.op('AddV2', [reconstruction, g.op('Mul', [codeOps.penalty, g.constant([codeOps.weight])], T)], T) : reconstruction;
  let dy: Ref | null = reshape(g, lossGradient, spec.outputShape);
  for (let i = emitted.length - 1; i >= 0 && dy !== null; i -= 1) {
    if (i === spec.encoderLayers - 1) dy = codeOps.backward(dy);
    // The first layer's input is the data: no gradient needed there.
    dy = (emitted[i] as Emitted).backward(dy, i > 0);
  }
  // One scaled learning rate per distinct factor, shared by the variables that take it.
  const scaledRates = new Map<number, Ref>();
  const learningRate = (i: number): Ref | undefined => {
    const scale = spec.learningRateScales?.[i] ?? 1;
    const base = scalars.get('learning_rate');
    if (scale === 1 || !base) return base;
    if (!scaledRates.has(scale)) scaledRates.set(scale, g.op('Mul', [base, g.constant([scale])], T));
    return scaledRates.get(scale);
  };
  if (spec.learningRateScales && !scalars.has('learning_rate')) throw new Error(`${spec.update.op} has no learning rate to scale`);
  for (let i = 0; i < count; i += 1) {
    const gradient = gradients[i];
    if (!gradient) throw new Error(`variable ${i} is not used by any layer of the step`);
    const updateInputs = spec.update.inputs.map((input) => {
      const ref = input === 'gradient' ? gradient : input.startsWith('slot:') ? slots[Number(input.slice(5))]?.[i] : input === 'learning_rate' ? learningRate(i) : scalars.get(input);
      if (!ref) throw new Error(`${spec.update.op} has no argument for its input ${input}`);
      return ref;
    });
    g.effect(spec.update.op, [parameters[i] as Ref, ...updateInputs], spec.update.attrs);
  }
  // The loss parts in the trainer's order: total, reconstruction, then the objective's component;
  // a classifier's step has the one cross-entropy.
  g.output('total', total);
  if (spec.loss !== 'softmax') g.output('reconstruction', reconstruction);
  if (codeOps.penalty) g.output('component', codeOps.penalty);
  if (spec.returnGradient) {
    const flat = gradients.map((gradient) => g.op('Reshape', [gradient, g.constant([-1], [1], 'int32')], { ...T, Tshape: int32 }));
    g.output('gradient', flat.length === 1 ? (flat[0] as Ref) : g.op('ConcatV2', [...flat, g.constant([0], [], 'int32')], { ...T, N: { i: flat.length }, Tidx: int32 }));
  }
  return g.serialize();
}
