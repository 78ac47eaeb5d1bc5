import type { OnnxAttribute, OnnxGraph, OnnxNode, OnnxTensor, OnnxValueInfo } from './onnxProto.js';

/** Collects a graph's nodes and constants under unique names, each node named after the layer it comes from. */
export class GraphBuilder {
  private readonly nodes: OnnxNode[] = [];
  private readonly initializers: OnnxTensor[] = [];
  private readonly used = new Set<string>();

  private fresh(base: string): string {
    let name = base;
    for (let k = 1; this.used.has(name); k += 1) name = `${base}_${k}`;
    this.used.add(name);
    return name;
  }

  /** Reserves a graph input's name so no node output takes it. */
  reserve(name: string): string {
    this.used.add(name);
    return name;
  }

  /** A node with `outputs` fresh output names; returns those names. */
  node(scope: string, opType: string, inputs: readonly string[], attributes: Record<string, OnnxAttribute> = {}, outputs = 1): string[] {
    const name = this.fresh(`${scope}/${opType}`);
    const names = Array.from({ length: outputs }, (_, k) => (outputs === 1 ? name : this.fresh(`${name}:${k}`)));
    this.nodes.push({ opType, inputs, outputs: names, name, attributes });
    return names;
  }

  /** The single output of a one-output node. */
  op(scope: string, opType: string, inputs: readonly string[], attributes: Record<string, OnnxAttribute> = {}): string {
    return this.node(scope, opType, inputs, attributes)[0] as string;
  }

  floats(name: string, dims: readonly number[], values: Float32Array): string {
    const unique = this.fresh(name);
    this.initializers.push({ name: unique, dims, dataType: 'float', values });
    return unique;
  }

  int64s(name: string, values: readonly number[]): string {
    const unique = this.fresh(name);
    this.initializers.push({ name: unique, dims: [values.length], dataType: 'int64', values: BigInt64Array.from(values.map((v) => BigInt(v))) });
    return unique;
  }

  /**
   * Gives the value `from` the graph-output name `to`: the node that makes it writes `to`
   * instead, so the graph needs no Identity. A graph input passed straight through gets one.
   */
  name(from: string, to: string): void {
    const maker = this.nodes.find((n) => n.outputs.includes(from));
    if (!maker) {
      this.nodes.push({ opType: 'Identity', inputs: [from], outputs: [to], name: this.fresh(`${to}/Identity`) });
      return;
    }
    const swap = (names: readonly string[]) => names.map((n) => (n === from ? to : n));
    for (let i = 0; i < this.nodes.length; i += 1) {
      const node = this.nodes[i] as OnnxNode;
      this.nodes[i] = { ...node, inputs: swap(node.inputs), outputs: swap(node.outputs) };
    }
    this.used.add(to);
  }

  graph(name: string, inputs: readonly OnnxValueInfo[], outputs: readonly OnnxValueInfo[], docString?: string): OnnxGraph {
    return { name, nodes: [...this.nodes], initializers: [...this.initializers], inputs, outputs, ...(docString ? { docString } : {}) };
  }
}

/** `values` of row-major `shape` with its axes reordered: result axis i is source axis perm[i]. */
export function permuted(values: Float32Array, shape: readonly number[], perm: readonly number[]): Float32Array {
  const outShape = perm.map((p) => shape[p] as number);
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
  const out = new Float32Array(values.length);
  const index = new Array<number>(outShape.length).fill(0);
  for (let k = 0; k < out.length; k += 1) {
    let source = 0;
    for (let i = 0; i < perm.length; i += 1) source += (index[i] as number) * (strides[perm[i] as number] as number);
    out[k] = values[source] as number;
    for (let i = outShape.length - 1; i >= 0; i -= 1) {
      index[i] = (index[i] as number) + 1;
      if ((index[i] as number) < (outShape[i] as number)) break;
      index[i] = 0;
    }
  }
  return out;
}
