import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import type { z } from 'zod';
import type { PcaSummary } from '../../../shared/analyses/pca/pcaSpec.js';
import { probeSpecWithProtocol, type ProbeProtocol } from '../../../shared/analyses/probe/probeProtocol.js';
import { isAnalysisId, type analyses, type AnalysisId } from '../../../shared/analyses/registry.js';
import type { JobSummary } from '../../../shared/domain/job.js';
import type { Result } from '../../../shared/result.js';
import type { PanelId } from '../analyses/registry.js';
import { labApi } from '../api/labApi.js';
import { useJobsStore } from './jobs.js';

export type AnalysisSpec<K extends AnalysisId> = z.input<(typeof analyses)[K]['spec']>;
export type AnalysisResult<K extends AnalysisId> = z.output<(typeof analyses)[K]['result']>;

interface StoredResult {
  analysis: AnalysisId;
  jobId: string;
  result: Record<string, unknown>;
}

/** Analyses: queueing them, their results, the datasets' PCA baselines, and which panel is open. */
export const useAnalysesStore = defineStore('analyses', () => {
  const panel = ref<PanelId>('pca');
  /** The dataset the PCA panel shows. */
  const pcaDatasetId = ref('');
  /** Each dataset's PCA as the lab has it cached; null: not computed for its current content. */
  const pca = ref<Record<string, PcaSummary | null>>({});
  /** The job computing a dataset's PCA, once one was queued from here. */
  const pcaJobs = ref<Record<string, string>>({});
  const results = shallowRef<Record<string, StoredResult>>({});
  /** The job each panel shows. */
  const current = ref<Partial<Record<AnalysisId, string>>>({});
  /** Runs whose principal angles are computed as soon as they finish training. */
  const awaitingAngles = ref<string[]>([]);
  /** The principal-angles job of each run, once queued. */
  const anglesJobs = ref<Record<string, string>>({});
  /** The runs the anomaly panel is opened on (a configuration that opens it sets them; the panel may change them). */
  const anomalyRunIds = ref<string[]>([]);
  /** Of those, the runs still training: once none is left, the ones that trained are scored together. */
  const awaitingAnomaly = ref<string[]>([]);
  /** The runs the pretrained-encoders panel is opened on, and of those the ones still training (as for the anomaly panel). */
  const probeRunIds = ref<string[]>([]);
  const awaitingProbe = ref<string[]>([]);
  /** The protocol of the configuration that handed the runs over (null: the probe's defaults); the panel's form shows it. */
  const probeProtocol = ref<ProbeProtocol | null>(null);
  const error = ref<string | null>(null);

  function open(id: PanelId): void {
    panel.value = id;
  }

  async function loadPca(datasetId: string, force = false): Promise<PcaSummary | null> {
    if (!force && pca.value[datasetId] !== undefined) return pca.value[datasetId] ?? null;
    const result = await labApi().request('analyses.pca', { datasetId });
    if (!result.ok) {
      error.value = result.error.message;
      return null;
    }
    pca.value = { ...pca.value, [datasetId]: result.value };
    return result.value;
  }

  async function run<K extends AnalysisId>(analysis: K, spec: AnalysisSpec<K>): Promise<Result<JobSummary>> {
    const result = await labApi().request('analyses.run', { analysis, spec: spec as Record<string, unknown> });
    error.value = result.ok ? null : result.error.message;
    if (result.ok) {
      current.value = { ...current.value, [analysis]: result.value.id };
      useJobsStore().upsert(result.value);
    }
    return result;
  }

  async function computePca(datasetId: string): Promise<Result<JobSummary>> {
    const result = await run('pca', { datasetId });
    if (result.ok) pcaJobs.value = { ...pcaJobs.value, [datasetId]: result.value.id };
    return result;
  }

  /** The PCA every sweep of latent sizes is read against: computed unless it is cached or on its way. */
  async function ensurePca(datasetId: string): Promise<void> {
    if ((await loadPca(datasetId, true)) === null && !pcaJobs.value[datasetId]) await computePca(datasetId);
  }

  async function loadResult(jobId: string): Promise<void> {
    if (results.value[jobId]) return;
    const reply = await labApi().request('analyses.result', { id: jobId });
    if (!reply.ok) {
      error.value = reply.error.message;
      return;
    }
    const { job, result } = reply.value;
    if (result && job.analysis && isAnalysisId(job.analysis)) results.value = { ...results.value, [jobId]: { analysis: job.analysis, jobId, result } };
  }

  /** A result the contract checks have read through its analysis's own schema. */
  function resultOf<K extends AnalysisId>(analysis: K, jobId: string | undefined): AnalysisResult<K> | null {
    const stored = jobId ? results.value[jobId] : undefined;
    return stored?.analysis === analysis ? (stored.result as AnalysisResult<K>) : null;
  }

  /** Every loaded result of one analysis, in the order they were loaded. */
  function resultsOf<K extends AnalysisId>(analysis: K): Array<{ jobId: string; result: AnalysisResult<K> }> {
    return Object.values(results.value)
      .filter((r) => r.analysis === analysis)
      .map((r) => ({ jobId: r.jobId, result: r.result as AnalysisResult<K> }));
  }

  /** Opens an analysis job's panel on its result; a PCA's on its dataset. */
  async function showJob(job: JobSummary): Promise<void> {
    if (!job.analysis || !isAnalysisId(job.analysis)) return;
    current.value = { ...current.value, [job.analysis]: job.id };
    panel.value = job.analysis;
    await loadResult(job.id);
    const pcaResult = resultOf('pca', job.id);
    if (pcaResult) pcaDatasetId.value = pcaResult.datasetId;
  }

  async function computeAngles(runId: string): Promise<Result<JobSummary>> {
    const result = await run('principalAngles', { runId });
    if (result.ok) anglesJobs.value = { ...anglesJobs.value, [runId]: result.value.id };
    return result;
  }

  function awaitAngles(runIds: string[]): void {
    awaitingAngles.value = [...new Set([...awaitingAngles.value, ...runIds])];
  }

  /** Opens the anomaly panel on these runs and scores them as one job as soon as all of them have finished training. */
  function awaitAnomaly(runIds: string[]): void {
    anomalyRunIds.value = [...new Set(runIds)];
    awaitingAnomaly.value = [...anomalyRunIds.value];
  }

  async function onAnomalyRunDone(job: JobSummary): Promise<void> {
    awaitingAnomaly.value = awaitingAnomaly.value.filter((id) => id !== job.id);
    // A run that failed or was cancelled has no model to score; the others are still compared.
    if (job.status !== 'done') anomalyRunIds.value = anomalyRunIds.value.filter((id) => id !== job.id);
    if (awaitingAnomaly.value.length === 0 && anomalyRunIds.value.length > 0) await run('anomaly', { runIds: anomalyRunIds.value });
  }

  /**
   * Opens the pretrained-encoders panel on these runs and probes them as one job once all have
   * finished training, with the configuration's protocol over the defaults (the defaults alone without one).
   */
  function awaitProbe(runIds: string[], protocol: ProbeProtocol | null = null): void {
    probeRunIds.value = [...new Set(runIds)];
    awaitingProbe.value = [...probeRunIds.value];
    probeProtocol.value = protocol;
  }

  async function onProbeRunDone(job: JobSummary): Promise<void> {
    awaitingProbe.value = awaitingProbe.value.filter((id) => id !== job.id);
    if (job.status !== 'done') probeRunIds.value = probeRunIds.value.filter((id) => id !== job.id);
    if (awaitingProbe.value.length === 0 && probeRunIds.value.length > 0) await run('probe', probeSpecWithProtocol(probeRunIds.value, probeProtocol.value));
  }

  async function onJobChanged(job: JobSummary): Promise<void> {
    if (job.kind === 'train' && awaitingAngles.value.includes(job.id) && job.status !== 'queued' && job.status !== 'running' && job.status !== 'paused') {
      awaitingAngles.value = awaitingAngles.value.filter((id) => id !== job.id);
      if (job.status === 'done') await computeAngles(job.id);
      return;
    }
    // An interrupted run may be resumed and then finish: it stays awaited; only a failed or cancelled one has no model to wait for.
    if (job.kind === 'train' && awaitingAnomaly.value.includes(job.id) && job.status !== 'queued' && job.status !== 'running' && job.status !== 'paused' && job.status !== 'interrupted') {
      await onAnomalyRunDone(job);
      return;
    }
    if (job.kind === 'train' && awaitingProbe.value.includes(job.id) && job.status !== 'queued' && job.status !== 'running' && job.status !== 'paused' && job.status !== 'interrupted') {
      await onProbeRunDone(job);
      return;
    }
    if (job.kind !== 'analysis' || job.status !== 'done') return;
    // An analysis may have computed a dataset's PCA on its way (principal angles do): look again where there was none.
    const missing = Object.entries(pca.value).filter(([, summary]) => summary === null).map(([id]) => id);
    await Promise.all(missing.map((id) => loadPca(id, true)));
    const wanted = Object.values(current.value).includes(job.id) || Object.values(anglesJobs.value).includes(job.id);
    if (wanted) await loadResult(job.id);
  }

  const unsubscribe = [labApi().on('jobs.changed', ({ job }) => void onJobChanged(job))];

  function dispose(): void {
    for (const stop of unsubscribe) stop();
  }

  return {
    panel,
    pcaDatasetId,
    pca,
    pcaJobs,
    results,
    current,
    awaitingAngles,
    anglesJobs,
    anomalyRunIds,
    awaitingAnomaly,
    probeRunIds,
    awaitingProbe,
    probeProtocol,
    error,
    open,
    loadPca,
    run,
    computePca,
    ensurePca,
    loadResult,
    resultOf,
    resultsOf,
    showJob,
    computeAngles,
    awaitAngles,
    awaitAnomaly,
    awaitProbe,
    dispose,
  };
});
