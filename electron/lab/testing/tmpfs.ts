import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A small disk of its own (a tmpfs of `sizeBytes`), to fill or make read-only without touching the real one. */
export interface SmallDisk {
  dir: string;
  readOnly(): void;
  writable(): void;
  unmount(): void;
}

/**
 * The kernel refuses to remount read-only (EBUSY, "mount point is busy") while a file on it is
 * open for writing — a training engine writes its checkpoint files for a few milliseconds an
 * epoch — so the remount is retried until it falls between two writes.
 */
function remountReadOnly(dir: string, mount: (...args: string[]) => void): void {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return mount('-o', 'remount,ro', dir);
    } catch (cause) {
      const busy = /busy/i.test(String((cause as { stderr?: Buffer }).stderr ?? ''));
      if (!busy || attempt >= 500) throw cause;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
    }
  }
}

/** A tmpfs mounted for a test, or the reason it cannot be (not root, no mount in this container). */
export function mountSmallDisk(sizeBytes: number): SmallDisk | { skip: string } {
  if (process.platform !== 'linux') return { skip: `tmpfs mounts need Linux (this is ${process.platform})` };
  const dir = mkdtempSync(join(tmpdir(), 'aelab-disk-'));
  const mount = (...args: string[]): void => void execFileSync('mount', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  try {
    mount('-t', 'tmpfs', '-o', `size=${sizeBytes}`, 'tmpfs', dir);
  } catch (cause) {
    rmSync(dir, { recursive: true, force: true });
    const detail = String((cause as { stderr?: Buffer }).stderr ?? (cause as Error).message).trim();
    return { skip: `cannot mount a tmpfs here (${detail || 'mount failed'}); run as root, or where mount is permitted` };
  }
  return {
    dir,
    readOnly: () => remountReadOnly(dir, mount),
    writable: () => mount('-o', 'remount,rw', dir),
    unmount: () => {
      execFileSync('umount', ['-l', dir]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
