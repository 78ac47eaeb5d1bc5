import { FunctionBuilder, type Attr, type Ref } from './functionDef.js';

export type Activation = 'relu' | 'sigmoid' | 'tanh' | 'elu' | 'linear';

/** A dense layer by the indices of its kernel and bias among the step's variables. */
export interface DenseLayer {
  kernel: number;
  bias: number | null;
  activation: Activation;
}

export interface DenseStepSpec {
  layers: DenseLayer[];
  /** Shapes of the variables, in the order of the flat parameter vector. */
  shapes: number[][];
  loss: 'mse' | 'bce';
  /** Also return the flat gradient (before the update), to check it against autodiff. */
  returnGradient?: boolean;
}

/** The function's arguments, in order; the step's caller passes tensors in this order. */
export const stepArguments = ['input', 'target', 'inverse_batch', 'parameters', 'first_moment', 'second_moment', 'beta1_power', 'beta2_power', 'learning_rate', 'beta1', 'beta2', 'epsilon'] as const;

const T: Record<string, Attr> = { T: { type: 'float' } };
const int32 = { type: 'int32' } as const;
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

/** Per sample summed over features, averaged over the batch: the lab's reconstruction term. */
function batchMean(g: FunctionBuilder, perFeature: Ref): Ref {
  const perSample = g.op('Sum', [perFeature, g.constant([1], [1], 'int32')], { ...T, Tidx: int32, keep_dims: { b: false } });
  return g.op('Mean', [perSample, g.constant([0], [1], 'int32')], { ...T, Tidx: int32, keep_dims: { b: false } });
}

/** The loss and its gradient with respect to the reconstruction. */
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

/**
 * One Adam training step of a stack of dense layers as a single TensorFlow function: read the
 * flat parameters, forward, loss, the backward pass written out layer by layer (MatMul,
 * BiasAddGrad, the activations' own gradient kernels), and TensorFlow's ResourceApplyAdam on
 * the flat parameters and moments. Returns the loss. TensorFlow's executor runs the whole
 * graph (and fuses MatMul + BiasAdd + activation) without returning to JavaScript per op.
 */
export function denseStepFunction(name: string, spec: DenseStepSpec): Uint8Array {
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

  const layerInputs: Ref[] = [];
  const layerOutputs: Ref[] = [];
  let h = input;
  for (const layer of spec.layers) {
    layerInputs.push(h);
    let z = g.op('MatMul', [h, weight(layer.kernel)], { ...T, transpose_a: { b: false }, transpose_b: { b: false } });
    if (layer.bias !== null) z = g.op('BiasAdd', [z, weight(layer.bias)], { ...T, data_format: { s: 'NHWC' } });
    h = activate(g, layer.activation, z);
    layerOutputs.push(h);
  }

  const { loss, dy: lossGradient } = reconstructionLoss(g, spec.loss, h, target, inverseBatch);
  const gradients: Ref[] = [];
  let dy = lossGradient;
  for (let i = spec.layers.length - 1; i >= 0; i -= 1) {
    const layer = spec.layers[i] as DenseLayer;
    const dz = activationGradient(g, layer.activation, dy, layerOutputs[i] as Ref);
    gradients[layer.kernel] = g.op('MatMul', [layerInputs[i] as Ref, dz], { ...T, transpose_a: { b: true }, transpose_b: { b: false } });
    if (layer.bias !== null) gradients[layer.bias] = g.op('BiasAddGrad', [dz], { ...T, data_format: { s: 'NHWC' } });
    // The first layer's input is the data: no gradient needed there.
    if (i > 0) dy = g.op('MatMul', [dz, weight(layer.kernel)], { ...T, transpose_a: { b: false }, transpose_b: { b: true } });
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
