import { ProtoWriter } from './protobuf.js';

/** TensorFlow's DataType enum values for the types a compiled step uses. */
export const DataType = { float: 1, int32: 3, bool: 10, resource: 20 } as const;
export type DataTypeName = keyof typeof DataType;

/** An attribute of a node, as tensorflow/core/framework/attr_value.proto has it. */
export type Attr =
  | { type: DataTypeName }
  | { i: number }
  | { f: number }
  | { b: boolean }
  | { s: string }
  | { ints: readonly number[] }
  | { tensor: { dtype: 'float' | 'int32'; shape: readonly number[]; values: readonly number[] } };

/** A tensor inside a function: an argument's name, or `node:output_arg:index`. */
export type Ref = string & { readonly __ref: unique symbol };

/**
 * The name of each op's output argument, which a FunctionDef uses to refer to its outputs.
 * Only the ops the step compiler emits; an op not here is a programming error, caught at once.
 */
const outputArg: Record<string, string | null> = {
  Const: 'output',
  ReadVariableOp: 'value',
  Reshape: 'output',
  ConcatV2: 'output',
  MatMul: 'product',
  BiasAdd: 'output',
  BiasAddGrad: 'output',
  Relu: 'activations',
  ReluGrad: 'backprops',
  Elu: 'activations',
  EluGrad: 'backprops',
  Sigmoid: 'y',
  SigmoidGrad: 'z',
  Tanh: 'y',
  TanhGrad: 'z',
  AddV2: 'z',
  Sub: 'z',
  Mul: 'z',
  RealDiv: 'z',
  GreaterEqual: 'z',
  LessEqual: 'z',
  LogicalAnd: 'z',
  Square: 'y',
  Abs: 'y',
  Exp: 'y',
  Greater: 'z',
  Log: 'y',
  Neg: 'y',
  Cast: 'y',
  ClipByValue: 'output',
  Sum: 'output',
  Mean: 'output',
  Conv2D: 'output',
  Conv2DBackpropInput: 'output',
  Conv2DBackpropFilter: 'output',
  Shape: 'output',
  Slice: 'output',
  MaxPool: 'output',
  MaxPoolGrad: 'output',
  ResizeNearestNeighbor: 'resized_images',
  ResizeNearestNeighborGrad: 'output',
  Pad: 'output',
  ResourceApplyAdam: null,
  ResourceApplyMomentum: null,
  ResourceApplyRMSProp: null,
};

/** Ops with several outputs: their output arguments in order (`FunctionBuilder.ops` answers one ref each). */
const outputArgs: Record<string, readonly string[]> = {
  SoftmaxCrossEntropyWithLogits: ['loss', 'backprop'],
};

interface NodeDef {
  name: string;
  op: string;
  inputs: Ref[];
  attrs: Record<string, Attr>;
}

function writeShape(w: ProtoWriter, field: number, shape: readonly number[]): void {
  w.message(field, (s) => {
    for (const size of shape) s.message(2, (d) => d.int(1, size));
  });
}

function writeAttr(w: ProtoWriter, attr: Attr): void {
  if ('type' in attr) w.int(6, DataType[attr.type]);
  else if ('i' in attr) w.int(3, attr.i);
  else if ('f' in attr) w.float(4, attr.f);
  else if ('b' in attr) w.bool(5, attr.b);
  else if ('s' in attr) w.string(2, attr.s);
  else if ('ints' in attr) w.message(1, (list) => list.packedInts(3, attr.ints));
  else {
    const { dtype, shape, values } = attr.tensor;
    w.message(8, (t) => {
      t.int(1, DataType[dtype]);
      writeShape(t, 2, shape);
      const content = dtype === 'float' ? new Uint8Array(Float32Array.from(values).buffer) : new Uint8Array(Int32Array.from(values).buffer);
      t.bytes(4, content);
    });
  }
}

function writeMapEntry(w: ProtoWriter, field: number, key: string, value: (entry: ProtoWriter) => void): void {
  w.message(field, (entry) => {
    entry.string(1, key);
    value(entry);
  });
}

/**
 * Builds one TensorFlow FunctionDef (tensorflow/core/framework/function.proto): typed arguments,
 * nodes, results, and the side-effecting nodes that must run though no result depends on them.
 */
export class FunctionBuilder {
  private readonly inputs: Array<{ name: string; type: DataTypeName }> = [];
  private readonly outputs: Array<{ name: string; type: DataTypeName; ref: Ref }> = [];
  private readonly nodes: NodeDef[] = [];
  private readonly controlOutputs: string[] = [];
  private readonly used = new Set<string>();

  constructor(readonly name: string) {}

  private unique(base: string): string {
    let name = base;
    for (let i = 1; this.used.has(name); i += 1) name = `${base}_${i}`;
    this.used.add(name);
    return name;
  }

  input(name: string, type: DataTypeName): Ref {
    const unique = this.unique(name);
    this.inputs.push({ name: unique, type });
    return unique as Ref;
  }

  /** A node with one output, which it answers. */
  op(op: string, inputs: Ref[], attrs: Record<string, Attr> = {}): Ref {
    const { name, output } = this.add(op, inputs, attrs, true);
    return `${name}:${output}:0` as Ref;
  }

  /** A node with several outputs: one ref per output argument, in the op's order. */
  ops(op: string, inputs: Ref[], attrs: Record<string, Attr> = {}): Ref[] {
    const names = outputArgs[op];
    if (!names) throw new Error(`the step compiler has no output names for op ${op}`);
    const name = this.unique(op.toLowerCase());
    this.nodes.push({ name, op, inputs, attrs });
    return names.map((output) => `${name}:${output}:0` as Ref);
  }

  /** A node run for its side effect (an optimizer's update): a control output of the function. */
  effect(op: string, inputs: Ref[], attrs: Record<string, Attr> = {}): void {
    this.controlOutputs.push(this.add(op, inputs, attrs, false).name);
  }

  private add(op: string, inputs: Ref[], attrs: Record<string, Attr>, withOutput: boolean): { name: string; output: string | null } {
    const output = outputArg[op];
    if (output === undefined) throw new Error(`the step compiler has no output name for op ${op}`);
    if (withOutput && output === null) throw new Error(`op ${op} has no output`);
    if (!withOutput && output !== null) throw new Error(`op ${op} has an output; use op()`);
    const name = this.unique(op.toLowerCase());
    this.nodes.push({ name, op, inputs, attrs });
    return { name, output };
  }

  constant(values: readonly number[], shape: readonly number[] = [], dtype: 'float' | 'int32' = 'float'): Ref {
    return this.op('Const', [], { dtype: { type: dtype }, value: { tensor: { dtype, shape, values } } });
  }

  output(name: string, ref: Ref, type: DataTypeName = 'float'): void {
    this.outputs.push({ name, type, ref });
  }

  serialize(): Uint8Array {
    const w = new ProtoWriter();
    w.message(1, (signature) => {
      signature.string(1, this.name);
      for (const arg of this.inputs) signature.message(2, (a) => a.string(1, arg.name).int(3, DataType[arg.type]));
      for (const arg of this.outputs) signature.message(3, (a) => a.string(1, arg.name).int(3, DataType[arg.type]));
      signature.bool(17, this.controlOutputs.length > 0);
      for (const name of this.controlOutputs) signature.string(20, name);
    });
    for (const node of this.nodes) {
      w.message(3, (n) => {
        n.string(1, node.name).string(2, node.op);
        for (const input of node.inputs) n.string(3, input);
        for (const [key, attr] of Object.entries(node.attrs)) writeMapEntry(n, 5, key, (entry) => entry.message(2, (a) => writeAttr(a, attr)));
      });
    }
    for (const arg of this.outputs) writeMapEntry(w, 4, arg.name, (entry) => entry.string(2, arg.ref));
    for (const name of this.controlOutputs) writeMapEntry(w, 6, name, (entry) => entry.string(2, name));
    return w.finish();
  }
}
