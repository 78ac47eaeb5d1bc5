import type { EventChannel } from '../../../shared/contract/channels.js';
import type { LabApi } from '../../../shared/contract/client.js';
import type { EventOf, ReplyOf } from '../../../shared/contract/labApi.js';
import type { Result } from '../../../shared/result.js';
import { decodeFrame, encodeFrame } from '../../../shared/wire/codec.js';
import { serverMessageSchema } from '../../../shared/wire/messages.js';
import { uploadsFrom } from './droppedFiles.js';

interface Pending {
  resolve: (result: Result<unknown>) => void;
}

/** LabApi over the browser host's WebSocket; the contract checks wrap it like any other host's. */
export function connectWebLab(url: string): LabApi {
  const pending = new Map<number, Pending>();
  const listeners = new Map<EventChannel, Set<(payload: never) => void>>();
  const outbox: Uint8Array[] = [];
  let nextId = 1;
  let socket: WebSocket;
  let retryMs = 250;

  const connect = (): void => {
    socket = new WebSocket(url);
    socket.binaryType = 'arraybuffer';
    socket.onopen = () => {
      retryMs = 250;
      for (const frame of outbox.splice(0)) socket.send(frame);
    };
    socket.onmessage = (event: MessageEvent<ArrayBuffer>) => receive(new Uint8Array(event.data));
    socket.onclose = () => {
      for (const [id, request] of pending) {
        request.resolve({ ok: false, error: { code: 'disconnected', message: 'The connection to the lab was lost; try again' } });
        pending.delete(id);
      }
      setTimeout(connect, retryMs);
      retryMs = Math.min(retryMs * 2, 5000);
    };
  };

  const receive = (frame: Uint8Array): void => {
    const parsed = serverMessageSchema.safeParse(decodeFrame(frame));
    if (!parsed.success) return;
    const message = parsed.data;
    if (message.kind === 'event') {
      for (const listener of listeners.get(message.channel) ?? []) (listener as (p: unknown) => void)(message.payload);
      return;
    }
    const request = pending.get(message.id);
    if (!request) return;
    pending.delete(message.id);
    request.resolve(message.result);
  };

  const request: LabApi['request'] = (channel, payload) =>
    new Promise((resolve) => {
      const id = nextId++;
      pending.set(id, { resolve: resolve as (r: Result<unknown>) => void });
      const frame = encodeFrame({ kind: 'request', id, channel, payload });
      if (socket.readyState === WebSocket.OPEN) socket.send(frame);
      else outbox.push(frame);
    });

  connect();

  return {
    request,
    on<C extends EventChannel>(channel: C, listener: (payload: EventOf<C>) => void) {
      const set = listeners.get(channel) ?? new Set();
      set.add(listener as (payload: never) => void);
      listeners.set(channel, set);
      return () => set.delete(listener as (payload: never) => void);
    },
    async importDropped(importId, items, options): Promise<Result<ReplyOf<'datasets.importPaths'>>> {
      const files = await uploadsFrom(items);
      if (files.length === 0) return { ok: false, error: { code: 'empty-input', message: 'Nothing was dropped that the browser could read (an empty folder?)' } };
      return request('datasets.importFiles', { importId, files, options });
    },
  };
}

/** The WebSocket address for the page this renderer was served from, token included. */
export function webLabUrl(location: Location): string {
  const token = new URLSearchParams(location.search).get('token') ?? '';
  return `ws://${location.host}/lab?token=${encodeURIComponent(token)}`;
}
