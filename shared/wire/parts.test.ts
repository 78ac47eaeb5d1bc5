import { describe, expect, it } from 'vitest';
import { decodeFrame, encodeFrame, frameLayout } from './codec.js';
import { sendInParts, type PartLink } from './parts.js';

interface Part {
  kind: string;
  id: number;
  at: number;
  total: number;
  bytes: Uint8Array;
}

/** Runs `action` after the current turn, as a host's answer would arrive. */
const later = (action: () => void): void => void Promise.resolve().then(action);

/** A host that acknowledges each part a little later, and records how far ahead the sender ran. */
function fakeHost(dropAfter = Infinity): { link: PartLink; parts: Part[]; mostAhead: () => number; close: () => void } {
  const parts: Part[] = [];
  let acked = 0;
  let sent = 0;
  let mostAhead = 0;
  let open = true;
  let waiters: Array<() => void> = [];
  const wake = (): void => {
    const now = waiters;
    waiters = [];
    for (const w of now) w();
  };
  const link: PartLink = {
    alive: () => open,
    acknowledged: () => acked,
    nextAcknowledgement: () => new Promise((resolve) => waiters.push(resolve)),
    send(frame) {
      const part = decodeFrame(frame) as Part;
      parts.push(part);
      sent += part.bytes.length;
      mostAhead = Math.max(mostAhead, sent - acked);
      if (parts.length >= dropAfter) {
        open = false;
        later(wake);
        return;
      }
      later(() => {
        acked = Math.max(acked, part.at + part.bytes.length);
        wake();
      });
    },
  };
  return { link, parts, mostAhead: () => mostAhead, close: () => ((open = false), wake()) };
}

describe('a request sent in parts', () => {
  const message = { kind: 'request', id: 7, channel: 'datasets.importFiles', payload: { files: [{ path: 'a/1.bin', bytes: Uint8Array.from({ length: 1000 }, (_, i) => i % 251) }, { path: 'b.bin', bytes: new Uint8Array(333).fill(9) }] } };

  it('arrives as consecutive slices that make up the frame, never more than the window ahead', async () => {
    const host = fakeHost();
    const layout = frameLayout(message);
    expect(await sendInParts(7, layout, host.link, { partBytes: 100, partsInFlight: 3 })).toBe(true);
    expect(host.parts.length).toBe(Math.ceil(layout.byteLength / 100));
    let at = 0;
    for (const part of host.parts) {
      expect(part).toMatchObject({ kind: 'part', id: 7, at, total: layout.byteLength });
      expect(part.bytes.length).toBeLessThanOrEqual(100);
      at += part.bytes.length;
    }
    const joined = new Uint8Array(at);
    let offset = 0;
    for (const part of host.parts) {
      joined.set(part.bytes, offset);
      offset += part.bytes.length;
    }
    expect(joined).toEqual(encodeFrame(message));
    expect(decodeFrame(joined)).toEqual(message);
    expect(host.mostAhead()).toBeLessThanOrEqual(300);
  });

  it('stops when the connection goes away', async () => {
    const host = fakeHost(2);
    expect(await sendInParts(7, frameLayout(message), host.link, { partBytes: 100, partsInFlight: 1 })).toBe(false);
    expect(host.parts.length).toBe(2);
  });
});
