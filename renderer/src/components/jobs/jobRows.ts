import type { JobProgress, JobStatus, JobSummary } from '../../../../shared/domain/job.js';
import type { PendingControl, RunProgress } from '../../../../shared/domain/run.js';

export interface JobRowItem {
  job: JobSummary;
  /** 1 for a sweep's member, shown under its sweep. */
  depth: 0 | 1;
  /** What the row calls the job: a member by what sets it apart ("latentDim=8"), under its sweep's name. */
  title: string;
}

const activeStatuses: readonly JobStatus[] = ['queued', 'running', 'paused'];
export const isActive = (status: JobStatus): boolean => activeStatuses.includes(status);

/** The jobs as a list shows them: newest first, each sweep followed by its members in the sweep's order. */
export function jobRows(jobs: readonly JobSummary[]): JobRowItem[] {
  const ids = new Set(jobs.map((j) => j.id));
  const newestFirst = (a: JobSummary, b: JobSummary): number => b.createdAt.localeCompare(a.createdAt);
  const top = jobs.filter((j) => j.parentId === null || !ids.has(j.parentId)).sort(newestFirst);
  return top.flatMap((job) => {
    const members = jobs.filter((m) => m.parentId === job.id).sort((a, b) => job.runIds.indexOf(a.id) - job.runIds.indexOf(b.id));
    return [{ job, depth: 0 as const, title: job.title }, ...members.map((m) => ({ job: m, depth: 1 as const, title: memberTitle(job, m) }))];
  });
}

/** A sweep's member by what sets it apart: the lab names its members "field=value · family" (or "· the sweep's name"). */
export function memberTitle(_sweep: JobSummary, member: JobSummary): string {
  const at = member.title.indexOf(' · ');
  return at > 0 ? member.title.slice(0, at) : member.title;
}

/** A sweep's progress from its members': each finished one counts whole, the training one by its share so far. */
export function sweepProgress(sweep: JobSummary, members: readonly JobSummary[], progressOf: (job: JobSummary) => JobProgress | null): JobProgress | null {
  if (members.length === 0) return sweep.progress;
  let done = 0;
  let current: string | null = null;
  for (const member of members) {
    if (!isActive(member.status)) done += 1;
    else if (member.status !== 'queued') {
      done += progressShare(progressOf(member)) ?? 0;
      current ??= `${memberTitle(sweep, member)}: ${progressOf(member)?.message ?? member.status}`;
    }
  }
  const finished = members.filter((m) => !isActive(m.status)).length;
  return { done, total: members.length, message: `${finished} of ${members.length} runs finished${current ? `; ${current}` : ''}` };
}

export interface JobControls {
  pause: boolean;
  resume: boolean;
  cancel: boolean;
  /** A control sent and not landed yet, as its (disabled) button says it: "Pausing…". */
  pending: string | null;
}

export const pendingLabels: Record<PendingControl, string> = { pausing: 'Pausing…', resuming: 'Resuming…', cancelling: 'Cancelling…' };

/**
 * What the lab accepts for a job in its status: an analysis cannot stop half-way (only a queued
 * one pauses), a finished sweep has nothing to resume, a failed run or analysis runs again.
 * While a pause or resume is on its way only cancel is offered; while a cancel is, nothing.
 */
export function jobControls(job: Pick<JobSummary, 'kind' | 'status' | 'pendingControl'>): JobControls {
  const { kind, status } = job;
  const pending = job.pendingControl ?? null;
  const retryable = kind !== 'sweep' && (status === 'failed' || status === 'cancelled');
  if (pending) return { pause: false, resume: false, cancel: pending !== 'cancelling' && isActive(status), pending: pendingLabels[pending] };
  return {
    pause: status === 'queued' || (status === 'running' && kind !== 'analysis'),
    resume: status === 'paused' || status === 'interrupted' || retryable,
    cancel: isActive(status),
    pending: null,
  };
}

/** The share done, 0…1, or null where there is nothing to measure. */
export function progressShare(progress: JobProgress | null): number | null {
  if (!progress || progress.total <= 0) return null;
  return Math.min(1, Math.max(0, progress.done / progress.total));
}

/** A training run's live batch progress, as its job's progress. */
export function trainingProgress(progress: RunProgress, job: JobSummary): JobProgress {
  const total = job.progress?.total ?? progress.epoch;
  const done = progress.epoch - 1 + progress.batch / Math.max(1, progress.batches);
  return { done, total, message: `epoch ${progress.epoch} of ${total}, batch ${progress.batch} of ${progress.batches}` };
}
