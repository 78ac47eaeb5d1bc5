import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { JobProgress, JobSummary } from '../../../shared/domain/job.js';
import { labApi } from '../api/labApi.js';
import { isActive, jobRows, sweepProgress, trainingProgress } from '../components/jobs/jobRows.js';
import { listedState } from './listedState.js';

export type JobAction = 'pause' | 'resume' | 'cancel';

/** Every job of the workspace — training runs, sweeps, analyses — with live progress and control. */
export const useJobsStore = defineStore('jobs', () => {
  const { list, status, error, load } = listedState<JobSummary>(() => labApi().request('jobs.list', {}));
  /** Progress reported between state changes, by job id. */
  const live = ref<Record<string, JobProgress>>({});
  const actionError = ref<string | null>(null);
  const rows = computed(() => jobRows(list.value));

  async function refresh(): Promise<void> {
    await load();
  }

  const find = (id: string): JobSummary | undefined => list.value.find((j) => j.id === id);

  /** A job as the lab last described it (a reply or an event), replacing what the list had. */
  function upsert(job: JobSummary): void {
    const index = list.value.findIndex((j) => j.id === job.id);
    if (index >= 0) list.value.splice(index, 1, job);
    else list.value.unshift(job);
    // A new state carries its own progress; what came live before it is stale.
    if (job.id in live.value) {
      const { [job.id]: _stale, ...rest } = live.value;
      live.value = rest;
    }
  }

  /** What a row shows: live progress while the job is active, else the job's own; a sweep's from its members'. */
  function progressOf(job: JobSummary): JobProgress | null {
    if (job.kind === 'sweep' && isActive(job.status)) return sweepProgress(job, list.value.filter((m) => m.parentId === job.id), progressOf);
    return (isActive(job.status) ? live.value[job.id] : undefined) ?? job.progress;
  }

  async function act(action: JobAction, id: string): Promise<void> {
    const result = await labApi().request(`jobs.${action}`, { id });
    actionError.value = result.ok ? null : result.error.message;
    if (result.ok) upsert(result.value);
  }

  const unsubscribe = [
    labApi().on('jobs.changed', ({ job }) => upsert(job)),
    labApi().on('jobs.progress', ({ jobId, progress }) => {
      live.value = { ...live.value, [jobId]: progress };
    }),
    labApi().on('runs.progress', (progress) => {
      const job = find(progress.runId);
      if (job?.kind === 'train') live.value = { ...live.value, [job.id]: trainingProgress(progress, job) };
    }),
  ];

  function dispose(): void {
    for (const stop of unsubscribe) stop();
  }

  return { list, status, error, live, actionError, rows, refresh, find, upsert, progressOf, act, dispose };
});
