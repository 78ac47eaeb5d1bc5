import { readdir } from 'node:fs/promises';
import { makeFolder } from '../workspace/writeFailure.js';
import { join } from 'node:path';
import { z } from 'zod';
import { jobKinds, jobProgressSchema, jobStatuses, type JobProgress, type JobStatus } from '../../../shared/domain/job.js';
import { labErrorSchema, type LabErrorData } from '../../../shared/result.js';
import { analyses, type AnalysisId } from '../../../shared/analyses/registry.js';
import { classifierInfoSchema } from '../../../shared/analyses/probe/classifierInfo.js';
import { defineFormat, readVersioned, writeVersioned, type FileFormat } from '../versionedFile.js';

/** job.json: what the job is; written once when it is created. */
export const jobSpecSchema = z.object({
  kind: z.enum(jobKinds),
  title: z.string(),
  createdAt: z.string(),
  /** For analyses: the analysis's key in the registry, and its spec (validated by that analysis). */
  analysis: z.string().nullable(),
  spec: z.record(z.string(), z.unknown()),
  /** A sweep's member runs, in the order they queue. */
  runIds: z.array(z.string()),
});
export type JobSpec = z.infer<typeof jobSpecSchema>;

/** state.json: where the job stands; rewritten as it moves. */
export const jobStateSchema = z.object({
  status: z.enum(jobStatuses),
  progress: jobProgressSchema.nullable(),
  error: labErrorSchema.nullable(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});
export type JobState = z.infer<typeof jobStateSchema>;

export const jobSpecFormat = defineFormat('job spec', 1, jobSpecSchema);

/** An analysis job's result.json, read and written through that analysis's result schema. */
export const analysisResultFormat = (id: AnalysisId): FileFormat<Record<string, unknown>> =>
  defineFormat(`${analyses[id].label} result`, 1, analyses[id].result as z.ZodType<Record<string, unknown>>);
export const jobStateFormat = defineFormat('job state', 1, jobStateSchema);
/** classifier.json beside a probe job's kept classifier. */
export const classifierInfoFormat = defineFormat('classifier info', 1, classifierInfoSchema);
export const classifierInfoFile = 'classifier.json';

export const jobsRoot = (workspace: string): string => join(workspace, 'jobs');

/** Ids of the jobs in a workspace (folders being deleted start with a dot). */
export async function listJobIds(workspace: string): Promise<string[]> {
  const names = await readdir(jobsRoot(workspace)).catch(() => [] as string[]);
  return names.filter((name) => !name.startsWith('.'));
}

/** One job's folder: its spec, its state, and whatever result its kind writes beside them. */
export class JobFolder {
  readonly dir: string;

  constructor(
    workspace: string,
    readonly id: string,
  ) {
    this.dir = join(jobsRoot(workspace), id);
  }

  get specFile(): string {
    return join(this.dir, 'job.json');
  }
  get stateFile(): string {
    return join(this.dir, 'state.json');
  }
  /** An analysis's result, in the format its registry entry names. */
  get resultFile(): string {
    return join(this.dir, 'result.json');
  }

  /**
   * A probe job's kept classifier of one line at one labels-per-class count: a tfjs layers
   * model (model.json, weights.bin) and its classifier.json (`classifierInfoFormat`).
   */
  classifierDir(lineId: string, labelsPerClass: number | 'all'): string {
    return join(this.dir, 'classifiers', lineId.replace(/[^A-Za-z0-9_-]/g, '_'), String(labelsPerClass));
  }

  async create(spec: JobSpec): Promise<void> {
    await makeFolder(this.dir);
    await writeVersioned(jobSpecFormat, this.specFile, spec);
    await this.writeState({ status: 'queued', progress: null, error: null, startedAt: null, finishedAt: null });
  }

  readSpec(): Promise<JobSpec> {
    return readVersioned(jobSpecFormat, this.specFile);
  }
  readState(): Promise<JobState> {
    return readVersioned(jobStateFormat, this.stateFile);
  }
  writeState(state: JobState): Promise<void> {
    return writeVersioned(jobStateFormat, this.stateFile, state);
  }
  async updateState(change: Partial<JobState>): Promise<JobState> {
    const next = { ...(await this.readState()), ...change };
    await this.writeState(next);
    return next;
  }
  /** The job moved to `status`; a finished job gets its time, a failed one its coded error. */
  transition(status: JobStatus, extra: { progress?: JobProgress | null; error?: LabErrorData | null } = {}): Promise<JobState> {
    const now = new Date().toISOString();
    const finished = status === 'done' || status === 'failed' || status === 'cancelled';
    return this.updateState({
      status,
      ...(status === 'running' ? { startedAt: now, finishedAt: null, error: null } : {}),
      ...(finished ? { finishedAt: now } : {}),
      ...extra,
    });
  }
}
