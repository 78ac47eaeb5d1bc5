import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lecturePresets } from '../../../shared/catalogue/lecturePresets.js';
import { validateRunConfig } from '../../../shared/catalogue/runConfig.js';
import { tempDir } from '../testing/fixtures.js';
import { PresetStore, savedPresetId } from './presetStore.js';

let dir: string;
let file: string;
beforeEach(async () => {
  dir = await tempDir();
  file = join(dir, 'presets.json');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const variant = { name: 'tiny', architecture: 'dense', objective: 'plain', latentDim: 2, epochs: 3 } as const;

describe('PresetStore', () => {
  it('lists the lecture presets first, then saved ones; saving under a name again replaces it', async () => {
    const store = new PresetStore(file);
    expect((await store.list()).map((p) => p.id)).toEqual(lecturePresets.map((p) => p.id));
    await store.save('My sweep', '', [variant]);
    await store.save('my   SWEEP', 'now two', [variant, { ...variant, latentDim: 8 }]);
    const saved = (await store.list()).filter((p) => !p.builtIn);
    expect(saved).toHaveLength(1);
    expect(saved[0]).toMatchObject({ id: 'saved-my-sweep', name: 'my   SWEEP', description: 'now two' });
    expect(saved[0]?.variants.map((v) => v.latentDim)).toEqual([2, 8]);
    // Another store on the same file sees it: it is on disk, not in memory.
    expect((await new PresetStore(file).list()).some((p) => p.id === 'saved-my-sweep')).toBe(true);
  });

  it('keeps both of two saves made at once', async () => {
    const store = new PresetStore(file);
    await Promise.all([store.save('a', '', [variant]), store.save('b', '', [variant])]);
    expect((await store.list()).filter((p) => !p.builtIn).map((p) => p.id).sort()).toEqual(['saved-a', 'saved-b']);
  });

  it('deletes saved configurations and refuses to delete built-in ones', async () => {
    const store = new PresetStore(file);
    await store.save('a', '', [variant]);
    await store.delete('saved-a');
    expect((await store.list()).some((p) => p.id === 'saved-a')).toBe(false);
    await expect(store.delete('lecture-denoising')).rejects.toMatchObject({ code: 'invalid-request', message: /built-in/ });
    await expect(store.delete('saved-nope')).rejects.toMatchObject({ code: 'not-found' });
  });

  it('names a corrupt file and leaves it untouched when asked to save', async () => {
    await writeFile(file, '{"version": 1, "presets": [');
    const store = new PresetStore(file);
    await expect(store.list()).rejects.toMatchObject({ code: 'corrupt-file', message: expect.stringContaining(file) as unknown });
    await expect(store.save('a', '', [variant])).rejects.toMatchObject({ code: 'corrupt-file' });
    expect(await readFile(file, 'utf8')).toBe('{"version": 1, "presets": [');
  });

  it('refuses a configuration that is not one', async () => {
    const store = new PresetStore(file);
    await expect(store.save('bad', '', [{ ...variant, latentDim: -1 }])).rejects.toMatchObject({ code: 'invalid-request', message: /configuration 'bad': variants\.0\.latentDim/ });
    await expect(store.save('none', '', [])).rejects.toMatchObject({ code: 'invalid-request', message: /variants/ });
  });

  it('derives ids from names', () => {
    expect(savedPresetId(' Denoising σ sweep! ')).toBe('saved-denoising-sweep');
    expect(savedPresetId('…')).toBe('saved-configuration');
  });
});

describe('lecture presets', () => {
  it('each variant of each is a valid configuration on Fashion-MNIST and on Shapes', () => {
    for (const shape of [
      [28, 28, 1],
      [32, 32, 1],
    ] as const) {
      for (const preset of lecturePresets)
        for (const v of preset.variants) {
          const result = validateRunConfig({ ...v, datasetId: 'x' }, { shape, kind: 'image', unitRange: true });
          expect(result.ok ? [] : result.errors, `${preset.id} / ${v.name ?? ''}`).toEqual([]);
        }
    }
  });
});
