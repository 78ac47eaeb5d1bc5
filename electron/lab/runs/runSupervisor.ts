import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { validateRunConfig, type ResolvedRunConfig, type RunConfigInput } from '../../../shared/catalogue/runConfig.js';
import type { RunProgress, RunState, RunSummary, TestMetrics } from '../../../shared/domain/run.js';
import { LabError } from '../../../shared/result.js';
import { projectRoot } from '../appInfo.js';
import type { DatasetStore } from '../datasets/store.js';
import { checkFromEngine, type FromEngine, type ToEngine } from '../../format/runs/engineProtocol.js';
import { RunFolder } from '../../format/runs/runFolder.js';
import { EngineSlots } from '../jobs/engineSlots.js';

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

/**
 * The run queue: validates and records runs, starts one engine process per active run
 * (concurrency 1 by default), forwards control, and notices an engine that dies — the run
 * is then marked interrupted and can be resumed from its last checkpoint.
 */
export class RunSupervisor {
  private readonly engines = new Map<string, EngineProcess>();
  private recovered = false;

  constructor(
    private readonly workspace: string,
    private readonly datasets: DatasetStore,
    private readonly emit: (event: RunEvent) => void,
    private readonly launch: EngineLauncher = forkEngine,
    private readonly slots = new EngineSlots(1),
  ) {}

  /** The configuration checked against the catalogue and its dataset, as `create` checks it, without queueing anything. */
  async check(input: RunConfigInput): Promise<ResolvedRunConfig> {
    const dataset = await this.datasets.get(input.datasetId);
    const traits = { shape: dataset.shape, kind: dataset.kind, unitRange: dataset.scaling === 'unit' || dataset.scaling === 'minmax' };
    const validated = validateRunConfig(input, traits);
    if (!validated.ok) throw new LabError('invalid-option', validated.errors.join('; '));
    return validated.config;
  }

  async create(input: RunConfigInput): Promise<RunSummary> {
    await this.recover();
    const validated = { config: await this.check(input) };
    const name = validated.config.name ?? `${validated.config.architecture} ${validated.config.objective} d=${validated.config.latentDim}`;
    const id = `${new Date().toISOString().slice(0, 19).replace(/[-:T]/g, '')}-${randomBytes(3).toString('hex')}`;
    const folder = new RunFolder(this.workspace, id);
    await folder.create({ ...validated.config, name }, {
      status: 'queued', epoch: 0, epochs: validated.config.epochs, backend: null, error: null,
      createdAt: new Date().toISOString(), startedAt: null, finishedAt: null, samplesPerSecond: null, engineRssBytes: null,
    });
    const summary = await this.get(id);
    this.emit({ kind: 'changed', run: summary });
    this.enqueue(id);
    return summary;
  }

  async list(): Promise<RunSummary[]> {
    await this.recover();
    const ids = await readdir(join(this.workspace, 'runs')).catch(() => [] as string[]);
    const runs = await Promise.all(ids.filter((id) => !id.startsWith('.')).map((id) => this.get(id).catch(() => undefined)));
    return runs.filter((r): r is RunSummary => r !== undefined).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  async get(id: string): Promise<RunSummary> {
    const folder = new RunFolder(this.workspace, id);
    try {
      const [config, state] = await Promise.all([folder.readConfig(), folder.readState()]);
      return { ...state, id, name: config.name, config };
    } catch (cause) {
      // A damaged or newer file is named as it is; only a run that is not there is 'not found'.
      if (cause instanceof LabError) throw cause;
      throw new LabError('not-found', `No run with id '${id}' in this workspace`);
    }
  }

  async metrics(id: string) {
    await this.get(id);
    return new RunFolder(this.workspace, id).readMetrics();
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
    return this.control(id, { type: 'pause' });
  }

  async resume(id: string): Promise<RunSummary> {
    const run = await this.get(id);
    // A paused run without an engine was held before it started (a paused sweep's later members).
    const held = run.status === 'paused' && !this.engines.has(id);
    if (held || run.status === 'interrupted' || run.status === 'failed' || run.status === 'cancelled') {
      // Back into the queue: the engine continues from the last checkpoint.
      await new RunFolder(this.workspace, id).updateState({ status: 'queued', error: null });
      this.enqueue(id);
      const queued = await this.get(id);
      this.emit({ kind: 'changed', run: queued });
      return queued;
    }
    return this.control(id, { type: 'resume' });
  }

  async cancel(id: string): Promise<RunSummary> {
    const held = !this.engines.has(id) && (await this.get(id)).status === 'paused';
    if (this.slots.remove(id) || held) {
      await new RunFolder(this.workspace, id).updateState({ status: 'cancelled', finishedAt: new Date().toISOString() });
      const run = await this.get(id);
      this.emit({ kind: 'changed', run });
      return run;
    }
    return this.control(id, { type: 'cancel' });
  }

  async delete(id: string): Promise<void> {
    await this.get(id);
    if (this.engines.has(id)) throw new LabError('invalid-request', 'The run is training; cancel it before deleting it');
    this.slots.remove(id);
    const doomed = join(this.workspace, 'runs', `.deleted-${id}`);
    await rename(new RunFolder(this.workspace, id).dir, doomed);
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

  private async control(id: string, message: ToEngine): Promise<RunSummary> {
    const engine = this.engines.get(id);
    if (!engine) throw new LabError('invalid-request', `Run '${id}' is not training (it is ${(await this.get(id)).status})`);
    engine.send(message);
    return this.get(id);
  }

  /** Runs left running or paused by a lab that stopped are interrupted, not silently lost. */
  private async recover(): Promise<void> {
    if (this.recovered) return;
    this.recovered = true;
    const ids = await readdir(join(this.workspace, 'runs')).catch(() => [] as string[]);
    for (const id of ids) {
      if (id.startsWith('.')) continue;
      const folder = new RunFolder(this.workspace, id);
      const state = await folder.readState().catch(() => undefined);
      if (state && (state.status === 'running' || state.status === 'paused' || state.status === 'queued')) {
        await folder.updateState({ status: 'interrupted', error: 'The lab stopped while this run was active; resume it to continue from its last checkpoint' });
      }
    }
  }

  private enqueue(id: string): void {
    this.slots.enqueue(id, () => this.start(id));
  }

  private start(id: string): void {
    const engine = this.launch();
    this.engines.set(id, engine);
    let done = false;
    engine.onMessage((message) => {
      if (message.type === 'ready') engine.send({ type: 'start', workspace: this.workspace, runId: id });
      else if (message.type === 'progress') this.emit({ kind: 'progress', progress: { ...message.progress, engineRssBytes: message.rssBytes } });
      else if (message.type === 'state' || message.type === 'done') {
        if (message.type === 'done') done = true;
        void this.get(id).then((run) => this.emit({ kind: 'changed', run }), ignoreVanished);
      }
    });
    engine.onExit((code, signal) => {
      this.engines.delete(id);
      void (async () => {
        const folder = new RunFolder(this.workspace, id);
        const state = await folder.readState().catch(() => undefined);
        if (!done || (state && !finished.has(state.status))) {
          await folder.updateState({
            status: 'interrupted',
            error: `The engine process stopped unexpectedly (${signal ?? `exit code ${code}`}); resume the run to continue from its last checkpoint`,
            engineRssBytes: null,
          });
        }
        this.emit({ kind: 'changed', run: await this.get(id) });
      })().catch(ignoreVanished).finally(() => this.slots.release(id));
    });
  }
}
