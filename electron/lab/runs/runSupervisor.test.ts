import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunConfigInput } from '../../../shared/catalogue/runConfig.js';
import type { RunSummary } from '../../../shared/domain/run.js';
import { generateShapes } from '../datasets/builtin/shapes.js';
import { DatasetStore } from '../datasets/store.js';
import { tempDir } from '../testing/fixtures.js';
import { forkEngine, RunSupervisor, type EngineProcess, type RunEvent } from './runSupervisor.js';
import { RunFolder } from '../../format/runs/runFolder.js';

let workspace: string;
let datasets: DatasetStore;
let events: RunEvent[];
let engines: EngineProcess[];

beforeEach(async () => {
  workspace = await tempDir('aelab-runs-');
  datasets = new DatasetStore(join(workspace, 'datasets'));
  await datasets.save(generateShapes({ count: 1500, size: 16, seed: 5 }), 'Small shapes', { id: 'small' });
  events = [];
  engines = [];
});
afterEach(async () => {
  for (const engine of engines) engine.kill();
  await rm(workspace, { recursive: true, force: true });
});

const supervisor = () =>
  new RunSupervisor(workspace, datasets, (event) => events.push(event), () => {
    const engine = forkEngine();
    engines.push(engine);
    return engine;
  });

const config = (epochs: number): RunConfigInput => ({
  datasetId: 'small',
  architecture: 'dense',
  objective: 'denoising',
  architectureParams: { hiddenWidths: [64] },
  latentDim: 8,
  reconstructionLoss: 'bce',
  batchSize: 32,
  epochs,
  seed: 21,
});

async function until(check: () => Promise<boolean> | boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const statusOf = async (runs: RunSupervisor, id: string): Promise<RunSummary['status']> => (await runs.get(id)).status;

/** The epoch metrics of the same seeded run trained without interruption: what a resumed run must match. */
async function uninterruptedMetrics(runs: RunSupervisor, epochs: number): Promise<Awaited<ReturnType<RunSupervisor['metrics']>>> {
  const reference = await runs.create(config(epochs));
  await runs.idle();
  await until(async () => (await statusOf(runs, reference.id)) === 'completed', 'reference run');
  return runs.metrics(reference.id);
}

describe('run supervisor with real engine processes', () => {
  it('trains a run to the end, with progress, metrics, checkpoints and test metrics', async () => {
    const runs = supervisor();
    const run = await runs.create(config(2));
    await runs.idle();
    await until(async () => (await statusOf(runs, run.id)) === 'completed', 'completion');
    const metrics = await runs.metrics(run.id);
    expect(metrics.map((m) => m.epoch)).toEqual([1, 2]);
    expect(metrics[1]?.validation?.total).toBeLessThan(metrics[0]?.validation?.total ?? 0);
    const evaluation = await runs.evaluation(run.id);
    expect(evaluation?.testSamples).toBe(150);
    expect(evaluation?.perClassMse).toHaveLength(5);
    expect(events.some((e) => e.kind === 'progress')).toBe(true);
    expect((await runs.get(run.id)).backend).toMatch(/tensorflow|wasm|cpu/);
    const panel = await new RunFolder(workspace, run.id).readPanel();
    expect(panel?.shape).toEqual([16, 16, 16, 1]);
    expect(panel?.reconstructions.length).toBe(16 * 256);
    expect(panel?.originals.some((v, i) => Math.abs(v - (panel.reconstructions[i] ?? 0)) > 1e-3)).toBe(true);
  });

  it('refuses an invalid configuration with the reason', async () => {
    await expect(supervisor().create({ ...config(1), architecture: 'conv', architectureParams: { channels: [4, 4, 4, 4, 4] } })).rejects.toThrow(
      /5 down-sampling stages need height and width divisible by 32; these images are 16×16/,
    );
  });

  it('pauses, resumes and cancels', async () => {
    const runs = supervisor();
    const run = await runs.create(config(200));
    await until(() => events.some((e) => e.kind === 'progress'), 'progress');
    await runs.pause(run.id);
    await until(async () => (await statusOf(runs, run.id)) === 'paused', 'paused');
    const epochWhilePaused = (await runs.get(run.id)).epoch;
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await runs.get(run.id)).epoch).toBe(epochWhilePaused);
    await runs.resume(run.id);
    await until(async () => (await statusOf(runs, run.id)) === 'running', 'running again');
    await runs.cancel(run.id);
    await until(async () => (await statusOf(runs, run.id)) === 'cancelled', 'cancelled');
  });

  it('a kill -9 mid-epoch leaves the run interrupted; resuming gives the same later metrics as an uninterrupted run', async () => {
    const runs = supervisor();
    const expected = await uninterruptedMetrics(runs, 4);

    const crashing = await runs.create(config(4));
    await until(async () => (await runs.get(crashing.id)).epoch >= 2, 'two epochs');
    await until(() => events.some((e) => e.kind === 'progress' && e.progress.runId === crashing.id && e.progress.epoch === 3), 'epoch 3 under way');
    engines.at(-1)?.kill();
    await until(async () => (await statusOf(runs, crashing.id)) === 'interrupted', 'interrupted');
    expect((await runs.get(crashing.id)).error).toMatch(/engine process stopped unexpectedly \(SIGKILL\)/);

    await runs.resume(crashing.id);
    await until(async () => (await statusOf(runs, crashing.id)) === 'completed', 'resumed run');
    const resumed = await runs.metrics(crashing.id);
    expect(resumed.map((m) => m.epoch)).toEqual([1, 2, 3, 4]);
    for (const epoch of [2, 3]) {
      expect(resumed[epoch]?.train.total).toBeCloseTo(expected[epoch]?.train.total ?? NaN, 5);
      expect(resumed[epoch]?.validation?.total).toBeCloseTo(expected[epoch]?.validation?.total ?? NaN, 5);
    }
  });

  it('kills while checkpoints are being written leave a checkpoint of one epoch, never a mix of two', async () => {
    const runs = supervisor();
    const expected = await uninterruptedMetrics(runs, 4);

    const crashing = await runs.create(config(4));
    const metricsFile = new RunFolder(workspace, crashing.id).metricsFile;
    const epochsWritten = () => (existsSync(metricsFile) ? readFileSync(metricsFile, 'utf8').split('\n').filter(Boolean).length : 0);
    // An epoch's metrics line is written just before its checkpoint: a few ms later the engine is inside it.
    for (const [epoch, delayMs] of [[1, 0], [2, 3], [3, 6]] as const) {
      const deadline = Date.now() + 60_000;
      while (epochsWritten() < epoch && Date.now() < deadline) await new Promise((resolve) => setImmediate(resolve));
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      engines.at(-1)?.kill();
      await until(async () => (await statusOf(runs, crashing.id)) === 'interrupted', `interrupted in epoch ${epoch}'s checkpoint`);
      await runs.resume(crashing.id);
    }
    await until(async () => (await statusOf(runs, crashing.id)) === 'completed', 'resumed run');
    const resumed = await runs.metrics(crashing.id);
    expect(resumed.map((m) => m.epoch)).toEqual([1, 2, 3, 4]);
    resumed.forEach((metrics, i) => expect(metrics.train.total).toBeCloseTo(expected[i]?.train.total ?? NaN, 5));
    expect(readdirSync(join(new RunFolder(workspace, crashing.id).dir, 'checkpoints')).sort()).toEqual(['best', 'last']);
  });

  it('marks runs left active by a stopped lab as interrupted', async () => {
    const runs = supervisor();
    const run = await runs.create(config(1));
    await runs.idle();
    await new RunFolder(workspace, run.id).updateState({ status: 'running' });
    expect((await supervisor().list())[0]?.status).toBe('interrupted');
  });
});
