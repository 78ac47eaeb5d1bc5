import { existsSync, readdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../testing/fixtures.js';
import { openWorkspace, type OpenedWorkspace } from './openWorkspace.js';

let dir: string;
const opened: OpenedWorkspace[] = [];
beforeEach(async () => {
  dir = await tempDir('aelab-open-');
});
afterEach(async () => {
  for (const o of opened.reverse()) await o.close();
  opened.length = 0;
  await rm(dir, { recursive: true, force: true });
});

const open = async (): Promise<OpenedWorkspace> => {
  const o = await openWorkspace({ workspace: join(dir, 'ws'), host: 'cli', fashionMnistDir: '' });
  opened.push(o);
  return o;
};

describe('a workspace opened by a second process', () => {
  it('is read-only and says who owns it; requests go to the owner, and the read-only lab writes nothing', async () => {
    const first = await open();
    expect(first.access.mode).toBe('owner');
    const second = await open();
    expect(second.access).toMatchObject({ mode: 'read-only', ownerPid: process.pid });
    expect((await second.lab.call('lab.info', {})).access.reason).toMatch(new RegExp(`^process ${process.pid} on .+ owns this workspace \\(since `));

    const refused = await second.lab.dispatch('datasets.importPaths', { importId: 'i', paths: ['/nowhere'] });
    expect(refused).toEqual({ ok: false, error: { code: 'read-only', message: expect.stringMatching(new RegExp(`^datasets.importPaths: the workspace is open read-only because process ${process.pid} `)) } });
    // Listing in the read-only lab makes no built-in dataset (the owner's work).
    expect(await second.lab.call('datasets.list', {})).toEqual([]);
    expect(existsSync(join(dir, 'ws', 'datasets', 'shapes'))).toBe(false);

    // Through the owner's socket: its lab answers, and its events reach the second process.
    expect(second.owner?.pid).toBe(process.pid);
    const changed: string[] = [];
    second.owner?.on((channel) => changed.push(channel));
    const listed = await second.owner?.call('datasets.list', {});
    expect(listed?.map((d) => d.id)).toEqual(['shapes', 'colour-shapes']);
    expect(changed).toContain('datasets.changed');
    await expect(second.owner?.call('runs.get', { id: '20250101000000-abcdef' })).rejects.toThrow(/No run with id '20250101000000-abcdef'/);
  });

  it('is owned again once its owner has closed it, and the lock is gone', async () => {
    const first = await open();
    await first.close();
    expect(readdirSync(join(dir, 'ws'))).not.toContain('lock.json');
    expect((await open()).access.mode).toBe('owner');
  });
});
