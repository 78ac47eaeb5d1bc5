import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importOptionsSchema } from '../../../../shared/domain/dataset.js';
import { LabError } from '../../../../shared/result.js';
import { png, tempDir, writeFiles, zip } from '../../testing/fixtures.js';
import { importSources } from '../importer.js';
import { collectFromPaths } from './collectSources.js';
import { isUnsafeEntryName, zipSources } from './zipArchive.js';

let dir: string;
beforeEach(async () => {
  dir = await tempDir();
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const asSource = (bytes: Buffer, name = 'a.zip') => ({ display: name, segments: [name], size: bytes.length, read: () => Promise.resolve(bytes) });

describe('ZIP archives', () => {
  it('imports class folders inside an archive', async () => {
    const archive = zip([
      { name: 'set/cat/1.png', data: await png(8, 8, 1) },
      { name: 'set/cat/2.png', data: await png(8, 8, 2), deflate: true },
      { name: 'set/dog/3.png', data: await png(8, 8, 3) },
      { name: '__MACOSX/set/cat/._1.png', data: Buffer.from('junk') },
    ]);
    await writeFiles(dir, { 'pets.zip': archive });
    const outcome = await importSources(await collectFromPaths([join(dir, 'pets.zip')]), importOptionsSchema.parse({}), () => undefined);
    expect(outcome.data.classNames).toEqual(['cat', 'dog']);
    expect(outcome.data.format).toBe('zip');
    expect(outcome.skipped).toEqual([]);
  });

  it('refuses entries that climb out of the archive', async () => {
    for (const name of ['../evil.png', 'a/../../evil.png', '/etc/evil.png', 'C:\\evil.png']) {
      expect(isUnsafeEntryName(name)).toBe(true);
      const error = await zipSources(asSource(zip([{ name, data: Buffer.from('x') }]))).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(LabError);
      expect((error as LabError).code).toBe('unsafe-archive');
      expect((error as LabError).message).toMatch(/^a\.zip: entry '.*evil\.png' points outside the archive; the archive was refused$/);
    }
    expect(isUnsafeEntryName('a/b..c/d.png')).toBe(false);
  });

  it('refuses a ZIP bomb by its compression ratio and by total size', async () => {
    const bomb = zip([{ name: 'zeros.png', data: Buffer.alloc(20 * 1024 ** 2), deflate: true }]);
    const error = (await zipSources(asSource(bomb, 'bomb.zip')).catch((e: unknown) => e)) as LabError;
    expect(error.code).toBe('archive-too-large');
    expect(error.message).toMatch(/bomb\.zip: entry 'zeros\.png' would inflate to 20971520 bytes \(ratio \d+:1\); refused as a likely ZIP bomb/);
    const many = zip([{ name: 'a.png', data: Buffer.alloc(1000) }, { name: 'b.png', data: Buffer.alloc(1000) }]);
    const total = (await zipSources(asSource(many), { maxEntries: 10, maxTotalBytes: 1500, maxEntryBytes: 10_000, maxRatio: 1000 }).catch((e: unknown) => e)) as LabError;
    expect(total.message).toBe('a.zip: would inflate to 2000 bytes, more than the limit of 1500');
  });

  it('names an archive that is not a ZIP', async () => {
    const error = (await zipSources(asSource(Buffer.from('definitely not a zip file at all, just text'))).catch((e: unknown) => e)) as LabError;
    expect(error.code).toBe('corrupt-file');
    expect(error.message).toMatch(/^a\.zip: not a readable ZIP archive/);
  });

  it('refuses an empty archive as empty input', async () => {
    await writeFiles(dir, { 'empty.zip': zip([]) });
    await expect(importSources(await collectFromPaths([join(dir, 'empty.zip')]), importOptionsSchema.parse({}), () => undefined)).rejects.toThrow(/nothing to import/);
  });
});
