import { describe, expect, it } from 'vitest';
import type { RequestChannel } from '../../../shared/contract/channels.js';
import type { RunSummary } from '../../../shared/domain/run.js';
import type { DamagedItem } from '../../../shared/domain/workspaceHealth.js';
import { FakeLab, fail, healthyWorkspace, ok, useFakeLab } from '../testing/fakeLab.js';
import { useRunsStore } from './runs.js';

const summary = (id: string, status: RunSummary['status'] = 'queued'): RunSummary => ({
  id, name: id, status, epoch: 0, epochs: 3, backend: null, error: null, createdAt: '2026-01-01', startedAt: null, finishedAt: null, samplesPerSecond: null, engineRssBytes: null,
  config: { datasetId: 'd', task: 'reconstruct', taskParams: {}, architecture: 'dense', objective: 'plain', architectureParams: {}, objectiveParams: {}, latentDim: 2, reconstructionLoss: 'mse', optimizer: 'adam', learningRate: 0.001, momentum: 0.9, batchSize: 8, epochs: 3, earlyStoppingPatience: 0, seed: 1 },
});

/** Queues what it is given (refusing the objective 'bogus'), and refuses to pause. */
class RunsLab extends FakeLab {
  runs: RunSummary[] = [];
  listFails = false;
  damaged: DamagedItem[] = [];

  protected answer(channel: RequestChannel, payload: unknown) {
    if (channel === 'runs.create') {
      const config = (payload as { config: { objective: string } }).config;
      if (config.objective === 'bogus') return fail('invalid-option', 'no such objective');
      const run = summary(`r${this.runs.length + 1}`);
      this.runs.unshift(run);
      return ok(run);
    }
    if (channel === 'runs.list') return this.listFails ? fail('disconnected', 'The connection to the lab was lost; try again') : ok([...this.runs]);
    if (channel === 'runs.get') return ok({ run: this.runs.find((r) => r.id === (payload as { id: string }).id), metrics: [], evaluation: null, panel: null });
    if (channel === 'runs.pause') return fail('invalid-request', "Run 'r1' is not training (it is queued)");
    if (channel === 'workspace.check') return ok({ ...healthyWorkspace, damaged: this.damaged });
    return ok({});
  }
}

const lab = useFakeLab(() => new RunsLab());

describe('runs store', () => {
  it('queues every variant, reports the refused ones, and selects the first queued', async () => {
    const store = useRunsStore();
    const problems = await store.create([
      { datasetId: 'd', architecture: 'dense', objective: 'plain' },
      { datasetId: 'd', architecture: 'dense', objective: 'bogus' as never },
      { datasetId: 'd', architecture: 'dense', objective: 'variational' },
    ]);
    expect(problems).toEqual(['Variant 2: no such objective']);
    expect(store.list.map((r) => r.id)).toEqual(['r2', 'r1']);
    expect(store.selectedId).toBe('r1');
    expect(store.details?.run.id).toBe('r1');
  });

  it('keeps live progress per run and replaces a run when it changes', async () => {
    const store = useRunsStore();
    await store.create([{ datasetId: 'd', architecture: 'dense', objective: 'plain' }]);
    lab().emit('runs.progress', { runId: 'r1', epoch: 1, batch: 2, batches: 4, loss: { total: 0.5 }, samplesPerSecond: 100, etaSeconds: 3 });
    expect(store.progress.r1?.batch).toBe(2);
    lab().emit('runs.changed', { run: { ...summary('r1', 'running'), epoch: 1 } });
    expect(store.list[0]).toMatchObject({ id: 'r1', status: 'running', epoch: 1 });
    lab().emit('runs.changed', { run: summary('r9') });
    expect(store.list.map((r) => r.id)).toEqual(['r9', 'r1']);
  });

  it('draws the running loss within epochs as a curve, and shows one samples/s figure per run', async () => {
    const store = useRunsStore();
    await store.create([{ datasetId: 'd', architecture: 'dense', objective: 'plain' }]);
    const report = (epoch: number, batch: number, runningLoss: number, samplesPerSecond: number) =>
      lab().emit('runs.progress', { runId: 'r1', epoch, batch, batches: 4, loss: { total: 9 }, runningLoss, samplesPerSecond, etaSeconds: 3 });
    report(1, 1, 0.9, 50);
    report(1, 2, 0.7, 80);
    report(2, 2, 0.4, 120);
    expect(store.batchCurves.r1).toEqual([{ epoch: 0.25, loss: 0.9 }, { epoch: 0.5, loss: 0.7 }, { epoch: 1.5, loss: 0.4 }]);
    // Trained again from the checkpoint of epoch 1: the curve goes on from there.
    report(2, 1, 0.45, 100);
    expect(store.batchCurves.r1?.map((p) => p.epoch)).toEqual([0.25, 0.5, 1.25]);

    // Training: the live figure; otherwise the last epoch's, which is the same measure.
    lab().emit('runs.changed', { run: { ...summary('r1', 'running'), samplesPerSecond: 90 } });
    expect(store.samplesPerSecond(store.list[0] as RunSummary)).toBe(100);
    lab().emit('runs.changed', { run: { ...summary('r1', 'completed'), samplesPerSecond: 90 } });
    expect(store.samplesPerSecond(store.list[0] as RunSummary)).toBe(90);
  });

  it('shows why an action was refused', async () => {
    const store = useRunsStore();
    await store.act('runs.pause', 'r1');
    expect(store.actionError).toBe("Run 'r1' is not training (it is queued)");
  });

  it('clears a failed refresh’s message once a refresh succeeds', async () => {
    const store = useRunsStore();
    lab().listFails = true;
    await store.refresh();
    expect([store.status, store.error]).toEqual(['error', 'The connection to the lab was lost; try again']);
    lab().listFails = false;
    await store.refresh();
    expect([store.status, store.error]).toEqual(['ready', null]);
  });

  it('keeps the damaged runs the lab reports beside the list, and only the runs', async () => {
    const store = useRunsStore();
    const run: DamagedItem = { kind: 'run', id: 'r7', path: 'runs/r7', problem: 'runs/r7/state.json: the run state is not valid JSON', remedy: 'move it to quarantine' };
    lab().damaged = [run, { ...run, kind: 'dataset', id: 'd', path: 'datasets/d' }];
    await store.refresh();
    expect(store.damaged).toEqual([run]);
  });
});
