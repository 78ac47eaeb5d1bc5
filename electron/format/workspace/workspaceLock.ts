import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, linkSync, mkdirSync, openSync, readFileSync, statSync, unlinkSync, utimesSync, writeSync, fsyncSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { z } from 'zod';
import { defineFormat, parseVersioned, stamp } from '../versionedFile.js';
import { asWriteFailure, isWriteRefusal, WriteFailure } from './writeFailure.js';

/**
 * One process owns a workspace: it trains, recovers interrupted work and writes. The owner
 * says so in `lock.json` — who it is, since when, and where to reach it (a local socket and
 * a token, so the file is readable by its user only). Any other process opens the workspace
 * read-only, or talks to the owner.
 */
export const lockFileName = 'lock.json';

const lockSchema = z.object({
  pid: z.number().int().min(1),
  host: z.string(),
  /** Linux's boot id: a pid recorded before a reboot names some other process after it. */
  bootId: z.string().nullable(),
  startedAt: z.string(),
  /** The owner's local socket (a Unix socket path or a Windows pipe name). */
  socket: z.string(),
  token: z.string().min(16),
});
export type WorkspaceLock = z.infer<typeof lockSchema>;
export const workspaceLockFormat = defineFormat('workspace lock', 1, lockSchema);

/** How often the owner touches its lock, and how old a lock of another machine must be to be taken over. */
export const heartbeatMs = 20_000;
export const foreignLockStaleMs = 120_000;

export type LockClaim =
  | { kind: 'owned'; lock: WorkspaceLock; release(): void }
  /** Another live process owns the workspace. */
  | { kind: 'taken'; owner: WorkspaceLock }
  /** The lock could not be written: the workspace is read-only, full or not ours. */
  | { kind: 'unwritable'; failure: WriteFailure };

export interface ClaimOptions {
  socket: string;
  pid?: number;
  host?: string;
  now?: () => number;
}

const readBootId = (): string | null => {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    return null;
  }
};

/** Whether a process of this machine is alive (a zombie waiting for its parent is not). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (cause) {
    // EPERM: alive, but another user's.
    return (cause as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true;
  }
}

/**
 * Whether a lock no longer stands for a live owner: its process is gone (this machine, this
 * boot), or it belongs to another machine and has not been touched for `foreignLockStaleMs`.
 */
export function isStale(lock: WorkspaceLock, touchedAt: number, options: { host: string; bootId: string | null; now: number }): boolean {
  if (lock.host !== options.host) return options.now - touchedAt > foreignLockStaleMs;
  if (lock.bootId !== null && options.bootId !== null && lock.bootId !== options.bootId) return true;
  return !processAlive(lock.pid);
}

/** The lock as it is on disk, or null where there is none; a damaged lock reads as 'damaged'. */
export function readLock(workspace: string): { lock: WorkspaceLock; touchedAt: number } | 'damaged' | null {
  const file = join(workspace, lockFileName);
  let text: string;
  let touchedAt: number;
  try {
    text = readFileSync(file, 'utf8');
    touchedAt = statSync(file).mtimeMs;
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw cause;
  }
  try {
    return { lock: parseVersioned(workspaceLockFormat, file, text), touchedAt };
  } catch {
    return 'damaged';
  }
}

/** The lock written whole beside its place, then linked in: it exists complete or not at all. */
function tryLink(workspace: string, lock: WorkspaceLock): boolean {
  const file = join(workspace, lockFileName);
  const temporary = join(workspace, `.${lockFileName}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const fd = openSync(temporary, 'wx', 0o600);
    try {
      writeSync(fd, stamp(workspaceLockFormat, lock, 2));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    linkSync(temporary, file);
    return true;
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw asWriteFailure(cause, file);
  } finally {
    try {
      unlinkSync(temporary);
    } catch {
      /* never written */
    }
  }
}

/** Judged against the lock read again: the same stale lock (its token), or still damaged. */
const sameLock = (again: ReturnType<typeof readLock>, judged: WorkspaceLock | 'damaged'): boolean =>
  again === null ? false : again === 'damaged' ? judged === 'damaged' : judged !== 'damaged' && again.lock.token === judged.token;

/** A takeover file older than this was left by a process killed mid-takeover (a takeover takes milliseconds). */
const abandonedTakeoverMs = 10_000;

/**
 * Removes a stale lock, once, whoever else is racing to: the removal happens only while this
 * process holds `lock.json.takeover` (created exclusively), and only if the lock there is still
 * the one judged stale. Without that, a process could move aside a lock another had just put in
 * place, and a third then claim the empty place: two owners. 'busy' while another process holds
 * the takeover.
 */
function removeStale(workspace: string, judged: WorkspaceLock | 'damaged'): 'removed' | 'changed' | 'busy' {
  const file = join(workspace, lockFileName);
  const takeover = join(workspace, `${lockFileName}.takeover`);
  let fd: number;
  try {
    fd = openSync(takeover, 'wx', 0o600);
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code !== 'EEXIST') throw asWriteFailure(cause, takeover);
    try {
      if (Date.now() - statSync(takeover).mtimeMs > abandonedTakeoverMs) unlinkSync(takeover);
    } catch {
      /* the holder just finished */
    }
    return 'busy';
  }
  try {
    closeSync(fd);
    if (!sameLock(readLock(workspace), judged)) return 'changed';
    try {
      unlinkSync(file);
    } catch (cause) {
      if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return 'changed';
      throw asWriteFailure(cause, file);
    }
    return 'removed';
  } finally {
    try {
      unlinkSync(takeover);
    } catch {
      /* a disk that refused the removal keeps it; it is abandoned after abandonedTakeoverMs */
    }
  }
}

const pause = (ms: number): void => {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
};

/**
 * Claims the workspace for this process, or says who holds it. A stale lock (its process
 * gone, or another machine's lock left untouched) is taken over; two processes racing for
 * it end with one owner. Synchronous, so a host can claim before it serves anything.
 */
export function claimWorkspace(workspace: string, options: ClaimOptions): LockClaim {
  const host = options.host ?? hostname();
  const bootId = readBootId();
  const now = options.now ?? Date.now;
  const lock: WorkspaceLock = {
    pid: options.pid ?? process.pid,
    host,
    bootId,
    startedAt: new Date(now()).toISOString(),
    socket: options.socket,
    token: randomBytes(24).toString('base64url'),
  };
  try {
    mkdirSync(workspace, { recursive: true });
  } catch (cause) {
    // Node's recursive mkdir says ENOENT for a folder a read-only mount refuses; the lock file names the real cause below.
    if (!existsSync(workspace)) return { kind: 'unwritable', failure: asUnwritable(cause, workspace) };
  }
  // Racing claimers take turns at the takeover; each turn is milliseconds, so two seconds is plenty.
  const deadline = Date.now() + 2000;
  for (let attempt = 0; attempt < 5 || Date.now() < deadline; attempt += 1) {
    const current = readLock(workspace);
    if (current !== null && current !== 'damaged' && !isStale(current.lock, current.touchedAt, { host, bootId, now: now() })) return { kind: 'taken', owner: current.lock };
    try {
      if (current !== null) {
        const removal = removeStale(workspace, current === 'damaged' ? 'damaged' : current.lock);
        if (removal === 'busy') pause(5 + Math.random() * 10);
        if (removal !== 'removed') continue;
        if (current !== 'damaged') removeStaleSocket(current.lock.socket);
      }
      if (!tryLink(workspace, lock)) continue;
    } catch (cause) {
      if (isWriteRefusal(cause)) return { kind: 'unwritable', failure: asUnwritable(cause, join(workspace, lockFileName)) };
      throw cause;
    }
    return { kind: 'owned', lock, release: () => releaseLock(workspace, lock) };
  }
  const holder = readLock(workspace);
  if (holder !== null && holder !== 'damaged') return { kind: 'taken', owner: holder.lock };
  throw new Error(`${join(workspace, lockFileName)}: could not be claimed within 2 seconds`);
}

/** The socket file a killed owner left in the temporary folder (only there, and only the lab's own names). */
function removeStaleSocket(socket: string): void {
  if (dirname(socket) !== tmpdir() || !/^aelab-\d+-[0-9a-f]+\.sock$/.test(basename(socket))) return;
  try {
    unlinkSync(socket);
  } catch {
    /* already gone */
  }
}

const asUnwritable = (cause: unknown, file: string): WriteFailure => {
  const failure = asWriteFailure(cause, file);
  return failure instanceof WriteFailure ? failure : new WriteFailure((cause as NodeJS.ErrnoException).code ?? 'EIO', file);
};

/** The owner is alive: its lock's time shows it to processes of other machines. */
export function touchLock(workspace: string, lock: WorkspaceLock): void {
  const current = readLock(workspace);
  if (current === null || current === 'damaged' || current.lock.token !== lock.token) return;
  const at = new Date();
  try {
    utimesSync(join(workspace, lockFileName), at, at);
  } catch {
    /* a full or read-only disk: the pid still says the owner lives */
  }
}

/** Removes the lock if it is still this owner's. */
export function releaseLock(workspace: string, lock: WorkspaceLock): void {
  const current = readLock(workspace);
  if (current === null || current === 'damaged' || current.lock.token !== lock.token) return;
  try {
    unlinkSync(join(workspace, lockFileName));
  } catch {
    /* already gone */
  }
}
