import { readFile, rm } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { datasetsRoot } from '../../../format/datasets/datasetFolder.js';
import { tempDir, writeFiles } from '../../testing/fixtures.js';
import { DatasetStore } from '../store.js';
import { builtinsLedgerFile, ensureBuiltins } from './builtins.js';

let ws: string;
beforeEach(async () => {
  ws = await tempDir('aelab-builtins-');
});
afterEach(async () => {
  await rm(ws, { recursive: true, force: true });
});

const noFashionMnist = { fashionMnistDir: '' };
const ids = async (): Promise<string[]> => (await new DatasetStore(datasetsRoot(ws)).list()).map((d) => d.id);

describe('built-in datasets', () => {
  it('makes Shapes and Colour Shapes in a new workspace, once, and a deleted one stays deleted', async () => {
    const store = new DatasetStore(datasetsRoot(ws));
    expect(await ensureBuiltins(store, ws, noFashionMnist)).toBe(true);
    const listed = await store.list();
    expect(listed.map((d) => [d.id, d.name, d.builtin, d.shape, d.count])).toEqual([
      ['shapes', 'Shapes', true, [32, 32, 1], 10_000],
      ['colour-shapes', 'Colour Shapes', true, [32, 32, 3], 10_000],
    ]);
    expect(listed[1]?.factorNames).toEqual(['shape', 'x', 'y', 'scale', 'rotation', 'background']);
    expect(JSON.parse(await readFile(builtinsLedgerFile(ws), 'utf8'))).toMatchObject({ shapes: true, colourShapes: true });

    await store.delete('colour-shapes');
    expect(await ensureBuiltins(new DatasetStore(datasetsRoot(ws)), ws, noFashionMnist)).toBe(false);
    expect(await ids()).toEqual(['shapes']);
  });

  it('adds Colour Shapes once to a workspace made before it existed, and does not bring back its Shapes', async () => {
    // A workspace whose user deleted Shapes, from before Colour Shapes.
    await writeFiles(ws, { 'builtins.json': '{"formatVersion":1,"shapes":true}' });
    expect(await ensureBuiltins(new DatasetStore(datasetsRoot(ws)), ws, noFashionMnist)).toBe(true);
    expect(await ids()).toEqual(['colour-shapes']);
    expect(await ensureBuiltins(new DatasetStore(datasetsRoot(ws)), ws, noFashionMnist)).toBe(false);
    expect(await ids()).toEqual(['colour-shapes']);
  });
});
