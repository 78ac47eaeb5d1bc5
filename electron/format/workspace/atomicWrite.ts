import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Writes a file so that readers see either the old or the new content, never a torn one:
 * a temporary file beside the target, fsync, rename, then fsync of the folder.
 */
export async function writeFileAtomic(target: string, data: Uint8Array | string | readonly Uint8Array[]): Promise<void> {
  const temporary = join(dirname(target), `.${basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(temporary, 'wx');
  try {
    const parts = typeof data === 'string' || data instanceof Uint8Array ? [data] : data;
    for (const part of parts) {
      if (typeof part === 'string') await handle.writeFile(part, 'utf8');
      else await handle.write(part);
    }
    await handle.sync();
  } catch (cause) {
    await handle.close();
    await rm(temporary, { force: true });
    throw cause;
  }
  await handle.close();
  try {
    await rename(temporary, target);
  } catch (cause) {
    await rm(temporary, { force: true });
    throw cause;
  }
  await syncDirectory(dirname(target));
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
