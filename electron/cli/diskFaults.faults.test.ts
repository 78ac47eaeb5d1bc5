import { createHash } from 'node:crypto';
import { closeSync, existsSync, openSync, readdirSync, readFileSync, statfsSync, writeSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, type RunnerTaskResult } from 'vitest';
import type { RunSummary } from '../../shared/domain/run.js';
import type { DatasetSummary } from '../../shared/domain/dataset.js';
import { Lab } from '../lab/lab.js';
import { recordFaultCase, recordSkippedCase } from '../lab/testing/faultLedger.js';
import { tempDir, writeFiles } from '../lab/testing/fixtures.js';
import { mountSmallDisk, type SmallDisk } from '../lab/testing/tmpfs.js';
import { cli, lastJson, startCli, until, vectorsCsv } from './testing/cliProcess.js';

/**
 * Full disks and read-only workspaces, on a tmpfs of a few MiB: what `aelab` says, what it
 * records on the run, and that reading the workspace never needs a write.
 */
let sources: string;
beforeAll(async () => {
  sources = await tempDir('aelab-disk-sources-');
  await writeFile(join(sources, 'vectors.csv'), vectorsCsv());
});
afterAll(async () => {
  await rm(sources, { recursive: true, force: true });
});

/**
 * Each case on a disk of its own; skipped, with the reason, where no tmpfs can be mounted. A case
 * that ran is counted whatever happens: one that fails a check, throws or times out is lost.
 */
function onSmallDisk(name: string, sizeBytes: number, body: (disk: SmallDisk, ws: string) => Promise<void>, timeoutMs = 180_000): void {
  it(name, async (context) => {
    const disk = mountSmallDisk(sizeBytes);
    if ('skip' in disk) {
      recordSkippedCase(name, disk.skip);
      context.skip(disk.skip);
      return;
    }
    context.onTestFinished(() => recordFaultCase(name, outcomeOf(context.task.result)));
    try {
      await body(disk, join(disk.dir, 'ws'));
    } finally {
      disk.unmount();
    }
  }, timeoutMs);
}

/** Nothing lost for a case that passed; for one that did not, its first failure, in one line. */
function outcomeOf(result: RunnerTaskResult | undefined): string[] {
  if (result?.state === 'pass') return [];
  return [(result?.errors?.[0]?.message ?? `the case ended ${result?.state ?? 'unfinished'}`).split('\n')[0] ?? ''];
}

const freeOn = (dir: string): number => {
  const stats = statfsSync(dir);
  return stats.bavail * stats.bsize;
};

/** Fills the disk with one file until `leaveBytes` (or nothing) is free. */
function fill(dir: string, leaveBytes = 0): void {
  const fd = openSync(join(dir, 'filler'), 'w');
  const block = Buffer.alloc(64 * 1024, 1);
  try {
    for (let free = freeOn(dir); free > leaveBytes; free = freeOn(dir)) writeSync(fd, block, 0, Math.min(block.length, Math.max(4096, free - leaveBytes)));
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code !== 'ENOSPC') throw cause;
  } finally {
    closeSync(fd);
  }
}

const runIdsIn = (ws: string): string[] => (existsSync(join(ws, 'runs')) ? readdirSync(join(ws, 'runs')).filter((id) => !id.startsWith('.')) : []);
const stateIn = (ws: string, id: string): { status: string; epoch: number; error: string | null } => JSON.parse(readFileSync(join(ws, 'runs', id, 'state.json'), 'utf8')) as never;
const strays = (ws: string, id: string): string[] => readdirSync(join(ws, 'runs', id, 'checkpoints')).filter((name) => name !== 'last' && name !== 'best');
const hashOf = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');

/**
 * The built-in Shapes (made on the first list, about 10 MiB) and a small vector dataset. The
 * ledger says Colour Shapes (30 MiB) was made and deleted already: these disks are smaller.
 */
async function importVectors(ws: string): Promise<void> {
  await writeFiles(ws, { 'builtins.json': '{"formatVersion":1,"colourShapes":true}' });
  expect((await cli(['--workspace', ws, 'datasets'])).code).toBe(0);
  const imported = await cli(['--workspace', ws, 'import', join(sources, 'vectors.csv'), '--name', 'Vectors']);
  expect(imported.stderr).toBe('');
  expect(imported.code).toBe(0);
}

/** `aelab train` on the vectors, long enough to be cut mid-run, once its first epoch is written. */
async function trainingPastFirstEpoch(ws: string): Promise<{ train: ReturnType<typeof startCli>; id: string }> {
  await importVectors(ws);
  const train = startCli(['--workspace', ws, 'train', '--dataset', 'vectors', '--epochs', '500', '--batch', '8', '--latent', '2']);
  let id = '';
  await until(() => {
    id = runIdsIn(ws)[0] ?? '';
    return id !== '' && stateIn(ws, id).epoch >= 1;
  }, 'the first epoch');
  return { train, id };
}

describe('a full disk', () => {
  onSmallDisk('mid-training: the run fails with ENOSPC recorded, no partial checkpoint stays, aelab exits non-zero, and the runs still list', 20 * 1024 * 1024, async (disk, ws) => {
    const { train, id } = await trainingPastFirstEpoch(ws);
    fill(disk.dir);
    const ended = await train.done;
    expect(ended.code).toBe(1);
    expect(ended.stdout).not.toMatch(/: running/);
    const state = stateIn(ws, id);
    expect(state.status).toBe('failed');
    expect(state.error).toMatch(/No space left on device \(ENOSPC\) writing \/.+/);
    expect(ended.stdout).toMatch(/: failed — .*ENOSPC/);
    expect(strays(ws, id)).toEqual([]);
    // Reading needs no write: the full disk lists its runs.
    const listed = await cli(['--workspace', ws, '--json', 'runs']);
    expect(listed.code).toBe(0);
    expect((lastJson(listed.stdout) as RunSummary[]).map((r) => [r.id, r.status])).toEqual([[id, 'failed']]);
  });

  onSmallDisk('before an import or a training job: refused with the space needed and the space free', 16 * 1024 * 1024, async (disk, ws) => {
    await importVectors(ws);
    const big = await cli(['--workspace', ws, 'train', '--dataset', 'vectors', '--epochs', '1', '--param', 'hiddenWidths=2048,2048']);
    expect(big.code).toBe(1);
    expect(big.stderr).toMatch(/Not enough free space to train .*: it needs about \d+(\.\d+)? MiB, and \d+(\.\d+)? MiB are free on the disk of /);
    expect(runIdsIn(ws)).toEqual([]);
    const rows = Array.from({ length: 20_000 }, (_, i) => `${i % 7},${i % 5},${i % 3},${i % 11},${i % 13},${i % 17},${i % 19},${i % 2}`).join('\n');
    await writeFile(join(sources, 'large.csv'), `a,b,c,d,e,f,g,label\n${rows}\n`);
    // A run whose engine died is interrupted; resuming it needs its checkpoints' space again.
    const small = await cli(['--workspace', ws, 'train', '--dataset', 'vectors', '--epochs', '1', '--param', 'hiddenWidths=2048']);
    expect(small.code).toBe(0);
    const [runId = ''] = runIdsIn(ws);
    const statePath = join(ws, 'runs', runId, 'state.json');
    await writeFile(statePath, JSON.stringify({ ...(JSON.parse(readFileSync(statePath, 'utf8')) as object), status: 'interrupted' }));
    fill(disk.dir, 200 * 1024);
    const resumed = await cli(['--workspace', ws, 'resume', runId]);
    expect(resumed.code).toBe(1);
    expect(resumed.stderr).toMatch(/Not enough free space to train .*: it needs about \d+(\.\d+)? MiB, and \d+(\.\d+)? KiB are free/);
    expect(stateIn(ws, runId).status).toBe('interrupted');
    const imported = await cli(['--workspace', ws, 'import', join(sources, 'large.csv')]);
    expect(imported.code).toBe(1);
    expect(imported.stderr).toMatch(/Not enough free space to store this dataset: it needs about \d+(\.\d+)? KiB, and \d+(\.\d+)? KiB are free/);
    const datasets = lastJson((await cli(['--workspace', ws, '--json', 'datasets'])).stdout) as DatasetSummary[];
    expect(datasets.map((d) => d.id).sort()).toEqual(['shapes', 'vectors']);
  });
});

describe('a read-only workspace', () => {
  onSmallDisk('lists its runs (an active one shown interrupted, unrecorded), changes no file, and an import says EROFS', 20 * 1024 * 1024, async (disk, ws) => {
    await importVectors(ws);
    expect((await cli(['--workspace', ws, 'train', '--dataset', 'vectors', '--epochs', '1', '--latent', '2'])).code).toBe(0);
    const [id = ''] = runIdsIn(ws);
    // As a lab that stopped mid-run leaves it.
    const stateFile = join(ws, 'runs', id, 'state.json');
    await writeFile(stateFile, readFileSync(stateFile, 'utf8').replace('"completed"', '"running"'));
    const before = hashOf(stateFile);
    disk.readOnly();
    try {
      const listed = await cli(['--workspace', ws, '--json', 'runs']);
      expect(listed.code).toBe(0);
      const [run] = lastJson(listed.stdout) as RunSummary[];
      expect(run).toMatchObject({ id, status: 'interrupted' });
      expect(run?.error).toMatch(/not recorded: the disk refuses writes: Read-only file system \(EROFS\)/);
      expect(hashOf(stateFile)).toBe(before);
      const human = await cli(['--workspace', ws, 'runs']);
      expect(human.stderr).toMatch(/note: the workspace is open read-only because the disk refuses writes: Read-only file system \(EROFS\)/);

      // Other content than what is stored (the same content would be a duplicate, and write nothing).
      await writeFile(join(sources, 'other.csv'), vectorsCsv().replace(/^0,/gm, '1,'));
      const imported = await cli(['--workspace', ws, 'import', join(sources, 'other.csv'), '--name', 'Again']);
      expect(imported.code).toBe(1);
      expect(imported.stderr).toMatch(/EROFS/);
      expect(imported.stderr).not.toMatch(/ENOENT/);
      // A lab that opens the workspace without claiming it is refused by the disk itself, with the same cause.
      const lab = Lab.open({ workspace: ws, host: 'cli', fashionMnistDir: '' });
      const direct = await lab.dispatch('datasets.importPaths', { importId: 'x', paths: [join(sources, 'other.csv')], options: { name: 'Again' } });
      expect(direct).toMatchObject({ ok: false, error: { message: expect.stringMatching(/Read-only file system \(EROFS\) writing .*datasets/) } });
    } finally {
      disk.writable();
    }
  });

  onSmallDisk('made read-only mid-training: the lab says the failure could not be recorded, and aelab exits non-zero', 20 * 1024 * 1024, async (disk, ws) => {
    const { train, id } = await trainingPastFirstEpoch(ws);
    disk.readOnly();
    try {
      const ended = await train.done;
      expect(ended.code).toBe(1);
      expect(ended.stdout).toMatch(/: failed — .*Read-only file system \(EROFS\).*could not be recorded/);
      expect(ended.stdout).not.toMatch(/: running/);
    } finally {
      disk.writable();
    }
    // What the disk kept is a state from before, which the next owner finds interrupted: nothing is lost.
    const listed = lastJson((await cli(['--workspace', ws, '--json', 'runs'])).stdout) as RunSummary[];
    expect(listed.map((r) => [r.id, r.status])).toEqual([[id, 'interrupted']]);
  });
});
