import { z } from 'zod';
import { eventChannels, requestChannels } from '../contract/channels.js';
import { labErrorSchema } from '../result.js';

/** Envelopes carried by the browser host's WebSocket; payloads are checked per channel. */
export const clientMessageSchema = z.object({
  kind: z.literal('request'),
  id: z.number().int().min(0),
  channel: z.enum(requestChannels),
  payload: z.unknown(),
});

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

export type ClientMessage = z.infer<typeof clientMessageSchema>;
export type ServerMessage = z.infer<typeof serverMessageSchema>;
