import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { DataTraits } from '../../../shared/catalogue/runConfig.js';
import type { RunProgress, RunState } from '../../../shared/domain/run.js';
import { DatasetFolder } from '../../format/datasets/datasetFolder.js';
import { CheckpointFolder, checkpointMarker, checkpointStateFormat, type CheckpointState } from '../../format/runs/checkpointFolder.js';
import { RunFolder } from '../../format/runs/runFolder.js';
import { readVersioned, stamp, writeVersioned } from '../../format/versionedFile.js';
import { replaceFolderAtomic, settleFolder } from '../../format/workspace/atomicFolder.js';
import { overwriteInPlace, writeFileAtomic } from '../../format/workspace/atomicWrite.js';
import { isWriteRefusal, makeFolder, writing } from '../../format/workspace/writeFailure.js';
import { runStateFormat } from '../../format/runs/runFormats.js';
import type { LoadedBackend, Tfjs } from '../backend.js';
import { createAutoencoder, type BuiltRun } from '../model/createAutoencoder.js';
import { NonFiniteLossError, Trainer } from '../training/trainer.js';
import { taskBatch, type TrainingData } from '../training/trainingData.js';
import { loadLayersModel, saveLayersModel } from './checkpoint.js';
import { evaluate, reconstructPanel } from './evaluate.js';
import { inUnitRange, loadTrainingData } from './loadTrainingData.js';
import { restrictToClasses } from '../training/classSubset.js';

export interface RunControl {
  isPaused(): boolean;
  /** Resolves at once, or when a paused run is resumed; 'cancel' ends the run. */
  gate(): Promise<'continue' | 'cancel'>;
}

export interface RunReporter {
  progress(progress: RunProgress): void;
  state(state: RunState): void;
}


/** Weights, optimizer moments and state replaced as one: a kill mid-write never mixes two epochs. */
async function saveCheckpoint(backend: LoadedBackend, run: BuiltRun, trainer: Trainer, target: CheckpointFolder, epoch: number): Promise<void> {
  const { optimizer, best, sinceBest } = await trainer.state();
  await replaceFolderAtomic(target.dir, checkpointMarker, async (dir) => {
    const folder = new CheckpointFolder(dir);
    await makeFolder(dir);
    await saveLayersModel(backend.tf, run.model.encoder, folder.model('encoder'));
    await saveLayersModel(backend.tf, run.model.decoder, folder.model('decoder'));
    const { arrays, ...rest } = optimizer;
    await writeFileAtomic(folder.optimizerFile, arrays.map((a) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength)));
    const state: CheckpointState = { epoch, best: Number.isFinite(best) ? best : null, sinceBest, optimizer: { ...rest, lengths: arrays.map((a) => a.length) } };
    await writeVersioned(checkpointStateFormat, folder.stateFile, state, 0);
  });
}

/** A checkpoint's weights into a built model of the same configuration. */
export async function loadCheckpointWeights(tf: Tfjs, run: BuiltRun, folder: CheckpointFolder): Promise<void> {
  for (const part of ['encoder', 'decoder'] as const) {
    const saved = await loadLayersModel(tf, folder.model(part));
    run.model[part].setWeights(saved.getWeights());
    saved.dispose();
  }
}

async function restoreCheckpoint(backend: LoadedBackend, run: BuiltRun, trainer: Trainer, folder: CheckpointFolder): Promise<number> {
  const state = await readVersioned(checkpointStateFormat, folder.stateFile);
  await loadCheckpointWeights(backend.tf, run, folder);
  const bytes = await readFile(folder.optimizerFile);
  const all = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  let at = 0;
  const arrays = state.optimizer.lengths.map((n) => all.slice(at, (at += n)));
  await trainer.restore({ optimizer: { ...state.optimizer, arrays }, best: state.best ?? Infinity, sinceBest: state.sinceBest });
  return state.epoch;
}

/** The engine could not write why its run failed; the lab is told (it shows it as unrecorded) and the engine exits non-zero. */
export class UnrecordedFailure extends Error {}

/**
 * A failed run's state written with its cause. On a full disk the atomic write (which needs a
 * new file) may fail where overwriting the small state file in place does not; where neither
 * works, the lab is sent the state it could not write and the failure is thrown.
 */
async function recordFailure(folder: RunFolder, before: RunState, message: string, reporter: RunReporter): Promise<RunState> {
  const failed: RunState = { ...before, status: 'failed', error: message, finishedAt: new Date().toISOString() };
  try {
    return await folder.updateState(failed);
  } catch (first) {
    if (!isWriteRefusal(first)) throw first;
    try {
      await overwriteInPlace(folder.stateFile, stamp(runStateFormat, { ...(await folder.readState()), ...failed }, 2));
      return failed;
    } catch (second) {
      reporter.state({ ...failed, error: `${message} (this could not be recorded: ${(second as Error).message})` });
      throw new UnrecordedFailure(`${folder.stateFile}: ${message}; the failure itself could not be recorded (${(second as Error).message})`);
    }
  }
}

/** One loss evaluation on two samples, before any training: a configuration that cannot run fails here, plainly. */
export function dryForwardPass(backend: LoadedBackend, run: BuiltRun, config: Awaited<ReturnType<RunFolder['readConfig']>>, data: TrainingData): void {
  const { tf } = backend;
  const indices = data.train.subarray(0, 2);
  if (indices.length === 0) throw new Error('the dataset has no training samples');
  tf.tidy(() => {
    const batch = taskBatch(tf, data, indices, run.task, run.model, [1, 2]);
    const parts = run.objective.loss({ tf, model: run.model, x: batch.input, target: batch.target, params: config.objectiveParams, latentDim: config.latentDim, training: true, reconstruction: run.reconstruction, nextSeed: () => 1 });
    const value = parts.total.dataSync()[0] ?? NaN;
    if (!Number.isFinite(value)) throw new Error(`the loss of an untrained model is ${value}`);
  });
}

/**
 * Trains one run in this engine process: reads its config and dataset from the workspace,
 * resumes from the last checkpoint if there is one, checkpoints every epoch (last and best),
 * evaluates at the end. The run folder is the record; the reporter only mirrors it.
 */
export async function runTraining(backend: LoadedBackend, workspace: string, runId: string, control: RunControl, reporter: RunReporter): Promise<RunState> {
  const { tf } = backend;
  const folder = new RunFolder(workspace, runId);
  const config = await folder.readConfig();
  const { data: dataset, header } = await loadTrainingData(DatasetFolder.inWorkspace(workspace, config.datasetId).dataFile);
  const traits: DataTraits = { shape: header.shape, kind: header.kind, unitRange: inUnitRange(header) };
  let data: TrainingData;
  try {
    data = restrictToClasses(dataset, config.normalClasses);
  } catch (cause) {
    // Normal classes whose samples all fell in validation or test: a failure the run records, not an engine crash that resuming repeats.
    return recordFailure(folder, await folder.readState(), `Training could not start: ${(cause as Error).message}`, reporter);
  }
  let state: RunState;
  try {
    state = await folder.updateState({ status: 'running', backend: backend.backend.name, error: null, startedAt: new Date().toISOString(), finishedAt: null });
  } catch (cause) {
    if (!isWriteRefusal(cause)) throw cause;
    return recordFailure(folder, await folder.readState(), `Training could not start: ${(cause as Error).message}`, reporter);
  }
  reporter.state(state);
  let run: BuiltRun;
  try {
    run = createAutoencoder(tf, config, traits);
    dryForwardPass(backend, run, config, data);
  } catch (cause) {
    state = await folder.updateState({ status: 'failed', error: `The configuration failed its dry forward pass: ${(cause as Error).message}`, finishedAt: new Date().toISOString() });
    reporter.state(state);
    return state;
  }
  const trainer = new Trainer(tf, run, config, data);
  try {
    let fromEpoch = 0;
    for (const which of ['last', 'best'] as const) await settleFolder(folder.checkpoint(which).dir, checkpointMarker);
    if (existsSync(folder.checkpoint('last').stateFile)) {
      fromEpoch = await restoreCheckpoint(backend, run, trainer, folder.checkpoint('last'));
      // Epochs after the checkpoint (an engine that died mid-epoch) are trained again.
      await folder.rewriteMetrics(await folder.readMetrics(fromEpoch));
    } else await folder.rewriteMetrics([]);
    // The backend says whether steps are compiled, so that a run's throughput can be read for what it is.
    // The reason a run trains op by op is said on the run page and by the CLI, never silently.
    state = await folder.updateState({ epoch: fromEpoch, opByOp: trainer.opByOp, ...(trainer.compiledSteps ? { backend: `${backend.backend.name}, compiled step` } : {}) });
    reporter.state(state);
    const outcome = await trainer.train(
      {
        checkpoint: async () => {
          if (!control.isPaused()) return control.gate();
          state = await folder.updateState({ status: 'paused' });
          reporter.state(state);
          const decision = await control.gate();
          if (decision === 'continue') {
            state = await folder.updateState({ status: 'running' });
            reporter.state(state);
          }
          return decision;
        },
        onBatch: (p) => reporter.progress({ runId, ...p, loss: p.loss }),
        onEpoch: async (metrics, isBest) => {
          await writing(folder.metricsFile, () => folder.appendMetrics(metrics));
          await saveCheckpoint(backend, run, trainer, folder.checkpoint('last'), metrics.epoch);
          if (isBest) await saveCheckpoint(backend, run, trainer, folder.checkpoint('best'), metrics.epoch);
          const panel = await reconstructPanel(tf, run, config, data);
          await folder.writePanel(header.shape, panel.count, panel.originals, panel.reconstructions, panel.inputs ?? undefined);
          state = await folder.updateState({ epoch: metrics.epoch, samplesPerSecond: metrics.samplesPerSecond, engineRssBytes: process.memoryUsage().rss });
          reporter.state(state);
        },
      },
      fromEpoch,
    );
    if (outcome.status !== 'cancelled') {
      // The test metrics describe the model the lab keeps and serves: the best checkpoint's.
      if (existsSync(folder.checkpoint('best').stateFile)) await loadCheckpointWeights(tf, run, folder.checkpoint('best'));
      const result = await evaluate(tf, run, trainer, config, data, traits.unitRange);
      await folder.writeEvaluation(result.metrics);
      await folder.writeCodes(result.codes, (data.test.length > 0 ? data.test : data.validation).length);
    }
    // A message of an earlier state (an interruption, a failure before a resume) no longer holds.
    state = await folder.updateState({ status: outcome.status, error: null, finishedAt: new Date().toISOString() });
  } catch (cause) {
    const message = cause instanceof NonFiniteLossError ? cause.message : `Training failed: ${(cause as Error).message}`;
    state = await recordFailure(folder, state, message, reporter);
  } finally {
    trainer.dispose();
    run.model.encoder.dispose();
    run.model.decoder.dispose();
  }
  reporter.state(state);
  return state;
}
