import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { png, writeFiles } from '../lab/testing/fixtures.js';
import { captureCliOutput } from './testing/capturedOutput.js';
import { main } from './main.js';

const captured = captureCliOutput();
let dir: string;
let out: string[];
let err: string[];
beforeEach(() => ({ dir, out, err } = captured));

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

  it('import --patches cuts the images into patches of --size, with --patch-stride and --patches-per-image', async () => {
    await writeFiles(dir, { 'photos/a/1.png': await png(16, 8, 1, 3), 'photos/b/2.png': await png(4, 4, 2, 3) });
    const args = ['--workspace', join(dir, 'ws'), '--json', 'import', join(dir, 'photos'), '--patches', '--size', '8x8', '--patch-stride', '4', '--patches-per-image', '2'];
    expect(await main(args)).toBe(0);
    expect(JSON.parse(out.join(''))).toMatchObject({
      count: 2,
      shape: [8, 8, 3],
      classNames: ['a', 'b'],
      skipped: [{ file: join(dir, 'photos/b/2.png'), reason: 'image is 4×4 px, smaller than the patch size 8×8: no patch fits' }],
    });
    out.length = 0;
    expect(await main(['--workspace', join(dir, 'ws'), '--json', 'import', join(dir, 'photos'), '--patch-stride', 'x', '--patches'])).toBe(1);
    expect(JSON.parse(out.join('').trim().split('\n').at(-1) ?? '')).toMatchObject({ error: { code: 'invalid-option', message: expect.stringMatching(/^--patch-stride must be a number/) } });
    out.length = 0;
    expect(await main(['--workspace', join(dir, 'ws'), '--json', 'import', join(dir, 'photos'), '--patches-per-image', '3'])).toBe(1);
    expect(JSON.parse(out.join('').trim().split('\n').at(-1) ?? '')).toMatchObject({ error: { code: 'invalid-option', message: expect.stringMatching(/^The patch stride and patches per image apply only when images are cut into patches/) } });
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

  it('lists the configurations, and refuses a preset with a variant the data cannot take before queueing any', async () => {
    const ws = join(dir, 'ws');
    expect(await main(['--workspace', ws, '--json', 'presets'])).toBe(0);
    const presets = JSON.parse(out.join('')) as Array<{ id: string; builtIn: boolean }>;
    expect(presets.map((p) => p.id)).toContain('lecture-bottleneck-size');
    const rows = Array.from({ length: 12 }, (_, i) => `${i},${i * 2},${i % 3},${i % 2 === 0 ? 'a' : 'b'}`).join('\n');
    await writeFiles(dir, { 'vectors.csv': `x,y,z,label\n${rows}\n` });
    expect(await main(['--workspace', ws, 'import', join(dir, 'vectors.csv'), '--name', 'Vectors'])).toBe(0);
    err.length = 0;
    expect(await main(['--workspace', ws, 'train', '--dataset', 'vectors', '--preset', 'lecture-bottleneck-size'])).toBe(1);
    expect(err.join('')).toMatch(/^aelab: error invalid-option: variant 1 \(conv d=2\): a convolutional autoencoder needs images/);
    out.length = 0;
    expect(await main(['--workspace', ws, '--json', 'runs'])).toBe(0);
    expect(JSON.parse(out.join(''))).toEqual([]);
    expect(await main(['--workspace', ws, 'train', '--dataset', 'vectors', '--preset', 'lecture-nope'])).toBe(1);
    expect(err.join('')).toMatch(/error not-found: --preset: no configuration 'lecture-nope'/);
    // A recipe written for Fashion-MNIST, in a workspace without it: what it needs and how to get it.
    err.length = 0;
    expect(await main(['--workspace', ws, 'train', '--dataset', 'fashion-mnist', '--preset', 'lecture-pretrained-encoders'])).toBe(1);
    expect(err.join('')).toMatch(/error not-found: --dataset: no dataset 'fashion-mnist' in this workspace; it has shapes, colour-shapes, vectors\. To get Fashion-MNIST, install Debian's package \(sudo apt-get install dataset-fashion-mnist\)/);
  });
});
