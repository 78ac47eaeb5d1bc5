import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { asWriteFailure } from './writeFailure.js';

/**
 * Writes a file so that readers see either the old or the new content, never a torn one:
 * a temporary file beside the target, fsync, rename, then fsync of the folder. A write the
 * file system refuses (full, read-only) is a WriteFailure naming the target, and leaves no
 * temporary file behind.
 */
export async function writeFileAtomic(target: string, data: Uint8Array | string | readonly Uint8Array[]): Promise<void> {
  const temporary = join(dirname(target), `.${basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(temporary, 'wx').catch((cause: unknown) => {
    throw asWriteFailure(cause, target);
  });
  try {
    const parts = typeof data === 'string' || data instanceof Uint8Array ? [data] : data;
    for (const part of parts) {
      if (typeof part === 'string') await handle.writeFile(part, 'utf8');
      else await handle.write(part);
    }
    await handle.sync();
  } catch (cause) {
    await handle.close().catch(() => undefined);
    await discard(temporary);
    throw asWriteFailure(cause, target);
  }
  await handle.close();
  try {
    await rename(temporary, target);
  } catch (cause) {
    await discard(temporary);
    throw asWriteFailure(cause, target);
  }
  await syncDirectory(dirname(target));
}

/**
 * The last resort of a small file on a full disk: its new content written over the old one's
 * blocks, which need no new space (a temporary file would). Not atomic, so only for a record
 * that would otherwise not be written at all (a run's state saying why it failed).
 */
export async function overwriteInPlace(target: string, text: string): Promise<void> {
  const bytes = Buffer.from(text, 'utf8');
  const handle = await open(target, 'r+').catch((cause: unknown) => {
    throw asWriteFailure(cause, target);
  });
  try {
    await handle.write(bytes, 0, bytes.length, 0);
    await handle.truncate(bytes.length);
    await handle.sync();
  } catch (cause) {
    throw asWriteFailure(cause, target);
  } finally {
    await handle.close().catch(() => undefined);
  }
}

/**
 * Removes a temporary file after a failed write. A mount turned read-only refuses the unlink
 * too; that second refusal must not hide the first, which is the cause the user needs, and the
 * leftover is swept up by the next start that can write.
 */
async function discard(temporary: string): Promise<void> {
  await rm(temporary, { force: true }).catch(() => undefined);
}

async function syncDirectory(directory: string): Promise<void> {
  // Directory fsync makes the rename durable; not every platform allows opening a folder.
  try {
    const handle = await open(directory, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    /* best effort */
  }
}
