import { describe, expect, it } from 'vitest';
import type { RequestChannel } from '../../../shared/contract/channels.js';
import type { SweepSpec } from '../../../shared/domain/sweep.js';
import { jobSummary, sweepResults } from '../testing/analysisFixtures.js';
import { FakeLab, fail, ok, useFakeLab } from '../testing/fakeLab.js';
import { useAnalysesStore } from './analyses.js';
import { useSweepsStore } from './sweeps.js';

const spec: SweepSpec = { base: { datasetId: 'shapes', architecture: 'conv', objective: 'plain' }, axes: [{ field: 'latentDim', values: [2, 4] }] };
const panel = { shape: [2, 1, 1, 1], originals: new Float32Array(2), reconstructions: new Float32Array(2) };

/** One sweep of two members; the second finishes when `finished` is set. Refuses a latent size of 0, naming it. */
class SweepsLab extends FakeLab {
  finished = false;
  protected answer(channel: RequestChannel, payload: unknown) {
    if (channel === 'sweeps.create') {
      const values = (payload as { spec: SweepSpec }).spec.axes[0]?.values ?? [];
      if (values.includes(0)) return fail('invalid-option', 'Sweep value latentDim=0: latentDim: Too small: expected number to be >=1');
      return ok(jobSummary('s1', { kind: 'sweep', runIds: ['r1', 'r2'] }));
    }
    if (channel === 'analyses.pca') return ok(null);
    if (channel === 'analyses.run') return ok(jobSummary('a1', { kind: 'analysis', analysis: 'pca' }));
    if (channel === 'sweeps.results') {
      const results = sweepResults(spec.axes, [{ point: { latentDim: 2 }, mse: 0.05 }, { point: { latentDim: 4 }, mse: this.finished ? 0.03 : null }]);
      const [first, second] = results.members;
      if (second && !this.finished) second.run = { ...second.run, status: 'running', epoch: 0 };
      return ok({ ...results, members: [first, second] });
    }
    if (channel === 'runs.get') return ok({ run: null, metrics: [], evaluation: null, panel });
    return undefined;
  }
}

const lab = useFakeLab(() => new SweepsLab());

describe('sweeps store', () => {
  it('queues a sweep, selects it, and queues the PCA its latent sizes are read against', async () => {
    const store = useSweepsStore();
    const result = await store.create(spec);
    expect(result.ok).toBe(true);
    expect(store.selectedId).toBe('s1');
    expect(lab().requestsTo('analyses.run')).toEqual([{ analysis: 'pca', spec: { datasetId: 'shapes' } }]);
    expect(useAnalysesStore().pcaJobs.shapes).toBe('a1');
  });

  it('answers the lab’s refusal, which names the value', async () => {
    const result = await useSweepsStore().create({ ...spec, axes: [{ field: 'latentDim', values: [0, 4] }] });
    expect(result.ok ? '' : result.error.message).toMatch(/^Sweep value latentDim=0/);
  });

  it('loads results with each member’s panel, and fetches again only the members that trained further', async () => {
    const store = useSweepsStore();
    await store.load('s1');
    expect(store.status).toBe('ready');
    expect(Object.keys(store.panels)).toEqual(['r1', 'r2']);
    lab().finished = true;
    lab().jobChanged(jobSummary('s1', { kind: 'sweep', status: 'done' }));
    await expect.poll(() => store.results.s1?.members[1]?.evaluation?.mse).toBe(0.03);
    await expect.poll(() => lab().requestsTo('runs.get')).toEqual([{ id: 'r1' }, { id: 'r2' }, { id: 'r2' }]);
  });

  it('disposes its subscriptions', () => {
    const store = useSweepsStore();
    const before = lab().listenerCount;
    store.dispose();
    expect(lab().listenerCount).toBe(before - 1);
  });
});
