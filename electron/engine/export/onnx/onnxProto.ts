import { ProtoWriter } from '../../graph/protobuf.js';

/**
 * The part of ONNX's ModelProto (onnx/onnx.proto) an exported encoder or decoder needs,
 * written in protobuf's wire format with the field numbers onnx.proto assigns.
 */

/** onnx.proto's TensorProto.DataType values the exported graphs use. */
export const onnxDataType = { float: 1, int64: 7 } as const;
export type OnnxDataType = keyof typeof onnxDataType;

/** A constant: float32 weights or int64 shapes, stored little-endian in raw_data. */
export interface OnnxTensor {
  name: string;
  dims: readonly number[];
  dataType: OnnxDataType;
  values: Float32Array | BigInt64Array;
  docString?: string;
}

export type OnnxAttribute = { kind: 'int'; value: number } | { kind: 'ints'; value: readonly number[] } | { kind: 'float'; value: number } | { kind: 'string'; value: string };

export interface OnnxNode {
  opType: string;
  inputs: readonly string[];
  outputs: readonly string[];
  name: string;
  attributes?: Readonly<Record<string, OnnxAttribute>>;
  docString?: string;
}

/** A named graph input or output: float32, each dimension a size or a symbol ('batch'). */
export interface OnnxValueInfo {
  name: string;
  shape: readonly (number | string)[];
  docString?: string;
}

export interface OnnxGraph {
  name: string;
  nodes: readonly OnnxNode[];
  initializers: readonly OnnxTensor[];
  inputs: readonly OnnxValueInfo[];
  outputs: readonly OnnxValueInfo[];
  docString?: string;
}

export interface OnnxModel {
  irVersion: number;
  opsetVersion: number;
  producerName: string;
  producerVersion?: string;
  docString?: string;
  graph: OnnxGraph;
  metadata?: Readonly<Record<string, string>>;
}

// AttributeProto.AttributeType
const attributeType = { float: 1, int: 2, string: 3, ints: 7 } as const;

function writeTensor(w: ProtoWriter, tensor: OnnxTensor): void {
  // TensorProto: dims 1, data_type 2, name 8, raw_data 9, doc_string 12.
  w.packedInts(1, tensor.dims);
  w.int(2, onnxDataType[tensor.dataType]);
  w.string(8, tensor.name);
  const { values } = tensor;
  const raw = new Uint8Array(values.byteLength);
  const view = new DataView(raw.buffer);
  // raw_data is little-endian whatever the host's order.
  if (values instanceof Float32Array) values.forEach((v, i) => view.setFloat32(4 * i, v, true));
  else values.forEach((v, i) => view.setBigInt64(8 * i, v, true));
  w.bytes(9, raw);
  if (tensor.docString) w.string(12, tensor.docString);
}

function writeAttribute(w: ProtoWriter, name: string, attribute: OnnxAttribute): void {
  // AttributeProto: name 1, f 2, i 3, s 4, ints 8, type 20.
  w.string(1, name);
  switch (attribute.kind) {
    case 'float':
      w.float(2, attribute.value);
      break;
    case 'int':
      w.int(3, attribute.value);
      break;
    case 'string':
      w.string(4, attribute.value);
      break;
    case 'ints':
      w.packedInts(8, attribute.value);
      break;
  }
  w.int(20, attributeType[attribute.kind]);
}

function writeNode(w: ProtoWriter, node: OnnxNode): void {
  // NodeProto: input 1, output 2, name 3, op_type 4, attribute 5, doc_string 6.
  for (const input of node.inputs) w.string(1, input);
  for (const output of node.outputs) w.string(2, output);
  w.string(3, node.name);
  w.string(4, node.opType);
  for (const [name, attribute] of Object.entries(node.attributes ?? {})) w.message(5, (a) => writeAttribute(a, name, attribute));
  if (node.docString) w.string(6, node.docString);
}

function writeValueInfo(w: ProtoWriter, info: OnnxValueInfo): void {
  // ValueInfoProto: name 1, type 2, doc_string 3; TypeProto.tensor_type 1; Tensor: elem_type 1, shape 2;
  // TensorShapeProto.dim 1; Dimension: dim_value 1, dim_param 2.
  w.string(1, info.name);
  w.message(2, (type) =>
    type.message(1, (tensor) => {
      tensor.int(1, onnxDataType.float);
      tensor.message(2, (shape) => {
        for (const dim of info.shape) shape.message(1, (d) => (typeof dim === 'number' ? d.int(1, dim) : d.string(2, dim)));
      });
    }),
  );
  if (info.docString) w.string(3, info.docString);
}

function writeGraph(w: ProtoWriter, graph: OnnxGraph): void {
  // GraphProto: node 1, name 2, initializer 5, doc_string 10, input 11, output 12.
  for (const node of graph.nodes) w.message(1, (n) => writeNode(n, node));
  w.string(2, graph.name);
  for (const tensor of graph.initializers) w.message(5, (t) => writeTensor(t, tensor));
  if (graph.docString) w.string(10, graph.docString);
  for (const input of graph.inputs) w.message(11, (v) => writeValueInfo(v, input));
  for (const output of graph.outputs) w.message(12, (v) => writeValueInfo(v, output));
}

/** The serialised ModelProto: the bytes of a `.onnx` file. */
export function encodeOnnxModel(model: OnnxModel): Uint8Array {
  // ModelProto: ir_version 1, producer_name 2, producer_version 3, doc_string 6, graph 7,
  // opset_import 8 (OperatorSetIdProto: domain 1, version 2), metadata_props 14 (key 1, value 2).
  const w = new ProtoWriter();
  w.int(1, model.irVersion);
  w.string(2, model.producerName);
  if (model.producerVersion) w.string(3, model.producerVersion);
  if (model.docString) w.string(6, model.docString);
  w.message(7, (g) => writeGraph(g, model.graph));
  // The default domain (ai.onnx) is the empty string.
  w.message(8, (opset) => opset.string(1, '').int(2, model.opsetVersion));
  for (const [key, value] of Object.entries(model.metadata ?? {})) w.message(14, (m) => m.string(1, key).string(2, value));
  return w.finish();
}
