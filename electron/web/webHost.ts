import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { ZodError } from 'zod';
import type { RequestChannel } from '../../shared/contract/channels.js';
import type { LabErrorData, Result } from '../../shared/result.js';
import { browserMessageSchema, clientMessageSchema, wireLimits, type HostMessage, type PartMessage } from '../../shared/wire/messages.js';
import { decodeFrame, encodeFrame } from '../../shared/wire/codec.js';
import type { Lab } from '../lab/lab.js';
import { RequestParts } from './requestParts.js';
import { allowedHost, allowedOrigin, cleanErrors, cookieToken, sameToken, securityHeaders, tokenCookie, withoutPaths } from './security.js';
import { readStatic } from './staticFiles.js';

export interface WebHostOptions {
  lab: Lab;
  /** The built renderer (index.html and assets). */
  rendererDir: string;
  port?: number;
  token?: string;
}

export interface WebHost {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

/**
 * Requests a browser may not make. The browser's renderer only uploads what the user drops;
 * reading paths on the machine that runs the host would hand any page holding the token
 * every file this process can read.
 */
const refusedChannels: Partial<Record<RequestChannel, string>> = {
  'datasets.importPaths':
    'datasets.importPaths is not available in the browser host: it would read files on the computer that runs the lab; drop the files or folders onto the page to upload them',
};

/**
 * The lab for a browser on 127.0.0.1: HTTP serves the renderer, a WebSocket carries the
 * contract. A random token in the URL (then a same-site cookie) and the Origin and Host
 * headers gate every request. Whatever a connection sends — a malformed WebSocket frame, a
 * message that is not ours — ends that connection at most, never the host.
 */
export async function startWebHost({ lab, rendererDir, port = 0, token = randomBytes(24).toString('base64url') }: WebHostOptions): Promise<WebHost> {
  const sockets = new Set<WebSocket>();
  const wss = new WebSocketServer({ noServer: true, maxPayload: wireLimits.maxMessageBytes });
  let boundPort = port;
  const forBrowser = (text: string): string => withoutPaths(text, lab.workspace);

  const server = createServer((request, response) => {
    void serveHttp(request, response).catch(() => {
      if (!response.headersSent) plain(response, 500, 'internal error');
      else response.destroy();
    });
  });
  // A request Node cannot parse gets its 400 and the socket is closed; nothing reaches the lab.
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });

  function plain(response: ServerResponse, status: number, text: string): void {
    response.writeHead(status, { ...securityHeaders(boundPort), 'content-type': 'text/plain; charset=utf-8' });
    response.end(text);
  }

  async function serveHttp(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (!allowedHost(request, boundPort)) return plain(response, 421, 'wrong host');
    if (request.method !== 'GET' && request.method !== 'HEAD') return plain(response, 405, 'method not allowed');
    const url = new URL(request.url ?? '/', `http://127.0.0.1:${boundPort}`);
    const fromQuery = url.searchParams.get('token');
    const authorised = sameToken(fromQuery, token) || sameToken(cookieToken(request), token);
    if (!authorised) return plain(response, 403, 'Autoencoder Lab: open the URL printed when the lab started (it carries an access token).');
    const file = await readStatic(rendererDir, url.pathname);
    if (!file) return plain(response, 404, 'not found');
    const headers: Record<string, string> = { ...securityHeaders(boundPort), 'content-type': file.type };
    if (sameToken(fromQuery, token)) headers['set-cookie'] = `${tokenCookie}=${token}; HttpOnly; SameSite=Strict; Path=/`;
    response.writeHead(200, headers);
    response.end(request.method === 'HEAD' ? undefined : file.body);
  }

  server.on('upgrade', (request, socket, head) => {
    // A peer that resets the connection mid-handshake must not surface as an unhandled error.
    socket.on('error', () => socket.destroy());
    const url = new URL(request.url ?? '/', `http://127.0.0.1:${boundPort}`);
    const ok = url.pathname === '/lab' && allowedHost(request, boundPort) && allowedOrigin(request.headers.origin, boundPort) && sameToken(url.searchParams.get('token'), token);
    if (!ok) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => {
      sockets.add(ws);
      const parts = new RequestParts(wireLimits.maxRequestBytes);
      // A protocol error (unmasked or reserved-bit frame, unknown opcode, oversized or
      // fragmented control frame, a payload over the limit, invalid UTF-8) arrives here;
      // ws has already sent the matching close code and ends the socket once it is written,
      // so there is nothing left to do but to take the event (unheard, it would end the process).
      ws.on('error', () => undefined);
      ws.on('close', () => sockets.delete(ws));
      ws.on('message', (data, isBinary) => {
        if (!isBinary) return void ws.close(1003, 'binary frames only');
        void handleMessage(ws, parts, data as Buffer).catch(() => ws.close(1011, 'internal error'));
      });
    });
  });

  async function handleMessage(ws: WebSocket, parts: RequestParts, data: Buffer): Promise<void> {
    const frame = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    let message;
    try {
      message = browserMessageSchema.parse(decodeFrame(frame));
    } catch (cause) {
      return refuseFrame(ws, frame, cause);
    }
    if (message.kind === 'part') return receivePart(ws, parts, message);
    if (parts.has(message.id)) return reply(ws, message.id, refusal('invalid-request', `request ${message.id} came whole while its parts were arriving`));
    await answer(ws, message.id, message.channel, message.payload);
  }

  async function receivePart(ws: WebSocket, parts: RequestParts, part: PartMessage): Promise<void> {
    let assembled;
    try {
      assembled = parts.add(part);
    } catch (cause) {
      return reply(ws, part.id, { ok: false, error: (cause as { toData(): LabErrorData }).toData() });
    }
    send(ws, { kind: 'received', id: part.id, bytes: assembled.received, total: assembled.total });
    if (!assembled.frame) return;
    let request;
    try {
      request = clientMessageSchema.parse(decodeFrame(assembled.frame));
    } catch (cause) {
      return reply(ws, part.id, refusal('invalid-request', `request ${part.id}, sent in parts, is malformed: ${messageOf(cause)}`));
    }
    if (request.id !== part.id) return reply(ws, part.id, refusal('invalid-request', `the parts of request ${part.id} hold request ${request.id}`));
    await answer(ws, request.id, request.channel, request.payload);
  }

  async function answer(ws: WebSocket, id: number, channel: RequestChannel, payload: unknown): Promise<void> {
    const refused = refusedChannels[channel];
    reply(ws, id, refused ? refusal('invalid-request', refused) : await lab.dispatch(channel, payload));
  }

  /**
   * A frame we cannot read: where its envelope still names a request, that request is
   * answered with what is wrong (the connection stays); otherwise the connection is closed.
   */
  function refuseFrame(ws: WebSocket, frame: Uint8Array, cause: unknown): void {
    const id = envelopeId(frame);
    if (id === undefined) return void ws.close(1007, 'malformed message');
    reply(ws, id, refusal('invalid-request', `malformed message: ${messageOf(cause)}`));
  }

  function reply(ws: WebSocket, id: number, result: Result<unknown>): void {
    send(ws, { kind: 'reply', id, result: result.ok ? result : { ok: false, error: cleanErrors({ error: result.error }, forBrowser).error } });
  }

  function send(ws: WebSocket, message: HostMessage): void {
    if (ws.readyState === ws.OPEN) ws.send(encodeFrame(message));
  }

  const unsubscribe = lab.on((channel, payload) => {
    const cleaned = cleanErrors(payload, forBrowser);
    for (const ws of sockets) send(ws, { kind: 'event', channel, payload: cleaned });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  boundPort = (server.address() as AddressInfo).port;
  // Once listening, a failed accept (too many open files) costs that connection only.
  server.on('error', () => undefined);

  return {
    url: `http://127.0.0.1:${boundPort}/?token=${token}`,
    port: boundPort,
    token,
    close: async () => {
      unsubscribe();
      for (const ws of sockets) ws.terminate();
      wss.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const refusal = (code: LabErrorData['code'], message: string): Result<never> => ({ ok: false, error: { code, message } });

function messageOf(cause: unknown): string {
  if (cause instanceof ZodError) {
    const issue = cause.issues[0];
    return issue ? `${issue.path.join('.') || 'message'}: ${issue.message}` : 'not a message of the lab';
  }
  return cause instanceof Error ? cause.message : String(cause);
}

/** The request id of a frame's envelope, read from its JSON alone (no attachment is touched). */
function envelopeId(frame: Uint8Array): number | undefined {
  try {
    const length = new DataView(frame.buffer, frame.byteOffset, frame.byteLength).getUint32(0, true);
    if (4 + length > frame.byteLength) return undefined;
    const envelope = JSON.parse(new TextDecoder().decode(frame.subarray(4, 4 + length))) as unknown;
    const id = typeof envelope === 'object' && envelope !== null ? (envelope as { id?: unknown }).id : undefined;
    return typeof id === 'number' && Number.isInteger(id) && id >= 0 ? id : undefined;
  } catch {
    return undefined;
  }
}
