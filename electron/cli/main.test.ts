import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { png, tempDir, writeFiles } from '../lab/testing/fixtures.js';
import { main } from './main.js';

let dir: string;
let out: string[];
let err: string[];
beforeEach(async () => {
  dir = await tempDir();
  out = [];
  err = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => (out.push(String(chunk)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => (err.push(String(chunk)), true));
  process.env.AELAB_FASHION_MNIST_DIR = '';
});
afterEach(async () => {
  vi.restoreAllMocks();
  delete process.env.AELAB_FASHION_MNIST_DIR;
  await rm(dir, { recursive: true, force: true });
});

describe('aelab', () => {
  it('info --json gives version, workspace and backend', async () => {
    expect(await main(['--workspace', join(dir, 'ws'), '--json', 'info'])).toBe(0);
    const info = JSON.parse(out.join('')) as Record<string, unknown>;
    expect(info).toMatchObject({ workspace: join(dir, 'ws'), host: 'cli', backend: { name: expect.any(String) } });
    expect(info.version).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('import --json reports the dataset and skipped files', async () => {
    await writeFiles(dir, { 'set/a/1.png': await png(8, 8, 1), 'set/b/2.png': await png(8, 8, 2), 'set/b/bad.png': 'text' });
    expect(await main(['--workspace', join(dir, 'ws'), 'import', join(dir, 'set'), '--json', '--name', 'Mine'])).toBe(0);
    expect(JSON.parse(out.join(''))).toMatchObject({
      id: 'mine',
      name: 'Mine',
      count: 2,
      shape: [8, 8, 1],
      classNames: ['a', 'b'],
      skipped: [{ file: join(dir, 'set/b/bad.png'), reason: 'not a PNG image: the content is text' }],
    });
  });

  it('fails with the code and message, never a stack trace', async () => {
    expect(await main(['--workspace', join(dir, 'ws'), 'import', join(dir, 'missing')])).toBe(1);
    expect(err.join('')).toBe(`aelab: error not-found: ${join(dir, 'missing')}: no such file or folder\n`);
    expect(await main(['--workspace', join(dir, 'ws'), '--json', 'import', join(dir, 'x'), '--size', 'big'])).toBe(1);
    expect(JSON.parse(out.join('').trim().split('\n').at(-1) ?? '')).toMatchObject({ error: { code: 'invalid-option', message: expect.stringMatching(/^--size/) } });
    expect(await main(['--bogus'])).toBe(1);
    expect(err.join('')).toMatch(/error invalid-request: Unknown option '--bogus'/);
  });

  it('lists datasets as a table', async () => {
    expect(await main(['--workspace', join(dir, 'ws'), 'datasets'])).toBe(0);
    expect(out.join('')).toMatch(/^id\s+name\s+samples\s+shape\s+classes\s+size\s*\nshapes\s+Shapes\s+10000\s+32×32×1\s+5/);
  });
});
