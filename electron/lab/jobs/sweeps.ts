import type { JobStatus, JobSummary } from '../../../shared/domain/job.js';
import type { RunStatus, RunSummary } from '../../../shared/domain/run.js';
import { describePoint, expandSweep, sweepLimit, sweepSpecSchema, type SweepSpec } from '../../../shared/domain/sweep.js';
import { LabError } from '../../../shared/result.js';
import { JobFolder, listJobIds } from '../../format/jobs/jobFolder.js';
import type { RunSupervisor } from '../runs/runSupervisor.js';
import { newJobId } from './analysisJobs.js';

const finishedRun = new Set<RunStatus>(['completed', 'early-stopped', 'cancelled', 'failed']);

/**
 * A sweep's state is its members' states: running while one trains, paused while held,
 * interrupted when a member was cut off (resume continues each from its checkpoint), done
 * when all finished.
 */
export function sweepStatus(members: readonly RunSummary[]): JobStatus {
  const has = (status: RunStatus): boolean => members.some((m) => m.status === status);
  if (has('running')) return 'running';
  if (has('queued')) return 'queued';
  if (has('paused')) return 'paused';
  if (has('interrupted')) return 'interrupted';
  if (members.length > 0 && members.every((m) => m.status === 'cancelled')) return 'cancelled';
  if (has('failed')) return 'failed';
  return has('cancelled') ? 'cancelled' : 'done';
}

/** Sweeps: grids of runs queued as one job, paused, resumed and cancelled as one. */
export class Sweeps {
  /** Which sweep queued which run: read from the job folders once, then kept as sweeps are made. */
  private membership: Promise<Map<string, string>> | undefined;

  constructor(
    private readonly workspace: string,
    private readonly runs: RunSupervisor,
  ) {}

  /** Every member is checked before anything queues; a value the data cannot take is named. */
  async create(input: SweepSpec): Promise<JobSummary> {
    const spec = sweepSpecSchema.parse(input);
    const members = expandSweep(spec);
    if (members.length > sweepLimit) throw new LabError('invalid-option', `The sweep has ${members.length} combinations; at most ${sweepLimit} runs are queued as one sweep`);
    for (const axis of spec.axes) {
      if (new Set(axis.values.map((v) => JSON.stringify(v))).size !== axis.values.length) throw new LabError('invalid-option', `Sweep field '${axis.field}' lists a value twice`);
    }
    const checked = [];
    for (const member of members) {
      try {
        checked.push(await this.runs.check(member.config as never));
      } catch (cause) {
        throw new LabError('invalid-option', `Sweep value ${describePoint(member.point)}: ${(cause as Error).message}`);
      }
    }
    const base = checked[0];
    const name = spec.name ?? `${base?.architecture} ${base?.objective} sweep of ${spec.axes.map((a) => a.field).join(' × ')}`;
    const runIds: string[] = [];
    // Members are named by what sets them apart, first, so a list that cuts names short still tells them apart.
    const family = `${base?.architecture} ${base?.objective}`;
    for (const member of members) {
      const memberName = spec.name ? `${describePoint(member.point)} · ${spec.name}` : `${describePoint(member.point)} · ${family}`;
      const run = await this.runs.create({ ...member.config, name: memberName } as never);
      runIds.push(run.id);
    }
    const id = newJobId();
    await new JobFolder(this.workspace, id).create({
      kind: 'sweep',
      title: `${name} (${members.length} runs)`,
      createdAt: new Date().toISOString(),
      analysis: null,
      spec: { ...spec, points: members.map((m) => m.point) },
      runIds,
    });
    const membership = await this.membershipMap();
    for (const runId of runIds) membership.set(runId, id);
    return this.get(id);
  }

  async get(id: string): Promise<JobSummary> {
    const folder = new JobFolder(this.workspace, id);
    const spec = await folder.readSpec().catch((cause: unknown) => {
      if ((cause as NodeJS.ErrnoException).code === 'ENOENT') throw new LabError('not-found', `No job with id '${id}' in this workspace`);
      throw cause;
    });
    if (spec.kind !== 'sweep') throw new LabError('not-found', `Job '${id}' is not a sweep`);
    const members = await this.members(spec.runIds);
    const status = sweepStatus(members);
    const done = members.filter((m) => finishedRun.has(m.status)).length;
    const current = members.find((m) => m.status === 'running' || m.status === 'paused');
    const started = members.map((m) => m.startedAt).filter((t): t is string => t !== null).sort();
    const ended = members.map((m) => m.finishedAt).filter((t): t is string => t !== null).sort();
    const failed = members.find((m) => m.status === 'failed' || m.status === 'interrupted');
    return {
      id,
      kind: 'sweep',
      title: spec.title,
      status,
      progress: { done, total: spec.runIds.length, message: current ? `${current.name}: epoch ${current.epoch} of ${current.epochs}` : `${done} of ${spec.runIds.length} runs finished` },
      error: failed?.error ? { code: 'internal', message: `${failed.name}: ${failed.error}` } : null,
      createdAt: spec.createdAt,
      startedAt: started[0] ?? null,
      finishedAt: status === 'done' || status === 'failed' || status === 'cancelled' ? (ended.at(-1) ?? null) : null,
      runIds: spec.runIds,
      parentId: null,
      analysis: null,
      pendingControl: members.find((m) => m.pendingControl)?.pendingControl ?? null,
    };
  }

  async list(): Promise<JobSummary[]> {
    const jobs = await Promise.all((await listJobIds(this.workspace)).map((id) => this.get(id).catch(() => undefined)));
    return jobs.filter((job): job is JobSummary => job !== undefined);
  }

  /** The sweep that queued a run, if any. */
  async sweepOf(runId: string): Promise<string | null> {
    return (await this.membershipMap()).get(runId) ?? null;
  }

  private membershipMap(): Promise<Map<string, string>> {
    this.membership ??= listJobIds(this.workspace).then(async (ids) => {
      const map = new Map<string, string>();
      for (const id of ids) {
        const spec = await new JobFolder(this.workspace, id).readSpec().catch(() => undefined);
        if (spec?.kind === 'sweep') for (const runId of spec.runIds) map.set(runId, id);
      }
      return map;
    });
    return this.membership;
  }

  /** Pauses the member that trains and holds the ones still queued. */
  async pause(id: string): Promise<JobSummary> {
    const members = await this.members((await this.get(id)).runIds);
    for (const m of members) if (m.status === 'running' || m.status === 'queued') await this.runs.pause(m.id);
    return this.get(id);
  }

  /** Resumes held and paused members in order, and interrupted ones from their checkpoints. */
  async resume(id: string): Promise<JobSummary> {
    const members = await this.members((await this.get(id)).runIds);
    for (const m of members) if (m.status === 'paused' || m.status === 'interrupted') await this.runs.resume(m.id);
    return this.get(id);
  }

  async cancel(id: string): Promise<JobSummary> {
    const members = await this.members((await this.get(id)).runIds);
    // Queued and held members first, so none starts while the running one is told to stop.
    for (const m of members) if (m.status === 'queued' || m.status === 'paused') await this.runs.cancel(m.id).catch(() => undefined);
    for (const m of members) if (m.status === 'running') await this.runs.cancel(m.id).catch(() => undefined);
    return this.get(id);
  }

  /** Resolves when no member is queued or training. */
  async wait(id: string): Promise<JobSummary> {
    for (;;) {
      const job = await this.get(id);
      if (job.status !== 'queued' && job.status !== 'running') return job;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  private async members(runIds: readonly string[]): Promise<RunSummary[]> {
    const runs = await Promise.all(runIds.map((runId) => this.runs.get(runId).catch(() => undefined)));
    return runs.filter((r): r is RunSummary => r !== undefined);
  }
}
