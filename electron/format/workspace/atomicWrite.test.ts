import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';

const refusals = vi.hoisted(() => ({ rename: false, rm: false }));

vi.mock('node:fs/promises', async (original) => {
  const real = await original<typeof import('node:fs/promises')>();
  const erofs = (syscall: string, path: string) =>
    Object.assign(new Error(`EROFS: read-only file system, ${syscall} '${path}'`), { code: 'EROFS', syscall, path });
  return {
    ...real,
    rename: async (from: string, to: string) => {
      if (refusals.rename) throw erofs('rename', from);
      return real.rename(from, to);
    },
    rm: async (path: string, options?: Parameters<typeof real.rm>[1]) => {
      if (refusals.rm) throw erofs('unlink', path);
      return real.rm(path, options);
    },
  };
});

const { writeFileAtomic } = await import('./atomicWrite.js');
const { WriteFailure } = await import('./writeFailure.js');

describe('writeFileAtomic on a mount that turns read-only', () => {
  const folder = mkdtempSync(join(tmpdir(), 'aelab-atomic-'));
  afterEach(() => {
    refusals.rename = false;
    refusals.rm = false;
  });

  it('names the target and its cause when the rename is refused, and leaves no temporary file where it can remove it', async () => {
    refusals.rename = true;
    const target = join(folder, 'state.json');
    await expect(writeFileAtomic(target, '{}')).rejects.toThrow(`Read-only file system (EROFS) writing ${target}`);
    expect(readdirSync(folder)).toEqual([]);
  });

  it('keeps the first refusal when removing the temporary file is refused too', async () => {
    refusals.rename = true;
    refusals.rm = true;
    const target = join(folder, 'panel.f32');
    const failure = await writeFileAtomic(target, new Uint8Array(8)).catch((cause: unknown) => cause);
    expect(failure).toBeInstanceOf(WriteFailure);
    expect((failure as Error).message).toBe(`Read-only file system (EROFS) writing ${target}`);
    rmSync(folder, { recursive: true, force: true });
  });
});
