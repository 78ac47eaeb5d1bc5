import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunConfigInput } from '../../../shared/catalogue/runConfig.js';
import type { RunProgress, RunSummary } from '../../../shared/domain/run.js';
import { generateShapes } from '../datasets/builtin/shapes.js';
import { DatasetStore } from '../datasets/store.js';
import { tempDir } from '../testing/fixtures.js';
import { forkEngine, RunSupervisor, type EngineProcess, type RunEvent } from './runSupervisor.js';

/**
 * Pause, resume and cancel on real engine processes. Where a control lands is read from the
 * batch the engine reports when it lands, against the batch the lab had seen when it asked:
 * the engine must act within a few batches, whatever the machine's speed.
 */
let workspace: string;
let datasets: DatasetStore;
let engines: EngineProcess[];
let events: RunEvent[];
let listeners: Array<(event: RunEvent) => void>;

beforeEach(async () => {
  workspace = await tempDir('aelab-control-');
  datasets = new DatasetStore(join(workspace, 'datasets'));
  // 175 batches of 8 an epoch: long enough that a control waiting for the epoch's end shows.
  await datasets.save(generateShapes({ count: 2000, size: 16, seed: 3 }), 'Small shapes', { id: 'small' });
  engines = [];
  events = [];
  listeners = [];
});
afterEach(async () => {
  for (const engine of engines) engine.kill();
  await rm(workspace, { recursive: true, force: true });
});

const supervisor = () =>
  new RunSupervisor(
    workspace,
    datasets,
    (event) => {
      events.push(event);
      for (const listener of listeners) listener(event);
    },
    () => {
      const engine = forkEngine();
      engines.push(engine);
      return engine;
    },
  );

const config = (epochs: number): RunConfigInput => ({
  datasetId: 'small',
  architecture: 'dense',
  objective: 'denoising',
  architectureParams: { hiddenWidths: [128, 64] },
  latentDim: 8,
  reconstructionLoss: 'bce',
  batchSize: 8,
  epochs,
  seed: 11,
});

/** How far into training a progress report is, in batches. */
const position = (p: Pick<RunProgress, 'epoch' | 'batch' | 'batches'>): number => (p.epoch - 1) * p.batches + p.batch;

const finishedStatuses = new Set<RunSummary['status']>(['completed', 'early-stopped', 'cancelled', 'failed', 'interrupted']);

/** The next event matching `test` (from now on). */
function next<T extends RunEvent>(test: (event: RunEvent) => event is T, what: string, timeoutMs = 90_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), timeoutMs);
    const listener = (event: RunEvent): void => {
      if (!test(event)) return;
      clearTimeout(timer);
      listeners.splice(listeners.indexOf(listener), 1);
      resolve(event);
    };
    listeners.push(listener);
  });
}

/** A progress report of run `id` at batch `from` (counted from the start of training) or later; `from` may be a batch of epoch 2, `{ epoch: 2, batch }`. */
const progressOf =
  (id: string, from: number | { epoch: number; batch: number }) =>
  (event: RunEvent): event is Extract<RunEvent, { kind: 'progress' }> =>
    event.kind === 'progress' &&
    event.progress.runId === id &&
    position(event.progress) >= (typeof from === 'number' ? from : position({ ...from, batches: event.progress.batches }));
const changedTo =
  (id: string, status: (s: RunSummary['status']) => boolean) =>
  (event: RunEvent): event is Extract<RunEvent, { kind: 'changed' }> =>
    event.kind === 'changed' && event.run.id === id && status(event.run.status) && (event.run.pendingControl ?? null) === null;

/** The last batch the engine reported before the run's first change to a state matching `status`, after event `since`. */
function landedAt(id: string, since: number, status: (s: RunSummary['status']) => boolean): number {
  const changeAt = events.findIndex((e, i) => i >= since && e.kind === 'changed' && e.run.id === id && status(e.run.status));
  const before = events.slice(0, changeAt).filter((e): e is Extract<RunEvent, { kind: 'progress' }> => e.kind === 'progress' && e.progress.runId === id);
  const last = before.at(-1);
  if (changeAt < 0 || !last) throw new Error('no landing seen');
  return position(last.progress);
}

/** The last progress report of run `id` seen so far. */
function lastProgress(id: string): RunProgress | undefined {
  return events.filter((e): e is Extract<RunEvent, { kind: 'progress' }> => e.kind === 'progress' && e.progress.runId === id).at(-1)?.progress;
}

/** Sends a control when the engine reports batch `at` or later; answers the batch seen then and the event index. */
async function controlAt(runs: RunSupervisor, id: string, at: number | { epoch: number; batch: number }, action: 'pause' | 'cancel'): Promise<{ requested: number; since: number; reply: RunSummary }> {
  const seen = await next(progressOf(id, at), `batch ${JSON.stringify(at)}`);
  const since = events.length;
  const reply = await runs[action](id);
  return { requested: position(seen.progress), since, reply };
}

const isPaused = (s: RunSummary['status']): boolean => s === 'paused';
const isRunning = (s: RunSummary['status']): boolean => s === 'running';
const isFinished = (s: RunSummary['status']): boolean => finishedStatuses.has(s);

/** A control reaches the engine within a batch or two; the lab reacts to the progress it saw a little later still. */
const withinBatches = 6;

describe('run controls on real engine processes', () => {
  it('pauses mid-epoch within a few batches, shows pausing until then, and resumed runs train as an uninterrupted run', async () => {
    const runs = supervisor();
    const reference = await runs.create(config(2));
    await next(changedTo(reference.id, isFinished), 'reference run');
    const expected = await runs.metrics(reference.id);

    const run = await runs.create(config(2));
    // First pause, early in epoch 1.
    const first = await controlAt(runs, run.id, 20, 'pause');
    expect(first.reply.status).toBe('running');
    expect(first.reply.pendingControl).toBe('pausing');
    await next(changedTo(run.id, isPaused), 'paused');
    const pausedAt = landedAt(run.id, first.since, isPaused);
    expect(pausedAt - first.requested).toBeLessThanOrEqual(withinBatches);
    expect((await runs.get(run.id)).pendingControl).toBeNull();
    // A second pause of a paused run changes nothing and waits for nothing.
    expect((await runs.pause(run.id)).pendingControl).toBeNull();

    const resumed = next(changedTo(run.id, isRunning), 'running again');
    expect((await runs.resume(run.id)).pendingControl).toBe('resuming');
    await resumed;

    // Pause and resume sent back to back, before the pause lands: nothing is left pending.
    await next(progressOf(run.id, pausedAt + 30), 'more batches');
    await runs.pause(run.id);
    expect((await runs.resume(run.id)).pendingControl).toBe('resuming');
    await next(progressOf(run.id, pausedAt + 60), 'training on');
    expect((await runs.get(run.id)).pendingControl).toBeNull();

    // A pause in epoch 2, then resume to the end.
    const second = await controlAt(runs, run.id, { epoch: 2, batch: 40 }, 'pause');
    await next(changedTo(run.id, isPaused), 'paused in epoch 2');
    expect(landedAt(run.id, second.since, isPaused) - second.requested).toBeLessThanOrEqual(withinBatches);
    const done = next(changedTo(run.id, isFinished), 'completion');
    await runs.resume(run.id);
    expect((await done).run.status).toBe('completed');

    const metrics = await runs.metrics(run.id);
    expect(metrics.map((m) => m.epoch)).toEqual([1, 2]);
    metrics.forEach((m, i) => {
      expect(m.train.total).toBeCloseTo(expected[i]?.train.total ?? NaN, 5);
      expect(m.validation?.total).toBeCloseTo(expected[i]?.validation?.total ?? NaN, 5);
    });
  }, 120_000);

  it('cancels mid-epoch, after pause → resume, while paused, and while queued', async () => {
    const runs = supervisor();
    const [a, b, c, d] = [await runs.create(config(2)), await runs.create(config(2)), await runs.create(config(2)), await runs.create(config(2))];

    // Queued: cancelled at once, never started; held (paused while queued) then cancelled, the same.
    expect((await runs.cancel(d.id)).status).toBe('cancelled');
    expect((await runs.pause(c.id)).status).toBe('paused');
    expect((await runs.cancel(c.id)).status).toBe('cancelled');
    expect((await runs.get(c.id)).startedAt).toBeNull();

    // a: pause → resume → cancel, all in its last epoch.
    const pause = await controlAt(runs, a.id, { epoch: 2, batch: 10 }, 'pause');
    expect(pause.reply.pendingControl).toBe('pausing');
    await next(changedTo(a.id, isPaused), 'a paused');
    const running = next(changedTo(a.id, isRunning), 'a running');
    await runs.resume(a.id);
    await running;
    const cancel = await controlAt(runs, a.id, landedAt(a.id, pause.since, isPaused) + 5, 'cancel');
    expect(cancel.reply.pendingControl).toBe('cancelling');
    const ended = await next(changedTo(a.id, isFinished), 'a cancelled');
    expect(ended.run.status).toBe('cancelled');
    const cancelledAt = landedAt(a.id, cancel.since, (s) => s === 'cancelled');
    expect(cancelledAt - cancel.requested).toBeLessThanOrEqual(withinBatches);
    // A cancel that lands before epoch 2's last batch leaves that epoch unrecorded; one that lands
    // after it (progress is sent at most 8 times a second, so the request may come that late) is
    // honoured before the evaluation, with epoch 2 recorded. Either way the run ends cancelled.
    const batches = lastProgress(a.id)?.batches ?? Infinity;
    expect((await runs.metrics(a.id)).map((m) => m.epoch)).toEqual(cancelledAt < 2 * batches ? [1] : [1, 2]);

    // b starts once a's engine is gone: pause → cancel while paused.
    const pauseB = await controlAt(runs, b.id, 10, 'pause');
    await next(changedTo(b.id, isPaused), 'b paused');
    const pausedB = landedAt(b.id, pauseB.since, isPaused);
    const cancelled = next(changedTo(b.id, isFinished), 'b cancelled');
    expect((await runs.cancel(b.id)).pendingControl).toBe('cancelling');
    expect((await cancelled).run.status).toBe('cancelled');
    // Nothing trained between the pause and the cancel.
    expect(landedAt(b.id, pauseB.since, (s) => s === 'cancelled')).toBe(pausedB);
    await runs.idle();
    expect((await runs.get(d.id)).startedAt).toBeNull();
    expect((await runs.list()).map((r) => [r.status, r.pendingControl])).toEqual(Array(4).fill(['cancelled', null]));
  }, 120_000);
});

type Control = 'pause' | 'resume' | 'cancel';
const pendingFor = { pause: 'pausing', resume: 'resuming', cancel: 'cancelling' } as const;

/**
 * Controls that arrive before the engine answered the previous one, from each state a run can be
 * in when the user clicks ('starting': its engine launched and still loading, so the control
 * arrives before the first batch). The two tests above cover the rest: pause and resume one at a
 * time, pause → resume in flight, a pause of a paused run, pause → resume → cancel, pause →
 * cancel, cancel of a queued run, pause → cancel of a queued run.
 */
const sequences: Array<{ from: 'starting' | 'training' | 'paused' | 'queued'; send: Control[]; ends: 'cancelled' | 'paused' | 'completed' }> = [
  { from: 'starting', send: ['pause'], ends: 'paused' },
  { from: 'starting', send: ['cancel'], ends: 'cancelled' },
  { from: 'training', send: ['pause', 'cancel'], ends: 'cancelled' },
  { from: 'paused', send: ['resume', 'pause'], ends: 'paused' },
  { from: 'paused', send: ['resume', 'cancel'], ends: 'cancelled' },
  { from: 'queued', send: ['pause', 'resume'], ends: 'completed' },
];

describe('controls sent before the previous one landed, on real engine processes', () => {
  for (const { from, send, ends } of sequences) it(`${from}, then ${send.join(' → ')}: ends ${ends}`, async () => {
    const runs = supervisor();
    // A queued run waits behind one of the same configuration, which is then what it must train as.
    const ahead = from === 'queued' ? await runs.create(config(2)) : undefined;
    const run = await runs.create(config(2));
    let requested = 0;
    if (from === 'training') requested = position((await next(progressOf(run.id, 20), 'batch 20')).progress);
    if (from === 'paused') {
      const pause = await controlAt(runs, run.id, 20, 'pause');
      await next(changedTo(run.id, isPaused), 'paused');
      requested = landedAt(run.id, pause.since, isPaused);
    }
    const since = events.length;
    const settled = next(changedTo(run.id, (s) => s === ends), ends);
    for (const action of send) {
      const reply = await runs[action](run.id);
      // A queued run has no engine: held out of the queue and put back, at once.
      if (from === 'queued') expect([reply.status, reply.pendingControl]).toEqual(action === 'pause' ? ['paused', null] : ['queued', null]);
      else expect(reply.pendingControl).toBe(pendingFor[action]);
    }
    const last = await settled;
    expect(await runs.get(run.id)).toMatchObject({ status: ends, pendingControl: null });
    // The batch the run was at when its last control landed (the engine reports that batch before its state; 0 before the first).
    const batchReportedBefore = (index: number): number => {
      const report = events.slice(0, index).filter((e): e is Extract<RunEvent, { kind: 'progress' }> => e.kind === 'progress' && e.progress.runId === run.id).at(-1);
      return report ? position(report.progress) : 0;
    };
    const landed = batchReportedBefore(events.indexOf(last));

    if (from !== 'queued') expect(landed - requested).toBeLessThanOrEqual(withinBatches);
    if (ends === 'cancelled') {
      // Nothing trained once the cancel landed, and no epoch of the 175 batches was finished.
      expect(batchReportedBefore(events.length)).toBe(landed);
      expect(await runs.metrics(run.id)).toEqual([]);
      expect((await runs.get(run.id)).epoch).toBe(0);
    }
    // A pause that landed before the cancel did: nothing trained between the two.
    if (from === 'training' && events.some((e, i) => i >= since && e.kind === 'changed' && e.run.id === run.id && isPaused(e.run.status))) {
      expect(landedAt(run.id, since, isPaused)).toBe(landed);
    }
    if (ends === 'paused') {
      // Held where it landed: no batch reported since, until a resume continues from there.
      expect(batchReportedBefore(events.length)).toBe(landed);
      const resumedAt = next(progressOf(run.id, landed + 1), 'a batch after resuming');
      const done = next(changedTo(run.id, isFinished), 'completion');
      expect((await runs.resume(run.id)).pendingControl).toBe('resuming');
      await resumedAt;
      expect((await done).run.status).toBe('completed');
      expect((await runs.metrics(run.id)).map((m) => m.epoch)).toEqual([1, 2]);
    }
    if (ends === 'completed' && ahead) {
      const [mine, theirs] = [await runs.metrics(run.id), await runs.metrics(ahead.id)];
      expect(mine.map((m) => m.epoch)).toEqual([1, 2]);
      mine.forEach((m, i) => expect(m.train.total).toBeCloseTo(theirs[i]?.train.total ?? NaN, 5));
      expect(await runs.get(run.id)).toMatchObject({ epoch: 2, startedAt: expect.any(String) });
      // It started only once the run ahead had finished: one engine at a time.
      const aheadEnded = events.findIndex((e) => e.kind === 'changed' && e.run.id === ahead.id && isFinished(e.run.status));
      const started = events.findIndex((e) => e.kind === 'changed' && e.run.id === run.id && isRunning(e.run.status));
      expect(aheadEnded).toBeGreaterThanOrEqual(0);
      expect(started).toBeGreaterThan(aheadEnded);
    }
  }, 120_000);
});
