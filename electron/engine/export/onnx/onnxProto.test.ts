import { describe, expect, it } from 'vitest';
import { encodeOnnxModel, type OnnxModel } from './onnxProto.js';

/** A protobuf message's fields by number: varints as bigints, length-delimited fields as bytes, fixed32 as floats. */
type Field = bigint | Uint8Array | number;
function fields(bytes: Uint8Array): Map<number, Field[]> {
  const out = new Map<number, Field[]>();
  let at = 0;
  const varint = (): bigint => {
    let value = 0n;
    for (let shift = 0n; ; shift += 7n) {
      const byte = bytes[at++] as number;
      value |= BigInt(byte & 0x7f) << shift;
      if (byte < 0x80) return value;
    }
  };
  while (at < bytes.length) {
    const tag = Number(varint());
    const [field, wire] = [tag >> 3, tag & 7];
    let value: Field;
    if (wire === 0) value = varint();
    else if (wire === 2) {
      const length = Number(varint());
      value = bytes.subarray(at, at + length);
      at += length;
    } else if (wire === 5) {
      value = new DataView(bytes.buffer, bytes.byteOffset + at, 4).getFloat32(0, true);
      at += 4;
    } else throw new Error(`wire type ${wire}`);
    out.set(field, [...(out.get(field) ?? []), value]);
  }
  return out;
}
const text = (value: Field | undefined): string => new TextDecoder().decode(value as Uint8Array);
const one = (message: Map<number, Field[]>, field: number): Field | undefined => message.get(field)?.[0];
const sub = (message: Map<number, Field[]>, field: number, k = 0): Map<number, Field[]> => fields(message.get(field)?.[k] as Uint8Array);

const model: OnnxModel = {
  irVersion: 8,
  opsetVersion: 17,
  producerName: 'autoencoder-lab',
  docString: 'a test model',
  graph: {
    name: 'g',
    docString: 'adds a constant',
    nodes: [{ opType: 'Add', inputs: ['x', 'c'], outputs: ['y'], name: 'add', attributes: { perm: { kind: 'ints', value: [0, -1] }, alpha: { kind: 'float', value: 0.5 }, mode: { kind: 'string', value: 'nearest' } } }],
    initializers: [{ name: 'c', dims: [2], dataType: 'float', values: Float32Array.from([1.5, -2]) }],
    inputs: [{ name: 'x', shape: ['batch', 2], docString: 'in' }],
    outputs: [{ name: 'y', shape: ['batch', 2] }],
  },
};

describe('the ModelProto writer', () => {
  const proto = fields(encodeOnnxModel(model));

  it('writes the header fields onnx.proto numbers: IR version, producer, opset import', () => {
    expect(one(proto, 1)).toBe(8n);
    expect(text(one(proto, 2))).toBe('autoencoder-lab');
    expect(text(one(proto, 6))).toBe('a test model');
    const opset = sub(proto, 8);
    expect(text(one(opset, 1))).toBe('');
    expect(one(opset, 2)).toBe(17n);
  });

  it('writes nodes with typed attributes, negative ints in ten bytes', () => {
    const graph = sub(proto, 7);
    expect(text(one(graph, 2))).toBe('g');
    expect(text(one(graph, 10))).toBe('adds a constant');
    const node = sub(graph, 1);
    expect(node.get(1)?.map(text)).toEqual(['x', 'c']);
    expect(text(one(node, 2))).toBe('y');
    expect(text(one(node, 4))).toBe('Add');
    const attributes = (node.get(5) ?? []).map((a) => fields(a as Uint8Array));
    const [perm, alpha, mode] = attributes as [Map<number, Field[]>, Map<number, Field[]>, Map<number, Field[]>];
    expect([text(one(perm, 1)), one(perm, 20)]).toEqual(['perm', 7n]);
    // Packed int64s: 0, then −1 as ten bytes of two's complement.
    expect(Array.from(one(perm, 8) as Uint8Array)).toEqual([0, ...new Array<number>(9).fill(0xff), 0x01]);
    expect([text(one(alpha, 1)), one(alpha, 2), one(alpha, 20)]).toEqual(['alpha', 0.5, 1n]);
    expect([text(one(mode, 1)), text(one(mode, 4)), one(mode, 20)]).toEqual(['mode', 'nearest', 3n]);
  });

  it('stores initializers as little-endian float32 raw_data', () => {
    const tensor = sub(sub(proto, 7), 5);
    expect(Array.from(one(tensor, 1) as Uint8Array)).toEqual([2]);
    expect(one(tensor, 2)).toBe(1n);
    expect(text(one(tensor, 8))).toBe('c');
    const raw = one(tensor, 9) as Uint8Array;
    expect(Array.from(new Float32Array(Uint8Array.from(raw).buffer))).toEqual([1.5, -2]);
  });

  it('declares inputs with a symbolic batch dimension', () => {
    const input = sub(sub(proto, 7), 11);
    expect(text(one(input, 1))).toBe('x');
    expect(text(one(input, 3))).toBe('in');
    const tensorType = sub(sub(input, 2), 1);
    expect(one(tensorType, 1)).toBe(1n);
    const dims = (sub(tensorType, 2).get(1) ?? []).map((d) => fields(d as Uint8Array));
    expect(text(one(dims[0] as Map<number, Field[]>, 2))).toBe('batch');
    expect(one(dims[1] as Map<number, Field[]>, 1)).toBe(2n);
    expect(text(one(sub(sub(proto, 7), 12), 1))).toBe('y');
  });
});
