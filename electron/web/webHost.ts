import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { clientMessageSchema, type ServerMessage } from '../../shared/wire/messages.js';
import { decodeFrame, encodeFrame } from '../../shared/wire/codec.js';
import type { Lab } from '../lab/lab.js';
import { allowedHost, allowedOrigin, contentSecurityPolicy, cookieToken, sameToken, tokenCookie } from './security.js';
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

/** Uploads arrive as one frame; a dataset folder of this size is already unusually large. */
const maxFrameBytes = 2 * 1024 ** 3 - 1;

/**
 * The lab for a browser on 127.0.0.1: HTTP serves the renderer, a WebSocket carries the
 * contract. A random token in the URL (then a same-site cookie) and the Origin and Host
 * headers gate every request.
 */
export async function startWebHost({ lab, rendererDir, port = 0, token = randomBytes(24).toString('base64url') }: WebHostOptions): Promise<WebHost> {
  const sockets = new Set<WebSocket>();
  const wss = new WebSocketServer({ noServer: true, maxPayload: maxFrameBytes });
  let boundPort = port;

  const server = createServer((request, response) => {
    void serveHttp(request, response).catch(() => {
      if (!response.headersSent) response.writeHead(500).end('internal error');
    });
  });

  async function serveHttp(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (!allowedHost(request, boundPort)) return void response.writeHead(421, { 'content-type': 'text/plain' }).end('wrong host');
    if (request.method !== 'GET' && request.method !== 'HEAD') return void response.writeHead(405).end();
    const url = new URL(request.url ?? '/', `http://127.0.0.1:${boundPort}`);
    const fromQuery = url.searchParams.get('token');
    const authorised = sameToken(fromQuery, token) || sameToken(cookieToken(request), token);
    if (!authorised) {
      return void response.writeHead(403, { 'content-type': 'text/plain; charset=utf-8' }).end('Autoencoder Lab: open the URL printed when the lab started (it carries an access token).');
    }
    const file = await readStatic(rendererDir, url.pathname);
    if (!file) return void response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    const headers: Record<string, string> = {
      'content-type': file.type,
      'content-security-policy': contentSecurityPolicy(boundPort),
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'x-frame-options': 'DENY',
      'cache-control': 'no-store',
    };
    if (sameToken(fromQuery, token)) headers['set-cookie'] = `${tokenCookie}=${token}; HttpOnly; SameSite=Strict; Path=/`;
    response.writeHead(200, headers);
    response.end(request.method === 'HEAD' ? undefined : file.body);
  }

  server.on('upgrade', (request, socket, head) => {
    const url = new URL(request.url ?? '/', `http://127.0.0.1:${boundPort}`);
    const ok = url.pathname === '/lab' && allowedHost(request, boundPort) && allowedOrigin(request.headers.origin, boundPort) && sameToken(url.searchParams.get('token'), token);
    if (!ok) {
      socket.write('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      socket.destroy();
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
      ws.on('message', (data, isBinary) => {
        if (!isBinary) return void ws.close(1003, 'binary frames only');
        void handleMessage(ws, data as Buffer);
      });
    });
  });

  async function handleMessage(ws: WebSocket, data: Buffer): Promise<void> {
    let message;
    try {
      message = clientMessageSchema.parse(decodeFrame(new Uint8Array(data.buffer, data.byteOffset, data.byteLength)));
    } catch {
      return void ws.close(1007, 'malformed message');
    }
    const result = await lab.dispatch(message.channel, message.payload);
    send(ws, { kind: 'reply', id: message.id, result });
  }

  function send(ws: WebSocket, message: ServerMessage): void {
    if (ws.readyState === ws.OPEN) ws.send(encodeFrame(message));
  }

  const unsubscribe = lab.on((channel, payload) => {
    for (const ws of sockets) send(ws, { kind: 'event', channel, payload });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  boundPort = (server.address() as AddressInfo).port;

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
