import { open, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../testing/fixtures.js';
import { builtinShapes, generateShapes, shapeNames } from './builtin/shapes.js';
import type { DatasetData } from '../../format/datasets/datasetData.js';
import { encodeDataset } from '../../format/datasets/binaryFormat.js';
import { DatasetStore, hashContent, pickPreviewIndices } from './store.js';

let dir: string;
beforeEach(async () => {
  dir = await tempDir();
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function tiny(seed = 1): DatasetData {
  const count = 6;
  return {
    format: 'csv',
    source: '/data/tiny.csv',
    kind: 'vector',
    shape: [1, 3, 1],
    samples: Float32Array.from({ length: count * 3 }, (_, i) => i * 0.5 + seed),
    labels: Int32Array.from([0, 1, 0, 1, -1, 1]),
    classNames: ['a', 'b'],
    splits: Uint8Array.from([0, 0, 0, 1, 2, 2]),
    transform: { scaling: 'minmax', offset: 0, factor: 0.1 },
  };
}

describe('DatasetStore', () => {
  it('saves, lists after a restart, renames and deletes', async () => {
    const store = new DatasetStore(dir);
    const { summary } = await store.save(tiny(), 'Tiny');
    expect(summary).toMatchObject({ id: 'tiny', name: 'Tiny', count: 6, dtype: 'float32', classCounts: [2, 3], unlabeled: 1, splits: { train: 3, validation: 1, test: 2 } });
    const reopened = new DatasetStore(dir);
    expect((await reopened.list()).map((d) => d.id)).toEqual(['tiny']);
    expect((await reopened.rename('tiny', 'Renamed')).name).toBe('Renamed');
    expect((await new DatasetStore(dir).get('tiny')).name).toBe('Renamed');
    await reopened.delete('tiny');
    expect(await new DatasetStore(dir).list()).toEqual([]);
    expect(await readdir(dir)).toEqual([]);
  });

  it('notices the same content imported twice', async () => {
    const store = new DatasetStore(dir);
    const first = await store.save(tiny(), 'One');
    const second = await store.save({ ...tiny(), source: '/elsewhere/copy.csv' }, 'Two');
    expect(second.duplicateOf).toBe(first.summary.id);
    expect(await store.list()).toHaveLength(1);
    const different = await store.save(tiny(2), 'Three');
    expect(different.duplicateOf).toBeUndefined();
  });

  it('previews samples as display bytes, spread over the classes', async () => {
    const store = new DatasetStore(dir);
    await store.save(generateShapes({ count: 50, size: 16, seed: 3 }), 'Shapes');
    const preview = await store.preview('shapes', 10);
    expect(preview.pixels.length).toBe(10 * 16 * 16);
    expect(new Set(preview.labels).size).toBe(shapeNames.length);
    const floats = await store.save(tiny(), 'Tiny');
    const p = await store.preview(floats.summary.id, 2);
    expect(Math.max(...p.pixels)).toBe(255);
    expect(Math.min(...p.pixels)).toBe(0);
  });

  it('answers an unknown id with not-found', async () => {
    await expect(new DatasetStore(dir).get('nope')).rejects.toMatchObject({ code: 'not-found', message: "No dataset with id 'nope' in this workspace" });
  });

  it('preview picks indices of the requested split only', () => {
    const labels = Int32Array.from([0, 1, 0, 1, 0, 1]);
    const splits = Uint8Array.from([0, 2, 2, 0, 2, 0]);
    expect([...pickPreviewIndices(labels, splits, 2, 10, 'test')].sort()).toEqual([1, 2, 4]);
  });
});

/** The JSON header of a stored data file, and where it starts and ends, to damage it as a disk or a hand could. */
async function headerOf(file: string): Promise<{ json: string; start: number }> {
  const bytes = await readFile(file);
  const length = bytes.readUInt32LE(8);
  return { json: bytes.subarray(12, 12 + length).toString('utf8'), start: 12 };
}

/** Writes `text` over the file's bytes at `position` without changing its length (as a bad sector or a stray write would). */
async function overwrite(file: string, position: number, text: string | Uint8Array): Promise<void> {
  const handle = await open(file, 'r+');
  try {
    await handle.write(typeof text === 'string' ? Buffer.from(text) : text, 0, typeof text === 'string' ? Buffer.byteLength(text) : text.byteLength, position);
  } finally {
    await handle.close();
  }
}

describe('DatasetStore with damaged datasets', () => {
  const ws = () => join(dir, 'ws');
  const root = () => join(ws(), 'datasets');

  it('lists a dataset whose meta.json is not JSON as damaged, keeps its id taken, and never overwrites it', async () => {
    await new DatasetStore(root()).save(tiny(), 'Tiny');
    await writeFile(join(root(), 'tiny', 'meta.json'), '{"name": "Tiny", garbage');
    const before = await readFile(join(root(), 'tiny', 'dataset.aeds'));
    const store = new DatasetStore(root());
    expect(await store.list()).toEqual([]);
    const [damaged] = await store.damagedItems();
    expect(damaged).toMatchObject({ kind: 'dataset', id: 'tiny', path: 'datasets/tiny', problem: expect.stringMatching(/^datasets\/tiny\/meta\.json: the dataset meta is not valid JSON/), remedy: expect.stringMatching(/quarantine/) });
    await expect(store.get('tiny')).rejects.toMatchObject({ code: 'corrupt-file', message: expect.stringMatching(/^Dataset 'tiny' is damaged: datasets\/tiny\/meta\.json/) });
    // Another dataset of the same name gets an id of its own; the damaged one's data is untouched.
    const { summary } = await store.save(tiny(7), 'Tiny');
    expect(summary.id).toMatch(/^tiny-[0-9a-f]{6}$/);
    expect(await readFile(join(root(), 'tiny', 'dataset.aeds'))).toEqual(before);
    expect((await new DatasetStore(root()).list()).map((d) => d.id)).toEqual([summary.id]);
  });

  it('lists a dataset file with a damaged header as damaged, naming the file, instead of "No dataset with id"', async () => {
    await new DatasetStore(root()).save(tiny(), 'Tiny');
    const file = join(root(), 'tiny', 'dataset.aeds');
    const { start } = await headerOf(file);
    await overwrite(file, start + 5, '\u0000\u0000garbage');
    const store = new DatasetStore(root());
    expect(await store.list()).toEqual([]);
    expect(await store.damagedItems()).toEqual([expect.objectContaining({ id: 'tiny', problem: expect.stringMatching(/^datasets\/tiny\/dataset\.aeds: the header is not valid JSON/) })]);
    await expect(store.get('tiny')).rejects.toMatchObject({ code: 'corrupt-file', message: expect.stringMatching(/dataset\.aeds: the header is not valid JSON/) });
    await expect(store.preview('tiny', 4)).rejects.toMatchObject({ code: 'corrupt-file' });
  });

  it('names a data file cut short, without reading past its end', async () => {
    await new DatasetStore(root()).save(tiny(), 'Tiny');
    const file = join(root(), 'tiny', 'dataset.aeds');
    const { size } = await stat(file);
    const handle = await open(file, 'r+');
    await handle.truncate(size - 20);
    await handle.close();
    expect(await new DatasetStore(root()).damagedItems()).toEqual([expect.objectContaining({ id: 'tiny', problem: expect.stringMatching(/the file is cut short/) })]);
  });

  it('shows one dataset the contract would refuse as damaged and lists the others', async () => {
    await new DatasetStore(root()).save(tiny(), 'Tiny');
    await new DatasetStore(root()).save(tiny(3), 'Other');
    // A fractional width, as a reader that did not check shapes once stored: the sections still add up.
    const data = { ...tiny(), shape: [1, 1.5, 2] as [number, number, number] };
    await writeFile(join(root(), 'tiny', 'dataset.aeds'), Buffer.concat(encodeDataset(data, hashContent(data), '2026-01-01T00:00:00.000Z')));
    const store = new DatasetStore(root());
    expect((await store.list()).map((d) => d.id)).toEqual(['other']);
    expect(await store.damagedItems()).toEqual([expect.objectContaining({ id: 'tiny', problem: expect.stringMatching(/dataset\.aeds: field 'shape\.1' of the header: .*\(found 1\.5\)/) })]);
  });

  it('refuses data whose bytes changed since the import and lists it as damaged; unchanged data is verified once', async () => {
    const store = new DatasetStore(root());
    await store.save(tiny(), 'Tiny');
    await store.save(tiny(3), 'Other');
    await store.verify('tiny');
    const file = join(root(), 'tiny', 'dataset.aeds');
    const { size } = await stat(file);
    // One sample's bytes in the middle of the file, the header and length untouched.
    await overwrite(file, size - 60, Uint8Array.of(1, 2, 3, 4));
    await expect(store.verify('tiny')).rejects.toMatchObject({
      code: 'corrupt-file',
      message: expect.stringMatching(/datasets\/tiny\/dataset\.aeds: the samples no longer match the content hash stored when the dataset was imported/),
    });
    expect((await store.list()).map((d) => d.id)).toEqual(['other']);
    expect((await store.damagedItems()).map((d) => d.id)).toEqual(['tiny']);
    await expect(store.get('tiny')).rejects.toMatchObject({ code: 'corrupt-file' });
    // A verified file whose size and mtime did not change is not read again.
    const other = join(root(), 'other', 'dataset.aeds');
    await store.verify('other');
    const { atime, mtime } = await stat(other);
    await overwrite(other, (await stat(other)).size - 60, Uint8Array.of(9, 9, 9, 9));
    await utimes(other, atime, mtime);
    await expect(store.verify('other')).resolves.toBeUndefined();
    await expect(new DatasetStore(root()).verify('other')).rejects.toMatchObject({ code: 'corrupt-file' });
  });

  it('stores through a staging folder: a killed save is not a dataset and takes no id', async () => {
    const store = new DatasetStore(root());
    await store.save(tiny(), 'Tiny');
    expect((await readdir(root())).sort()).toEqual(['tiny']);
    // What a save killed half-way leaves.
    await writeFile(join(root(), '.importing-0123456789ab'), '');
    const reopened = new DatasetStore(root());
    expect((await reopened.list()).map((d) => d.id)).toEqual(['tiny']);
    expect(await reopened.damagedItems()).toEqual([]);
  });
});

describe('Shapes', () => {
  it('is deterministic from its seed and stores its factors', () => {
    const a = generateShapes({ count: 20, size: 24, seed: 5 });
    const b = generateShapes({ count: 20, size: 24, seed: 5 });
    const c = generateShapes({ count: 20, size: 24, seed: 6 });
    expect(a.samples).toEqual(b.samples);
    expect(a.samples).not.toEqual(c.samples);
    expect(a.factors?.names).toEqual(['shape', 'x', 'y', 'scale', 'rotation']);
    for (let i = 0; i < 20; i += 1) {
      const [shape, x, y, scale] = a.factors?.values.subarray(i * 5, i * 5 + 4) ?? [];
      expect(shape).toBe(a.labels[i]);
      expect(scale).toBeGreaterThanOrEqual(0.5);
      // The shape is drawn where its factors say: the pixel at its centre is lit.
      const px = Math.floor((x ?? 0) * 24);
      const py = Math.floor((y ?? 0) * 24);
      expect(a.samples[i * 576 + py * 24 + px]).toBeGreaterThan(100);
    }
  });

  it('has every class in the built-in configuration', () => {
    const data = generateShapes({ ...builtinShapes, count: 500 });
    expect(new Set(data.labels).size).toBe(shapeNames.length);
  });
});
