import { describe, expect, it } from 'vitest';
import { npy, zip } from '../../testing/fixtures.js';
import type { SourceFile } from '../sources/sourceFile.js';
import { zipSources } from '../sources/zipArchive.js';
import { samplesFromNamedArrays } from './namedArrays.js';
import { parseNpy } from './npy.js';

const f32 = (values: number[]) => new Uint8Array(Float32Array.from(values).buffer);

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
