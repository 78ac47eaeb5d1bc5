import type { EventChannel } from '../../../shared/contract/channels.js';
import type { LabApi } from '../../../shared/contract/client.js';
import type { EventOf, ReplyOf } from '../../../shared/contract/labApi.js';
import { formatBytes } from '../../../shared/format.js';
import type { Result } from '../../../shared/result.js';
import { decodeFrame, frameLayout, frameSlice } from '../../../shared/wire/codec.js';
import { hostMessageSchema, wireLimits } from '../../../shared/wire/messages.js';
import { uploadsFrom } from './droppedFiles.js';
import { sendInParts } from '../../../shared/wire/parts.js';

interface Pending {
  resolve: (result: Result<unknown>) => void;
}

/** A request travelling in parts: what the host has acknowledged, and who waits to hear of it. */
interface Upload {
  acknowledged: number;
  waiters: Array<() => void>;
  onProgress?: (bytes: number, total: number) => void;
}

/** LabApi over the browser host's WebSocket; the contract checks wrap it like any other host's. */
export function connectWebLab(url: string): LabApi {
  const pending = new Map<number, Pending>();
  const listeners = new Map<EventChannel, Set<(payload: never) => void>>();
  const outbox: Uint8Array[] = [];
  const uploads = new Map<number, Upload>();
  const opened: Array<() => void> = [];
  let nextId = 1;
  let socket: WebSocket;
  let retryMs = 250;

  const connect = (): void => {
    socket = new WebSocket(url);
    socket.binaryType = 'arraybuffer';
    socket.onopen = () => {
      retryMs = 250;
      for (const frame of outbox.splice(0)) socket.send(frame);
      for (const wake of opened.splice(0)) wake();
    };
    socket.onmessage = (event: MessageEvent<ArrayBuffer>) => receive(new Uint8Array(event.data));
    socket.onclose = () => {
      for (const [id, request] of pending) {
        request.resolve({ ok: false, error: { code: 'disconnected', message: 'The connection to the lab was lost; try again' } });
        pending.delete(id);
      }
      // An upload under way stops: its request has been answered as disconnected.
      for (const upload of uploads.values()) for (const wake of upload.waiters.splice(0)) wake();
      setTimeout(connect, retryMs);
      retryMs = Math.min(retryMs * 2, 5000);
    };
  };

  const receive = (frame: Uint8Array): void => {
    const parsed = hostMessageSchema.safeParse(decodeFrame(frame));
    if (!parsed.success) return;
    const message = parsed.data;
    if (message.kind === 'received') {
      const upload = uploads.get(message.id);
      if (!upload) return;
      upload.acknowledged = Math.max(upload.acknowledged, message.bytes);
      upload.onProgress?.(message.bytes, message.total);
      for (const wake of upload.waiters.splice(0)) wake();
      return;
    }
    if (message.kind === 'event') {
      for (const listener of listeners.get(message.channel) ?? []) (listener as (p: unknown) => void)(message.payload);
      return;
    }
    const request = pending.get(message.id);
    if (!request) return;
    pending.delete(message.id);
    request.resolve(message.result);
  };

  const send = (channel: string, payload: unknown, onProgress?: Upload['onProgress']): Promise<Result<unknown>> =>
    new Promise((resolve) => {
      const id = nextId++;
      const layout = frameLayout({ kind: 'request', id, channel, payload });
      if (layout.byteLength > wireLimits.maxRequestBytes) {
        const limit = formatBytes(wireLimits.maxRequestBytes);
        return resolve({ ok: false, error: { code: 'too-large', message: `${channel}: ${formatBytes(layout.byteLength)} is more than the browser host takes in one request (${limit}); import it with aelab import PATH or in the desktop app` } });
      }
      pending.set(id, { resolve });
      if (layout.byteLength <= wireLimits.partBytes) {
        const frame = frameSlice(layout, 0, layout.byteLength);
        if (socket.readyState === WebSocket.OPEN) socket.send(frame);
        else outbox.push(frame);
        return;
      }
      void upload(id, layout, onProgress).finally(() => uploads.delete(id));
    });

  /** A request larger than one part: sent in parts once connected, on that one connection. */
  async function upload(id: number, layout: ReturnType<typeof frameLayout>, onProgress: Upload['onProgress']): Promise<void> {
    if (socket.readyState !== WebSocket.OPEN) await new Promise<void>((resolve) => opened.push(resolve));
    const state: Upload = { acknowledged: 0, waiters: [], ...(onProgress ? { onProgress } : {}) };
    uploads.set(id, state);
    const on = socket;
    await sendInParts(id, layout, {
      alive: () => on === socket && on.readyState === WebSocket.OPEN && pending.has(id),
      send: (frame) => on.send(frame),
      acknowledged: () => state.acknowledged,
      nextAcknowledgement: () => new Promise((resolve) => state.waiters.push(resolve)),
    });
  }

  const request = send as LabApi['request'];

  /** Upload progress, told to the renderer as the first phase of the import. */
  const uploadProgress = (importId: string) => (bytes: number, total: number) => {
    const progress = { importId, phase: 'reading' as const, done: bytes, total, message: `Uploading ${formatBytes(bytes)} of ${formatBytes(total)}` };
    for (const listener of listeners.get('datasets.importProgress') ?? []) (listener as (p: unknown) => void)(progress);
  };

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
      return send('datasets.importFiles', { importId, files, options }, uploadProgress(importId)) as Promise<Result<ReplyOf<'datasets.importPaths'>>>;
    },
  };
}

/** The WebSocket address for the page this renderer was served from, token included. */
export function webLabUrl(location: Location): string {
  const token = new URLSearchParams(location.search).get('token') ?? '';
  return `ws://${location.host}/lab?token=${encodeURIComponent(token)}`;
}
