import { readdir, rm } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../testing/fixtures.js';
import { builtinShapes, generateShapes, shapeNames } from './builtin/shapes.js';
import type { DatasetData } from '../../format/datasets/datasetData.js';
import { DatasetStore, pickPreviewIndices } from './store.js';

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
