import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { LabError } from '../../../shared/result.js';

/** The errno codes of a write the disk or its mount refused, with the words a user reads for each. */
const refusals: Record<string, string> = {
  ENOSPC: 'No space left on device',
  EDQUOT: 'Disk quota exceeded',
  EROFS: 'Read-only file system',
  EACCES: 'Permission denied',
  EPERM: 'Operation not permitted',
};

export const errnoOf = (cause: unknown): string | undefined => {
  const code = (cause as NodeJS.ErrnoException | null)?.code;
  return typeof code === 'string' ? code : undefined;
};

/** Whether the failure is the disk or its mount refusing a write (full, read-only, not ours), not a bug. */
export const isWriteRefusal = (cause: unknown): boolean => {
  const errno = cause instanceof WriteFailure ? cause.errno : errnoOf(cause);
  return errno !== undefined && errno in refusals;
};

/**
 * A write the file system refused, naming the file and the errno: "No space left on device
 * (ENOSPC) writing …/checkpoints/last.partial/optimizer.f32". Node's own message for a write
 * through a file handle names no file at all.
 */
export class WriteFailure extends LabError {
  constructor(
    readonly errno: string,
    readonly file: string,
  ) {
    super('io-error', `${refusals[errno] ?? errno} (${errno}) writing ${file}`);
    this.name = 'WriteFailure';
  }
}

/** The failure as a WriteFailure where the file system refused the write; anything else unchanged. */
export function asWriteFailure(cause: unknown, file: string): unknown {
  if (cause instanceof WriteFailure) return cause;
  const errno = errnoOf(cause);
  return errno !== undefined && errno in refusals ? new WriteFailure(errno, file) : cause;
}

/** Runs one write, turning a refusal by the file system into a WriteFailure that names `file`. */
export async function writing<T>(file: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (cause) {
    throw asWriteFailure(cause, file);
  }
}

/**
 * mkdir -p with the real cause. Node's recursive mkdir reports ENOENT where the parent exists
 * but refuses the new folder (a read-only mount answers EROFS); the plain mkdir of the first
 * missing folder says what really happened.
 */
export async function makeFolder(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
  } catch (cause) {
    if (errnoOf(cause) !== 'ENOENT') throw asWriteFailure(cause, dir);
    let missing = dir;
    while (!existsSync(dirname(missing)) && dirname(missing) !== missing) missing = dirname(missing);
    try {
      await mkdir(missing);
    } catch (real) {
      throw errnoOf(real) === 'EEXIST' ? asWriteFailure(cause, dir) : asWriteFailure(real, missing);
    }
    await writing(dir, () => mkdir(dir, { recursive: true }));
  }
}
