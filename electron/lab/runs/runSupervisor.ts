import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { validateRunConfig, type ResolvedRunConfig, type RunConfigInput } from '../../../shared/catalogue/runConfig.js';
import type { PendingControl, RunProgress, RunState, RunSummary, TestMetrics } from '../../../shared/domain/run.js';
import type { WorkspaceAccess } from '../../../shared/domain/lab.js';
import { ensureSpaceForTraining } from '../diskSpace.js';
import { LabError } from '../../../shared/result.js';
import { projectRoot } from '../appInfo.js';
import type { DatasetStore } from '../datasets/store.js';
import { checkFromEngine, type FromEngine, type ToEngine } from '../../format/runs/engineProtocol.js';
import { RunFolder } from '../../format/runs/runFolder.js';
import { EngineSlots } from '../jobs/engineSlots.js';
import { scanRuns, type RunScan } from '../workspace/runScan.js';

/** Starts an engine process; hosts choose how (child_process.fork here, utilityProcess in Electron). */
export interface EngineProcess {
  send(message: ToEngine): void;
  onMessage(listener: (message: FromEngine) => void): void;
  onExit(listener: (code: number | null, signal: string | null) => void): void;
  kill(): void;
  pid: number | undefined;
}

export type EngineLauncher = () => EngineProcess;

export const forkEngine: EngineLauncher = () => {
  const child: ChildProcess = fork(join(projectRoot(), 'scripts', 'engine.mjs'), ['electron/engine/engineMain.ts'], {
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    // Structured clone keeps typed arrays typed across the process boundary.
    serialization: 'advanced',
    env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2' },
  });
  return {
    send: (message) => void child.send(message),
    onMessage: (listener) => void child.on('message', (m) => listener(m as FromEngine)),
    onExit: (listener) => void child.on('exit', (code, signal) => listener(code, signal)),
    kill: () => void child.kill('SIGKILL'),
    pid: child.pid,
  };
};

/**
 * The launcher with every message from the engine checked against the protocol's schemas
 * before anything acts on it; a malformed one is reported on stderr and dropped.
 */
export function checkedLauncher(launch: EngineLauncher): EngineLauncher {
  return () => {
    const engine = launch();
    return {
      get pid() {
        return engine.pid;
      },
      send: (message) => engine.send(message),
      kill: () => engine.kill(),
      onExit: (listener) => engine.onExit(listener),
      onMessage: (listener) =>
        engine.onMessage((message) => {
          let checked: FromEngine;
          try {
            checked = checkFromEngine(message);
          } catch (cause) {
            process.stderr.write(`lab: ${(cause as Error).message}\n`);
            return;
          }
          listener(checked);
        }),
    };
  };
}

export type RunEvent = { kind: 'progress'; progress: RunProgress } | { kind: 'changed'; run: RunSummary };

/** A run deleted (or a workspace removed) while its engine wound down has nothing left to report. */
const ignoreVanished = (): void => undefined;

const finished = new Set<RunState['status']>(['completed', 'early-stopped', 'cancelled', 'failed', 'interrupted']);

const controlPending = { pause: 'pausing', resume: 'resuming', cancel: 'cancelling' } as const satisfies Record<string, PendingControl>;
/** The engine states that settle a pending control: the one it asked for, or the run's end. */
const controlLanded: Record<PendingControl, (status: RunState['status']) => boolean> = {
  pausing: (status) => status === 'paused' || finished.has(status),
  resuming: (status) => status === 'running' || finished.has(status),
  cancelling: (status) => finished.has(status),
};

/**
 * The run queue: validates and records runs, starts one engine process per active run
 * (concurrency 1 by default), forwards control, and notices an engine that dies — the run
 * is then marked interrupted and can be resumed from its last checkpoint.
 */
export class RunSupervisor {
  private readonly engines = new Map<string, EngineProcess>();
  private recovered = false;
  /** Controls sent to engines and not landed yet: memory only, a restarted lab has no engines to wait for. */
  private readonly pendingControls = new Map<string, PendingControl>();
  /** Engines whose state messages settle pending controls. */
  private readonly watched = new WeakSet<EngineProcess>();
  /**
   * What is known of a run but could not be written to its state.json (a full or read-only
   * disk): shown over the file's state until the run's state is written again.
   */
  private readonly unrecorded = new Map<string, Partial<RunState>>();
  /** Runs whose folder is being written by `create`: not yet a run, not a damaged one either. */
  private readonly creating = new Set<string>();

  constructor(
    private readonly workspace: string,
    private readonly datasets: DatasetStore,
    private readonly emit: (event: RunEvent) => void,
    private readonly launch: EngineLauncher = forkEngine,
    private readonly slots = new EngineSlots(1),
    private readonly access: WorkspaceAccess = { mode: 'owner', reason: null, ownerPid: null },
  ) {}

  /** The configuration checked against the catalogue and its dataset, as `create` checks it, without queueing anything. */
  async check(input: RunConfigInput): Promise<ResolvedRunConfig> {
    const dataset = await this.datasets.get(input.datasetId);
    // Training on bytes that no longer match the dataset's stored hash is refused here, once per change of the file.
    await this.datasets.verify(input.datasetId);
    const traits = { shape: dataset.shape, kind: dataset.kind, unitRange: dataset.scaling === 'unit' || dataset.scaling === 'minmax', classNames: dataset.classNames, classCounts: dataset.classCounts };
    const validated = validateRunConfig(input, traits);
    if (!validated.ok) throw new LabError('invalid-option', validated.errors.join('; '));
    return validated.config;
  }

  async create(input: RunConfigInput): Promise<RunSummary> {
    await this.recover();
    const validated = { config: await this.check(input) };
    await ensureSpaceForTraining(this.workspace, validated.config, await this.datasets.get(input.datasetId));
    const name = validated.config.name ?? `${validated.config.architecture} ${validated.config.objective} d=${validated.config.latentDim}`;
    const id = `${new Date().toISOString().slice(0, 19).replace(/[-:T]/g, '')}-${randomBytes(3).toString('hex')}`;
    const folder = new RunFolder(this.workspace, id);
    this.creating.add(id);
    try {
      await folder.create({ ...validated.config, name }, {
        status: 'queued', epoch: 0, epochs: validated.config.epochs, backend: null, error: null,
        createdAt: new Date().toISOString(), startedAt: null, finishedAt: null, samplesPerSecond: null, engineRssBytes: null,
      });
    } finally {
      this.creating.delete(id);
    }
    const summary = await this.get(id);
    this.emit({ kind: 'changed', run: summary });
    this.enqueue(id);
    return summary;
  }

  async list(): Promise<RunSummary[]> {
    return (await this.scan()).runs;
  }

  /** The runs, and the run folders that cannot be read (listed as damaged, never dropped). */
  async scan(): Promise<RunScan> {
    await this.recover();
    return scanRuns(this.workspace, (id) => this.get(id), this.creating);
  }

  async get(id: string): Promise<RunSummary> {
    const folder = new RunFolder(this.workspace, id);
    try {
      const [config, state] = await Promise.all([folder.readConfig(), folder.readState()]);
      return { ...state, ...this.unrecorded.get(id), id, name: config.name, config, pendingControl: this.pendingControls.get(id) ?? null };
    } catch (cause) {
      // A damaged or newer file is named as it is; only a run that is not there is 'not found'.
      if (cause instanceof LabError) throw cause;
      const missing = (cause as NodeJS.ErrnoException).code === 'ENOENT' ? (cause as NodeJS.ErrnoException).path : undefined;
      if (missing && missing !== folder.dir && existsSync(folder.dir) && !this.creating.has(id)) throw new LabError('corrupt-file', `${missing} is missing`);
      throw new LabError('not-found', `No run with id '${id}' in this workspace`);
    }
  }

  async metrics(id: string) {
    return (await this.metricsReport(id)).metrics;
  }

  /** The metrics and, where metrics.jsonl ends in a cut line, the notice that says so. */
  async metricsReport(id: string) {
    await this.get(id);
    return new RunFolder(this.workspace, id).readMetricsReport();
  }

  async evaluation(id: string): Promise<TestMetrics | null> {
    return new RunFolder(this.workspace, id).readEvaluation();
  }

  async pause(id: string): Promise<RunSummary> {
    if (this.slots.remove(id)) {
      // Not started yet: held out of the queue until resumed.
      await new RunFolder(this.workspace, id).updateState({ status: 'paused' });
      const run = await this.get(id);
      this.emit({ kind: 'changed', run });
      return run;
    }
    return this.control(id, 'pause');
  }

  async resume(id: string): Promise<RunSummary> {
    const run = await this.get(id);
    // A paused run without an engine was held before it started (a paused sweep's later members).
    const held = run.status === 'paused' && !this.engines.has(id);
    if (held || run.status === 'interrupted' || run.status === 'failed' || run.status === 'cancelled') {
      // Back into the queue: the engine continues from the last checkpoint, on data that still matches its hash.
      await this.datasets.verify(run.config.datasetId);
      // A resumed run writes its checkpoints again: the same space check as a new one (its config was resolved when it was created).
      await ensureSpaceForTraining(this.workspace, run.config as ResolvedRunConfig, await this.datasets.get(run.config.datasetId));
      await new RunFolder(this.workspace, id).updateState({ status: 'queued', error: null });
      this.enqueue(id);
      const queued = await this.get(id);
      this.emit({ kind: 'changed', run: queued });
      return queued;
    }
    return this.control(id, 'resume');
  }

  async cancel(id: string): Promise<RunSummary> {
    const held = !this.engines.has(id) && (await this.get(id)).status === 'paused';
    if (this.slots.remove(id) || held) {
      await new RunFolder(this.workspace, id).updateState({ status: 'cancelled', finishedAt: new Date().toISOString() });
      const run = await this.get(id);
      this.emit({ kind: 'changed', run });
      return run;
    }
    return this.control(id, 'cancel');
  }

  async delete(id: string): Promise<void> {
    await this.get(id);
    if (this.engines.has(id)) throw new LabError('invalid-request', 'The run is training; cancel it before deleting it');
    this.slots.remove(id);
    const doomed = join(this.workspace, 'runs', `.deleted-${id}`);
    await rename(new RunFolder(this.workspace, id).dir, doomed);
    this.unrecorded.delete(id);
    await rm(doomed, { recursive: true, force: true });
  }

  /** Waits until no run is queued or training (for the CLI and tests). */
  async idle(): Promise<void> {
    while (this.slots.busy) await new Promise((resolve) => setTimeout(resolve, 50));
  }

  /** Kills every engine (the host is closing); their runs will be found interrupted next time. */
  shutdown(): void {
    for (const engine of this.engines.values()) engine.kill();
  }

  /**
   * Sends a control to the run's engine and marks it pending until the engine's state says it
   * landed (within a batch or two; the reply and a 'changed' event carry the pending state).
   * A control that changes nothing — a pause of a paused run, one already pending, anything
   * once a cancel is pending — is answered with the run as it is.
   */
  private async control(id: string, action: 'pause' | 'resume' | 'cancel'): Promise<RunSummary> {
    const run = await this.get(id);
    const engine = this.engines.get(id);
    if (!engine) throw new LabError('invalid-request', `Run '${id}' is not training (it is ${run.status})`);
    const pending = this.pendingControls.get(id) ?? null;
    const wanted = controlPending[action];
    const moot = pending === wanted || pending === 'cancelling' || (pending === null && ((action === 'pause' && run.status === 'paused') || (action === 'resume' && run.status === 'running')));
    if (moot) return run;
    if (!this.watched.has(engine)) {
      this.watched.add(engine);
      // Cleared before the supervisor's own handlers read the run again (listeners run in order, these synchronously).
      engine.onMessage((message) => {
        const waiting = this.pendingControls.get(id);
        if ((message.type === 'state' || message.type === 'done') && waiting && controlLanded[waiting](message.state.status)) this.pendingControls.delete(id);
      });
      engine.onExit(() => this.pendingControls.delete(id));
    }
    this.pendingControls.set(id, wanted);
    engine.send({ type: action } satisfies ToEngine);
    const sent = { ...run, pendingControl: wanted };
    this.emit({ kind: 'changed', run: sent });
    return sent;
  }

  /**
   * Runs left running or paused by a lab that stopped are interrupted, not silently lost. Only
   * the workspace's owner recovers: another process's active runs are its own. Reading never
   * needs a write: where the state cannot be written (full or read-only disk), the run is shown
   * interrupted with that said, and the file is left as it is.
   */
  private async recover(): Promise<void> {
    if (this.recovered) return;
    this.recovered = true;
    // Another live process owns the workspace: its active runs are really active.
    if (this.access.ownerPid !== null) return;
    const ids = await readdir(join(this.workspace, 'runs')).catch(() => [] as string[]);
    for (const id of ids) {
      if (id.startsWith('.')) continue;
      const folder = new RunFolder(this.workspace, id);
      const state = await folder.readState().catch(() => undefined);
      if (state && (state.status === 'running' || state.status === 'paused' || state.status === 'queued')) {
        const change = { status: 'interrupted', error: 'The lab stopped while this run was active; resume it to continue from its last checkpoint' } as const;
        if (this.access.mode === 'read-only') this.unrecorded.set(id, { ...change, error: `${change.error} (not recorded: ${this.access.reason ?? 'the workspace is read-only'})` });
        else await folder.updateState(change).catch((cause: unknown) => this.unrecorded.set(id, { ...change, error: `${change.error} (not recorded: ${(cause as Error).message})` }));
      }
    }
  }

  private enqueue(id: string): void {
    this.slots.enqueue(id, () => this.start(id));
  }

  /** A run's new state, written; where the disk refuses it, kept in memory and said to be unrecorded. */
  private async record(id: string, change: Partial<RunState>): Promise<void> {
    const folder = new RunFolder(this.workspace, id);
    try {
      await folder.updateState(change);
      this.unrecorded.delete(id);
    } catch (cause) {
      if (!existsSync(folder.dir)) throw cause;
      this.unrecorded.set(id, { ...change, error: `${change.error ?? ''}${change.error ? ' — ' : ''}the lab could not record this in ${folder.stateFile}: ${(cause as Error).message}` });
    }
  }

  private start(id: string): void {
    const engine = this.launch();
    this.engines.set(id, engine);
    this.unrecorded.delete(id);
    let done = false;
    // The engine's last word on the run, which it may have failed to write (a full disk).
    let reported: RunState | undefined;
    engine.onMessage((message) => {
      if (message.type === 'ready') engine.send({ type: 'start', workspace: this.workspace, runId: id });
      else if (message.type === 'progress') this.emit({ kind: 'progress', progress: { ...message.progress, engineRssBytes: message.rssBytes } });
      else if (message.type === 'state' || message.type === 'done') {
        if (message.type === 'done') done = true;
        if (message.type === 'state') reported = message.state;
        void this.get(id).then((run) => this.emit({ kind: 'changed', run }), ignoreVanished);
      }
    });
    engine.onExit((code, signal) => {
      this.engines.delete(id);
      void (async () => {
        const folder = new RunFolder(this.workspace, id);
        const state = await folder.readState().catch(() => undefined);
        if (!done || (state && !finished.has(state.status))) {
          // An engine that failed and could not write why (a full disk) said so before it exited.
          const verdict = reported && finished.has(reported.status) && reported.status !== state?.status ? reported : undefined;
          await this.record(
            id,
            verdict
              ? { status: verdict.status, error: verdict.error, finishedAt: verdict.finishedAt, engineRssBytes: null }
              : {
                  status: 'interrupted',
                  error: `The engine process stopped unexpectedly (${signal ?? `exit code ${code}`}); resume the run to continue from its last checkpoint`,
                  engineRssBytes: null,
                },
          );
        }
        this.emit({ kind: 'changed', run: await this.get(id) });
      })().catch(ignoreVanished).finally(() => this.slots.release(id));
    });
  }
}
