import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { WorkspaceAccess } from '../../../shared/domain/lab.js';
import { claimWorkspace, heartbeatMs, touchLock, type WorkspaceLock } from '../../format/workspace/workspaceLock.js';
import { Lab, type LabOptions } from '../lab.js';
import { connectToOwner, serveOwnerChannel, type OwnerChannel, type OwnerClient } from './ownerChannel.js';
import { ownerAccess } from './workspaceAccess.js';

export interface OpenedWorkspace {
  lab: Lab;
  access: WorkspaceAccess;
  /** The owning process's lab, where another process owns the workspace and answers. */
  owner: OwnerClient | null;
  /** Stops serving other processes and gives the workspace up (engines are the host's to stop). */
  close(): Promise<void>;
}

/** A short socket path (Unix sockets allow about 100 bytes), private to this process. */
const socketPath = (): string =>
  process.platform === 'win32' ? `\\\\.\\pipe\\aelab-${process.pid}-${randomBytes(6).toString('hex')}` : join(tmpdir(), `aelab-${process.pid}-${randomBytes(6).toString('hex')}.sock`);

/** "2026-12-02 01:05 UTC": the lock's ISO time as a person reads it. */
const sinceText = (iso: string): string => (/^\d{4}-\d\d-\d\dT\d\d:\d\d/.test(iso) ? `${iso.slice(0, 16).replace('T', ' ')} UTC` : iso);
const ownedBy = (lock: WorkspaceLock): string => `process ${lock.pid}${lock.host ? ` on ${lock.host}` : ''} owns this workspace (since ${sinceText(lock.startedAt)})`;

/**
 * Opens a workspace as a host does: as its owner where no live process holds it (the lab
 * then recovers and writes, and serves other processes on a local socket), else read-only.
 * A workspace the disk refuses to write (read-only mount, full disk) opens read-only with
 * that reason, so that reading it still works. Synchronous, for a host that must have its
 * lab before anything else starts (Electron's main process).
 */
export function claimLab(options: Omit<LabOptions, 'access'>): OpenedWorkspace & { ownerLock: WorkspaceLock | null; serving: Promise<unknown> } {
  const claim = claimWorkspace(options.workspace, { socket: socketPath() });
  if (claim.kind === 'owned') {
    const lab = Lab.open({ ...options, access: ownerAccess });
    const channel: Promise<OwnerChannel | null> = serveOwnerChannel(lab, claim.lock.socket, claim.lock.token).catch((cause: unknown) => {
      // Without a socket the lab still owns the workspace; other processes open it read-only.
      process.stderr.write(`lab: other processes cannot reach this one (${(cause as Error).message})\n`);
      return null;
    });
    const heartbeat = setInterval(() => touchLock(options.workspace, claim.lock), heartbeatMs);
    heartbeat.unref();
    let closed = false;
    return {
      lab,
      access: ownerAccess,
      owner: null,
      ownerLock: null,
      serving: channel,
      close: async () => {
        if (closed) return;
        closed = true;
        // The lock first: a host quitting may not live to see the socket closed.
        claim.release();
        clearInterval(heartbeat);
        await (await channel)?.close();
      },
    };
  }
  const access: WorkspaceAccess =
    claim.kind === 'taken'
      ? { mode: 'read-only', reason: ownedBy(claim.owner), ownerPid: claim.owner.pid }
      : { mode: 'read-only', reason: `the disk refuses writes: ${claim.failure.message}`, ownerPid: null };
  return { lab: Lab.open({ ...options, access }), access, owner: null, ownerLock: claim.kind === 'taken' ? claim.owner : null, serving: Promise.resolve(), close: () => Promise.resolve() };
}

/** `claimLab`, connected to the owner where another process owns the workspace and answers. */
export async function openWorkspace(options: Omit<LabOptions, 'access'>): Promise<OpenedWorkspace> {
  const { ownerLock, serving, ...opened } = claimLab(options);
  // An owner answers other processes from the moment it is returned.
  await serving;
  if (!ownerLock) return opened;
  const owner = await connectToOwner(ownerLock.socket, ownerLock.token);
  return { ...opened, owner, close: () => Promise.resolve(owner?.close()) };
}
