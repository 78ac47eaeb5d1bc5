import { join } from 'node:path';
import type { EventChannel, RequestChannel } from '../../shared/contract/channels.js';
import { requestSchemas, type EventOf, type ParsedRequestOf, type ReplyOf, type RequestOf } from '../../shared/contract/labApi.js';
import { firstIssueSentence, pathNames } from '../../shared/contract/userMessages.js';
import type { ImportReport } from '../../shared/domain/dataset.js';
import { importOptionsSchema } from '../../shared/domain/dataset.js';
import type { LabInfo, WorkspaceAccess } from '../../shared/domain/lab.js';
import { LabError, toErrorData, type Result } from '../../shared/result.js';
import { labVersion } from './appInfo.js';
import { ownerAccess, refusalOf } from './owner/workspaceAccess.js';
import { ensureSpaceForDataset } from './diskSpace.js';
import { probeBackend } from './backendProbe.js';
import { defaultFashionMnistDir, ensureBuiltins } from './datasets/builtin/builtins.js';
import { importSources } from './datasets/importer.js';
import { throwIfCancelled } from './datasets/readers/datasetReader.js';
import { collectFromPaths, collectFromUploads, type CollectedSources } from './datasets/sources/collectSources.js';
import { DatasetStore } from './datasets/store.js';
import { datasetsRoot } from '../format/datasets/datasetFolder.js';
import { PresetStore } from './presets/presetStore.js';
import { ProgressThrottle } from './progressThrottle.js';
import { ModelServers } from './runs/modelServers.js';
import { RunFolder } from '../format/runs/runFolder.js';
import { checkpointMarker } from '../format/runs/checkpointFolder.js';
import { completeFolder } from '../format/workspace/atomicFolder.js';
import { checkedLauncher, forkEngine, RunSupervisor, type EngineLauncher, type RunEvent } from './runs/runSupervisor.js';
import { AnalysisJobs } from './jobs/analysisJobs.js';
import { EngineSlots } from './jobs/engineSlots.js';
import { Jobs, trainingJob } from './jobs/jobs.js';
import { Sweeps } from './jobs/sweeps.js';
import { WorkspaceHealth } from './workspace/workspaceHealth.js';
import { workspaceRelativeText } from './workspace/workspacePaths.js';
import { JobFolder } from '../format/jobs/jobFolder.js';
import { PcaCache } from '../format/datasets/pcaCache.js';
import { analyses, isAnalysisId } from '../../shared/analyses/registry.js';
import type { PcaSummary } from '../../shared/analyses/pca/pcaSpec.js';
import type { JobSummary } from '../../shared/domain/job.js';
import type { SweepAxis, SweepPoint } from '../../shared/domain/sweep.js';
import type { ModelAnswer } from '../format/runs/engineProtocol.js';

const modelImages = (answer: ModelAnswer) => ({ images: answer.images ?? new Float32Array(0), shape: answer.shape, latentSize: answer.latentSize });
import type { RunConfigInput } from '../../shared/catalogue/runConfig.js';

export interface LabOptions {
  workspace: string;
  host: LabInfo['host'];
  /** How engine processes start: child_process.fork by default, utilityProcess under Electron. */
  launchEngine?: EngineLauncher;
  /** Runs trained at once; more wait in the queue. Default 1 (or $AELAB_CONCURRENCY). */
  concurrency?: number;
  /** Defaults to $AELAB_FASHION_MNIST_DIR, else Debian's location; '' turns it off. */
  fashionMnistDir?: string;
  /** Owner (the default) or read-only; hosts get it from `openWorkspace`, which claims the workspace. */
  access?: WorkspaceAccess;
}

type Handlers = { [C in RequestChannel]: (request: ParsedRequestOf<C>) => Promise<ReplyOf<C>> };
type Listener = <C extends EventChannel>(channel: C, payload: EventOf<C>) => void;

/** The lab's services behind the contract; every host (Electron, browser, CLI) drives this. */
export class Lab {
  readonly datasets: DatasetStore;
  readonly runs: RunSupervisor;
  readonly models: ModelServers;
  readonly presets: PresetStore;
  readonly analyses: AnalysisJobs;
  readonly sweeps: Sweeps;
  readonly jobs: Jobs;
  readonly health: WorkspaceHealth;
  private readonly listeners = new Set<Listener>();
  /** Imports that can still be cancelled (until they start storing), by import id. */
  private readonly importsUnderWay = new Map<string, AbortController>();
  private builtins: Promise<void> | undefined;

  private constructor(private readonly options: LabOptions) {
    this.datasets = new DatasetStore(datasetsRoot(options.workspace));
    // Training runs and analyses share one queue of engine slots.
    const slots = new EngineSlots(options.concurrency ?? (Number(process.env.AELAB_CONCURRENCY) || 1));
    const launch = checkedLauncher(options.launchEngine ?? forkEngine);
    this.runs = new RunSupervisor(options.workspace, this.datasets, (event) => this.onRunEvent(event), launch, slots, this.access);
    this.analyses = new AnalysisJobs(options.workspace, slots, launch, (event) =>
      event.kind === 'progress' ? this.emit('jobs.progress', { jobId: event.jobId, progress: event.progress }) : this.emit('jobs.changed', { job: event.job }),
      this.access.mode === 'read-only',
    );
    this.sweeps = new Sweeps(options.workspace, this.runs);
    this.jobs = new Jobs(this.runs, this.analyses, this.sweeps);
    this.models = new ModelServers(options.workspace, launch);
    this.presets = new PresetStore(join(options.workspace, 'presets.json'));
    this.health = new WorkspaceHealth(options.workspace, { datasets: this.datasets, runs: this.runs, presets: this.presets, presetsFile: join(options.workspace, 'presets.json') });
  }

  /** Whether this lab owns its workspace or only reads it (another process owns it, or the disk refuses writes). */
  get access(): WorkspaceAccess {
    return this.options.access ?? ownerAccess;
  }

  static open(options: LabOptions): Lab {
    const lab = new Lab(options);
    // Leftovers of killed imports, deletes and writes are removed by the workspace's owner only:
    // in any other process they could be the owner's work in progress.
    if (lab.access.mode === 'owner') void lab.health.cleanOnStart();
    return lab;
  }

  /** The workspace folder (a host that serves a browser keeps it out of what it sends). */
  get workspace(): string {
    return this.options.workspace;
  }

  /** Built-in datasets, created or registered once; later calls share the first call's work. */
  ensureBuiltins(): Promise<void> {
    // A read-only lab lists what is there; creating the built-ins is the owner's work.
    if (this.access.mode === 'read-only') return Promise.resolve();
    this.builtins ??= this.makeBuiltins().catch((cause: unknown) => {
      // Tried again next time: a disk with room again, a file fixed.
      this.builtins = undefined;
      throw cause;
    });
    return this.builtins;
  }

  private async makeBuiltins(): Promise<void> {
    // A builtins.json that cannot be read is listed by workspace.check and makes nothing: the datasets
    // are listed and used all the same, and no built-in the user deleted comes back behind their back.
    if (await this.health.builtinsLedgerDamage()) {
      this.builtins = undefined;
      return;
    }
    const added = await ensureBuiltins(this.datasets, this.options.workspace, {
      fashionMnistDir: this.options.fashionMnistDir ?? process.env.AELAB_FASHION_MNIST_DIR ?? defaultFashionMnistDir,
    });
    if (added) this.emit('datasets.changed', { reason: 'builtin' });
  }

  /** The host is closing: every engine stops; active jobs are found interrupted next time. */
  shutdown(): void {
    this.runs.shutdown();
    this.analyses.shutdown();
    this.models.closeAll();
  }

  on(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** A request from an untrusted caller: validated against the contract, errors returned as data. */
  async dispatch(channel: string, payload: unknown): Promise<Result<unknown>> {
    if (!(channel in requestSchemas)) return { ok: false, error: { code: 'invalid-request', message: `Unknown request '${channel}'` } };
    const name = channel as RequestChannel;
    const refusal = refusalOf(this.access, name);
    if (refusal) return { ok: false, error: refusal };
    const parsed = requestSchemas[name].request.safeParse(payload ?? {});
    if (!parsed.success) {
      return { ok: false, error: { code: 'invalid-request', message: `${name}: ${firstIssueSentence(parsed.error, payload ?? {}, pathNames, 'the payload')}` } };
    }
    try {
      return { ok: true, value: await (this.handlers[name] as (r: unknown) => Promise<unknown>)(parsed.data) };
    } catch (cause) {
      return { ok: false, error: toErrorData(cause) };
    }
  }

  /** A typed call for trusted in-process callers (CLI, tests); throws LabError. */
  async call<C extends RequestChannel>(channel: C, payload: RequestOf<C>): Promise<ReplyOf<C>> {
    const result = await this.dispatch(channel, payload);
    if (!result.ok) throw new LabError(result.error.code, result.error.message, result.error.detail);
    return result.value as ReplyOf<C>;
  }

  /** A run's change is also a change of its training job and of the sweep it belongs to. */
  private onRunEvent(event: RunEvent): void {
    if (event.kind === 'progress') {
      this.emit('runs.progress', event.progress);
      return;
    }
    this.emit('runs.changed', { run: event.run });
    void this.sweeps
      .sweepOf(event.run.id)
      .then(async (sweepId) => {
        this.emit('jobs.changed', { job: trainingJob(event.run, sweepId) });
        if (sweepId) this.emit('jobs.changed', { job: await this.sweeps.get(sweepId) });
      })
      // A run deleted (or a workspace removed) while its engine wound down has nothing left to report.
      .catch(() => undefined);
  }

  private emit<C extends EventChannel>(channel: C, payload: EventOf<C>): void {
    for (const listener of this.listeners) listener(channel, payload);
  }

  private readonly handlers: Handlers = {
    'lab.info': () => Promise.resolve({ version: labVersion(), workspace: this.options.workspace, host: this.options.host, backend: probeBackend(), access: this.access }),
    'datasets.list': async () => {
      await this.ensureBuiltins();
      return this.datasets.list();
    },
    'datasets.importPaths': async ({ importId, paths, options }) => this.runImport(importId, (signal) => collectFromPaths(paths, signal), options),
    'datasets.importFiles': async ({ importId, files, options }) => this.runImport(importId, () => collectFromUploads(files), options),
    'datasets.cancelImport': ({ importId }) => {
      const controller = this.importsUnderWay.get(importId);
      controller?.abort(new LabError('cancelled', 'The import was cancelled; nothing was stored'));
      return Promise.resolve({ importId, cancelled: controller !== undefined });
    },
    'datasets.preview': ({ id, count, split }) => this.datasets.preview(id, count, split),
    'datasets.rename': async ({ id, name }) => {
      const summary = await this.datasets.rename(id, name);
      this.emit('datasets.changed', { reason: 'renamed' });
      return summary;
    },
    'datasets.delete': async ({ id }) => {
      await this.datasets.delete(id);
      this.emit('datasets.changed', { reason: 'deleted' });
      return { id };
    },
    'runs.create': async ({ config }) => {
      await this.ensureBuiltins();
      return this.runs.create(config as RunConfigInput);
    },
    'runs.list': () => this.runs.list(),
    'runs.get': async ({ id }) => ({
      run: await this.runs.get(id),
      ...(await this.runs.metricsReport(id).then(({ metrics, notice }) => ({ metrics, metricsNotice: notice && workspaceRelativeText(this.options.workspace, notice) }))),
      evaluation: await this.runs.evaluation(id),
      panel: await new RunFolder(this.options.workspace, id).readPanel(),
    }),
    'runs.pause': ({ id }) => this.runs.pause(id),
    'runs.resume': ({ id }) => this.runs.resume(id),
    'runs.cancel': ({ id }) => this.runs.cancel(id),
    'runs.delete': async ({ id }) => {
      this.models.close(id);
      await this.runs.delete(id);
      return { id };
    },
    'runs.decode': async ({ id, latents, count }) => modelImages(await this.models.query(id, { kind: 'decode', latents, count })),
    'runs.encode': async ({ id, indices }) => {
      // The engine would read past the samples (or before them) without a word; refuse first.
      const { count, id: datasetId } = await this.datasets.get((await this.runs.get(id)).config.datasetId);
      const outside = indices.find((i) => i >= count);
      if (outside !== undefined) throw new LabError('invalid-request', `runs.encode: indices: sample ${outside} is out of range; dataset ${datasetId} has ${count} samples (0–${count - 1})`);
      const answer = await this.models.query(id, { kind: 'encode', indices });
      return { codes: answer.codes ?? new Float32Array(0), shape: answer.shape, latentSize: answer.latentSize };
    },
    'runs.reconstruct': async ({ id, indices, datasetId }) => {
      const run = await this.runs.get(id);
      const source = await this.datasets.get(datasetId ?? run.config.datasetId);
      const outside = indices.find((i) => i >= source.count);
      if (outside !== undefined) throw new LabError('invalid-request', `runs.reconstruct: indices: sample ${outside} is out of range; dataset ${source.id} has ${source.count} samples (0–${source.count - 1})`);
      const answer = await this.models.query(id, { kind: 'reconstruct', indices, ...(datasetId === undefined ? {} : { datasetId }) });
      return { originals: answer.originals ?? new Float32Array(0), reconstructions: answer.images ?? new Float32Array(0), shape: answer.shape };
    },
    'runs.codes': async ({ id }) => {
      const run = await this.runs.get(id);
      const dataset = await this.datasets.get(run.config.datasetId);
      // A run with normal classes was tested, and coded, on those classes only; like the engine, on
      // their validation samples where the test split has none of them.
      const normal = run.config.normalClasses && new Set(run.config.normalClasses);
      const coded = async (split: 'test' | 'validation') => {
        const whole = await this.datasets.split(dataset.id, split);
        const kept = normal ? whole.indices.map((_, k) => k).filter((k) => normal.has(whole.labels[k] ?? -1)) : null;
        return kept ? { indices: Int32Array.from(kept, (k) => whole.indices[k] ?? 0), labels: Int32Array.from(kept, (k) => whole.labels[k] ?? -1) } : whole;
      };
      const test = await coded('test');
      const { indices, labels } = test.indices.length > 0 ? test : await coded('validation');
      const codes = await new RunFolder(this.options.workspace, id).readCodes();
      if (!codes) throw new LabError('not-found', `run ${id} has no test codes yet (it is ${run.status})`);
      return { codes, shape: [indices.length, codes.length / Math.max(1, indices.length)], indices, labels, classNames: dataset.classNames };
    },
    'runs.sample': async ({ id, count, seed, from }) => modelImages(await this.models.query(id, { kind: 'sample', count, seed, from })),
    'runs.exportOnnx': async ({ id }) => {
      const run = await this.runs.get(id);
      // Said here, in the user's words, rather than as the engine's failure to load a model.
      const folder = new RunFolder(this.options.workspace, id);
      if (!(['best', 'last'] as const).some((which) => completeFolder(folder.checkpoint(which).dir, checkpointMarker))) throw new LabError('not-found', `run ${id} ('${run.name}') has no trained model to export yet (it is ${run.status}); train it first`);
      // A fresh model process: one opened while the run still trained holds the weights of then.
      this.models.close(id);
      const answer = await this.models.query(id, { kind: 'onnx' });
      const parsed = requestSchemas['runs.exportOnnx'].reply.safeParse({ opset: answer.opset, files: answer.files ?? [] });
      if (!parsed.success) throw new LabError('internal', `the engine's ONNX export of run ${id} is incomplete: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
      return parsed.data;
    },
    'presets.list': () => this.presets.list(),
    'presets.save': ({ name, description, variants }) => this.presets.save(name, description, variants),
    'presets.delete': async ({ id }) => {
      await this.presets.delete(id);
      return { id };
    },
    'jobs.list': () => this.jobs.list(),
    'jobs.pause': ({ id }) => this.jobs.control(id, 'pause'),
    'jobs.resume': ({ id }) => this.jobs.control(id, 'resume'),
    'jobs.cancel': ({ id }) => this.jobs.control(id, 'cancel'),
    'analyses.run': async ({ analysis, spec }) => this.runAnalysis(analysis, spec),
    'analyses.result': async ({ id }) => ({ job: await this.analyses.get(id), result: await this.analyses.result(id) }),
    'analyses.classifier': async ({ id, lineId, labelsPerClass }) => this.analyses.classifier(id, lineId, labelsPerClass),
    'analyses.pca': async ({ datasetId }) => this.pcaOf(datasetId),
    'sweeps.create': async ({ spec }) => {
      await this.ensureBuiltins();
      const job = await this.sweeps.create(spec);
      this.emit('jobs.changed', { job });
      return job;
    },
    'sweeps.results': async ({ id }) => {
      const job = await this.sweeps.get(id);
      const spec = await new JobFolder(this.options.workspace, id).readSpec();
      const points = (spec.spec.points ?? []) as SweepPoint[];
      const members = await Promise.all(job.runIds.map(async (runId, i) => ({ run: await this.runs.get(runId), point: points[i] ?? {}, evaluation: await this.runs.evaluation(runId) })));
      const datasetId = members[0]?.run.config.datasetId;
      return { job, axes: (spec.spec as { axes: SweepAxis[] }).axes, members, pca: datasetId ? await this.pcaOf(datasetId) : null };
    },
    'workspace.check': ({ verifyContent }) => this.health.check(verifyContent),
    'workspace.repair': async () => {
      const report = await this.health.repair();
      if (report.moved.length > 0) this.emit('datasets.changed', { reason: 'repaired' });
      return report;
    },
  };

  /** The dataset's PCA for its current content, or null before one has been computed. */
  private async pcaOf(datasetId: string): Promise<PcaSummary | null> {
    const dataset = await this.datasets.get(datasetId);
    return new PcaCache(this.options.workspace, datasetId).readSummary(dataset.contentHash);
  }

  private async runAnalysis(analysis: string, spec: Record<string, unknown>): Promise<JobSummary> {
    await this.ensureBuiltins();
    const label = isAnalysisId(analysis) ? analyses[analysis].label : analysis;
    // An analysis is named after what it looks at, which is refused at once where it does not exist.
    const runIds = Array.isArray(spec.runIds) ? spec.runIds.filter((id): id is string => typeof id === 'string') : [];
    const subject =
      typeof spec.datasetId === 'string'
        ? (await this.datasets.get(spec.datasetId)).name
        : typeof spec.runId === 'string'
          ? (await this.runs.get(spec.runId)).name
          : runIds.length === 1
            ? (await this.runs.get(runIds[0] ?? '')).name
            : runIds.length > 1
              ? `${runIds.length} runs`
              : undefined;
    return this.analyses.create(analysis, spec, subject ? `${label} of ${subject}` : label);
  }

  private async runImport(importId: string, collect: (signal: AbortSignal) => Promise<CollectedSources>, input: ParsedRequestOf<'datasets.importPaths'>['options']): Promise<ImportReport> {
    const options = input ?? importOptionsSchema.parse({});
    const throttle = new ProgressThrottle((progress) => this.emit('datasets.importProgress', progress), importId);
    const controller = new AbortController();
    this.importsUnderWay.set(importId, controller);
    try {
      throttle.report('reading', 0, 0, 'Looking at the files');
      const collected = await collect(controller.signal);
      const outcome = await importSources(collected, options, (phase, done, total, message) => throttle.report(phase, done, total, message), undefined, controller.signal);
      // Cancelling stops at the last point where nothing is written yet; the store's write is atomic and is not interrupted.
      throwIfCancelled(controller.signal);
      this.importsUnderWay.delete(importId);
      throttle.report('storing', 0, 1, 'Storing the dataset');
      await ensureSpaceForDataset(this.options.workspace, outcome.data);
      const saved = await this.datasets.save(outcome.data, options.name ?? outcome.name);
      const notes = saved.duplicateOf ? [`The same data is already in the workspace as '${saved.summary.name}'; nothing new was stored`, ...outcome.notes] : outcome.notes;
      throttle.final('done', `Imported ${saved.summary.count} samples`);
      if (!saved.duplicateOf) this.emit('datasets.changed', { reason: 'imported' });
      const base: ImportReport = { dataset: saved.summary, skipped: outcome.skipped, notes };
      const report = saved.duplicateOf ? { ...base, duplicateOf: saved.duplicateOf } : base;
      this.emit('datasets.importFinished', { importId, result: { ok: true, value: report } });
      return report;
    } catch (cause) {
      const error = toErrorData(cause);
      throttle.final('failed', error.message);
      this.emit('datasets.importFinished', { importId, result: { ok: false, error } });
      throw cause;
    } finally {
      this.importsUnderWay.delete(importId);
    }
  }
}
