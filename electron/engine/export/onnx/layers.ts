import type * as TF from '@tensorflow/tfjs';
import { GraphBuilder, permuted } from './graphBuilder.js';

type Layer = TF.layers.Layer;

/** The interval a value lies in; an unbounded side is ±Infinity. */
export type ValueRange = readonly [number, number];
export const unbounded: ValueRange = [-Infinity, Infinity];

/** One value flowing through the graph as the layers are lowered. */
export interface Flow {
  name: string;
  /**
   * Where the channels axis lies: last, as tfjs keeps it, or second, as ONNX's convolutions
   * and pooling take it. A value stays NCHW across consecutive convolution-like layers, so a
   * convolution block costs one Transpose in and one out.
   */
  layout: 'nhwc' | 'nchw';
  /** Per-sample shape in tfjs's order ([height, width, channels] or [features]), whatever the layout. */
  shape: number[];
  range: ValueRange;
}

interface Activation {
  op?: string;
  attributes?: Record<string, { kind: 'float'; value: number }>;
  range: (input: ValueRange) => ValueRange;
}

/** The catalogue's activations (shared/catalogue/architectures/activation.ts), each as ONNX computes it. */
const activations: Record<string, Activation> = {
  linear: { range: (input) => input },
  relu: { op: 'Relu', range: () => [0, Infinity] },
  sigmoid: { op: 'Sigmoid', range: () => [0, 1] },
  tanh: { op: 'Tanh', range: () => [-1, 1] },
  // tfjs's elu has α = 1, ONNX's default.
  elu: { op: 'Elu', attributes: { alpha: { kind: 'float', value: 1 } }, range: () => [-1, Infinity] },
};

const configOf = (layer: Layer): Record<string, unknown> => layer.getConfig() as Record<string, unknown>;
const pairOf = (value: unknown, what: string): [number, number] => {
  const pair = typeof value === 'number' ? [value, value] : (value as number[]);
  if (!Array.isArray(pair) || pair.length !== 2) throw new Error(`${what} ${JSON.stringify(value)} is not one or two sizes`);
  return pair as [number, number];
};

function applyActivation(b: GraphBuilder, layer: Layer, flow: Flow, id: unknown): Flow {
  const name = typeof id === 'string' ? id : 'linear';
  const activation = activations[name];
  if (!activation) throw new Error(`layer ${layer.name}: the ${name} activation has no ONNX lowering`);
  if (!activation.op) return flow;
  return { ...flow, name: b.op(layer.name, activation.op, [flow.name], activation.attributes), range: activation.range(flow.range) };
}

export function toNchw(b: GraphBuilder, scope: string, flow: Flow): Flow {
  if (flow.layout === 'nchw') return flow;
  if (flow.shape.length !== 3) throw new Error(`layer ${scope} needs an image [height, width, channels], not [${flow.shape.join(', ')}]`);
  return { ...flow, layout: 'nchw', name: b.op(scope, 'Transpose', [flow.name], { perm: { kind: 'ints', value: [0, 3, 1, 2] } }) };
}

export function toNhwc(b: GraphBuilder, scope: string, flow: Flow): Flow {
  if (flow.layout === 'nhwc') return flow;
  return { ...flow, layout: 'nhwc', name: b.op(scope, 'Transpose', [flow.name], { perm: { kind: 'ints', value: [0, 2, 3, 1] } }) };
}

/**
 * One spatial axis of a window op as TensorFlow sizes it: 'valid' drops what does not fit,
 * 'same' gives ⌈size/stride⌉ and pads the shortfall, the odd element at the end.
 */
export function windowAxis(size: number, kernel: number, stride: number, dilation: number, padding: string): { out: number; before: number; after: number } {
  const span = (kernel - 1) * dilation + 1;
  if (padding === 'valid') return { out: Math.floor((size - span) / stride) + 1, before: 0, after: 0 };
  if (padding !== 'same') throw new Error(`padding '${padding}' has no ONNX lowering`);
  const out = Math.ceil(size / stride);
  const total = Math.max((out - 1) * stride + span - size, 0);
  const before = Math.floor(total / 2);
  return { out, before, after: total - before };
}

const weightValues = (layer: Layer): Float32Array[] => layer.getWeights().map((w) => Float32Array.from(w.dataSync() as Float32Array));

function channelsLast(layer: Layer): void {
  const format = configOf(layer).dataFormat;
  if (format !== undefined && format !== 'channelsLast') throw new Error(`layer ${layer.name}: only channels-last layers are exported (got ${String(format)})`);
}

function conv2d(b: GraphBuilder, layer: Layer, input: Flow): Flow {
  channelsLast(layer);
  const config = configOf(layer);
  const [height, width, channels] = input.shape as [number, number, number];
  const [kh, kw] = pairOf(config.kernelSize, 'kernel size');
  const [sh, sw] = pairOf(config.strides ?? 1, 'strides');
  const [dh, dw] = pairOf(config.dilationRate ?? 1, 'dilation');
  const filters = config.filters as number;
  const padding = config.padding as string;
  const [kernel, bias] = weightValues(layer);
  const rows = windowAxis(height, kh, sh, dh, padding);
  const cols = windowAxis(width, kw, sw, dw, padding);
  const x = toNchw(b, layer.name, input);
  // tfjs kernels are [kh, kw, in, out]; ONNX's Conv takes [out, in, kh, kw].
  const w = b.floats(`${layer.name}/kernel`, [filters, channels, kh, kw], permuted(kernel as Float32Array, [kh, kw, channels, filters], [3, 2, 0, 1]));
  const inputs = [x.name, w, ...(bias ? [b.floats(`${layer.name}/bias`, [filters], bias)] : [])];
  const y = b.op(layer.name, 'Conv', inputs, {
    kernel_shape: { kind: 'ints', value: [kh, kw] },
    strides: { kind: 'ints', value: [sh, sw] },
    dilations: { kind: 'ints', value: [dh, dw] },
    pads: { kind: 'ints', value: [rows.before, cols.before, rows.after, cols.after] },
  });
  return applyActivation(b, layer, { name: y, layout: 'nchw', shape: [rows.out, cols.out, filters], range: unbounded }, config.activation);
}

/**
 * A transposed convolution padded as TensorFlow's conv2d_backprop_input pads it: the
 * forward convolution's pads for the output size tfjs gives, and output_padding for the
 * rows and columns that convolution never reaches (a kernel smaller than its stride).
 */
export function transposedAxis(size: number, out: number, kernel: number, stride: number, padding: string): { before: number; after: number; extra: number } {
  const { before, after } = padding === 'same' ? windowAxis(out, kernel, stride, 1, 'same') : { before: 0, after: 0 };
  const extra = out - ((size - 1) * stride + kernel - before - after);
  // ONNX takes output_padding below the stride only.
  if (extra < 0 || extra >= stride) throw new Error(`a transposed convolution from ${size} to ${out} (kernel ${kernel}, stride ${stride}) has no ONNX padding`);
  return { before, after, extra };
}

function conv2dTranspose(b: GraphBuilder, layer: Layer, input: Flow): Flow {
  channelsLast(layer);
  const config = configOf(layer);
  const [height, width, channels] = input.shape as [number, number, number];
  const [kh, kw] = pairOf(config.kernelSize, 'kernel size');
  const [sh, sw] = pairOf(config.strides ?? 1, 'strides');
  const filters = config.filters as number;
  const padding = config.padding as string;
  const [outHeight, outWidth] = (layer.computeOutputShape([null, height, width, channels]) as number[]).slice(1) as [number, number];
  const rows = transposedAxis(height, outHeight, kh, sh, padding);
  const cols = transposedAxis(width, outWidth, kw, sw, padding);
  const [kernel, bias] = weightValues(layer);
  const x = toNchw(b, layer.name, input);
  // tfjs kernels are [kh, kw, out, in]; ONNX's ConvTranspose takes [in, out, kh, kw].
  const w = b.floats(`${layer.name}/kernel`, [channels, filters, kh, kw], permuted(kernel as Float32Array, [kh, kw, filters, channels], [3, 2, 0, 1]));
  const inputs = [x.name, w, ...(bias ? [b.floats(`${layer.name}/bias`, [filters], bias)] : [])];
  const y = b.op(layer.name, 'ConvTranspose', inputs, {
    kernel_shape: { kind: 'ints', value: [kh, kw] },
    strides: { kind: 'ints', value: [sh, sw] },
    pads: { kind: 'ints', value: [rows.before, cols.before, rows.after, cols.after] },
    output_padding: { kind: 'ints', value: [rows.extra, cols.extra] },
  });
  return applyActivation(b, layer, { name: y, layout: 'nchw', shape: [outHeight, outWidth, filters], range: unbounded }, config.activation);
}

const pooling =
  (op: 'MaxPool' | 'AveragePool') =>
  (b: GraphBuilder, layer: Layer, input: Flow): Flow => {
    channelsLast(layer);
    const config = configOf(layer);
    const [height, width, channels] = input.shape as [number, number, number];
    const [ph, pw] = pairOf(config.poolSize, 'pool size');
    const [sh, sw] = pairOf(config.strides ?? config.poolSize, 'strides');
    const padding = config.padding as string;
    const rows = windowAxis(height, ph, sh, 1, padding);
    const cols = windowAxis(width, pw, sw, 1, padding);
    const x = toNchw(b, layer.name, input);
    // TensorFlow's 'same' average leaves the padding out of each mean: count_include_pad 0, ONNX's default.
    const y = b.op(layer.name, op, [x.name], {
      kernel_shape: { kind: 'ints', value: [ph, pw] },
      strides: { kind: 'ints', value: [sh, sw] },
      pads: { kind: 'ints', value: [rows.before, cols.before, rows.after, cols.after] },
    });
    return { ...x, name: y, shape: [rows.out, cols.out, channels] };
  };

function upSampling2d(b: GraphBuilder, layer: Layer, input: Flow): Flow {
  channelsLast(layer);
  const config = configOf(layer);
  const [sh, sw] = pairOf(config.size ?? 2, 'size');
  const [height, width, channels] = input.shape as [number, number, number];
  // Resize scales any axis, so it works in whichever layout the value is in.
  const scales = b.floats(`${layer.name}/scales`, [4], Float32Array.from(input.layout === 'nchw' ? [1, 1, sh, sw] : [1, sh, sw, 1]));
  // tfjs resizes with alignCorners and halfPixelCenters off: source = ⌊target / scale⌋ ('asymmetric', floor).
  const interpolation = (config.interpolation as string | undefined) ?? 'nearest';
  const attributes =
    interpolation === 'nearest'
      ? { mode: { kind: 'string', value: 'nearest' }, coordinate_transformation_mode: { kind: 'string', value: 'asymmetric' }, nearest_mode: { kind: 'string', value: 'floor' } }
      : interpolation === 'bilinear'
        ? { mode: { kind: 'string', value: 'linear' }, coordinate_transformation_mode: { kind: 'string', value: 'asymmetric' } }
        : undefined;
  if (!attributes) throw new Error(`layer ${layer.name}: ${interpolation} upsampling has no ONNX lowering`);
  const y = b.op(layer.name, 'Resize', [input.name, '', scales], attributes as Record<string, { kind: 'string'; value: string }>);
  return { ...input, name: y, shape: [height * sh, width * sw, channels] };
}

function flatten(b: GraphBuilder, layer: Layer, input: Flow): Flow {
  if (input.shape.length === 1) return input;
  // tfjs flattens [height, width, channels] row-major: back to NHWC first so the order matches.
  const x = toNhwc(b, layer.name, input);
  return { ...x, name: b.op(layer.name, 'Flatten', [x.name], { axis: { kind: 'int', value: 1 } }), shape: [input.shape.reduce((p, q) => p * q, 1)] };
}

function reshape(b: GraphBuilder, layer: Layer, input: Flow): Flow {
  const x = toNhwc(b, layer.name, input);
  // tfjs keeps a target's inferred axis (-1) as null.
  const target = (configOf(layer).targetShape as (number | null)[]).map((d) => (d === null || d < 0 ? -1 : d));
  const unknown = target.indexOf(-1);
  if (unknown >= 0) target[unknown] = input.shape.reduce((p, q) => p * q, 1) / -target.reduce((p, q) => p * q, 1);
  // 0 keeps the batch dimension whatever it is.
  const shape = b.int64s(`${layer.name}/shape`, [0, ...target]);
  return { ...x, name: b.op(layer.name, 'Reshape', [x.name, shape]), shape: target };
}

function dense(b: GraphBuilder, layer: Layer, input: Flow): Flow {
  const config = configOf(layer);
  const x = toNhwc(b, layer.name, input);
  const features = x.shape[x.shape.length - 1] as number;
  const units = config.units as number;
  const [kernel, bias] = weightValues(layer);
  const w = b.floats(`${layer.name}/kernel`, [features, units], kernel as Float32Array);
  const c = bias ? b.floats(`${layer.name}/bias`, [units], bias) : undefined;
  // Gemm takes a matrix; tfjs's Dense on a higher-rank value acts on its last axis, as MatMul does.
  const y =
    x.shape.length === 1
      ? b.op(layer.name, 'Gemm', c ? [x.name, w, c] : [x.name, w])
      : ((product: string) => (c ? b.op(layer.name, 'Add', [product, c]) : product))(b.op(layer.name, 'MatMul', [x.name, w]));
  return applyActivation(b, layer, { name: y, layout: 'nhwc', shape: [...x.shape.slice(0, -1), units], range: unbounded }, config.activation);
}

/** Layers that only act while training: at inference they pass their input on. */
const inferenceIdentity = new Set(['Dropout', 'SpatialDropout1D', 'GaussianNoise', 'GaussianDropout', 'AlphaDropout']);

const lowerings: Record<string, (b: GraphBuilder, layer: Layer, input: Flow) => Flow> = {
  Dense: dense,
  Conv2D: conv2d,
  Conv2DTranspose: conv2dTranspose,
  MaxPooling2D: pooling('MaxPool'),
  AveragePooling2D: pooling('AveragePool'),
  UpSampling2D: upSampling2d,
  Flatten: flatten,
  Reshape: reshape,
  Activation: (b, layer, input) => applyActivation(b, layer, input, configOf(layer).activation),
};

/** The layer classes an exported model may hold. */
export const exportedLayerClasses: readonly string[] = [...Object.keys(lowerings), ...inferenceIdentity];

/** The nodes of one layer applied to `input`, checked against the shape tfjs gives its output. */
export function lowerLayer(b: GraphBuilder, layer: Layer, input: Flow): Flow {
  const className = layer.getClassName();
  if (inferenceIdentity.has(className)) return input;
  const lowering = lowerings[className];
  if (!lowering) throw new Error(`layer ${layer.name}: a ${className} layer has no ONNX lowering (exported: ${exportedLayerClasses.join(', ')})`);
  const output = lowering(b, layer, input);
  const expected = (layer.computeOutputShape([null, ...input.shape]) as (number | null)[]).slice(1);
  // tfjs leaves a dimension it cannot infer without the batch (a Reshape's -1) unknown.
  if (expected.length !== output.shape.length || expected.some((d, i) => d !== null && d !== output.shape[i])) throw new Error(`layer ${layer.name}: ONNX gives [${output.shape.join(', ')}] where tfjs gives [${expected.join(', ')}]`);
  return output;
}
