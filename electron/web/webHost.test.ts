import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { decodeFrame, encodeFrame } from '../../shared/wire/codec.js';
import { Lab } from '../lab/lab.js';
import { tempDir } from '../lab/testing/fixtures.js';
import { startWebHost, type WebHost } from './webHost.js';

let dir: string;
let host: WebHost;

beforeAll(async () => {
  dir = await tempDir();
  await mkdir(join(dir, 'renderer'));
  await writeFile(join(dir, 'renderer', 'index.html'), '<!doctype html><title>lab</title>');
  await writeFile(join(dir, 'secret.txt'), 'outside the renderer');
  const lab = Lab.open({ workspace: join(dir, 'ws'), host: 'web', fashionMnistDir: '' });
  host = await startWebHost({ lab, rendererDir: join(dir, 'renderer') });
});
afterAll(async () => {
  await host.close();
  await rm(dir, { recursive: true, force: true });
});

function connect(options: { token?: string; origin?: string }): Promise<WebSocket> {
  const socket = new WebSocket(`ws://127.0.0.1:${host.port}/lab?token=${options.token ?? host.token}`, { origin: options.origin ?? `http://127.0.0.1:${host.port}` });
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve(socket));
    socket.once('unexpected-response', (_req, res) => reject(new Error(`refused ${res.statusCode}`)));
    socket.once('error', reject);
  });
}

function request(socket: WebSocket, id: number, channel: string, payload: unknown): Promise<unknown> {
  return new Promise((resolve) => {
    const onMessage = (data: Buffer): void => {
      const message = decodeFrame(new Uint8Array(data)) as { kind: string; id?: number };
      if (message.kind === 'reply' && message.id === id) {
        socket.off('message', onMessage);
        resolve(message);
      }
    };
    socket.on('message', onMessage);
    socket.send(encodeFrame({ kind: 'request', id, channel, payload }));
  });
}

describe('browser host', () => {
  it('serves the renderer only with the token, then by cookie, with a strict CSP', async () => {
    expect((await fetch(`http://127.0.0.1:${host.port}/`)).status).toBe(403);
    const page = await fetch(host.url);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const cookie = page.headers.get('set-cookie')?.split(';')[0] ?? '';
    expect((await fetch(`http://127.0.0.1:${host.port}/index.html`, { headers: { cookie } })).status).toBe(200);
  });

  it('never serves a file outside the renderer folder', async () => {
    const response = await fetch(`http://127.0.0.1:${host.port}/%2e%2e/secret.txt?token=${host.token}`);
    expect(response.status).toBe(404);
  });

  it('refuses a foreign Host header', async () => {
    const http = await import('node:http');
    const status = await new Promise<number>((resolve) => {
      http.get({ host: '127.0.0.1', port: host.port, path: `/?token=${host.token}`, headers: { host: `evil.example:${host.port}` } }, (res) => resolve(res.statusCode ?? 0));
    });
    expect(status).toBe(421);
  });

  it('refuses WebSockets with a wrong token or origin', async () => {
    await expect(connect({ token: 'wrong' })).rejects.toThrow('refused 403');
    await expect(connect({ origin: 'http://evil.example' })).rejects.toThrow('refused 403');
  });

  it('answers contract requests with binary frames and validates payloads', async () => {
    const socket = await connect({});
    const info = (await request(socket, 1, 'lab.info', {})) as { result: { ok: boolean; value: { host: string } } };
    expect(info.result).toMatchObject({ ok: true, value: { host: 'web' } });
    const bad = (await request(socket, 2, 'datasets.rename', { id: 'x', name: '' })) as { result: { ok: boolean; error: { code: string } } };
    expect(bad.result).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    const list = (await request(socket, 3, 'datasets.list', {})) as { result: { value: Array<{ id: string }> } };
    expect(list.result.value.map((d) => d.id)).toEqual(['shapes']);
    const preview = (await request(socket, 4, 'datasets.preview', { id: 'shapes', count: 4 })) as { result: { value: { pixels: Uint8Array } } };
    expect(preview.result.value.pixels).toBeInstanceOf(Uint8Array);
    expect(preview.result.value.pixels.length).toBe(4 * 32 * 32);
    socket.close();
  });

  it('closes a connection that sends garbage, and keeps serving others', async () => {
    const socket = await connect({});
    const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
    socket.send(Buffer.from([1, 2, 3]));
    expect(await closed).toBe(1007);
    const again = await connect({});
    expect(await request(again, 1, 'lab.info', {})).toMatchObject({ result: { ok: true } });
    again.close();
  });
});
