import { encodeFrame, frameSlice, type FrameLayout } from './codec.js';
import { wireLimits } from './messages.js';

/** Where the parts of one request go, and how far the host has acknowledged them. */
export interface PartLink {
  /** Whether the connection the upload started on is still there (and the request still awaited). */
  alive(): boolean;
  send(frame: Uint8Array): void;
  /** The bytes the host has acknowledged so far. */
  acknowledged(): number;
  /** Resolves at the host's next acknowledgement, or when the connection is gone. */
  nextAcknowledgement(): Promise<void>;
}

export interface PartLimits {
  partBytes: number;
  partsInFlight: number;
}

/**
 * Sends request `id`'s frame as parts of at most `partBytes`, never more than
 * `partsInFlight` parts ahead of the host, so a large upload neither travels as one
 * WebSocket message nor piles up in the browser's send buffer. Each part is sliced from
 * the layout when it is sent: the whole frame is never built. Resolves true once every
 * byte is acknowledged, false if the connection went away first.
 */
export async function sendInParts(id: number, layout: FrameLayout, link: PartLink, limits: PartLimits = wireLimits): Promise<boolean> {
  const total = layout.byteLength;
  const window = limits.partBytes * limits.partsInFlight;
  for (let at = 0; at < total; at += limits.partBytes) {
    while (at - link.acknowledged() >= window) {
      await link.nextAcknowledgement();
      if (!link.alive()) return false;
    }
    if (!link.alive()) return false;
    link.send(encodeFrame({ kind: 'part', id, at, total, bytes: frameSlice(layout, at, at + limits.partBytes) }));
  }
  while (link.acknowledged() < total) {
    await link.nextAcknowledgement();
    if (!link.alive()) return false;
  }
  return true;
}
