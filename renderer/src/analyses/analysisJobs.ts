import { computed, watch } from 'vue';
import type { AnalysisId } from '../../../shared/analyses/registry.js';
import { isActive } from '../components/jobs/jobRows.js';
import { useAnalysesStore } from '../stores/analyses.js';
import { useJobsStore } from '../stores/jobs.js';

/**
 * One analysis's jobs as its panel shows them: the finished ones newest first, the job whose
 * result is current, whether it is still working, and its result. The newest finished result
 * is shown until one is run or chosen in the panel.
 */
export function useAnalysisJobs<K extends AnalysisId>(analysis: K) {
  const jobs = useJobsStore();
  const analyses = useAnalysesStore();
  const doneJobs = computed(() => jobs.list.filter((j) => j.analysis === analysis && j.status === 'done').sort((a, b) => b.createdAt.localeCompare(a.createdAt)));
  const currentId = computed(() => analyses.current[analysis]);
  const job = computed(() => (currentId.value ? (jobs.find(currentId.value) ?? null) : null));
  const running = computed(() => job.value !== null && isActive(job.value.status));
  const result = computed(() => analyses.resultOf(analysis, currentId.value));
  watch(
    doneJobs,
    (list) => {
      const newest = list[0];
      const current = currentId.value;
      if (!current && newest) void analyses.showJob(newest);
      else if (current && list.some((j) => j.id === current)) void analyses.loadResult(current);
    },
    { immediate: true },
  );
  function showResult(id: string): void {
    const chosen = doneJobs.value.find((j) => j.id === id);
    if (chosen) void analyses.showJob(chosen);
  }
  return { doneJobs, currentId, job, running, result, showResult };
}

/** A job's creation time as a person reads it in a list: the date and the minute. */
export const jobTime = (iso: string): string => iso.slice(0, 16).replace('T', ' ');
