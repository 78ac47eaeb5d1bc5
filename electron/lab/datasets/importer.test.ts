import { chmod, mkdir, rm, symlink, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importOptionsSchema, type ImportOptionsInput } from '../../../shared/domain/dataset.js';
import { LabError } from '../../../shared/result.js';
import { png, tempDir, writeFiles } from '../testing/fixtures.js';
import { importSources } from './importer.js';
import { collectFromPaths, collectFromUploads } from './sources/collectSources.js';

let dir: string;
beforeEach(async () => {
  dir = await tempDir();
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function importPaths(paths: string[], options: ImportOptionsInput = {}) {
  return importSources(await collectFromPaths(paths), importOptionsSchema.parse(options), () => undefined);
}

async function expectLabError(promise: Promise<unknown>, code: string, message: RegExp): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (cause: unknown) => cause,
  );
  expect(error).toBeInstanceOf(LabError);
  expect((error as LabError).code).toBe(code);
  expect((error as LabError).message).toMatch(message);
}

async function classFolders(root: string, perClass = 4): Promise<void> {
  const files: Record<string, Buffer> = {};
  let seed = 0;
  for (const cls of ['circle', 'square', 'triangle']) for (let i = 0; i < perClass; i += 1) files[`${cls}/${i}.png`] = await png(16, 16, seed++);
  await writeFiles(root, files);
}

describe('folders of images', () => {
  it('labels samples by sub-folder and reports a corrupt file by name', async () => {
    const root = join(dir, 'shapes');
    await classFolders(root);
    const whole = await png(16, 16, 99);
    await writeFiles(root, { 'square/broken.png': whole.subarray(0, whole.length - 30) });
    const outcome = await importPaths([root]);
    expect(outcome.data.classNames).toEqual(['circle', 'square', 'triangle']);
    expect(outcome.data.labels.length).toBe(12);
    expect([...outcome.data.labels].filter((l) => l === 1)).toHaveLength(4);
    expect(outcome.data.shape).toEqual([16, 16, 1]);
    expect(outcome.skipped).toHaveLength(1);
    expect(outcome.skipped[0]?.file).toBe(join(root, 'square/broken.png'));
    expect(outcome.skipped[0]?.reason).toMatch(/truncated or corrupt PNG image/);
  });

  it('leaves a flat folder of images unlabeled', async () => {
    await writeFiles(dir, { 'flat/1.png': await png(8, 8, 1), 'flat/2.png': await png(8, 8, 2) });
    const outcome = await importPaths([join(dir, 'flat')]);
    expect(outcome.data.classNames).toEqual([]);
    expect([...outcome.data.labels]).toEqual([-1, -1]);
  });

  it('labels several dropped folders by their own names', async () => {
    await writeFiles(dir, { 'cat/1.png': await png(8, 8, 1), 'dog/2.png': await png(8, 8, 2) });
    const outcome = await importPaths([join(dir, 'cat'), join(dir, 'dog')]);
    expect(outcome.data.classNames).toEqual(['cat', 'dog']);
  });

  it('keeps the pixels it decoded', async () => {
    const root = join(dir, 'one');
    await writeFiles(root, { 'a/x.png': await png(8, 8, 3) });
    const outcome = await importPaths([root]);
    const expected = Uint8Array.from({ length: 64 }, (_, i) => (3 * 37 + i * 11) % 256);
    expect(outcome.data.samples).toEqual(expected);
  });

  it('says when a PNG header is damaged', async () => {
    await classFolders(join(dir, 'set'), 1);
    await writeFiles(dir, { 'set/circle/cut.png': (await png(16, 16, 5)).subarray(0, 40) });
    const outcome = await importPaths([join(dir, 'set')]);
    expect(outcome.skipped).toEqual([{ file: join(dir, 'set/circle/cut.png'), reason: 'corrupt PNG image: its header is damaged' }]);
  });

  it('reports a zero-byte file', async () => {
    await classFolders(join(dir, 'set'), 1);
    await writeFiles(dir, { 'set/circle/empty.png': new Uint8Array(0) });
    const outcome = await importPaths([join(dir, 'set')]);
    expect(outcome.skipped).toEqual([{ file: join(dir, 'set/circle/empty.png'), reason: 'empty file (0 bytes)' }]);
  });

  it('refuses a single zero-byte file with its name', async () => {
    await writeFiles(dir, { 'empty.png': new Uint8Array(0) });
    await expectLabError(importPaths([join(dir, 'empty.png')]), 'corrupt-file', /empty\.png: empty file \(0 bytes\)/);
  });

  it('says a text file named .png is text', async () => {
    await classFolders(join(dir, 'set'), 1);
    await writeFiles(dir, { 'set/square/notes.png': 'this is not an image\n' });
    const outcome = await importPaths([join(dir, 'set')]);
    expect(outcome.skipped[0]?.reason).toBe('not a PNG image: the content is text');
  });

  it('resizes images of mixed sizes to the most common one and says so', async () => {
    await writeFiles(dir, { 'm/a/1.png': await png(20, 20, 1), 'm/a/2.png': await png(20, 20, 2), 'm/b/3.png': await png(32, 24, 3) });
    const outcome = await importPaths([join(dir, 'm')]);
    expect(outcome.data.shape).toEqual([20, 20, 1]);
    expect(outcome.data.labels.length).toBe(3);
    expect(outcome.notes.join('\n')).toMatch(/resized to 20×20: 1 at 32×24/);
  });

  it('scales a 5000×5000 image down', async () => {
    const big = await (await import('sharp')).default({ create: { width: 5000, height: 5000, channels: 3, background: '#808080' } }).png().toBuffer();
    await writeFiles(dir, { 'big/x/huge.png': big });
    const outcome = await importPaths([join(dir, 'big')]);
    expect(outcome.data.shape).toEqual([64, 64, 3]);
    expect(outcome.notes.join('\n')).toMatch(/5000×5000/);
    expect((outcome.data.samples as Uint8Array)[100]).toBe(128);
  });

  it('decodes RGB when asked, and honours a target size', async () => {
    await writeFiles(dir, { 'c/a/1.png': await png(10, 10, 1, 3) });
    const outcome = await importPaths([join(dir, 'c')], { color: 'rgb', size: [6, 8] });
    expect(outcome.data.shape).toEqual([6, 8, 3]);
    expect(outcome.data.samples.length).toBe(6 * 8 * 3);
  });

  it('refuses an empty folder', async () => {
    await mkdir(join(dir, 'nothing'));
    await expectLabError(importPaths([join(dir, 'nothing')]), 'empty-input', /nothing: nothing to import \(empty folder or archive\)/);
  });

  it('reports a file that cannot be read', async () => {
    await classFolders(join(dir, 'set'), 2);
    const collected = await collectFromPaths([join(dir, 'set')]);
    // The file disappears between listing and reading, as on a flaky network share.
    await unlink(join(dir, 'set/circle/0.png'));
    const outcome = await importSources(collected, importOptionsSchema.parse({}), () => undefined);
    expect(outcome.skipped).toEqual([{ file: join(dir, 'set/circle/0.png'), reason: `${join(dir, 'set/circle/0.png')}: cannot be read (ENOENT)` }]);
  });

  it.skipIf(process.getuid?.() === 0)('reports a file without read permission', async () => {
    await classFolders(join(dir, 'set'), 2);
    await chmod(join(dir, 'set/circle/0.png'), 0o000);
    const outcome = await importPaths([join(dir, 'set')]);
    expect(outcome.skipped[0]?.reason).toMatch(/cannot be read \(EACCES\)/);
  });

  it('skips links and unsupported files with a reason', async () => {
    await classFolders(join(dir, 'set'), 1);
    await writeFiles(dir, { 'set/readme.txt': 'hello', 'set/.DS_Store': 'x' });
    await symlink(join(dir, 'set/circle/0.png'), join(dir, 'set/circle/link.png'));
    const outcome = await importPaths([join(dir, 'set')]);
    const reasons = Object.fromEntries(outcome.skipped.map((s) => [s.file.replace(dir, ''), s.reason]));
    expect(reasons).toEqual({ '/set/circle/link.png': 'symbolic link within the folder; not followed (its target is read where it lies)', '/set/readme.txt': "unsupported file type '.txt'" });
  });

  it('never modifies the user files', async () => {
    await classFolders(join(dir, 'set'), 2);
    const before = await collectFromPaths([join(dir, 'set')]);
    const bytes = await Promise.all(before.files.map((f) => f.read()));
    await importPaths([join(dir, 'set')]);
    const after = await Promise.all((await collectFromPaths([join(dir, 'set')])).files.map((f) => f.read()));
    expect(after).toEqual(bytes);
  });

  it('reads uploads with their relative paths as a browser sends them', async () => {
    const files = [
      { path: 'pets/cat/1.png', bytes: new Uint8Array(await png(8, 8, 1)) },
      { path: 'pets/dog/2.png', bytes: new Uint8Array(await png(8, 8, 2)) },
    ];
    const outcome = await importSources(await collectFromUploads(files), importOptionsSchema.parse({}), () => undefined);
    expect(outcome.data.classNames).toEqual(['cat', 'dog']);
    expect(outcome.data.source).toBe('pets');
  });

  it('reports decoding progress up to the total', async () => {
    await classFolders(join(dir, 'set'), 3);
    const seen: number[] = [];
    await importSources(await collectFromPaths([join(dir, 'set')]), importOptionsSchema.parse({}), (phase, done, total) => {
      if (phase === 'decoding') seen.push(done / total);
    });
    expect(seen.at(-1)).toBe(1);
    expect(seen.length).toBeGreaterThan(1);
  });
});

describe('cancelling', () => {
  it('stops between images when the signal is aborted, with the code cancelled', async () => {
    await classFolders(join(dir, 'set'), 20);
    const controller = new AbortController();
    const decoded: number[] = [];
    const error = await importSources(
      await collectFromPaths([join(dir, 'set')], controller.signal),
      importOptionsSchema.parse({}),
      (phase, done) => {
        if (phase !== 'decoding') return;
        decoded.push(done);
        if (done === 5) controller.abort();
      },
      undefined,
      controller.signal,
    ).catch((cause: unknown) => cause);
    expect(error).toBeInstanceOf(LabError);
    expect((error as LabError).code).toBe('cancelled');
    expect((error as LabError).message).toBe('The import was cancelled; nothing was stored');
    // The images in flight finish; no new one starts.
    expect(Math.max(...decoded)).toBeLessThan(5 + 8 + 1);
  });

  it('refuses to start collecting once cancelled', async () => {
    await classFolders(join(dir, 'set'), 1);
    await expectLabError(collectFromPaths([join(dir, 'set')], AbortSignal.abort()), 'cancelled', /cancelled/);
  });
});

describe('splits', () => {
  it('applies the fractions with a seed', async () => {
    await classFolders(join(dir, 'set'), 10);
    const a = await importPaths([join(dir, 'set')], { validationFraction: 0.2, testFraction: 0.1, seed: 7 });
    const b = await importPaths([join(dir, 'set')], { validationFraction: 0.2, testFraction: 0.1, seed: 7 });
    const counts = [0, 0, 0];
    for (const s of a.data.splits) counts[s] = (counts[s] ?? 0) + 1;
    expect(counts).toEqual([21, 6, 3]);
    expect(a.data.splits).toEqual(b.data.splits);
  });

  it('rejects fractions that leave too little for training', () => {
    expect(importOptionsSchema.safeParse({ validationFraction: 0.5, testFraction: 0.45 }).success).toBe(false);
  });
});

describe('unsupported input', () => {
  it('refuses a folder with nothing the lab reads', async () => {
    await writeFiles(dir, { 'docs/a.txt': 'x', 'docs/b.pdf': 'y' });
    await expectLabError(importPaths([join(dir, 'docs')]), 'empty-input', /none of the files is an image, IDX, CSV, NPY or NPZ file/);
  });

  it('names a path that does not exist', async () => {
    await expectLabError(importPaths([join(dir, 'missing')]), 'not-found', /missing: no such file or folder/);
  });

  it('writes nothing into the user folder', async () => {
    await classFolders(join(dir, 'set'), 1);
    await writeFile(join(dir, 'set', 'marker'), 'm');
    await importPaths([join(dir, 'set')]);
    const { readdir } = await import('node:fs/promises');
    expect((await readdir(join(dir, 'set'))).sort()).toEqual(['circle', 'marker', 'square', 'triangle']);
  });
});
