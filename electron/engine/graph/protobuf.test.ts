import { describe, expect, it } from 'vitest';
import { FunctionBuilder } from './functionDef.js';
import { ProtoWriter } from './protobuf.js';

const bytes = (w: ProtoWriter): number[] => Array.from(w.finish());

describe('protocol buffer encoding', () => {
  it('writes varints, negative int64s, floats, strings and nested messages as protobuf specifies', () => {
    expect(bytes(new ProtoWriter().int(1, 150))).toEqual([0x08, 0x96, 0x01]);
    expect(bytes(new ProtoWriter().int(3, -1))).toEqual([0x18, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]);
    expect(bytes(new ProtoWriter().float(4, 1))).toEqual([0x25, 0x00, 0x00, 0x80, 0x3f]);
    expect(bytes(new ProtoWriter().string(2, 'hi'))).toEqual([0x12, 0x02, 0x68, 0x69]);
    expect(bytes(new ProtoWriter().message(3, (m) => m.int(1, 1).bool(2, true)))).toEqual([0x1a, 0x04, 0x08, 0x01, 0x10, 0x01]);
    expect(bytes(new ProtoWriter().packedInts(3, [1, 300]))).toEqual([0x1a, 0x03, 0x01, 0xac, 0x02]);
  });
});

describe('function builder', () => {
  it('names repeated ops apart, refers to outputs by their argument names, and keeps side effects as control outputs', () => {
    const g = new FunctionBuilder('f');
    const x = g.input('x', 'float');
    const first = g.op('Relu', [x], { T: { type: 'float' } });
    const second = g.op('Relu', [first], { T: { type: 'float' } });
    expect([first, second]).toEqual(['relu:activations:0', 'relu_1:activations:0']);
    g.effect('ResourceApplyMomentum', [x]);
    g.output('y', second);
    const text = new TextDecoder().decode(g.serialize());
    expect(text).toContain('relu_1:activations:0');
    // The update's node, named again in the signature's control outputs and as key and value of the control returns.
    expect(text.split('resourceapplymomentum').length - 1).toBe(4);
    expect(() => g.effect('Relu', [x])).toThrow(/has an output/);
    expect(() => g.op('ResourceApplyMomentum', [x])).toThrow(/has no output/);
  });

  it('refuses an op it has no output names for, rather than writing a function TensorFlow would reject', () => {
    expect(() => new FunctionBuilder('f').op('Softmax', [])).toThrow(/no output name for op Softmax/);
  });
});
