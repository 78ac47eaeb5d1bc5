import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { JobSummary } from '../../../shared/domain/job.js';
import { JobFolder } from '../../format/jobs/jobFolder.js';
import type { ToEngine } from '../../format/runs/engineProtocol.js';
import { generateShapes } from '../datasets/builtin/shapes.js';
import { Lab } from '../lab.js';
import { forkEngine, type EngineProcess } from '../runs/runSupervisor.js';
import { tempDir } from '../testing/fixtures.js';

let workspace: string;
let engines: EngineProcess[];
/** Set by a test: what to do with a message before an engine gets it (return false to drop it). */
let intercept: (engine: EngineProcess, message: ToEngine, index: number) => boolean;

const launch = (): EngineProcess => {
  const engine = forkEngine();
  const index = engines.push(engine) - 1;
  return { ...engine, pid: engine.pid, send: (message) => (intercept(engine, message, index) ? engine.send(message) : undefined) };
};

const openLab = (): Lab => Lab.open({ workspace, host: 'cli', fashionMnistDir: '', launchEngine: launch });

beforeEach(async () => {
  workspace = join(await tempDir('aelab-jobs-'), 'ws');
  engines = [];
  intercept = () => true;
  await openLab().datasets.save(generateShapes({ count: 600, size: 16, seed: 3 }), 'Small shapes', { id: 'small' });
});
afterEach(async () => {
  for (const engine of engines) engine.kill();
  await rm(join(workspace, '..'), { recursive: true, force: true });
});

async function until(lab: Lab, id: string, check: (job: JobSummary) => boolean, what: string, timeoutMs = 90_000): Promise<JobSummary> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = await lab.jobs.get(id);
    if (check(job)) return job;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (job is ${job.status})`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const base = { datasetId: 'small', architecture: 'dense', objective: 'plain', architectureParams: { hiddenWidths: [32] }, batchSize: 64, epochs: 2, seed: 9 };

describe('jobs', () => {
  it('queues a sweep as one job; an engine killed mid-sweep leaves it interrupted, and resuming finishes every member', async () => {
    const lab = openLab();
    // The second member's engine dies as it is told to start training.
    intercept = (engine, message, index) => {
      if (message.type === 'start' && index === 1) {
        engine.kill();
        return false;
      }
      return true;
    };
    const sweep = await lab.call('sweeps.create', { spec: { base, axes: [{ field: 'latentDim', values: [2, 4, 8] }] } });
    expect(sweep.kind).toBe('sweep');
    expect(sweep.runIds).toHaveLength(3);
    const interrupted = await until(lab, sweep.id, (job) => job.status === 'interrupted', 'the sweep to stop with a member cut off');
    expect(interrupted.progress?.done).toBe(2);
    expect(interrupted.error?.message).toMatch(/latentDim=4 · dense plain: The engine process stopped unexpectedly/);

    await lab.call('jobs.resume', { id: sweep.id });
    const done = await until(lab, sweep.id, (job) => job.status === 'done', 'the resumed sweep');
    expect(done.progress).toMatchObject({ done: 3, total: 3 });
    const results = await lab.call('sweeps.results', { id: sweep.id });
    expect(results.members.map((m) => [m.point.latentDim, m.run.status, m.run.epoch])).toEqual([[2, 'completed', 2], [4, 'completed', 2], [8, 'completed', 2]]);
    expect(results.members.every((m) => (m.evaluation?.mse ?? 0) > 0)).toBe(true);
    // Members are training jobs of the sweep in the one job list.
    const list = await lab.call('jobs.list', {});
    expect(list.filter((job) => job.parentId === sweep.id).map((job) => job.kind)).toEqual(['train', 'train', 'train']);
  });

  it('pauses a sweep as one (the member training and the ones waiting), resumes and cancels it', async () => {
    const lab = openLab();
    const sweep = await lab.call('sweeps.create', { spec: { base: { ...base, epochs: 3 }, axes: [{ field: 'learningRate', values: [0.001, 0.003, 0.01] }] } });
    await until(lab, sweep.id, (job) => job.status === 'running', 'the first member to start');
    await lab.call('jobs.pause', { id: sweep.id });
    const paused = await until(lab, sweep.id, (job) => job.status === 'paused', 'the sweep to pause');
    const members = await Promise.all(paused.runIds.map((id) => lab.runs.get(id)));
    expect(members.map((m) => m.status)).toEqual(['paused', 'paused', 'paused']);

    await lab.call('jobs.resume', { id: sweep.id });
    await until(lab, sweep.id, (job) => (job.progress?.done ?? 0) >= 1, 'the first member to finish after resuming');
    await lab.call('jobs.cancel', { id: sweep.id });
    const cancelled = await until(lab, sweep.id, (job) => job.status === 'cancelled' || job.status === 'done', 'the sweep to stop');
    expect(cancelled.status).toBe('cancelled');
    const after = await Promise.all(cancelled.runIds.map((id) => lab.runs.get(id)));
    expect(after[0]?.status).toBe('completed');
    expect(after.slice(1).every((m) => m.status === 'cancelled' || m.status === 'completed')).toBe(true);
    expect(after.some((m) => m.status === 'cancelled')).toBe(true);
  });

  it('refuses a sweep value the data cannot take before anything queues, naming the value', async () => {
    const lab = openLab();
    await expect(lab.call('sweeps.create', { spec: { base: { ...base, architecture: 'linear', architectureParams: {}, reconstructionLoss: 'mse' }, axes: [{ field: 'reconstructionLoss', values: ['mse', 'bce'] }] } })).rejects.toThrow(
      /^Sweep value reconstructionLoss=bce: /,
    );
    expect(await lab.call('runs.list', {})).toEqual([]);
    expect(await lab.call('jobs.list', {})).toEqual([]);
  });

  it('runs PCA as an analysis job, caches it beside the dataset, and reruns it when its engine dies', async () => {
    const lab = openLab();
    intercept = (engine, message, index) => {
      if (message.type === 'analyze' && index === 0) {
        engine.kill();
        return false;
      }
      return true;
    };
    expect(await lab.call('analyses.pca', { datasetId: 'small' })).toBeNull();
    const job = await lab.call('analyses.run', { analysis: 'pca', spec: { datasetId: 'small', maxComponents: 64 } });
    expect(job).toMatchObject({ kind: 'analysis', analysis: 'pca', title: 'PCA of Small shapes' });
    const interrupted = await until(lab, job.id, (j) => j.status === 'interrupted', 'the analysis to be interrupted');
    expect(interrupted.error?.message).toMatch(/engine process stopped unexpectedly/);
    await lab.call('jobs.resume', { id: job.id });
    await until(lab, job.id, (j) => j.status === 'done', 'the analysis to finish');
    const pca = await lab.call('analyses.pca', { datasetId: 'small' });
    expect(pca).toMatchObject({ datasetId: 'small', dimension: 256, components: 64, method: 'exact' });
    const testMse = pca?.testMse ?? [];
    expect(testMse).toHaveLength(65);
    // More components never reconstruct worse.
    expect(testMse.every((v, i) => i === 0 || v <= (testMse[i - 1] ?? Infinity) + 1e-9)).toBe(true);
    const { result } = await lab.call('analyses.result', { id: job.id });
    expect(result?.components).toBe(64);
  });

  it('finds an analysis left running by a lab that stopped interrupted, and runs it again on resume', async () => {
    const first = openLab();
    // The engine never gets the job: the host "dies" with the analysis queued to run.
    intercept = (_engine, message) => message.type !== 'analyze';
    const job = await first.call('analyses.run', { analysis: 'pca', spec: { datasetId: 'small', maxComponents: 8 } });
    await until(first, job.id, (j) => j.status === 'running' || j.status === 'queued', 'the job to be taken');
    first.shutdown();
    // A host that dies leaves the job as it was, 'running'; this one's exit handler had time to record the engine's end.
    await until(first, job.id, (j) => j.status === 'interrupted', 'the engine to be gone');
    await new JobFolder(workspace, job.id).updateState({ status: 'running', error: null });
    intercept = () => true;
    const second = openLab();
    const found = (await second.call('jobs.list', {})).find((j) => j.id === job.id);
    expect(found?.status).toBe('interrupted');
    expect(found?.error?.message).toMatch(/The lab stopped while this analysis was active/);
    await second.call('jobs.resume', { id: job.id });
    await until(second, job.id, (j) => j.status === 'done', 'the analysis to run again');
    expect((await second.call('analyses.pca', { datasetId: 'small' }))?.components).toBe(8);
  });

  it('refuses an analysis spec with the field at fault, and an unknown analysis by name', async () => {
    const lab = openLab();
    await expect(lab.call('analyses.run', { analysis: 'pca', spec: { datasetId: 'small', maxComponents: 0 } })).rejects.toThrow(/^PCA: maxComponents: /);
    await expect(lab.call('analyses.run', { analysis: 'tsne', spec: {} })).rejects.toThrow("No analysis 'tsne' (the lab has: pca, principalAngles, evaluation, robustness, anomaly, probe)");
    await expect(lab.call('analyses.run', { analysis: 'pca', spec: { datasetId: 'nope' } })).rejects.toThrow("No dataset with id 'nope'");
  });
});
