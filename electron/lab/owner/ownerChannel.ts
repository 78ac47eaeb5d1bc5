import { timingSafeEqual } from 'node:crypto';
import { chmod, rm } from 'node:fs/promises';
import { createConnection, createServer, type Socket } from 'node:net';
import { z } from 'zod';
import type { EventChannel, RequestChannel } from '../../../shared/contract/channels.js';
import { eventSchemas, requestSchemas, type EventOf, type ReplyOf, type RequestOf } from '../../../shared/contract/labApi.js';
import { LabError } from '../../../shared/result.js';
import { decodeFrame, encodeFrame } from '../../../shared/wire/codec.js';
import { clientMessageSchema, serverMessageSchema, type ServerMessage } from '../../../shared/wire/messages.js';
import type { Lab } from '../lab.js';

/**
 * The workspace owner's local socket: another process of the same user (the CLI while the
 * browser host trains) sends the lab's requests here instead of writing the workspace itself.
 * Each message is one frame of the browser host's codec (JSON plus typed arrays), preceded by
 * its length; the first frame carries the token from the lock file. Requests go through
 * `Lab.dispatch` and are validated there as every request is; replies and events are
 * validated by the client against the contract.
 */

/** What one frame may weigh: far above any request or reply of the contract, far below memory. */
const maxFrameBytes = 256 * 1024 * 1024;

const helloSchema = z.object({ kind: z.literal('hello'), token: z.string() });

/** Splits a byte stream into frames; a length over the limit ends the connection. */
function frames(socket: Socket, onFrame: (frame: Uint8Array) => void): void {
  let pending: Buffer = Buffer.alloc(0);
  socket.on('data', (chunk: Buffer) => {
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    while (pending.length >= 4) {
      const length = pending.readUInt32BE(0);
      if (length > maxFrameBytes) {
        socket.destroy();
        return;
      }
      if (pending.length < 4 + length) return;
      const frame = new Uint8Array(pending.subarray(4, 4 + length));
      pending = pending.subarray(4 + length);
      onFrame(frame);
    }
  });
}

function write(socket: Socket, message: unknown): void {
  if (socket.destroyed) return;
  const frame = encodeFrame(message);
  const head = Buffer.alloc(4);
  head.writeUInt32BE(frame.byteLength, 0);
  socket.write(Buffer.concat([head, frame]));
}

const sameToken = (given: string, token: string): boolean => {
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
};

export interface OwnerChannel {
  close(): Promise<void>;
}

/** Each frame of the connection decoded; one that does not decode ends the connection. */
function onDecodedFrame(socket: Socket, listener: (decoded: unknown) => void): void {
  frames(socket, (frame) => {
    let decoded: unknown;
    try {
      decoded = decodeFrame(frame);
    } catch {
      return void socket.destroy();
    }
    listener(decoded);
  });
}

/** Serves the lab on `path` to clients that know `token`; a malformed frame closes that connection only. */
export async function serveOwnerChannel(lab: Lab, path: string, token: string): Promise<OwnerChannel> {
  const clients = new Set<Socket>();
  const server = createServer((socket) => {
    let authenticated = false;
    socket.on('error', () => socket.destroy());
    socket.on('close', () => clients.delete(socket));
    onDecodedFrame(socket, (decoded) => {
      if (!authenticated) {
        const hello = helloSchema.safeParse(decoded);
        if (!hello.success || !sameToken(hello.data.token, token)) return void socket.destroy();
        authenticated = true;
        clients.add(socket);
        return write(socket, { kind: 'welcome', pid: process.pid });
      }
      const message = clientMessageSchema.safeParse(decoded);
      if (!message.success) return void socket.destroy();
      void lab.dispatch(message.data.channel, message.data.payload).then((result) => write(socket, { kind: 'reply', id: message.data.id, result } satisfies ServerMessage));
    });
  });
  const unsubscribe = lab.on((channel, payload) => {
    for (const socket of clients) write(socket, { kind: 'event', channel, payload } satisfies ServerMessage);
  });
  if (process.platform !== 'win32') await rm(path, { force: true });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => resolve());
  });
  if (process.platform !== 'win32') await chmod(path, 0o600);
  server.on('error', () => undefined);
  return {
    close: async () => {
      unsubscribe();
      for (const socket of clients) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (process.platform !== 'win32') await rm(path, { force: true });
    },
  };
}

type Listener = <C extends EventChannel>(channel: C, payload: EventOf<C>) => void;

/** The lab of the process that owns the workspace, called as an in-process Lab is. */
export interface OwnerClient {
  readonly pid: number;
  call<C extends RequestChannel>(channel: C, payload: RequestOf<C>): Promise<ReplyOf<C>>;
  on(listener: Listener): () => void;
  close(): void;
}

/** Connects to the owner; null where it does not answer within `timeoutMs` or refuses the token. */
export async function connectToOwner(path: string, token: string, timeoutMs = 3000): Promise<OwnerClient | null> {
  // An owner that has just started may not listen yet.
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const client = await connectOnce(path, token, Math.max(100, deadline - Date.now()));
    if (client !== 'refused') return client;
    if (Date.now() >= deadline) return null;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function connectOnce(path: string, token: string, timeoutMs: number): Promise<OwnerClient | null | 'refused'> {
  const socket = createConnection(path);
  let refused = false;
  socket.once('error', (cause: NodeJS.ErrnoException) => (refused = cause.code === 'ENOENT' || cause.code === 'ECONNREFUSED'));
  const pending = new Map<number, { channel: RequestChannel; resolve: (value: unknown) => void; reject: (cause: unknown) => void }>();
  const listeners = new Set<Listener>();
  let nextId = 1;
  let ownerPid = 0;
  let gone = false;
  const welcomed = new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    socket.on('error', () => resolve(false));
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(false);
      gone = true;
      for (const { reject } of pending.values()) reject(new LabError('disconnected', 'The process that owns the workspace stopped answering'));
      pending.clear();
    });
    onDecodedFrame(socket, (decoded) => {
      const welcome = z.object({ kind: z.literal('welcome'), pid: z.number().int() }).safeParse(decoded);
      if (welcome.success) {
        ownerPid = welcome.data.pid;
        clearTimeout(timer);
        return resolve(true);
      }
      const message = serverMessageSchema.safeParse(decoded);
      if (!message.success) return;
      if (message.data.kind === 'event') {
        const parsed = eventSchemas[message.data.channel].safeParse(message.data.payload);
        if (parsed.success) for (const listener of listeners) listener(message.data.channel, parsed.data as EventOf<typeof message.data.channel>);
        return;
      }
      const call = pending.get(message.data.id);
      if (!call) return;
      pending.delete(message.data.id);
      const result = message.data.result;
      if (!result.ok) return call.reject(new LabError(result.error.code, result.error.message, result.error.detail));
      // What the owner answers is checked against the contract, as the renderer checks it.
      const reply = requestSchemas[call.channel].reply.safeParse(result.value);
      if (reply.success) call.resolve(reply.data);
      else call.reject(new LabError('internal', `${call.channel}: the owner's reply does not match the contract (${reply.error.issues[0]?.message ?? 'invalid'})`));
    });
  });
  socket.once('connect', () => write(socket, { kind: 'hello', token }));
  if (!(await welcomed)) {
    socket.destroy();
    return refused ? 'refused' : null;
  }
  return {
    pid: ownerPid,
    call: <C extends RequestChannel>(channel: C, payload: RequestOf<C>) =>
      new Promise<ReplyOf<C>>((resolve, reject) => {
        if (gone) return reject(new LabError('disconnected', 'The process that owns the workspace stopped answering'));
        const id = nextId++;
        pending.set(id, { channel, resolve: resolve as (value: unknown) => void, reject });
        write(socket, { kind: 'request', id, channel, payload });
      }),
    on: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close: () => socket.destroy(),
  };
}
