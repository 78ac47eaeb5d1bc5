import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import type { ReplyOf } from '../../../shared/contract/labApi.js';
import type { JobSummary } from '../../../shared/domain/job.js';
import type { SweepSpec } from '../../../shared/domain/sweep.js';
import type { Result } from '../../../shared/result.js';
import { labApi } from '../api/labApi.js';
import { useAnalysesStore } from './analyses.js';
import { useJobsStore } from './jobs.js';

export type SweepResults = ReplyOf<'sweeps.results'>;
export type ReconstructionPanel = NonNullable<ReplyOf<'runs.get'>['panel']>;

/** Sweeps: queueing them, and the chosen sweep's results with every member's reconstruction panel. */
export const useSweepsStore = defineStore('sweeps', () => {
  const selectedId = ref<string | null>(null);
  const results = shallowRef<Record<string, SweepResults>>({});
  /** Each member's latest reconstruction panel, by run id. */
  const panels = shallowRef<Record<string, ReconstructionPanel | null>>({});
  const status = ref<'idle' | 'loading' | 'ready' | 'error'>('idle');
  const error = ref<string | null>(null);
  // What each panel was fetched at, so a member is fetched again only when it has trained further.
  const panelVersions = new Map<string, string>();
  const loading = new Map<string, Promise<void>>();
  const again = new Set<string>();

  async function create(spec: SweepSpec): Promise<Result<JobSummary>> {
    const result = await labApi().request('sweeps.create', { spec });
    if (!result.ok) return result;
    selectedId.value = result.value.id;
    useJobsStore().upsert(result.value);
    // A sweep of latent sizes is read against PCA with as many components, as the CLI's is.
    if (spec.axes.some((a) => a.field === 'latentDim') && typeof spec.base.datasetId === 'string') await useAnalysesStore().ensurePca(spec.base.datasetId);
    return result;
  }

  function select(id: string): void {
    selectedId.value = id;
    void load(id);
  }

  async function fetchPanels(value: SweepResults): Promise<void> {
    const stale = value.members.filter((m) => panelVersions.get(m.run.id) !== `${m.run.status}:${m.run.epoch}`);
    const fetched = await Promise.all(
      stale.map(async (m) => {
        const reply = await labApi().request('runs.get', { id: m.run.id });
        if (reply.ok) panelVersions.set(m.run.id, `${m.run.status}:${m.run.epoch}`);
        return [m.run.id, reply.ok ? reply.value.panel : null] as const;
      }),
    );
    if (fetched.length > 0) panels.value = { ...panels.value, ...Object.fromEntries(fetched) };
  }

  async function fetchResults(id: string): Promise<void> {
    if (!results.value[id]) status.value = 'loading';
    const reply = await labApi().request('sweeps.results', { id });
    if (!reply.ok) {
      status.value = 'error';
      error.value = reply.error.message;
      return;
    }
    results.value = { ...results.value, [id]: reply.value };
    status.value = 'ready';
    error.value = null;
    await fetchPanels(reply.value);
  }

  /** Fetches a sweep's results; a change while a fetch is under way fetches once more after it. */
  async function load(id: string): Promise<void> {
    const pending = loading.get(id);
    if (pending) {
      again.add(id);
      return pending;
    }
    const task = (async () => {
      do {
        again.delete(id);
        await fetchResults(id);
      } while (again.has(id));
    })().finally(() => loading.delete(id));
    loading.set(id, task);
    return task;
  }

  const unsubscribe = [
    labApi().on('jobs.changed', ({ job }) => {
      if (job.kind === 'sweep' && results.value[job.id]) void load(job.id);
      // The PCA curve of a sweep's chart arrives when its dataset's PCA is done.
      const selected = selectedId.value;
      if (job.kind === 'analysis' && job.analysis === 'pca' && job.status === 'done' && selected && results.value[selected]) void load(selected);
    }),
  ];

  function dispose(): void {
    for (const stop of unsubscribe) stop();
  }

  return { selectedId, results, panels, status, error, create, select, load, dispose };
});
