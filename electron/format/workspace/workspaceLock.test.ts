import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { stamp } from '../versionedFile.js';
import { claimWorkspace, foreignLockStaleMs, lockFileName, readLock, workspaceLockFormat, type WorkspaceLock } from './workspaceLock.js';

let workspace: string;
beforeEach(async () => {
  workspace = await mkdtemp(join(tmpdir(), 'aelab-lock-'));
});
afterEach(async () => {
  await rm(workspace, { recursive: true, force: true });
});

/** A pid that belonged to a process which has exited. */
const deadPid = (): number => Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout);

function writeLock(lock: Partial<WorkspaceLock>, ageMs = 0): void {
  const full: WorkspaceLock = { pid: 1, host: 'elsewhere', bootId: null, startedAt: new Date().toISOString(), socket: '/nowhere.sock', token: 'x'.repeat(24), ...lock };
  const file = join(workspace, lockFileName);
  writeFileSync(file, stamp(workspaceLockFormat, full));
  const at = new Date(Date.now() - ageMs);
  utimesSync(file, at, at);
}

describe('one owner per workspace', () => {
  it('claims a free workspace with a lock only its user can read, and gives it up', () => {
    const claim = claimWorkspace(workspace, { socket: '/tmp/a.sock' });
    expect(claim.kind).toBe('owned');
    if (claim.kind !== 'owned') return;
    const onDisk = readLock(workspace);
    expect(onDisk !== null && onDisk !== 'damaged' && onDisk.lock).toMatchObject({ pid: process.pid, socket: '/tmp/a.sock', token: claim.lock.token });
    if (process.platform !== 'win32') expect(statSync(join(workspace, lockFileName)).mode & 0o777).toBe(0o600);
    claim.release();
    expect(existsSync(join(workspace, lockFileName))).toBe(false);
  });

  it('refuses a second claim while the owner lives, naming it', () => {
    const first = claimWorkspace(workspace, { socket: '/tmp/a.sock' });
    const second = claimWorkspace(workspace, { socket: '/tmp/b.sock' });
    expect(second).toMatchObject({ kind: 'taken', owner: { pid: process.pid, socket: '/tmp/a.sock' } });
    // The second one's release never removes the owner's lock.
    if (first.kind === 'owned') first.release();
  });

  it('takes over the lock of a process that is gone, and leaves nothing beside it', () => {
    const claim0 = claimWorkspace(workspace, { socket: '/tmp/a.sock' });
    if (claim0.kind !== 'owned') throw new Error('first claim failed');
    writeLock({ ...claim0.lock, pid: deadPid() });
    const claim = claimWorkspace(workspace, { socket: '/tmp/c.sock' });
    expect(claim.kind).toBe('owned');
    expect(readdirSync(workspace)).toEqual([lockFileName]);
  });

  it("another machine's lock stands while it is touched, and is taken over once it is old", () => {
    writeLock({ host: 'elsewhere', pid: process.pid }, 1000);
    expect(claimWorkspace(workspace, { socket: '/tmp/a.sock' })).toMatchObject({ kind: 'taken', owner: { host: 'elsewhere' } });
    writeLock({ host: 'elsewhere', pid: process.pid }, foreignLockStaleMs + 1000);
    expect(claimWorkspace(workspace, { socket: '/tmp/a.sock' }).kind).toBe('owned');
  });

  it('takes over a damaged lock', () => {
    writeFileSync(join(workspace, lockFileName), '{"formatVersion": 1, "pid": ');
    expect(readLock(workspace)).toBe('damaged');
    expect(claimWorkspace(workspace, { socket: '/tmp/a.sock' }).kind).toBe('owned');
  });

  it.each([['a free workspace', false], ["a dead process's lock", true]])('gives one owner when several processes claim %s at once', async (_what, stale) => {
    if (stale) writeLock({ pid: deadPid(), host: hostname(), bootId: null });
    // Each process loads the module, says so, and claims when told: the claims come within a millisecond or so.
    const script = `
      const { claimWorkspace } = await import(${JSON.stringify(join(process.cwd(), 'electron/format/workspace/workspaceLock.ts'))});
      process.stdout.write('ready\\n');
      process.stdin.once('data', () => {
        process.stdout.write(claimWorkspace(process.argv[1], { socket: '/tmp/x.sock' }).kind);
        process.stdin.once('end', () => process.exit(0));
      });`;
    const claimers = 6;
    const children = Array.from({ length: claimers }, () => spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, workspace], { stdio: ['pipe', 'pipe', 'inherit'] }));
    const outputs = children.map((child) => {
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += String(d)));
      return () => out;
    });
    const deadline = Date.now() + 30_000;
    while (!outputs.every((out) => out().includes('ready')) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    for (const child of children) child.stdin.write('go\n');
    while (!outputs.every((out) => /owned|taken/.test(out())) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    const kinds = outputs.map((out) => out().replace('ready\n', ''));
    for (const child of children) child.stdin.end();
    expect(kinds.filter((k) => k === 'owned')).toHaveLength(1);
    expect(kinds.filter((k) => k === 'taken')).toHaveLength(claimers - 1);
  });

  it('takes over a stale lock past a takeover file that a killed claimer left behind', () => {
    writeLock({ pid: deadPid(), host: hostname(), bootId: null });
    const takeover = join(workspace, `${lockFileName}.takeover`);
    writeFileSync(takeover, '');
    const longAgo = new Date(Date.now() - 60_000);
    utimesSync(takeover, longAgo, longAgo);
    expect(claimWorkspace(workspace, { socket: '/tmp/a.sock' }).kind).toBe('owned');
    expect(existsSync(takeover)).toBe(false);
  });
});
