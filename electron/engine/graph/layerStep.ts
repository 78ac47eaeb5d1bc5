import { FunctionBuilder, type Attr, type Ref } from './functionDef.js';

export type Activation = 'relu' | 'sigmoid' | 'tanh' | 'elu' | 'linear';

/** Spatial layers' settings, in TensorFlow's terms. */
interface Window {
  strides: [number, number];
  padding: 'SAME' | 'VALID';
}

/** A layer of the step, its variables by their places in the flat parameter vector; shapes per sample. */
export type StepLayer =
  | { kind: 'dense'; kernel: number; bias: number | null; activation: Activation }
  | ({ kind: 'conv2d'; kernel: number; bias: number | null; activation: Activation; kernelShape: number[] } & Window)
  | ({ kind: 'conv2dTranspose'; kernel: number; bias: number | null; activation: Activation; kernelShape: number[]; outputShape: number[] } & Window)
  | ({ kind: 'maxPool'; size: [number, number] } & Window)
  | { kind: 'upsample'; outputSize: [number, number]; inputSize: [number, number] }
  | { kind: 'reshape'; inputShape: number[]; outputShape: number[] };

export interface StepSpec {
  layers: StepLayer[];
  /** Shapes of the variables, in the order of the flat parameter vector. */
  shapes: number[][];
  /** Per sample: the reconstruction's shape (the target's). */
  outputShape: number[];
  loss: 'mse' | 'bce';
  /** Also return the flat gradient (before the update), to check it against autodiff. */
  returnGradient?: boolean;
}

/** The function's arguments, in order; the step's caller passes tensors in this order. */
export const stepArguments = ['input', 'target', 'inverse_batch', 'parameters', 'first_moment', 'second_moment', 'beta1_power', 'beta2_power', 'learning_rate', 'beta1', 'beta2', 'epsilon'] as const;

const T: Record<string, Attr> = { T: { type: 'float' } };
const int32 = { type: 'int32' } as const;
const NHWC: Record<string, Attr> = { data_format: { s: 'NHWC' } };
// The same clip as the eager binary cross-entropy, so both paths report the same loss.
const clipLow = 1e-7;
const clipHigh = 1 - 1e-7;

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

/** Per sample summed over features, averaged over the batch: the lab's reconstruction term. */
function batchMean(g: FunctionBuilder, perFeature: Ref): Ref {
  const perSample = g.op('Sum', [perFeature, g.constant([1], [1], 'int32')], { ...T, Tidx: int32, keep_dims: { b: false } });
  return g.op('Mean', [perSample, g.constant([0], [1], 'int32')], { ...T, Tidx: int32, keep_dims: { b: false } });
}

/** The loss and its gradient with respect to the reconstruction, both on [batch, features]. */
function reconstructionLoss(g: FunctionBuilder, kind: 'mse' | 'bce', y: Ref, target: Ref, inverseBatch: Ref): { loss: Ref; dy: Ref } {
  if (kind === 'mse') {
    const difference = g.op('Sub', [y, target], T);
    const loss = batchMean(g, g.op('Square', [difference], T));
    return { loss, dy: g.op('Mul', [difference, g.op('Mul', [inverseBatch, g.constant([2])], T)], T) };
  }
  const one = g.constant([1]);
  const [low, high] = [g.constant([clipLow]), g.constant([clipHigh])];
  const p = g.op('ClipByValue', [y, low, high], T);
  const complement = g.op('Sub', [one, target], T);
  const oneMinusP = g.op('Sub', [one, p], T);
  const logLikelihood = g.op('AddV2', [g.op('Mul', [target, g.op('Log', [p], T)], T), g.op('Mul', [complement, g.op('Log', [oneMinusP], T)], T)], T);
  const loss = batchMean(g, g.op('Neg', [logLikelihood], T));
  const dp = g.op('Mul', [g.op('Sub', [g.op('RealDiv', [complement, oneMinusP], T), g.op('RealDiv', [target, p], T)], T), inverseBatch], T);
  // The clip passes gradient only inside its range, as tfjs's clipByValue gradient does.
  const inside = g.op('LogicalAnd', [g.op('GreaterEqual', [y, low], T), g.op('LessEqual', [y, high], T)]);
  return { loss, dy: g.op('Mul', [dp, g.op('Cast', [inside], { SrcT: { type: 'bool' }, DstT: { type: 'float' }, Truncate: { b: false } })], T) };
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
 * One Adam training step of a stack of layers as a single TensorFlow function: read the flat
 * parameters, forward, loss, the backward pass written out layer by layer (each op's own
 * gradient kernels: MatMul, Conv2DBackpropFilter/Input, BiasAddGrad, ReluGrad…), and
 * TensorFlow's ResourceApplyAdam on the flat parameters and moments. Returns the loss.
 * TensorFlow's executor runs the whole graph, and fuses what it can, without returning to
 * JavaScript per op.
 */
export function layerStepFunction(name: string, spec: StepSpec): Uint8Array {
  const g = new FunctionBuilder(name);
  const [input, target, inverseBatch, parameters, firstMoment, secondMoment, beta1Power, beta2Power, learningRate, beta1, beta2, epsilon] = stepArguments.map((arg) =>
    g.input(arg, arg === 'parameters' || arg.endsWith('_moment') ? 'resource' : 'float'),
  ) as [Ref, Ref, Ref, Ref, Ref, Ref, Ref, Ref, Ref, Ref, Ref, Ref];

  const sizes = spec.shapes.map((shape) => shape.reduce((a, b) => a * b, 1));
  const flat = g.op('ReadVariableOp', [parameters], { dtype: { type: 'float' } });
  const pieces = g.node('SplitV', [flat, g.constant(sizes, [sizes.length], 'int32'), g.constant([0], [], 'int32')], { ...T, Tlen: int32, num_split: { i: sizes.length } }, sizes.length);
  const weights = pieces.map((piece, i) => {
    const shape = spec.shapes[i] ?? [];
    return shape.length === 1 ? piece : g.op('Reshape', [piece, g.constant(shape, [shape.length], 'int32')], { ...T, Tshape: int32 });
  });
  const weight = (index: number): Ref => {
    const ref = weights[index];
    if (!ref) throw new Error(`the step has no variable ${index}`);
    return ref;
  };

  const gradients: Ref[] = [];
  const emitted: Emitted[] = [];
  let h = input;
  for (const layer of spec.layers) {
    const layerOps = emitLayer(g, layer, h, weight, gradients);
    emitted.push(layerOps);
    h = layerOps.output;
  }
  const features = spec.outputShape.reduce((a, b) => a * b, 1);
  const { loss, dy: lossGradient } = reconstructionLoss(g, spec.loss, reshape(g, h, [features]), reshape(g, target, [features]), inverseBatch);
  let dy: Ref | null = reshape(g, lossGradient, spec.outputShape);
  for (let i = emitted.length - 1; i >= 0 && dy !== null; i -= 1) {
    // The first layer's input is the data: no gradient needed there.
    dy = (emitted[i] as Emitted).backward(dy, i > 0);
  }
  const flatGradients = sizes.map((_, i) => {
    const gradient = gradients[i];
    if (!gradient) throw new Error(`variable ${i} is not used by any layer of the step`);
    return (spec.shapes[i] ?? []).length === 1 ? gradient : g.op('Reshape', [gradient, g.constant([-1], [1], 'int32')], { ...T, Tshape: int32 });
  });
  const gradient = flatGradients.length === 1 ? (flatGradients[0] as Ref) : g.op('ConcatV2', [...flatGradients, g.constant([0], [], 'int32')], { ...T, N: { i: sizes.length }, Tidx: int32 });
  g.node('ResourceApplyAdam', [parameters, firstMoment, secondMoment, beta1Power, beta2Power, learningRate, beta1, beta2, epsilon, gradient], { ...T, use_locking: { b: false }, use_nesterov: { b: false } });
  g.output('loss', loss);
  if (spec.returnGradient) g.output('gradient', gradient);
  return g.serialize();
}
