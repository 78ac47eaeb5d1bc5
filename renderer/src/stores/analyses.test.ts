import { describe, expect, it } from 'vitest';
import type { RequestChannel } from '../../../shared/contract/channels.js';
import type { PcaSummary } from '../../../shared/analyses/pca/pcaSpec.js';
import type { ProbeProtocol } from '../../../shared/analyses/probe/probeProtocol.js';
import { probeSpecSchema } from '../../../shared/analyses/probe/probeSpec.js';
import { jobSummary, pcaSummary } from '../testing/analysisFixtures.js';
import { FakeLab, fail, ok, useFakeLab } from '../testing/fakeLab.js';
import { useAnalysesStore } from './analyses.js';

const angles = { runId: 'r1', datasetId: 'shapes', latentDim: 2, anglesDegrees: [1, 2], encoderAnglesDegrees: [3, 4], runTestMse: 0.03, pcaTestMse: 0.02, errorGap: 0.01, checkpoint: 'best' };

/** Shapes has no PCA until its job is done; every analysis queued gets the next job id. */
class AnalysesLab extends FakeLab {
  pca: PcaSummary | null = null;
  queued: Array<{ analysis: string; spec: unknown }> = [];
  protected answer(channel: RequestChannel, payload: unknown) {
    if (channel === 'analyses.pca') return (payload as { datasetId: string }).datasetId === 'shapes' ? ok(this.pca) : fail('not-found', 'No dataset with id nope');
    if (channel === 'analyses.run') {
      const p = payload as { analysis: string; spec: unknown };
      this.queued.push(p);
      return ok(jobSummary(`a${this.queued.length}`, { kind: 'analysis', analysis: p.analysis }));
    }
    if (channel === 'analyses.result') return ok({ job: jobSummary('a1', { kind: 'analysis', analysis: 'principalAngles', status: 'done' }), result: angles });
    return undefined;
  }
}

const lab = useFakeLab(() => new AnalysesLab());
/** The probe's protocol as the spec's defaults fill it. */
const probeDefaults = probeSpecSchema.omit({ runIds: true }).parse({});

describe('analyses store', () => {
  it('asks for a dataset’s PCA once, computes it on request, and reads it when its job is done', async () => {
    const store = useAnalysesStore();
    expect(await store.loadPca('shapes')).toBeNull();
    await store.loadPca('shapes');
    expect(lab().requestsTo('analyses.pca')).toHaveLength(1);
    await store.computePca('shapes');
    expect(lab().queued).toEqual([{ analysis: 'pca', spec: { datasetId: 'shapes' } }]);
    expect(store.pcaJobs.shapes).toBe('a1');
    lab().pca = pcaSummary();
    lab().jobChanged(jobSummary('a1', { kind: 'analysis', analysis: 'pca', status: 'done' }));
    await expect.poll(() => store.pca.shapes?.components).toBe(4);
  });

  it('queues no second PCA while one is on its way', async () => {
    const store = useAnalysesStore();
    await store.ensurePca('shapes');
    await store.ensurePca('shapes');
    expect(lab().queued).toHaveLength(1);
  });

  it('computes principal angles of a recipe’s runs once they are trained, and keeps the result typed', async () => {
    const store = useAnalysesStore();
    store.awaitAngles(['r1', 'r2']);
    lab().jobChanged(jobSummary('r2', { status: 'failed' }));
    lab().jobChanged(jobSummary('r1', { status: 'running' }));
    lab().jobChanged(jobSummary('r1', { status: 'done' }));
    await expect.poll(() => store.anglesJobs.r1).toBe('a1');
    expect(lab().queued).toEqual([{ analysis: 'principalAngles', spec: { runId: 'r1' } }]);
    expect(store.awaitingAngles).toEqual([]);
    lab().jobChanged(jobSummary('a1', { kind: 'analysis', analysis: 'principalAngles', status: 'done' }));
    await expect.poll(() => store.resultOf('principalAngles', 'a1')?.errorGap).toBe(0.01);
    expect(store.resultOf('robustness', 'a1')).toBeNull();
    expect(store.resultsOf('principalAngles').map((r) => r.result.runId)).toEqual(['r1']);
  });

  it('scores a recipe’s runs for anomalies as one job once all have finished training, leaving out one that failed', async () => {
    const store = useAnalysesStore();
    store.awaitAnomaly(['r1', 'r2', 'r3']);
    expect(store.anomalyRunIds).toEqual(['r1', 'r2', 'r3']);
    lab().jobChanged(jobSummary('r1', { status: 'done' }));
    lab().jobChanged(jobSummary('r2', { status: 'running' }));
    lab().jobChanged(jobSummary('r3', { status: 'failed' }));
    await expect.poll(() => store.awaitingAnomaly).toEqual(['r2']);
    expect(lab().queued).toEqual([]);
    lab().jobChanged(jobSummary('r2', { status: 'done' }));
    await expect.poll(() => store.current.anomaly).toBe('a1');
    expect(lab().queued).toEqual([{ analysis: 'anomaly', spec: { runIds: ['r1', 'r2'] } }]);
    expect(store.anomalyRunIds).toEqual(['r1', 'r2']);
  });

  it('keeps awaiting a recipe’s run that was interrupted (it may be resumed), dropping only one cancelled', async () => {
    const store = useAnalysesStore();
    store.awaitAnomaly(['r1', 'r2', 'r3']);
    lab().jobChanged(jobSummary('r1', { status: 'interrupted' }));
    lab().jobChanged(jobSummary('r2', { status: 'cancelled' }));
    lab().jobChanged(jobSummary('r3', { status: 'done' }));
    await expect.poll(() => store.awaitingAnomaly).toEqual(['r1']);
    expect(store.anomalyRunIds).toEqual(['r1', 'r3']);
    expect(lab().queued).toEqual([]);
    lab().jobChanged(jobSummary('r1', { status: 'running' }));
    lab().jobChanged(jobSummary('r1', { status: 'done' }));
    await expect.poll(() => store.current.anomaly).toBe('a1');
    expect(lab().queued).toEqual([{ analysis: 'anomaly', spec: { runIds: ['r1', 'r3'] } }]);
  });

  it('probes a recipe’s runs with the default protocol as one job once all have trained, leaving out one that failed', async () => {
    const store = useAnalysesStore();
    store.awaitProbe(['r1', 'r2', 'r3']);
    expect(store.probeRunIds).toEqual(['r1', 'r2', 'r3']);
    lab().jobChanged(jobSummary('r1', { status: 'done' }));
    lab().jobChanged(jobSummary('r2', { status: 'interrupted' }));
    lab().jobChanged(jobSummary('r3', { status: 'failed' }));
    await expect.poll(() => store.awaitingProbe).toEqual(['r2']);
    expect(lab().queued).toEqual([]);
    lab().jobChanged(jobSummary('r2', { status: 'done' }));
    await expect.poll(() => store.current.probe).toBe('a1');
    expect(lab().queued).toEqual([{ analysis: 'probe', spec: { ...probeDefaults, runIds: ['r1', 'r2'] } }]);
    expect(store.probeRunIds).toEqual(['r1', 'r2']);
  });

  it('probes a recipe’s runs with its protocol over the defaults, and the next hand-off without one at the defaults', async () => {
    const store = useAnalysesStore();
    const protocol = { labelsPerClass: [1, 5, 10, 50, 100], draws: 3, modes: ['frozen', 'finetune'], baselines: ['pixels', 'pca'] } satisfies ProbeProtocol;
    store.awaitProbe(['r1'], protocol);
    expect(store.probeProtocol).toEqual(protocol);
    lab().jobChanged(jobSummary('r1', { status: 'done' }));
    await expect.poll(() => lab().queued.length).toBe(1);
    expect(lab().queued[0]).toEqual({ analysis: 'probe', spec: { ...probeDefaults, ...protocol, runIds: ['r1'] } });
    store.awaitProbe(['r2']);
    expect(store.probeProtocol).toBeNull();
    lab().jobChanged(jobSummary('r2', { status: 'done' }));
    await expect.poll(() => lab().queued.length).toBe(2);
    expect(lab().queued[1]).toEqual({ analysis: 'probe', spec: { ...probeDefaults, runIds: ['r2'] } });
  });

  it('opens the panel of an analysis job and shows the lab’s refusal', async () => {
    const store = useAnalysesStore();
    store.showJob(jobSummary('a7', { kind: 'analysis', analysis: 'robustness' }));
    expect([store.panel, store.current.robustness]).toEqual(['robustness', 'a7']);
    await store.loadPca('nope');
    expect(store.error).toBe('No dataset with id nope');
  });
});
