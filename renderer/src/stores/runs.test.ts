import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import type { EventChannel, RequestChannel } from '../../../shared/contract/channels.js';
import type { LabApi } from '../../../shared/contract/client.js';
import type { RunSummary } from '../../../shared/domain/run.js';
import { setLabApi } from '../api/labApi.js';
import { useRunsStore } from './runs.js';

const summary = (id: string, status: RunSummary['status'] = 'queued'): RunSummary => ({
  id, name: id, status, epoch: 0, epochs: 3, backend: null, error: null, createdAt: '2026-01-01', startedAt: null, finishedAt: null, samplesPerSecond: null, engineRssBytes: null,
  config: { datasetId: 'd', architecture: 'dense', objective: 'plain', architectureParams: {}, objectiveParams: {}, latentDim: 2, reconstructionLoss: 'mse', optimizer: 'adam', learningRate: 0.001, momentum: 0.9, batchSize: 8, epochs: 3, earlyStoppingPatience: 0, seed: 1 },
});

class FakeLab implements LabApi {
  runs: RunSummary[] = [];
  calls: Array<[RequestChannel, unknown]> = [];
  listeners = new Map<EventChannel, Array<(p: never) => void>>();
  request: LabApi['request'] = (channel, payload) => {
    this.calls.push([channel, payload]);
    const ok = (value: unknown) => Promise.resolve({ ok: true, value } as never);
    if (channel === 'runs.create') {
      const config = (payload as { config: { objective: string } }).config;
      if (config.objective === 'bogus') return Promise.resolve({ ok: false, error: { code: 'invalid-option', message: 'no such objective' } } as never);
      const run = summary(`r${this.runs.length + 1}`);
      this.runs.unshift(run);
      return ok(run);
    }
    if (channel === 'runs.list') return ok([...this.runs]);
    if (channel === 'runs.get') return ok({ run: this.runs.find((r) => r.id === (payload as { id: string }).id), metrics: [], evaluation: null, panel: null });
    if (channel === 'runs.pause') return Promise.resolve({ ok: false, error: { code: 'invalid-request', message: "Run 'r1' is not training (it is queued)" } } as never);
    return ok({});
  };
  on: LabApi['on'] = (channel, listener) => {
    this.listeners.set(channel, [...(this.listeners.get(channel) ?? []), listener as (p: never) => void]);
    return () => this.listeners.set(channel, (this.listeners.get(channel) ?? []).filter((l) => l !== listener));
  };
  emit(channel: EventChannel, payload: unknown): void {
    for (const l of this.listeners.get(channel) ?? []) l(payload as never);
  }
  importDropped: LabApi['importDropped'] = () => Promise.resolve({ ok: false, error: { code: 'internal', message: 'unused' } });
}

let fake: FakeLab;
beforeEach(() => {
  fake = new FakeLab();
  setLabApi(fake);
  setActivePinia(createPinia());
});

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
    fake.emit('runs.progress', { runId: 'r1', epoch: 1, batch: 2, batches: 4, loss: { total: 0.5 }, samplesPerSecond: 100, etaSeconds: 3 });
    expect(store.progress.r1?.batch).toBe(2);
    fake.emit('runs.changed', { run: { ...summary('r1', 'running'), epoch: 1 } });
    expect(store.list[0]).toMatchObject({ id: 'r1', status: 'running', epoch: 1 });
    fake.emit('runs.changed', { run: summary('r9') });
    expect(store.list.map((r) => r.id)).toEqual(['r9', 'r1']);
  });

  it('shows why an action was refused', async () => {
    const store = useRunsStore();
    await store.act('runs.pause', 'r1');
    expect(store.actionError).toBe("Run 'r1' is not training (it is queued)");
  });
});
