import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createGzip } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importOptionsSchema } from '../../../../shared/domain/dataset.js';
import { LabError } from '../../../../shared/result.js';
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

async function importError(names: string[]): Promise<LabError> {
  const error = await importDir(names).then(
    () => undefined,
    (cause: unknown) => cause,
  );
  expect(error).toBeInstanceOf(LabError);
  return error as LabError;
}

/** A gzipped IDX header followed by `zeroBytes` zeros, compressed as a stream so that nothing large is ever held. */
async function gzippedIdx(header: Buffer, zeroBytes: number): Promise<Buffer> {
  const gzip = createGzip({ level: 1 });
  const out: Buffer[] = [];
  gzip.on('data', (chunk: Buffer) => out.push(chunk));
  const done = new Promise((resolve) => gzip.on('end', resolve));
  gzip.write(header);
  const zeros = Buffer.alloc(1024 ** 2);
  for (let left = zeroBytes; left > 0; left -= zeros.length) {
    if (!gzip.write(zeros.subarray(0, Math.min(zeros.length, left)))) await new Promise((resolve) => gzip.once('drain', resolve));
  }
  gzip.end();
  await done;
  return Buffer.concat(out);
}

function idxHeader(type: number, dims: number[]): Buffer {
  const header = Buffer.alloc(4 + dims.length * 4);
  header[2] = type;
  header[3] = dims.length;
  dims.forEach((d, i) => header.writeUInt32BE(d, 4 + i * 4));
  return header;
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

  it('refuses a magic number with the wrong rank, naming the magic found, rather than storing a shape with a 0', async () => {
    // MNIST images (rank 3) under a rank-4 magic: the first data bytes (zeros) become a fourth dimension.
    const file = idx(0x08, [3, 4, 4], new Array(48).fill(0));
    file[3] = 4;
    await writeFiles(dir, { 'a-images-idx3-ubyte': file });
    const error = await importError(['a-images-idx3-ubyte']);
    expect(error.code).toBe('corrupt-file');
    expect(error.message).toBe(`${join(dir, 'a-images-idx3-ubyte')}: IDX magic number 0x00000804 gives dimensions 3×4×4×0; a dimension of 0 means the magic number or the header is wrong`);
    const typed = images(2);
    typed[2] = 0x07;
    await writeFiles(dir, { 'b-images-idx3-ubyte': typed });
    expect((await importError(['b-images-idx3-ubyte'])).message).toMatch(/b-images-idx3-ubyte: IDX magic number 0x00000703 names element type 0x07, which the format does not define/);
  });

  it('refuses data after what the header declares, with its size', async () => {
    await writeFiles(dir, { 'c-images-idx3-ubyte': Buffer.concat([images(2), Buffer.alloc(300)]) });
    expect((await importError(['c-images-idx3-ubyte'])).message).toBe(
      `${join(dir, 'c-images-idx3-ubyte')}: 300 bytes of data after the 12 bytes IDX magic number 0x00000803 and dimensions 2×2×3 declare; the header does not describe this file`,
    );
  });

  it('refuses NaN and infinite float values, naming the first element', async () => {
    const body = Buffer.alloc(4 * 8);
    [0.5, 1, Number.NaN, 2, 0, Number.POSITIVE_INFINITY, 1, 1].forEach((v, i) => body.writeFloatBE(v, i * 4));
    await writeFiles(dir, { 'f-images-idx3-ubyte': Buffer.concat([idxHeader(0x0d, [2, 2, 2]), body]) });
    const error = await importError(['f-images-idx3-ubyte']);
    expect(error.message).toBe(`${join(dir, 'f-images-idx3-ubyte')}: element [0, 1, 0] (value 2) is NaN; NaN and infinite values cannot be trained on, replace or drop them before importing`);
  });

  it('refuses a gzipped IDX whose header declares gigabytes, before inflating the rest', async () => {
    // 6 million 28×28 images would inflate to 4.4 GiB; the body here is only zeros that the header claims.
    await writeFile(join(dir, 'bomb-images-idx3-ubyte.gz'), await gzippedIdx(idxHeader(0x08, [6_000_000, 28, 28]), 8 * 1024 ** 2));
    const error = await importError(['bomb-images-idx3-ubyte.gz']);
    expect(error.code).toBe('too-large');
    expect(error.message).toBe(`${join(dir, 'bomb-images-idx3-ubyte.gz')}: IDX dimensions 6000000×28×28 are 4,704,000,000 values, which exceeds the lab's limit of 268,435,456 values`);
  });

  it('stops inflating a small IDX followed by a long stream of zeros, and names the trailing data', async () => {
    const bomb = await gzippedIdx(idxHeader(0x08, [10, 28, 28]), 100 * 1024 ** 2);
    await writeFile(join(dir, 'tail-images-idx3-ubyte.gz'), bomb);
    const before = process.memoryUsage().rss;
    const error = await importError(['tail-images-idx3-ubyte.gz']);
    expect(error.message).toBe(
      `${join(dir, 'tail-images-idx3-ubyte.gz')}: more than 64 MiB of data after the 7.7 KiB its header declares; the header does not describe this file`,
    );
    // Inflated whole, the stream is 100 MiB; the bounded inflate keeps the 7.7 KiB the header declares and only counts the rest.
    expect(process.memoryUsage().rss - before).toBeLessThan(60 * 1024 ** 2);
  });

  it('names both files when images and labels counts differ', async () => {
    await writeFiles(dir, { 'train-images-idx3-ubyte': images(5), 'train-labels-idx1-ubyte': labels(4) });
    await expect(importDir(['train-images-idx3-ubyte', 'train-labels-idx1-ubyte'])).rejects.toThrow(
      `${join(dir, 'train-images-idx3-ubyte')} has 5 images but ${join(dir, 'train-labels-idx1-ubyte')} has 4 labels`,
    );
  });

  it('refuses truncated data with the sizes', () => {
    expect(() => parseIdx(images(4).subarray(0, 20), 'f.idx')).toThrow('f.idx: IDX data is truncated: magic number 0x00000803 and dimensions 4×2×3 need 40 bytes, the file has 20');
  });

  it('reads a non-byte element type as float', () => {
    const header = Buffer.from([0, 0, 0x0d, 1, 0, 0, 0, 2]);
    const body = Buffer.alloc(8);
    body.writeFloatBE(1.5, 0);
    body.writeFloatBE(-2, 4);
    expect([...parseIdx(Buffer.concat([header, body]), 'f').values]).toEqual([1.5, -2]);
  });
});
