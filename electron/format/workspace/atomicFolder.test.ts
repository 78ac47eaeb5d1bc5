import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { completeFolder, replaceFolderAtomic, settleFolder } from './atomicFolder.js';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'aelab-folder-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

/** A folder as a checkpoint writes it: the weights, then the marker naming the epoch. */
async function writeEpoch(folder: string, epoch: number, withMarker = true): Promise<void> {
  await mkdir(folder, { recursive: true });
  await writeFile(join(folder, 'weights.bin'), `weights of epoch ${epoch}`);
  if (withMarker) await writeFile(join(folder, 'state.json'), JSON.stringify({ epoch }));
}

async function epochIn(folder: string): Promise<{ marker: number; weights: string }> {
  const state = JSON.parse(await readFile(join(folder, 'state.json'), 'utf8')) as { epoch: number };
  return { marker: state.epoch, weights: await readFile(join(folder, 'weights.bin'), 'utf8') };
}

describe('a folder replaced as one', () => {
  it('replaces the old content and leaves nothing beside it', async () => {
    const target = join(root, 'last');
    await replaceFolderAtomic(target, 'state.json', (f) => writeEpoch(f, 1));
    await replaceFolderAtomic(target, 'state.json', (f) => writeEpoch(f, 2));
    expect(await epochIn(target)).toEqual({ marker: 2, weights: 'weights of epoch 2' });
    expect(await readdir(root)).toEqual(['last']);
  });

  it('keeps the old folder whole when writing the new one fails half-way', async () => {
    const target = join(root, 'last');
    await replaceFolderAtomic(target, 'state.json', (f) => writeEpoch(f, 1));
    const failing = replaceFolderAtomic(target, 'state.json', async (f) => {
      await writeEpoch(f, 2, false);
      throw new Error('disk full');
    });
    await expect(failing).rejects.toThrow('disk full');
    expect(await epochIn(target)).toEqual({ marker: 1, weights: 'weights of epoch 1' });
    // The half-written folder is gone, not left beside the checkpoint to look like one.
    expect(await readdir(root)).toEqual(['last']);
    await expect(replaceFolderAtomic(target, 'state.json', (f) => writeEpoch(f, 2, false))).rejects.toThrow(/without its state.json/);
    expect(await epochIn(target)).toEqual({ marker: 1, weights: 'weights of epoch 1' });
  });

  // The states a kill can leave, step by step through a replacement of epoch 1 by epoch 2.
  const killedAt: Array<[string, (target: string) => Promise<void>, number]> = [
    ['while the new folder is written', async (t) => { await writeEpoch(t, 1); await writeEpoch(`${t}.partial`, 2, false); }, 1],
    ['after the new folder is complete', async (t) => { await writeEpoch(t, 1); await writeEpoch(`${t}.partial`, 2); }, 1],
    ['after the old folder moved aside', async (t) => { await writeEpoch(`${t}.previous`, 1); await writeEpoch(`${t}.partial`, 2); }, 2],
    ['before the old folder is removed', async (t) => { await writeEpoch(`${t}.previous`, 1); await writeEpoch(t, 2); }, 2],
  ];
  for (const [moment, leave, epoch] of killedAt) {
    it(`a kill ${moment} leaves one whole epoch, readable at once and settled in place`, async () => {
      const target = join(root, 'last');
      await leave(target);
      const readable = completeFolder(target, 'state.json');
      expect(readable).not.toBeNull();
      expect((await epochIn(readable ?? '')).marker).toBe(epoch);
      await settleFolder(target, 'state.json');
      expect(await epochIn(target)).toEqual({ marker: epoch, weights: `weights of epoch ${epoch}` });
      expect(await readdir(root)).toEqual(['last']);
    });
  }

  it('has nothing to read or settle where nothing was written', async () => {
    const target = join(root, 'last');
    expect(completeFolder(target, 'state.json')).toBeNull();
    await settleFolder(target, 'state.json');
    expect(await readdir(root)).toEqual([]);
  });
});
