import { existsSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writing } from './writeFailure.js';

/**
 * A folder of several files replaced as one: the new content is written beside the target
 * (`NAME.partial`), the old folder is moved aside (`NAME.previous`), the new one renamed
 * into place, and the old one removed. A folder is complete when its `marker` file exists,
 * and the marker is written last. A process killed at any point leaves at least one complete
 * folder among the three names; `settleFolder` puts it back in place.
 */
export async function replaceFolderAtomic(target: string, marker: string, fill: (folder: string) => Promise<void>): Promise<void> {
  const partial = `${target}.partial`;
  const previous = `${target}.previous`;
  await rm(partial, { recursive: true, force: true });
  try {
    await fill(partial);
    if (!existsSync(join(partial, marker))) throw new Error(`${partial} was written without its ${marker}`);
  } catch (cause) {
    // A half-written folder (a full disk, a refused write) is removed, never left to look like a checkpoint.
    await rm(partial, { recursive: true, force: true }).catch(() => undefined);
    throw cause;
  }
  // The swap's renames are writes too: a disk turned read-only here is named like any other refusal.
  await writing(previous, () => rm(previous, { recursive: true, force: true }));
  if (existsSync(target)) await writing(target, () => rename(target, previous));
  await writing(target, () => rename(partial, target));
  await writing(previous, () => rm(previous, { recursive: true, force: true }));
}

/** The complete folder to read now, without moving anything (readers may run beside the writer). */
export function completeFolder(target: string, marker: string): string | null {
  for (const candidate of [target, `${target}.partial`, `${target}.previous`]) if (existsSync(join(candidate, marker))) return candidate;
  return null;
}

/**
 * Before the folder's writer starts again: the newest complete folder back in place, the rest
 * removed. A complete `.partial` is newer than `.previous` (it was finished before the swap began).
 */
export async function settleFolder(target: string, marker: string): Promise<void> {
  const complete = completeFolder(target, marker);
  if (complete && complete !== target) {
    await rm(target, { recursive: true, force: true });
    await rename(complete, target);
  }
  await rm(`${target}.partial`, { recursive: true, force: true });
  await rm(`${target}.previous`, { recursive: true, force: true });
}
