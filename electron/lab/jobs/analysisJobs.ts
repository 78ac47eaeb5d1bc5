import { randomBytes } from 'node:crypto';
import { analyses, isAnalysisId, type AnalysisId } from '../../../shared/analyses/registry.js';
import type { JobProgress, JobSummary } from '../../../shared/domain/job.js';
import { LabError } from '../../../shared/result.js';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ClassifierFiles } from '../../../shared/analyses/probe/classifierInfo.js';
import type { LabelsPerClass } from '../../../shared/analyses/probe/probeSpec.js';
import { readVersioned, readVersionedIfPresent } from '../../format/versionedFile.js';
import { analysisResultFormat, classifierInfoFile, classifierInfoFormat, JobFolder, listJobIds, type JobSpec, type JobState } from '../../format/jobs/jobFolder.js';
import type { EngineLauncher, EngineProcess } from '../runs/runSupervisor.js';
import type { EngineSlots } from './engineSlots.js';

export type AnalysisEvent = { kind: 'changed'; job: JobSummary } | { kind: 'progress'; jobId: string; progress: JobProgress };

export const newJobId = (): string => `${new Date().toISOString().slice(0, 19).replace(/[-:T]/g, '')}-${randomBytes(3).toString('hex')}`;

const active = new Set<JobState['status']>(['queued', 'running', 'paused']);

export function jobSummary(id: string, spec: JobSpec, state: JobState): JobSummary {
  return { id, kind: spec.kind, title: spec.title, createdAt: spec.createdAt, ...state, runIds: spec.runIds, parentId: null, analysis: spec.analysis };
}

/**
 * Analysis jobs: each runs in an engine process of its own, from the same queue as training.
 * An engine that dies leaves the job interrupted; resuming it runs the analysis again.
 */
export class AnalysisJobs {
  private readonly engines = new Map<string, EngineProcess>();
  private recovered = false;

  constructor(
    private readonly workspace: string,
    private readonly slots: EngineSlots,
    private readonly launch: EngineLauncher,
    private readonly emit: (event: AnalysisEvent) => void,
    /** A read-only lab never writes: jobs another process runs are not its to mark interrupted. */
    private readonly readOnly = false,
  ) {}

  /** Validates the spec with the analysis's own schema, records the job and queues it. */
  async create(analysis: string, input: Record<string, unknown>, title: string): Promise<JobSummary> {
    await this.recover();
    if (!isAnalysisId(analysis)) throw new LabError('invalid-request', `No analysis '${analysis}' (the lab has: ${Object.keys(analyses).join(', ')})`);
    const parsed = analyses[analysis].spec.safeParse(input);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new LabError('invalid-option', `${analyses[analysis].label}: ${issue?.path.join('.') || 'spec'}: ${issue?.message ?? 'invalid'}`);
    }
    const id = newJobId();
    await new JobFolder(this.workspace, id).create({ kind: 'analysis', title, createdAt: new Date().toISOString(), analysis, spec: parsed.data, runIds: [] });
    const job = await this.get(id);
    this.emit({ kind: 'changed', job });
    this.slots.enqueue(id, () => this.start(id));
    return job;
  }

  async get(id: string): Promise<JobSummary> {
    const folder = new JobFolder(this.workspace, id);
    const [spec, state] = await Promise.all([folder.readSpec(), folder.readState()]).catch((cause: unknown) => {
      if ((cause as NodeJS.ErrnoException).code === 'ENOENT') throw new LabError('not-found', `No job with id '${id}' in this workspace`);
      throw cause;
    });
    return jobSummary(id, spec, state);
  }

  async list(): Promise<JobSummary[]> {
    await this.recover();
    const jobs = await Promise.all((await listJobIds(this.workspace)).map((id) => this.get(id).catch(() => undefined)));
    return jobs.filter((job): job is JobSummary => job?.kind === 'analysis');
  }

  /** The job's result, read through its analysis's result schema; null until it is done. */
  async result(id: string): Promise<Record<string, unknown> | null> {
    const job = await this.get(id);
    if (!job.analysis || !isAnalysisId(job.analysis)) return null;
    return readVersionedIfPresent(analysisResultFormat(job.analysis as AnalysisId), new JobFolder(this.workspace, id).resultFile);
  }

  /** A probe job's kept classifier: its tfjs layers files and what it is; a clear refusal where the job kept none of that line and count. */
  async classifier(id: string, lineId: string, labelsPerClass: LabelsPerClass): Promise<ClassifierFiles> {
    const job = await this.get(id);
    if (job.analysis !== 'probe') throw new LabError('invalid-request', `The job '${job.title}' is not a pretrained-encoders probe; it keeps no classifier`);
    if (job.status !== 'done') throw new LabError('invalid-request', `The probe '${job.title}' is ${job.status}; its classifiers can be exported once it is done`);
    const dir = new JobFolder(this.workspace, id).classifierDir(lineId, labelsPerClass);
    const infoFile = join(dir, classifierInfoFile);
    if (!existsSync(infoFile)) throw new LabError('not-found', `The probe '${job.title}' kept no classifier for line '${lineId}' at ${labelsPerClass} labels per class (only the first draw of lines that train a model is kept, when the job keeps classifiers)`);
    const info = await readVersioned(classifierInfoFormat, infoFile);
    // classifier.json is written after the model's files: without them the folder was damaged after the job.
    const missing = ['model.json', 'weights.bin'].filter((file) => !existsSync(join(dir, file)));
    if (missing.length > 0) throw new LabError('corrupt-file', `${dir}: the kept classifier of line '${lineId}' at ${labelsPerClass} labels per class lacks ${missing.join(' and ')} beside ${classifierInfoFile}; run the probe again to keep it anew`);
    const [modelJson, weights] = await Promise.all([readFile(join(dir, 'model.json'), 'utf8'), readFile(join(dir, 'weights.bin'))]);
    return { info, modelJson, weights: new Uint8Array(weights.buffer, weights.byteOffset, weights.byteLength) };
  }

  async pause(id: string): Promise<JobSummary> {
    const job = await this.get(id);
    if (job.status === 'running') throw new LabError('invalid-request', `The analysis '${job.title}' is running; an analysis cannot stop half-way and continue — cancel it, and resume it later to run it again`);
    if (job.status !== 'queued' || !this.slots.remove(id)) throw new LabError('invalid-request', `The analysis '${job.title}' is ${job.status}; only a queued analysis can be paused`);
    await new JobFolder(this.workspace, id).transition('paused');
    return this.changed(id);
  }

  async resume(id: string): Promise<JobSummary> {
    const job = await this.get(id);
    if (job.status === 'queued' || job.status === 'running' || job.status === 'done') return job;
    await new JobFolder(this.workspace, id).updateState({ status: 'queued', error: null, progress: null, finishedAt: null });
    this.slots.enqueue(id, () => this.start(id));
    return this.changed(id);
  }

  async cancel(id: string): Promise<JobSummary> {
    const job = await this.get(id);
    if (!active.has(job.status)) return job;
    this.slots.remove(id);
    const engine = this.engines.get(id);
    await new JobFolder(this.workspace, id).transition('cancelled', { progress: null });
    // Its engine is stopped; the exit handler sees the job already finished and leaves it so.
    engine?.kill();
    return this.changed(id);
  }

  /** Resolves when the job is no longer queued or running (the CLI waits on this). */
  async wait(id: string): Promise<JobSummary> {
    for (;;) {
      const job = await this.get(id);
      if (job.status !== 'queued' && job.status !== 'running') return job;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  shutdown(): void {
    for (const engine of this.engines.values()) engine.kill();
  }

  private async changed(id: string): Promise<JobSummary> {
    const job = await this.get(id);
    this.emit({ kind: 'changed', job });
    return job;
  }

  /** Jobs left queued or running by a lab that stopped are interrupted, not silently lost. */
  private async recover(): Promise<void> {
    if (this.recovered || this.readOnly) return;
    this.recovered = true;
    for (const id of await listJobIds(this.workspace)) {
      const folder = new JobFolder(this.workspace, id);
      const [spec, state] = await Promise.all([folder.readSpec(), folder.readState()]).catch(() => [undefined, undefined] as const);
      if (spec?.kind === 'analysis' && state && (state.status === 'queued' || state.status === 'running')) {
        await folder.updateState({ status: 'interrupted', progress: null, error: { code: 'internal', message: 'The lab stopped while this analysis was active; resume it to run it again' } });
      }
    }
  }

  private start(id: string): void {
    const engine = this.launch();
    this.engines.set(id, engine);
    let done = false;
    engine.onMessage((message) => {
      if (message.type === 'ready') engine.send({ type: 'analyze', workspace: this.workspace, jobId: id });
      else if (message.type === 'jobProgress') this.emit({ kind: 'progress', jobId: id, progress: message.progress });
      else if (message.type === 'jobDone') {
        done = true;
        void this.get(id).then((job) => this.emit({ kind: 'changed', job }), () => undefined);
      }
    });
    engine.onExit((code, signal) => {
      this.engines.delete(id);
      void (async () => {
        const folder = new JobFolder(this.workspace, id);
        const state = await folder.readState();
        if (!done && active.has(state.status)) {
          await folder.updateState({
            status: 'interrupted',
            progress: null,
            error: { code: 'internal', message: `The engine process stopped unexpectedly (${signal ?? `exit code ${code}`}); resume the analysis to run it again` },
          });
        }
        this.emit({ kind: 'changed', job: await this.get(id) });
      })().catch(() => undefined).finally(() => this.slots.release(id));
    });
  }
}
