import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../../shared/random.js';
import { openWorkspace } from '../lab/owner/openWorkspace.js';
import { recordFaultCase } from '../lab/testing/faultLedger.js';
import { png, tempDir } from '../lab/testing/fixtures.js';
import { cli, startCli, until, vectorsCsv } from './testing/cliProcess.js';

/**
 * `aelab` killed with SIGKILL at seeded random points of training, evaluation, import and
 * delete; after each kill the workspace is opened again and everything the user made before
 * is checked: the datasets with the same content hash, the runs with their metrics up to
 * their last checkpoint, the trained run's evaluation.
 */
const random = seededRandom(Number(process.env.AELAB_FAULT_SEED ?? 20_251_202));
const between = (low: number, high: number): number => Math.round(low + random() * (high - low));

let dir: string;
let ws: string;

interface Snapshot {
  datasets: Map<string, { hash: string; count: number }>;
  runs: Map<string, { status: string; epochs: number[]; evaluation: string | null }>;
}

const runIds = (): string[] => (existsSync(join(ws, 'runs')) ? readdirSync(join(ws, 'runs')).filter((id) => !id.startsWith('.')) : []);
const checkpointEpoch = (id: string): number => {
  for (const name of ['last', 'last.partial', 'last.previous']) {
    const file = join(ws, 'runs', id, 'checkpoints', name, 'state.json');
    if (existsSync(file)) return (JSON.parse(readFileSync(file, 'utf8')) as { epoch: number }).epoch;
  }
  return 0;
};

/** The workspace as a new owner sees it (recovering what the kill left active). */
async function look(): Promise<Snapshot> {
  const opened = await openWorkspace({ workspace: ws, host: 'cli', fashionMnistDir: '' });
  try {
    expect(opened.access.mode).toBe('owner');
    const { lab } = opened;
    const datasets = new Map((await lab.call('datasets.list', {})).map((d) => [d.id, { hash: d.contentHash, count: d.count }] as const));
    const runs = new Map<string, { status: string; epochs: number[]; evaluation: string | null }>();
    for (const run of await lab.call('runs.list', {})) {
      const details = await lab.call('runs.get', { id: run.id });
      runs.set(run.id, { status: run.status, epochs: details.metrics.map((m) => m.epoch), evaluation: details.evaluation ? JSON.stringify(details.evaluation) : null });
    }
    return { datasets, runs };
  } finally {
    await opened.close();
    opened.lab.shutdown();
  }
}

/**
 * What of `before` is missing or changed in `after`: `changing` runs may have gone on (more
 * epochs), and a run being deleted may be gone.
 */
function lost(before: Snapshot, after: Snapshot, changing: Set<string> = new Set(), deleting?: string): string[] {
  const missing: string[] = [];
  for (const [id, { hash }] of before.datasets) if (after.datasets.get(id)?.hash !== hash) missing.push(`dataset ${id} ${after.datasets.has(id) ? 'changed' : 'gone'}`);
  for (const [id, run] of before.runs) {
    const now = after.runs.get(id);
    if (!now) {
      if (id !== deleting) missing.push(`run ${id} gone`);
      continue;
    }
    if (changing.has(id)) {
      // Epochs up to the last checkpoint survive a kill; later ones are trained again.
      const kept = now.epochs.filter((e) => e <= checkpointEpoch(id));
      if (kept.join() !== Array.from({ length: checkpointEpoch(id) }, (_, i) => i + 1).join()) missing.push(`run ${id}: epochs ${now.epochs.join(',')} against checkpoint ${checkpointEpoch(id)}`);
      continue;
    }
    if (now.status !== run.status || now.epochs.join() !== run.epochs.join()) missing.push(`run ${id}: ${run.status} ${run.epochs.join(',')} became ${now.status} ${now.epochs.join(',')}`);
    if (run.evaluation !== null && now.evaluation === null) missing.push(`run ${id}: evaluation gone`);
  }
  return missing;
}

/** Starts `aelab ARGS`, waits for `ready` (or not), sleeps a seeded random time and kills it. */
async function killDuring(args: string[], ready: () => boolean, delay: [number, number]): Promise<number> {
  const child = startCli(['--workspace', ws, ...args]);
  await until(() => ready() || child.child.exitCode !== null, `${args[0] ?? ''} to start`, 120_000);
  const wait = between(...delay);
  await new Promise((resolve) => setTimeout(resolve, wait));
  child.child.kill('SIGKILL');
  await child.done;
  // The engine it started sees its parent gone and stops within a second.
  await new Promise((resolve) => setTimeout(resolve, 1200));
  return wait;
}

let trained = '';
let killed = '';

beforeAll(async () => {
  dir = await tempDir('aelab-kills-');
  ws = join(dir, 'ws');
  await writeFile(join(dir, 'vectors.csv'), vectorsCsv());
  await mkdir(join(dir, 'pngs'));
  for (let i = 0; i < 400; i += 1) await writeFile(join(dir, 'pngs', `${i % 3 === 0 ? 'a' : 'b'}-${i}.png`), await png(24, 24, i));
  expect((await cli(['--workspace', ws, 'import', join(dir, 'vectors.csv'), '--name', 'Vectors'])).code).toBe(0);
  expect((await cli(['--workspace', ws, 'train', '--dataset', 'vectors', '--epochs', '3', '--batch', '32', '--latent', '2'])).code).toBe(0);
  [trained = ''] = runIds();
}, 240_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function kill(name: string, run: () => Promise<{ changing?: Set<string>; deleting?: string; check?: (after: Snapshot) => string[] }>): void {
  it(name, async () => {
    const before = await look();
    const { changing, deleting, check } = await run();
    const after = await look();
    const missing = [...lost(before, after, changing, deleting), ...(check?.(after) ?? [])];
    recordFaultCase(name, missing);
    expect(missing).toEqual([]);
  }, 240_000);
}

describe('kill -9 at random points, then the workspace opened again', () => {
  for (const round of [1, 2, 3]) {
    kill(`training, kill ${round}`, async () => {
      const existing = new Set(runIds());
      const args = killed === '' ? ['train', '--dataset', 'vectors', '--epochs', '30', '--batch', '8', '--latent', '2', '--seed', '7'] : ['resume', killed];
      await killDuring(args, () => (killed === '' ? runIds().some((id) => !existing.has(id)) : existsSync(join(ws, 'runs', killed, 'metrics.jsonl'))), [0, 5000]);
      killed ||= runIds().find((id) => !existing.has(id)) ?? '';
      return { changing: new Set([killed]), check: (after) => (after.runs.has(killed) ? [] : [`the killed run ${killed} is not listed`]) };
    });
  }

  kill('training, resumed after the kills, ends with every epoch', async () => {
    const resumed = await cli(['--workspace', ws, 'resume', killed]);
    expect(resumed.code).toBe(0);
    return {
      changing: new Set([killed]),
      check: (after) => (after.runs.get(killed)?.epochs.join() === Array.from({ length: 30 }, (_, i) => i + 1).join() ? [] : [`run ${killed}: epochs ${after.runs.get(killed)?.epochs.join(',')}`]),
    };
  });

  for (const round of [1, 2]) {
    kill(`evaluation, kill ${round}`, async () => {
      const jobs = (): number => (existsSync(join(ws, 'jobs')) ? readdirSync(join(ws, 'jobs')).length : 0);
      const count = jobs();
      await killDuring(['evaluate', trained], () => jobs() > count, [0, 4000]);
      return {};
    });
  }

  for (const round of [1, 2, 3]) {
    kill(`import, kill ${round}`, async () => {
      await killDuring(['import', join(dir, 'pngs'), '--name', 'Pngs'], () => true, [2500, 9000]);
      return {
        check: (after) => {
          // Either the whole dataset or none of it.
          const pngs = after.datasets.get('pngs');
          return pngs === undefined || pngs.count === 400 ? [] : [`a partial dataset is listed (${pngs.count} of 400 samples)`];
        },
      };
    });
  }

  for (const round of [1, 2]) {
    kill(`delete, kill ${round}`, async () => {
      const target = round === 1 ? killed : trained;
      await killDuring(['delete', target], () => true, [2000, 6000]);
      return {
        deleting: target,
        check: (after) => {
          const folder = join(ws, 'runs', target);
          // Deleted whole, or there whole: listed with its metrics.
          if (!after.runs.has(target)) return existsSync(folder) ? [`run ${target}: its folder is left but not listed`] : [];
          return after.runs.get(target)?.epochs.length ? [] : [`run ${target} is listed without its metrics`];
        },
      };
    });
  }
});
