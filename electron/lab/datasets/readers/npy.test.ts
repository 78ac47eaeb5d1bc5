import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importOptionsSchema } from '../../../../shared/domain/dataset.js';
import { LabError } from '../../../../shared/result.js';
import { npy, tempDir, writeFiles, zip } from '../../testing/fixtures.js';
import { importSources } from '../importer.js';
import { collectFromPaths } from '../sources/collectSources.js';
import type { SourceFile } from '../sources/sourceFile.js';
import { zipSources } from '../sources/zipArchive.js';
import { samplesFromNamedArrays } from './namedArrays.js';
import { parseNpy } from './npy.js';

const f32 = (values: number[]) => new Uint8Array(Float32Array.from(values).buffer);
const f64 = (values: number[]) => new Uint8Array(Float64Array.from(values).buffer);

let dir: string;
beforeEach(async () => {
  dir = await tempDir();
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Writes the files and imports them as the CLI would; resolves to the LabError it fails with. */
async function importError(files: Record<string, Buffer>): Promise<LabError> {
  await writeFiles(dir, files);
  const collected = await collectFromPaths(Object.keys(files).map((name) => join(dir, name)));
  const error = await importSources(collected, importOptionsSchema.parse({}), () => undefined).then(
    () => undefined,
    (cause: unknown) => cause,
  );
  expect(error).toBeInstanceOf(LabError);
  return error as LabError;
}

/** An .npy written with format version 2 (a 4-byte header length), from a version-1 file. */
function version2(v1: Buffer, headerLength = v1.readUInt16LE(8)): Buffer {
  const out = Buffer.alloc(v1.length + 2);
  v1.copy(out, 0, 0, 8);
  out[6] = 2;
  out.writeUInt32LE(headerLength, 8);
  v1.copy(out, 12, 10);
  return out;
}

describe('NPY reader', () => {
  it('reads uint8 and float32 arrays with their shape', () => {
    const bytes = npy('|u1', [2, 2, 2], Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]));
    expect(parseNpy(bytes, 'a.npy')).toMatchObject({ shape: [2, 2, 2], dtype: '|u1' });
    const floats = parseNpy(npy('<f4', [1, 3], f32([0.5, -1, 2])), 'b.npy');
    expect([...floats.values]).toEqual([0.5, -1, 2]);
  });

  it('reads int64', () => {
    const data = new Uint8Array(BigInt64Array.from([5n, -7n]).buffer);
    expect([...parseNpy(npy('<i8', [2], data), 'c.npy').values]).toEqual([5, -7]);
  });

  it('names an unsupported dtype', () => {
    expect(() => parseNpy(npy('<c8', [1], new Uint8Array(8)), 'z.npy')).toThrow("z.npy: dtype '<c8' (complex) is not supported; the lab reads bool, integer and float arrays");
    expect(() => parseNpy(npy('|O', [1], new Uint8Array(8)), 'o.npy')).toThrow(/Python object/);
  });

  it('refuses big-endian and truncated arrays', () => {
    expect(() => parseNpy(npy('>f4', [1], new Uint8Array(4)), 'be.npy')).toThrow(/big-endian dtype '>f4'/);
    expect(() => parseNpy(npy('<f4', [10], new Uint8Array(8)), 't.npy')).toThrow(/t\.npy: data is truncated/);
  });

  it('refuses a file without the magic', () => {
    expect(() => parseNpy(Buffer.from('hello world, not numpy'), 'n.npy')).toThrow(/not a NumPy \.npy file/);
  });
});

describe('NPY shapes and values refused at import', () => {
  it('refuses a fractional dimension, naming the file and the dimension', async () => {
    // A hand-written header: np.save never writes one, but nothing stops a file from saying it.
    const error = await importError({ 'x.npy': npy('<f4', [4, 2.5] as number[], f32(new Array(10).fill(0.5))) });
    expect(error.code).toBe('corrupt-file');
    expect(error.message).toBe(`${join(dir, 'x.npy')}: shape (4, 2.5): dimension 2 is '2.5', not a whole number; every dimension must be an integer of at least 1`);
  });

  it('refuses a zero or negative dimension', async () => {
    expect((await importError({ 'x.npy': npy('|u1', [0, 3], new Uint8Array(0)) })).message).toBe(
      `${join(dir, 'x.npy')}: shape (0, 3): dimension 1 is 0, so the array holds no values; every dimension must be at least 1`,
    );
    expect((await importError({ 'y.npy': npy('|u1', [4, 0], new Uint8Array(0)) })).message).toMatch(/y\.npy: shape \(4, 0\): dimension 2 is 0/);
    expect((await importError({ 'z.npy': npy('|i1', [-4, 6], new Uint8Array(24)) })).message).toMatch(/z\.npy: shape \(-4, 6\): dimension 1 is '-4', not a whole number/);
  });

  it('refuses NaN and infinite float values, naming the first element', async () => {
    const nan = await importError({ 'f.npy': npy('<f4', [2, 3], f32([0, 1, 2, 3, Number.NaN, 5])) });
    expect(nan.code).toBe('corrupt-file');
    expect(nan.message).toBe(`${join(dir, 'f.npy')}: element [1, 1] (value 4) is NaN; NaN and infinite values cannot be trained on, replace or drop them before importing`);
    const inf = await importError({ 'd.npy': npy('<f8', [2, 2], f64([1, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 0])) });
    expect(inf.message).toMatch(/d\.npy: element \[0, 1\] \(value 1\) is Infinity;/);
  });

  it('refuses data after what the header declares, with its size', async () => {
    const error = await importError({ 't.npy': Buffer.concat([npy('|u1', [2, 3], new Uint8Array(6)), Buffer.alloc(100)]) });
    expect(error.message).toBe(`${join(dir, 't.npy')}: 100 bytes of data after the 6 bytes its header declares (shape (2, 3) of |u1); the header does not describe this file`);
    const gz = await importError({ 't.npy.gz': gzipSync(Buffer.concat([npy('|u1', [2, 3], new Uint8Array(6)), Buffer.alloc(5000)])) });
    expect(gz.message).toMatch(/t\.npy\.gz: 4\.9 KiB of data after the \d+ bytes its header declares/);
  });

  it('says a version-2 header length that runs past the file is cut short, not a negative byte count', async () => {
    const v1 = npy('<f4', [4, 6], f32(new Array(24).fill(1)));
    expect(parseNpy(version2(v1), 'v2.npy').shape).toEqual([4, 6]);
    expect(() => parseNpy(version2(v1, 4_000_000_000), 'v2.npy')).toThrow('v2.npy: the .npy header length field says 4000000000 bytes, far more than a header takes; the file is damaged');
    expect(() => parseNpy(version2(v1, 5000), 'v2.npy')).toThrow(/^v2\.npy: the \.npy header is cut short: it declares 5000 bytes, only \d+ are in the file$/);
  });
});

describe('named arrays (NPZ members, NPY files)', () => {
  it('finds x_train/y_train/x_test/y_test and keeps the test split', () => {
    const arrays = new Map([
      ['x_train', parseNpy(npy('|u1', [3, 2, 2], new Uint8Array(12)), 'x')],
      ['y_train', parseNpy(npy('|u1', [3], Uint8Array.from([0, 1, 1])), 'y')],
      ['x_test', parseNpy(npy('|u1', [1, 2, 2], new Uint8Array(4)), 'xt')],
      ['y_test', parseNpy(npy('|u1', [1], Uint8Array.from([1])), 'yt')],
    ]);
    const samples = samplesFromNamedArrays(arrays, 'd.npz', []);
    expect(samples.shape).toEqual([2, 2, 1]);
    expect([...samples.labels]).toEqual([0, 1, 1, 1]);
    expect([...(samples.predefinedTest ?? [])]).toEqual([0, 0, 0, 1]);
  });

  it('transposes channels-first image stacks', () => {
    const data = Uint8Array.from([1, 2, 3, 4, 10, 20, 30, 40, 5, 6, 7, 8]);
    const samples = samplesFromNamedArrays(new Map([['images', parseNpy(npy('|u1', [1, 3, 2, 2], data), 'i')]]), 'i.npy', []);
    expect(samples.shape).toEqual([2, 2, 3]);
    expect([...samples.samples.slice(0, 6)]).toEqual([1, 10, 5, 2, 20, 6]);
  });

  it('says which arrays it found when none is a sample array', () => {
    const arrays = new Map([
      ['foo', parseNpy(npy('|u1', [2], new Uint8Array(2)), 'f')],
      ['bar', parseNpy(npy('|u1', [2], new Uint8Array(2)), 'b')],
    ]);
    expect(() => samplesFromNamedArrays(arrays, 'd.npz', [])).toThrow("d.npz: no sample array among 'foo', 'bar'; name it x, images or data (and labels y)");
  });

  it('reads an NPZ archive through the ZIP reader', async () => {
    const archive = zip([
      { name: 'x.npy', data: npy('<f4', [2, 3], f32([0, 0.5, 1, 1, 0.5, 0])), deflate: true },
      { name: 'y.npy', data: npy('|u1', [2], Uint8Array.from([3, 4])) },
    ]);
    const file: SourceFile = { display: 'd.npz', segments: ['d.npz'], size: archive.length, read: () => Promise.resolve(archive) };
    const members = await zipSources(file);
    const arrays = new Map(await Promise.all(members.map(async (m) => [m.segments.at(-1)?.replace('.npy', '') ?? '', parseNpy(await m.read(), m.display)] as const)));
    const samples = samplesFromNamedArrays(arrays, 'd.npz', []);
    expect(samples.classNames).toEqual(['3', '4']);
    expect(samples.samples).toBeInstanceOf(Float32Array);
  });
});
