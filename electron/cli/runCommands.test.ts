import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LabInfo } from '../../shared/domain/lab.js';
import type { RunSummary } from '../../shared/domain/run.js';
import { tempDir } from '../lab/testing/fixtures.js';
import { cli, lastJson, startCli, until, vectorsCsv, type CliProcess } from './testing/cliProcess.js';

let dir: string;
let ws: string;
const owners: CliProcess[] = [];
beforeEach(async () => {
  dir = await tempDir('aelab-owner-');
  ws = join(dir, 'ws');
  await writeFile(join(dir, 'vectors.csv'), vectorsCsv());
  expect((await cli(['--workspace', ws, 'import', join(dir, 'vectors.csv'), '--name', 'Vectors'])).code).toBe(0);
});
afterEach(async () => {
  for (const owner of owners) owner.child.kill('SIGKILL');
  owners.length = 0;
  await rm(dir, { recursive: true, force: true });
});

const runIds = (): string[] => (existsSync(join(ws, 'runs')) ? readdirSync(join(ws, 'runs')).filter((id) => !id.startsWith('.')) : []);
const stateOnDisk = (id: string): { status: string; epoch: number; error: string | null } => JSON.parse(readFileSync(join(ws, 'runs', id, 'state.json'), 'utf8')) as never;

/** `aelab train` of a long run: the process that owns the workspace while it trains. */
async function trainingOwner(): Promise<{ owner: CliProcess; id: string }> {
  const before = new Set(runIds());
  const owner = startCli(['--workspace', ws, 'train', '--dataset', 'vectors', '--epochs', '2000', '--batch', '8', '--latent', '2']);
  owners.push(owner);
  let id = '';
  await until(() => {
    id = runIds().find((r) => !before.has(r)) ?? '';
    return id !== '' && stateOnDisk(id).status === 'running' && stateOnDisk(id).epoch >= 1;
  }, 'the owner to train');
  return { owner, id };
}

describe('a workspace owned by a process that trains', () => {
  it('another process lists its runs through it without marking them interrupted, and cancels, resumes and deletes through it', async () => {
    const first = await trainingOwner();
    const listed = await cli(['--workspace', ws, '--json', 'runs']);
    expect(listed.code).toBe(0);
    expect((lastJson(listed.stdout) as RunSummary[]).find((r) => r.id === first.id)).toMatchObject({ status: 'running', error: null });
    expect(stateOnDisk(first.id)).toMatchObject({ status: 'running', error: null });

    const info = lastJson((await cli(['--workspace', ws, '--json', 'info'])).stdout) as LabInfo;
    expect(info.access).toMatchObject({ mode: 'read-only', ownerPid: first.owner.child.pid });
    expect(info.access.reason).toMatch(new RegExp(`process ${first.owner.child.pid} .*owns this workspace`));

    const unknown = await cli(['--workspace', ws, 'cancel', 'nope']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/No run with id 'nope' in this workspace/);
    const cancelled = await cli(['--workspace', ws, 'cancel', first.id]);
    expect(cancelled.code).toBe(0);
    expect(cancelled.stdout).toContain(`by process ${first.owner.child.pid}, which owns the workspace`);
    // The owner's `train` ends with the run cancelled: not a success, and never "running".
    const ended = await first.owner.done;
    expect(ended.code).toBe(1);
    expect(ended.stdout).toMatch(new RegExp(`run ${first.id} .*: cancelled`));
    expect(stateOnDisk(first.id)).toMatchObject({ status: 'cancelled', error: null });

    // A second owner trains; the first run is resumed into its queue, then deleted from it, through it.
    const second = await trainingOwner();
    const resumed = await cli(['--workspace', ws, '--json', 'resume', first.id]);
    expect(resumed.code).toBe(0);
    expect(lastJson(resumed.stdout)).toMatchObject({ id: first.id, status: 'queued' });
    const deleted = await cli(['--workspace', ws, '--json', 'delete', first.id]);
    expect(deleted.code).toBe(0);
    expect(lastJson(deleted.stdout)).toEqual({ id: first.id, deleted: true });
    expect(runIds()).not.toContain(first.id);
    expect(stateOnDisk(second.id).status).toBe('running');
    expect((await cli(['--workspace', ws, 'cancel', second.id])).code).toBe(0);
    expect((await second.owner.done).code).toBe(1);
    // Nobody owns the workspace now: the next process takes it, and the lock is gone after it.
    expect(existsSync(join(ws, 'lock.json'))).toBe(false);
  }, 300_000);

  it('with no owner running, resume trains the run here to its end', async () => {
    const trained = await cli(['--workspace', ws, '--json', 'train', '--dataset', 'vectors', '--epochs', '2', '--batch', '64', '--latent', '2']);
    expect(trained.code).toBe(0);
    const [id = ''] = runIds();
    // As a lab that stopped mid-run leaves it.
    const stateFile = join(ws, 'runs', id, 'state.json');
    await writeFile(stateFile, readFileSync(stateFile, 'utf8').replace('"completed"', '"running"'));
    const resumed = await cli(['--workspace', ws, 'resume', id]);
    expect(resumed.stderr).not.toMatch(/error|note/);
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toMatch(new RegExp(`run ${id} .*: completed`));
    expect(stateOnDisk(id)).toMatchObject({ status: 'completed', error: null });
  }, 120_000);
});
