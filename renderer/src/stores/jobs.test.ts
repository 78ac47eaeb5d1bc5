import { describe, expect, it } from 'vitest';
import type { RequestChannel } from '../../../shared/contract/channels.js';
import type { JobSummary } from '../../../shared/domain/job.js';
import { jobSummary } from '../testing/analysisFixtures.js';
import { FakeLab, fail, ok, useFakeLab } from '../testing/fakeLab.js';
import { useJobsStore } from './jobs.js';

const sweep = jobSummary('s1', { kind: 'sweep', title: 'conv plain sweep of latentDim (2 runs)', status: 'running', runIds: ['r1', 'r2'], createdAt: '2026-01-02' });
const member = (id: string, status: JobSummary['status']): JobSummary =>
  jobSummary(id, { title: `latentDim=${id === 'r1' ? 2 : 4} · conv plain`, status, parentId: 's1', runIds: [id], progress: { done: 0, total: 3, message: 'epoch 0 of 3' }, createdAt: '2026-01-02' });

/** A workspace with a sweep of two runs and a PCA; refuses to pause a running analysis, as the lab does. */
class JobsLab extends FakeLab {
  jobs: JobSummary[] = [member('r2', 'queued'), sweep, member('r1', 'running'), jobSummary('a1', { kind: 'analysis', analysis: 'pca', title: 'PCA of Shapes', status: 'running', createdAt: '2026-01-01' })];
  protected answer(channel: RequestChannel, payload: unknown) {
    const { id } = payload as { id: string };
    if (channel === 'jobs.list') return ok(this.jobs);
    if (channel === 'jobs.pause' && id === 'a1') return fail('invalid-request', "The analysis 'PCA of Shapes' is running; an analysis cannot stop half-way and continue");
    if (channel === 'jobs.cancel') return ok({ ...this.jobs.find((j) => j.id === id), status: 'cancelled' });
    return undefined;
  }
}

const lab = useFakeLab(() => new JobsLab());

describe('jobs store', () => {
  it('lists sweeps with their members under them, newest first, each member called by its value', async () => {
    const store = useJobsStore();
    await store.refresh();
    expect(store.status).toBe('ready');
    expect(store.rows.map((r) => [r.job.id, r.depth, r.title])).toEqual([
      ['s1', 0, 'conv plain sweep of latentDim (2 runs)'],
      ['r1', 1, 'latentDim=2'],
      ['r2', 1, 'latentDim=4'],
      ['a1', 0, 'PCA of Shapes'],
    ]);
  });

  it('shows live progress while a job runs, and the job’s own once it changes', async () => {
    const store = useJobsStore();
    await store.refresh();
    const pca = store.find('a1');
    lab().jobProgress('a1', { done: 3, total: 10, message: 'eigenvectors of the covariance' });
    expect(pca && store.progressOf(pca)?.message).toBe('eigenvectors of the covariance');
    // A training run's batches come as runs.progress, and read as its job's progress.
    lab().emit('runs.progress', { runId: 'r1', epoch: 2, batch: 5, batches: 10, loss: { total: 1 }, samplesPerSecond: 100, etaSeconds: 3 });
    const r1 = store.find('r1');
    expect(r1 && store.progressOf(r1)).toEqual({ done: 1.5, total: 3, message: 'epoch 2 of 3, batch 5 of 10' });
    lab().jobChanged({ ...jobSummary('a1', { kind: 'analysis', analysis: 'pca', title: 'PCA of Shapes', createdAt: '2026-01-01' }), status: 'done' });
    expect(store.find('a1')?.status).toBe('done');
    expect(store.live.a1).toBeUndefined();
    // A job it did not know, queued elsewhere (the CLI), joins the list.
    lab().jobChanged(jobSummary('a2', { kind: 'analysis', createdAt: '2026-01-03' }));
    expect(store.rows[0]?.job.id).toBe('a2');
  });

  it('controls a job by its id, and shows the lab’s refusal', async () => {
    const store = useJobsStore();
    await store.refresh();
    await store.act('pause', 'a1');
    expect(store.actionError).toMatch(/cannot stop half-way/);
    await store.act('cancel', 's1');
    expect(lab().requestsTo('jobs.cancel')).toEqual([{ id: 's1' }]);
    expect([store.find('s1')?.status, store.actionError]).toEqual(['cancelled', null]);
  });

  it('disposes its subscriptions', () => {
    const store = useJobsStore();
    expect(lab().listenerCount).toBeGreaterThan(0);
    store.dispose();
    expect(lab().listenerCount).toBe(0);
  });
});
