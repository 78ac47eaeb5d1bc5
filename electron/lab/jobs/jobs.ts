import type { JobStatus, JobSummary } from '../../../shared/domain/job.js';
import type { RunStatus, RunSummary } from '../../../shared/domain/run.js';
import { LabError } from '../../../shared/result.js';
import type { RunSupervisor } from '../runs/runSupervisor.js';
import type { AnalysisJobs } from './analysisJobs.js';
import type { Sweeps } from './sweeps.js';

const jobStatusOfRun: Record<RunStatus, JobStatus> = {
  queued: 'queued',
  running: 'running',
  paused: 'paused',
  completed: 'done',
  'early-stopped': 'done',
  cancelled: 'cancelled',
  failed: 'failed',
  interrupted: 'interrupted',
};

/** A training run seen as a job: the same row in every job list as an analysis or a sweep. */
export function trainingJob(run: RunSummary, parentId: string | null): JobSummary {
  return {
    id: run.id,
    kind: 'train',
    title: run.name,
    status: jobStatusOfRun[run.status],
    progress: { done: run.epoch, total: run.epochs, message: `epoch ${run.epoch} of ${run.epochs}` },
    error: run.error ? { code: 'internal', message: run.error } : null,
    createdAt: run.createdAt,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    runIds: [run.id],
    parentId,
    analysis: null,
    pendingControl: run.pendingControl ?? null,
  };
}

/** Every job of the workspace, whatever its kind, and control of each by its id. */
export class Jobs {
  constructor(
    private readonly runs: RunSupervisor,
    private readonly analyses: AnalysisJobs,
    private readonly sweeps: Sweeps,
  ) {}

  async list(): Promise<JobSummary[]> {
    const [runs, analyses, sweeps] = await Promise.all([this.runs.list(), this.analyses.list(), this.sweeps.list()]);
    const parentOf = new Map(sweeps.flatMap((sweep) => sweep.runIds.map((runId) => [runId, sweep.id] as const)));
    return [...runs.map((run) => trainingJob(run, parentOf.get(run.id) ?? null)), ...analyses, ...sweeps].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  async get(id: string): Promise<JobSummary> {
    const run = await this.runs.get(id).catch(() => undefined);
    if (run) return trainingJob(run, await this.sweeps.sweepOf(id));
    const sweep = await this.sweeps.get(id).catch(() => undefined);
    if (sweep) return sweep;
    return this.analyses.get(id);
  }

  async control(id: string, action: 'pause' | 'resume' | 'cancel'): Promise<JobSummary> {
    const job = await this.get(id);
    if (job.kind === 'train') return trainingJob(await this.runs[action](id), job.parentId);
    if (job.kind === 'sweep') return this.sweeps[action](id);
    if (job.kind === 'analysis') return this.analyses[action](id);
    throw new LabError('invalid-request', `Job '${id}' cannot be controlled`);
  }
}
