import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { connect as connectTcp, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { decodeFrame, encodeFrame, frameLayout } from '../../shared/wire/codec.js';
import { wireLimits } from '../../shared/wire/messages.js';
import { sendInParts, type PartLink } from '../../shared/wire/parts.js';
import type { EngineLauncher } from '../lab/runs/runSupervisor.js';
import { Lab } from '../lab/lab.js';
import { npy, tempDir } from '../lab/testing/fixtures.js';
import { startWebHost, type WebHost } from './webHost.js';

let dir: string;
let lab: Lab;
let host: WebHost;

/** An engine that starts and never answers: enough for requests the lab must refuse before any engine work. */
const silentEngine: EngineLauncher = () => {
  const exits: Array<(code: number | null, signal: string | null) => void> = [];
  return { send: () => undefined, onMessage: () => undefined, onExit: (listener) => void exits.push(listener), kill: () => exits.forEach((exit) => exit(null, 'SIGKILL')), pid: undefined };
};

beforeAll(async () => {
  dir = await tempDir();
  await mkdir(join(dir, 'renderer'));
  await writeFile(join(dir, 'renderer', 'index.html'), '<!doctype html><title>lab</title>');
  await writeFile(join(dir, 'secret.txt'), 'outside the renderer');
  lab = Lab.open({ workspace: join(dir, 'ws'), host: 'web', fashionMnistDir: '', launchEngine: silentEngine });
  host = await startWebHost({ lab, rendererDir: join(dir, 'renderer') });
});
afterAll(async () => {
  await host.close();
  lab.shutdown();
  await rm(dir, { recursive: true, force: true });
});

function connect(options: { token?: string; origin?: string; port?: number }): Promise<WebSocket> {
  const port = options.port ?? host.port;
  const socket = new WebSocket(`ws://127.0.0.1:${port}/lab?token=${options.token ?? host.token}`, { origin: options.origin ?? `http://127.0.0.1:${port}` });
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve(socket));
    socket.once('unexpected-response', (_req, res) => reject(new Error(`refused ${res.statusCode}`)));
    socket.once('error', reject);
  });
}

function sendFrame(socket: WebSocket, id: number, frame: Uint8Array): Promise<{ result: { ok: boolean; value?: unknown; error?: { code: string; message: string } } }> {
  return new Promise((resolve) => {
    const onMessage = (data: Buffer): void => {
      const message = decodeFrame(new Uint8Array(data)) as { kind: string; id?: number };
      if (message.kind === 'reply' && message.id === id) {
        socket.off('message', onMessage);
        resolve(message as never);
      }
    };
    socket.on('message', onMessage);
    socket.send(frame);
  });
}

function request(socket: WebSocket, id: number, channel: string, payload: unknown): Promise<{ result: { ok: boolean; value?: unknown; error?: { code: string; message: string } } }> {
  return sendFrame(socket, id, encodeFrame({ kind: 'request', id, channel, payload }));
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

  it('sends the security headers on error responses too', async () => {
    const http = await import('node:http');
    const get = (path: string, method = 'GET', hostHeader = `127.0.0.1:${host.port}`): Promise<{ status: number; headers: Record<string, unknown> }> =>
      new Promise((resolve) => {
        http.request({ host: '127.0.0.1', port: host.port, path, method, headers: { host: hostHeader } }, (res) => resolve({ status: res.statusCode ?? 0, headers: res.headers })).end();
      });
    const answers = [await get('/'), await get(`/missing.js?token=${host.token}`), await get(`/?token=${host.token}`, 'POST'), await get(`/?token=${host.token}`, 'GET', 'evil.example'), await get(`/%E0%A4%A?token=${host.token}`)];
    expect(answers.map((a) => a.status)).toEqual([403, 404, 405, 421, 404]);
    for (const { headers } of answers) {
      expect(headers).toMatchObject({ 'x-content-type-options': 'nosniff', 'x-frame-options': 'DENY', 'referrer-policy': 'no-referrer', 'cache-control': 'no-store' });
      expect(headers['content-security-policy']).toContain("default-src 'none'");
    }
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
    expect(list.result.value.map((d) => d.id)).toEqual(['shapes', 'colour-shapes']);
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

  it('refuses datasets.importPaths: the browser only uploads, it never names paths on this computer', async () => {
    await writeFile(join(dir, 'secret.csv'), 'a,b\n1,2\n3,4\n');
    const socket = await connect({});
    const reply = await request(socket, 1, 'datasets.importPaths', { importId: 'p', paths: [join(dir, 'secret.csv')] });
    expect(reply.result).toMatchObject({ ok: false, error: { code: 'invalid-request', message: expect.stringMatching(/not available in the browser host.*drop the files/) } });
    expect((await lab.call('datasets.list', {})).map((d) => d.id)).toEqual(['shapes', 'colour-shapes']);
    socket.close();
  });

  it('refuses runs.encode indices that are negative, too many or past the dataset, with what is wrong', async () => {
    const run = await lab.call('runs.create', { config: { datasetId: 'shapes', architecture: 'dense', objective: 'plain', latentDim: 2, epochs: 1 } });
    const socket = await connect({});
    const encode = async (indices: Int32Array) => (await request(socket, 1, 'runs.encode', { id: run.id, indices })).result;
    expect(await encode(Int32Array.from([0, -1]))).toMatchObject({ ok: false, error: { code: 'invalid-request', message: /runs\.encode: .*sample index is negative/i } });
    expect(await encode(new Int32Array(1025))).toMatchObject({ ok: false, error: { code: 'invalid-request', message: /runs\.encode: .*between 1 and 1024 sample indices a request/i } });
    expect(await encode(new Int32Array(1_000_000))).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    expect(await encode(new Int32Array(0))).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    expect(await encode(Int32Array.from([3, 10000]))).toMatchObject({
      ok: false,
      error: { code: 'invalid-request', message: 'runs.encode: indices: sample 10000 is out of range; dataset shapes has 10000 samples (0–9999)' },
    });
    expect(await encode(Int32Array.from([2 ** 31 - 1]))).toMatchObject({ ok: false, error: { code: 'invalid-request', message: /sample 2147483647 is out of range/ } });
    socket.close();
    await lab.call('runs.cancel', { id: run.id });
  });

  it('refuses a message whose attachment is referenced many times, before copying it', async () => {
    const attachment = new Uint8Array(1024 * 1024);
    const json = JSON.stringify({
      kind: 'request',
      id: 5,
      channel: 'datasets.importFiles',
      payload: { importId: 'bomb', files: Array.from({ length: 600 }, (_, i) => ({ path: `f${i}.png`, bytes: { $typed: 'Uint8Array', at: 0, length: attachment.length } })) },
    });
    const jsonBytes = new TextEncoder().encode(json);
    const head = (4 + jsonBytes.length + 7) & ~7;
    const frame = new Uint8Array(head + attachment.length);
    new DataView(frame.buffer).setUint32(0, jsonBytes.length, true);
    frame.set(jsonBytes, 4);
    const socket = await connect({});
    const reply = await sendFrame(socket, 5, frame);
    expect(reply.result).toMatchObject({ ok: false, error: { code: 'invalid-request', message: 'malformed message: frame attachment at 0 is referenced more than once' } });
    expect(await request(socket, 6, 'lab.info', {})).toMatchObject({ result: { ok: true } });
    socket.close();
  });

  it('keeps error codes but no filesystem path of this computer in error replies', async () => {
    await writeFile(join(dir, 'ws', 'presets.json'), '{ not json');
    const direct = await lab.dispatch('presets.list', {});
    // The same request in process names the file by its absolute path: what must not reach a browser.
    expect(direct).toMatchObject({ ok: false, error: { message: expect.stringContaining(join(dir, 'ws', 'presets.json')) } });
    const code = direct.ok ? '' : direct.error.code;
    const socket = await connect({});
    const reply = await request(socket, 1, 'presets.list', {});
    expect(reply.result).toMatchObject({ ok: false, error: { code, message: expect.stringContaining('<workspace>/presets.json') } });
    expect(JSON.stringify(reply)).not.toContain(dir);
    socket.close();
    await rm(join(dir, 'ws', 'presets.json'));
  });

  it('takes a request larger than one WebSocket message in parts: an upload arrives whole, each part acknowledged', async () => {
    // 17,000 samples of 32×32: 17 MB in one NPY file, more than the host takes in one message.
    const count = 17_000;
    const pixels = new Uint8Array(count * 32 * 32);
    for (let i = 0; i < pixels.length; i += 1) pixels[i] = (i * 7 + Math.floor(i / 1024) * 13) % 256;
    const file = npy('|u1', [count, 32, 32], pixels);
    // As one message it would be refused (1009, a payload just over the message limit, below).
    expect(file.length).toBeGreaterThan(wireLimits.maxMessageBytes);

    // Sent in parts as the renderer's transport sends them, each part acknowledged by the host.
    const socket = await connect({});
    const acknowledgements: Array<{ bytes: number; total: number }> = [];
    let wake: Array<() => void> = [];
    socket.on('message', (data: Buffer) => {
      const message = decodeFrame(new Uint8Array(data)) as { kind: string; id: number; bytes: number; total: number };
      if (message.kind !== 'received' || message.id !== 8) return;
      acknowledgements.push({ bytes: message.bytes, total: message.total });
      for (const w of wake.splice(0)) w();
    });
    const link: PartLink = {
      alive: () => socket.readyState === WebSocket.OPEN,
      send: (frame) => socket.send(frame),
      acknowledged: () => acknowledgements.at(-1)?.bytes ?? 0,
      nextAcknowledgement: () => new Promise((resolve) => wake.push(resolve)),
    };
    const message = { kind: 'request', id: 8, channel: 'datasets.importFiles', payload: { importId: 'upload-1', files: [{ path: 'big.npy', bytes: file }], options: { name: 'Big upload' } } };
    const layout = frameLayout(message);
    const replied = new Promise<{ result: { ok: boolean; value?: unknown } }>((resolve) => {
      socket.on('message', (data: Buffer) => {
        const reply = decodeFrame(new Uint8Array(data)) as { kind: string; id: number; result: { ok: boolean } };
        if (reply.kind === 'reply' && reply.id === 8) resolve(reply);
      });
    });
    expect(await sendInParts(8, layout, link)).toBe(true);
    const reply = await replied;
    expect(reply.result).toMatchObject({ ok: true, value: { dataset: { name: 'Big upload', count, shape: [32, 32, 1] } } });
    expect(acknowledgements.length).toBe(Math.ceil(layout.byteLength / wireLimits.partBytes));
    expect(acknowledgements.map((a) => a.bytes)).toEqual([...acknowledgements.map((a) => a.bytes)].sort((a, b) => a - b));
    expect(acknowledgements.at(-1)).toEqual({ bytes: layout.byteLength, total: layout.byteLength });
    const id = (reply.result.value as { dataset: { id: string } }).dataset.id;
    const preview = await lab.call('datasets.preview', { id, count: 16 });
    for (const [k, index] of preview.indices.entries()) {
      expect(preview.pixels.subarray(k * 1024, (k + 1) * 1024)).toEqual(pixels.subarray(index * 1024, (index + 1) * 1024));
    }

    // Parts out of order are refused for that request, and the connection serves on.
    const bad = await sendFrame(socket, 9, encodeFrame({ kind: 'part', id: 9, at: 8, total: 100, bytes: new Uint8Array(8) }));
    expect(bad.result).toMatchObject({ ok: false, error: { code: 'invalid-request', message: 'part of request 9 refused: it starts at byte 8, but 0 bytes have arrived' } });
    expect(await request(socket, 10, 'lab.info', {})).toMatchObject({ result: { ok: true } });
    socket.close();
    wake = [];
  });
});

/** The frames a careless or hostile client can send after an authenticated upgrade, and the close code each earns. */
const malformedFrames: Array<{ kind: string; bytes: () => Buffer; closeCode: number }> = [
  { kind: 'an unmasked client frame', bytes: () => Buffer.from([0x82, 0x03, 1, 2, 3]), closeCode: 1002 },
  { kind: 'RSV1 set without negotiated compression', bytes: () => masked(0xc2, Buffer.from([1, 2, 3])), closeCode: 1002 },
  { kind: 'RSV2 set', bytes: () => masked(0xa2, Buffer.from([1, 2, 3])), closeCode: 1002 },
  { kind: 'RSV3 set', bytes: () => masked(0x92, Buffer.from([1, 2, 3])), closeCode: 1002 },
  { kind: 'a reserved opcode', bytes: () => masked(0x83, Buffer.from([1, 2, 3])), closeCode: 1002 },
  { kind: 'a header announcing a 3 GiB payload', bytes: () => Buffer.concat([Buffer.from([0x82, 0xff]), u64(3 * 1024 ** 3), randomBytes(4)]), closeCode: 1009 },
  { kind: 'a payload just over the message limit', bytes: () => Buffer.concat([Buffer.from([0x82, 0xff]), u64(wireLimits.maxMessageBytes + 1), randomBytes(4)]), closeCode: 1009 },
  { kind: 'a control frame over 125 bytes', bytes: () => masked(0x89, Buffer.alloc(126)), closeCode: 1002 },
  { kind: 'a fragmented control frame', bytes: () => masked(0x09, Buffer.from([1])), closeCode: 1002 },
  { kind: 'a continuation with nothing to continue', bytes: () => masked(0x80, Buffer.from([1, 2])), closeCode: 1002 },
  { kind: 'a new message inside a fragmented one', bytes: () => Buffer.concat([masked(0x02, Buffer.from([1])), masked(0x82, Buffer.from([2]))]), closeCode: 1002 },
  { kind: 'a text frame of invalid UTF-8', bytes: () => masked(0x81, Buffer.from([0xc3, 0x28])), closeCode: 1007 },
  { kind: 'a close frame with an invalid code', bytes: () => masked(0x88, Buffer.from([0x03, 0xe7])), closeCode: 1002 },
];

function masked(first: number, payload: Buffer): Buffer {
  const mask = randomBytes(4);
  const length = payload.length < 126 ? Buffer.from([0x80 | payload.length]) : Buffer.from([0x80 | 126, payload.length >> 8, payload.length & 0xff]);
  return Buffer.concat([Buffer.from([first]), length, mask, Buffer.from(payload.map((b, i) => b ^ (mask[i % 4] ?? 0)))]);
}

function u64(value: number): Buffer {
  const bytes = Buffer.alloc(8);
  bytes.writeBigUInt64BE(BigInt(value));
  return bytes;
}

describe('a browser host in its own process, sent malformed WebSocket frames', () => {
  let child: ChildProcess;
  let port: number;
  let token: string;
  let stderr = '';

  beforeAll(async () => {
    const root = await tempDir('aelab-webhost-');
    await mkdir(join(root, 'renderer'));
    await writeFile(join(root, 'renderer', 'index.html'), '<!doctype html><title>lab</title>');
    child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'testing', 'webHostProcess.ts'), join(root, 'ws'), join(root, 'renderer')], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const line = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout?.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('\n')) resolve(out.split('\n')[0] ?? '');
      });
      child.once('exit', (code) => reject(new Error(`the host exited (${code}) before listening: ${stderr}`)));
    });
    ({ port, token } = JSON.parse(line) as { port: number; token: string });
    // tsx compiles the host on start, which takes a while on a busy machine.
  }, 180_000);
  afterAll(() => {
    child.kill('SIGTERM');
  });

  /** A WebSocket upgraded by hand on a plain TCP socket, so any bytes at all can follow. */
  async function rawConnection(): Promise<{ socket: Socket; closed: Promise<Buffer> }> {
    const socket = connectTcp(port, '127.0.0.1');
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    socket.write(
      [`GET /lab?token=${token} HTTP/1.1`, `Host: 127.0.0.1:${port}`, `Origin: http://127.0.0.1:${port}`, 'Upgrade: websocket', 'Connection: Upgrade', `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`, 'Sec-WebSocket-Version: 13', '', ''].join('\r\n'),
    );
    let received = Buffer.alloc(0);
    socket.on('error', () => undefined);
    const upgraded = new Promise<void>((resolve, reject) => {
      socket.on('data', (chunk: Buffer) => {
        received = Buffer.concat([received, chunk]);
        const end = received.indexOf('\r\n\r\n');
        if (end >= 0 && !received.subarray(0, 12).toString().includes('101')) reject(new Error(`no upgrade: ${received.toString()}`));
        if (end >= 0) resolve();
      });
    });
    const closed = new Promise<Buffer>((resolve) => socket.once('close', () => resolve(received.subarray(received.indexOf('\r\n\r\n') + 4))));
    await upgraded;
    return { socket, closed };
  }

  it.each(malformedFrames)('closes the connection on $kind and serves the next one', async ({ bytes, closeCode }) => {
    const { socket, closed } = await rawConnection();
    socket.write(bytes());
    const after = await Promise.race([closed, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('the host kept the connection open')), 10_000))]);
    // The host's last words: a close frame (opcode 8) with the code for what was wrong.
    expect(after[0]).toBe(0x88);
    expect(after.readUInt16BE(2)).toBe(closeCode);
    expect(child.exitCode).toBeNull();
    expect(child.signalCode).toBeNull();
    const next = await connect({ port, token });
    expect(await request(next, 1, 'lab.info', {})).toMatchObject({ result: { ok: true, value: { host: 'web' } } });
    next.close();
    expect(stderr).not.toMatch(/Unhandled|Error/);
  });
});
