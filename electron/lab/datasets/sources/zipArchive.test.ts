import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importOptionsSchema } from '../../../../shared/domain/dataset.js';
import { LabError } from '../../../../shared/result.js';
import { npy, png, tempDir, writeFiles, zip } from '../../testing/fixtures.js';
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

/** Sets the general-purpose flag bit 0 (encrypted) on the named entry, in its local and its central header. */
function encrypt(archive: Buffer, name: string): Buffer {
  const out = Buffer.from(archive);
  const nameBytes = Buffer.from(name);
  for (let at = 0; at + 4 <= out.length; at += 1) {
    const signature = out.readUInt32LE(at);
    if (signature === 0x04034b50 && out.subarray(at + 30, at + 30 + nameBytes.length).equals(nameBytes)) out.writeUInt16LE(out.readUInt16LE(at + 6) | 1, at + 6);
    if (signature === 0x02014b50 && out.subarray(at + 46, at + 46 + nameBytes.length).equals(nameBytes)) out.writeUInt16LE(out.readUInt16LE(at + 8) | 1, at + 8);
  }
  return out;
}

describe('ZIP archives', () => {
  it('says an encrypted entry is encrypted, not a size mismatch', async () => {
    const archive = encrypt(
      zip([
        { name: 'set/cat/1.png', data: await png(8, 8, 1) },
        { name: 'set/cat/2.png', data: await png(8, 8, 2), deflate: true },
        { name: 'set/dog/3.png', data: await png(8, 8, 3) },
      ]),
      'set/cat/2.png',
    );
    await writeFiles(dir, { 'locked.zip': archive });
    const outcome = await importSources(await collectFromPaths([join(dir, 'locked.zip')]), importOptionsSchema.parse({}), () => undefined);
    expect(outcome.data.labels.length).toBe(2);
    expect(outcome.skipped).toEqual([
      {
        file: `${join(dir, 'locked.zip')} › set/cat/2.png`,
        reason: `${join(dir, 'locked.zip')} › set/cat/2.png: the entry is encrypted (password-protected); the lab reads unencrypted archives only, so extract it first`,
      },
    ]);
    await writeFiles(dir, { 'locked.npz': encrypt(zip([{ name: 'x.npy', data: npy('|u1', [2, 4], new Uint8Array(8)), deflate: true }]), 'x.npy') });
    await expect(importSources(await collectFromPaths([join(dir, 'locked.npz')]), importOptionsSchema.parse({}), () => undefined)).rejects.toThrow(
      `${join(dir, 'locked.npz')} › x.npy: the entry is encrypted (password-protected)`,
    );
  });

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
