import { describe, expect, it } from 'vitest';
import { decodeFrame, encodeFrame, frameLayout, frameSlice } from './codec.js';

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

  it('refuses a placeholder that names an attachment already taken, before copying it', () => {
    const frame = encodeFrame({ a: new Uint8Array(64) });
    const json = JSON.stringify({ many: Array.from({ length: 1000 }, () => ({ $typed: 'Uint8Array', at: 0, length: 64 })) });
    const forged = forgedFrame(json, frame.subarray(frame.length - 64));
    expect(() => decodeFrame(forged)).toThrow('frame attachment at 0 is referenced more than once');
    const overlapping = forgedFrame(JSON.stringify([{ $typed: 'Uint8Array', at: 0, length: 64 }, { $typed: 'Uint8Array', at: 8, length: 64 }]), new Uint8Array(72));
    expect(() => decodeFrame(overlapping)).toThrow('frame attachments overlap');
    expect(() => decodeFrame(forgedFrame(JSON.stringify({ $typed: 'toString', at: 0, length: 1 }), new Uint8Array(8)))).not.toThrow();
  });

  it('sends a Uint8Array subclass with its own toJSON (a Node Buffer) as bytes, not as JSON numbers', () => {
    class Bytes extends Uint8Array {
      toJSON(): unknown {
        return { type: 'Bytes', data: [...this] };
      }
    }
    const frame = encodeFrame({ file: Bytes.from([1, 2, 3]) });
    expect(decodeFrame(frame)).toEqual({ file: Uint8Array.from([1, 2, 3]) });
    expect(new TextDecoder().decode(frame)).not.toContain('data');
  });

  it('keeps empty attachments, which share an offset with the next one', () => {
    const message = { empty: new Uint8Array(0), also: new Float32Array(0), full: Uint8Array.from([5, 6]) };
    expect(decodeFrame(encodeFrame(message))).toEqual(message);
  });

  it('cuts a layout into slices that make up the encoded frame', () => {
    const message = { kind: 'request', a: Uint8Array.from({ length: 37 }, (_, i) => i), b: Float32Array.from([1.5, -2]), c: new Uint8Array(0), d: Int32Array.from([7, 8, 9]) };
    const whole = encodeFrame(message);
    const layout = frameLayout(message);
    expect(layout.byteLength).toBe(whole.length);
    for (const size of [1, 5, 8, 13, 64, whole.length]) {
      const pieces: number[] = [];
      for (let at = 0; at < layout.byteLength; at += size) pieces.push(...frameSlice(layout, at, at + size));
      expect(Uint8Array.from(pieces)).toEqual(whole);
    }
  });
});

/** A frame with the given JSON and attachment section, as a hostile client could send it. */
function forgedFrame(json: string, attachments: Uint8Array): Uint8Array {
  const bytes = new TextEncoder().encode(json);
  const head = (4 + bytes.length + 7) & ~7;
  const frame = new Uint8Array(head + attachments.length);
  new DataView(frame.buffer).setUint32(0, bytes.length, true);
  frame.set(bytes, 4);
  frame.set(attachments, head);
  return frame;
}
