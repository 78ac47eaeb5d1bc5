import { z } from 'zod';
import { eventChannels, requestChannels } from '../contract/channels.js';
import { labErrorSchema } from '../result.js';

/**
 * Limits of the browser host's WebSocket. A request whose frame is larger than `partBytes`
 * travels as parts of at most that size, each acknowledged, so no single message is large
 * and the sender can show how far an upload has come.
 */
export const wireLimits = {
  /** The largest WebSocket message the host accepts. */
  maxMessageBytes: 16 * 1024 ** 2,
  /** The bytes of a request's frame carried by one part. */
  partBytes: 8 * 1024 ** 2,
  /** The largest request assembled from parts (an upload of a whole dataset folder). */
  maxRequestBytes: 2 * 1024 ** 3 - 1,
  /** Parts sent ahead of the last acknowledgement. */
  partsInFlight: 4,
} as const;

/** Envelopes carried by the browser host's WebSocket; payloads are checked per channel. */
export const clientMessageSchema = z.object({
  kind: z.literal('request'),
  id: z.number().int().min(0),
  channel: z.enum(requestChannels),
  payload: z.unknown(),
});

/** Bytes [at, at + bytes.length) of request `id`'s frame, `total` bytes long; parts come in order. */
export const partMessageSchema = z.object({
  kind: z.literal('part'),
  id: z.number().int().min(0),
  at: z.number().int().min(0),
  total: z.number().int().min(1).max(wireLimits.maxRequestBytes),
  bytes: z.instanceof(Uint8Array),
});

/** What a browser sends the browser host: requests, and the parts of a large one. */
export const browserMessageSchema = z.discriminatedUnion('kind', [clientMessageSchema, partMessageSchema]);

export const serverMessageSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('reply'),
    id: z.number().int().min(0),
    result: z.union([
      z.object({ ok: z.literal(true), value: z.unknown() }),
      z.object({ ok: z.literal(false), error: labErrorSchema }),
    ]),
  }),
  z.object({ kind: z.literal('event'), channel: z.enum(eventChannels), payload: z.unknown() }),
]);

/** The browser host has `bytes` of request `id`'s `total` (the answer to each part). */
export const receivedMessageSchema = z.object({ kind: z.literal('received'), id: z.number().int().min(0), bytes: z.number().int().min(0), total: z.number().int().min(0) });

/** What the browser host sends a browser. */
export const hostMessageSchema = z.discriminatedUnion('kind', [...serverMessageSchema.options, receivedMessageSchema]);

export type ClientMessage = z.infer<typeof clientMessageSchema>;
export type PartMessage = z.infer<typeof partMessageSchema>;
export type HostMessage = z.infer<typeof hostMessageSchema>;
export type ServerMessage = z.infer<typeof serverMessageSchema>;
