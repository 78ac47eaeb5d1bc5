import { execFileSync } from 'node:child_process';
import { mkdir, rm, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importOptionsSchema } from '../../../../shared/domain/dataset.js';
import { LabError } from '../../../../shared/result.js';
import { png, tempDir, writeFiles, zip } from '../../testing/fixtures.js';
import { importSources } from '../importer.js';
import { collectFromPaths, collectFromUploads } from './collectSources.js';

const archive = zip([{ name: 'a.csv', data: Buffer.from('1,2\n') }]);
const suggested = async (...paths: string[]) =>
  (await collectFromUploads(paths.map((path) => ({ path, bytes: path.endsWith('.zip') ? new Uint8Array(archive) : new Uint8Array(0) })))).suggestedName;

describe('suggested dataset names', () => {
  it.each([
    [['table.csv'], 'table'],
    [['x.npy'], 'x'],
    [['mnist.npz'], 'mnist'],
    [['photo.png'], 'photo.png'],
    [['shapes/a/1.png'], 'shapes'],
    [['pets.zip'], 'pets'],
    [['train-images-idx3-ubyte.gz'], 'train'],
    [['fashion-train-images-idx3-ubyte'], 'fashion-train'],
    [['emnist-idx3-ubyte.zip'], 'emnist'],
    [['x.npy', 'y.npy'], 'x'],
    [['train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz'], 'idx dataset'],
    [['kmnist-train-imgs.npz', 'kmnist-train-labels-idx1-ubyte.gz'], 'kmnist-train-labels'],
    [['mnist_idx3-ubyte.gz', 'notes.txt'], 'mnist'],
  ])('names %j %s', async (paths, name) => {
    expect(await suggested(...paths)).toBe(name);
  });
});

describe('links and special files on disk', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await tempDir();
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('follows a data folder the user named through a symbolic link, and skips a link inside that leads out of it', async () => {
    // ~/data -> /mnt/disk/data, the layout of a dataset kept on another disk.
    await writeFiles(dir, { 'mnt/data/cat/1.png': await png(8, 8, 1), 'mnt/data/dog/2.png': await png(8, 8, 2), 'elsewhere/secret.png': await png(8, 8, 3) });
    await symlink(join(dir, 'elsewhere/secret.png'), join(dir, 'mnt/data/dog/escape.png'));
    await symlink(join(dir, 'mnt/data'), join(dir, 'data'));
    const collected = await collectFromPaths([join(dir, 'data')]);
    expect(collected.files.map((f) => f.display)).toEqual([join(dir, 'data/cat/1.png'), join(dir, 'data/dog/2.png')]);
    expect(collected.suggestedName).toBe('data');
    expect(collected.skipped).toEqual([{ file: join(dir, 'data/dog/escape.png'), reason: `symbolic link to ${join(dir, 'elsewhere/secret.png')}, outside the folder; not followed` }]);
    const outcome = await importSources(collected, importOptionsSchema.parse({}), () => undefined);
    expect(outcome.data.classNames).toEqual(['cat', 'dog']);
  });

  it('names a symbolic link the user named whose target is missing', async () => {
    await symlink(join(dir, 'gone'), join(dir, 'data'));
    await expect(collectFromPaths([join(dir, 'data')])).rejects.toThrow(`${join(dir, 'data')}: a symbolic link to ${join(dir, 'gone')}, which does not exist`);
  });

  it.skipIf(process.platform === 'win32')('gives a named pipe its own message, never reading it', async () => {
    await mkdir(join(dir, 'set'));
    await writeFiles(dir, { 'set/a/1.png': await png(8, 8, 1) });
    execFileSync('mkfifo', [join(dir, 'set/a/pipe.png')]);
    const collected = await collectFromPaths([join(dir, 'set')]);
    expect(collected.skipped).toEqual([{ file: join(dir, 'set/a/pipe.png'), reason: 'a named pipe (FIFO), not a file; not read' }]);
    const error = (await collectFromPaths([join(dir, 'set/a/pipe.png')]).catch((cause: unknown) => cause)) as LabError;
    expect(error).toBeInstanceOf(LabError);
    expect(error.message).toBe(`${join(dir, 'set/a/pipe.png')}: a named pipe (FIFO), not a file or folder; the lab imports files and folders`);
    await symlink(join(dir, 'set/a/pipe.png'), join(dir, 'link'));
    await expect(collectFromPaths([join(dir, 'link')])).rejects.toThrow(`${join(dir, 'link')} (a symbolic link to ${join(dir, 'set/a/pipe.png')}): a named pipe (FIFO)`);
  });
});
