import { describe, expect, it } from 'vitest';
import { decodeFrame, encodeFrame } from './codec.js';

describe('wire codec', () => {
  it('round-trips typed arrays as binary attachments, aligned', () => {
    const message = { kind: 'reply', pixels: Uint8Array.from([1, 2, 3]), labels: Int32Array.from([-1, 7]), nested: { codes: Float32Array.from([0.5, -2.25]) }, text: 'ok' };
    const frame = encodeFrame(message);
    const back = decodeFrame(frame) as typeof message;
    expect(back).toEqual(message);
    expect(back.labels).toBeInstanceOf(Int32Array);
    expect(back.nested.codes).toBeInstanceOf(Float32Array);
    // No number array is ever spelled out in JSON.
    expect(new TextDecoder().decode(frame)).not.toContain('-2.25');
  });

  it('round-trips a view into a larger buffer', () => {
    const big = Uint8Array.from([9, 9, 1, 2, 3, 9]);
    expect(decodeFrame(encodeFrame({ part: big.subarray(2, 5) }))).toEqual({ part: Uint8Array.from([1, 2, 3]) });
  });

  it('rejects frames whose lengths lie', () => {
    const frame = encodeFrame({ a: Uint8Array.from([1, 2, 3, 4]) });
    expect(() => decodeFrame(frame.subarray(0, 2))).toThrow('frame shorter than its header');
    expect(() => decodeFrame(frame.subarray(0, frame.length - 8))).toThrow('frame attachment exceeds the frame');
    const lying = frame.slice();
    new DataView(lying.buffer).setUint32(0, 1e6, true);
    expect(() => decodeFrame(lying)).toThrow('frame JSON length exceeds the frame');
  });
});
