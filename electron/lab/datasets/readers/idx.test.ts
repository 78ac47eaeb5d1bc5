import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importOptionsSchema } from '../../../../shared/domain/dataset.js';
import { idx, tempDir, writeFiles } from '../../testing/fixtures.js';
import { importSources } from '../importer.js';
import { collectFromPaths } from '../sources/collectSources.js';
import { parseIdx } from './idx.js';

let dir: string;
beforeEach(async () => {
  dir = await tempDir();
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const images = (n: number) => idx(0x08, [n, 2, 3], Array.from({ length: n * 6 }, (_, i) => i % 256));
const labels = (n: number) => idx(0x08, [n], Array.from({ length: n }, (_, i) => i % 3));

async function importDir(names: string[]) {
  return importSources(await collectFromPaths(names.map((n) => join(dir, n))), importOptionsSchema.parse({}), () => undefined);
}

describe('IDX reader', () => {
  it('parses the header and the data', () => {
    const array = parseIdx(images(4), 'x');
    expect(array.dims).toEqual([4, 2, 3]);
    expect([...array.values.slice(0, 3)]).toEqual([0, 1, 2]);
  });

  it('pairs train and t10k files, gzipped, keeping t10k as the test split', async () => {
    await writeFiles(dir, {
      'train-images-idx3-ubyte.gz': idx(0x08, [6, 2, 3], new Array(36).fill(1), true),
      'train-labels-idx1-ubyte.gz': idx(0x08, [6], [0, 1, 2, 0, 1, 2], true),
      't10k-images-idx3-ubyte': images(3),
      't10k-labels-idx1-ubyte': labels(3),
    });
    const outcome = await importDir(['train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte']);
    expect(outcome.data.labels.length).toBe(9);
    expect(outcome.data.shape).toEqual([2, 3, 1]);
    expect(outcome.data.classNames).toEqual(['0', '1', '2']);
    expect([...outcome.data.splits].filter((s) => s === 2)).toHaveLength(3);
    expect(outcome.data.format).toBe('idx');
  });

  it('refuses a wrong magic number', async () => {
    const bad = images(2);
    bad[0] = 0x12;
    await writeFiles(dir, { 'x-images-idx3-ubyte': bad });
    await expect(importDir(['x-images-idx3-ubyte'])).rejects.toThrow(/x-images-idx3-ubyte: wrong IDX magic number 0x12000803/);
  });

  it('names both files when images and labels counts differ', async () => {
    await writeFiles(dir, { 'train-images-idx3-ubyte': images(5), 'train-labels-idx1-ubyte': labels(4) });
    await expect(importDir(['train-images-idx3-ubyte', 'train-labels-idx1-ubyte'])).rejects.toThrow(
      `${join(dir, 'train-images-idx3-ubyte')} has 5 images but ${join(dir, 'train-labels-idx1-ubyte')} has 4 labels`,
    );
  });

  it('refuses truncated data with the sizes', () => {
    expect(() => parseIdx(images(4).subarray(0, 20), 'f.idx')).toThrow(/f\.idx: IDX data is truncated: dimensions 4×2×3 need 40 bytes, the file has 20/);
  });

  it('reads a non-byte element type as float', () => {
    const header = Buffer.from([0, 0, 0x0d, 1, 0, 0, 0, 2]);
    const body = Buffer.alloc(8);
    body.writeFloatBE(1.5, 0);
    body.writeFloatBE(-2, 4);
    expect([...parseIdx(Buffer.concat([header, body]), 'f').values]).toEqual([1.5, -2]);
  });
});
