import { availableParallelism } from 'node:os';
import { toErrorData } from '../../shared/result.js';
import { checkToEngine, type FromEngine, type ToEngine } from '../format/runs/engineProtocol.js';
import { DatasetFolder } from '../format/datasets/datasetFolder.js';
import { runAnalysisJob } from './analyses/runAnalysisJob.js';
import { RunFolder } from '../format/runs/runFolder.js';
import { loadBackend, type LoadedBackend } from './backend.js';
import { ModelService } from './runs/modelService.js';
import { readDatasetHeader } from './runs/loadTrainingData.js';
import type { RunProgress, RunState } from '../../shared/domain/run.js';
import { runTraining, type RunControl } from './runs/runTraining.js';
import { chooseIntraOpThreads, intraOpThreadsFor, largestActivation } from './threads.js';
import { exitWhenOrphaned } from './parentWatch.js';

/**
 * The engine process: loads tfjs once, trains one run at a time on the lab's request, and
 * reports progress at most ~8 times a second. A crash here never takes the lab down.
 */
interface ParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
}

/** Electron's utilityProcess talks through process.parentPort; child_process.fork through process.send. */
const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;

const send = (message: FromEngine): void => {
  if (parentPort) parentPort.postMessage(message);
  else process.send?.(message);
};

function onMessage(listener: (message: ToEngine) => void): void {
  // What the lab sends is checked before it is acted on; a malformed message is reported, not guessed at.
  const receive = (message: unknown): void => {
    let checked: ToEngine;
    try {
      checked = checkToEngine(message);
    } catch (cause) {
      process.stderr.write(`engine: ${(cause as Error).message}\n`);
      return;
    }
    listener(checked);
  };
  if (parentPort) parentPort.on('message', (event) => receive(event.data));
  else process.on('message', receive);
}

let service: Promise<ModelService> | undefined;

/**
 * The lab's pause, resume and cancel, read by the trainer before each batch. A cancel sticks;
 * `wake` is set only while a paused run waits at the gate.
 */
let paused = false;
let cancelled = false;
let wake: (() => void) | undefined;
const control: RunControl = {
  isPaused: () => paused && !cancelled,
  gate: async () => {
    while (paused && !cancelled) await new Promise<void>((resolve) => (wake = resolve));
    wake = undefined;
    return cancelled ? 'cancel' : 'continue';
  },
};

const progressIntervalMs = 125;
let lastProgress = 0;
/** The newest progress the interval held back: sent before the next state, so that a pause or cancel shows where it landed. */
let heldProgress: RunProgress | undefined;
/** The run's last reported state: repeated as the answer to a control that changes nothing (a resume before its pause landed). */
let lastState: { runId: string; state: RunState } | undefined;

const sendProgress = (progress: RunProgress): void => send({ type: 'progress', progress, rssBytes: process.memoryUsage().rss });
function sendState(runId: string, state: RunState): void {
  if (heldProgress) sendProgress(heldProgress);
  heldProgress = undefined;
  lastState = { runId, state };
  send({ type: 'state', runId, state });
}

/** Every control is answered by a state message: here, or by the trainer when it lands at the next batch. */
function onControl(type: 'pause' | 'resume' | 'cancel'): void {
  const waiting = wake;
  if (type === 'pause') paused = true;
  else {
    paused = false;
    cancelled ||= type === 'cancel';
  }
  // A paused run waiting at the gate acts on a resume or cancel now.
  if (waiting && type !== 'pause') return waiting();
  // Already where the lab asked for: a pause of a run held at the gate, a resume of one still training.
  const already = type === 'pause' ? waiting !== undefined : type === 'resume' && !waiting;
  if (already && lastState) send({ type: 'state', ...lastState });
}

// Loaded once, on the first request: the native backend fixes its thread count when it loads,
// and that depends on the work (a run's step size, or a model kept loaded for small queries).
let loaded: Promise<LoadedBackend> | undefined;
const backendFor = (threads: () => Promise<number>): Promise<LoadedBackend> =>
  (loaded ??= threads().then((n) => {
    chooseIntraOpThreads(n);
    return loadBackend(process.env.AELAB_BACKEND as 'tensorflow' | 'wasm' | 'cpu' | undefined);
  }));

async function threadsForRun(workspace: string, runId: string): Promise<number> {
  const config = await new RunFolder(workspace, runId).readConfig();
  const header = await readDatasetHeader(DatasetFolder.inWorkspace(workspace, config.datasetId).dataFile);
  return intraOpThreadsFor(config.batchSize, largestActivation(config, header.shape));
}

/** A training or analysis engine's work is done; the lab starts a fresh one for the next job. */
function finish(): void {
  if (parentPort) process.exit(0);
  else process.disconnect?.();
}

function main(): void {
  // An engine whose host was killed stops at once, before a restarted host resumes its run.
  exitWhenOrphaned();
  send({ type: 'ready' });
  onMessage((message) => {
    if (message.type === 'pause' || message.type === 'resume' || message.type === 'cancel') onControl(message.type);
    // Decodes and encodes of a few samples: always in the small-step regime.
    if (message.type === 'serve') service = backendFor(() => Promise.resolve(1)).then((backend) => ModelService.load(backend.tf, message.workspace, message.runId));
    if (message.type === 'query') {
      const { requestId, query } = message;
      void (service ?? Promise.reject(new Error('no model loaded')))
        .then((s) => s.answer(query))
        .then(
          (answer) => send({ type: 'answer', requestId, ok: true, answer }),
          (cause: unknown) => send({ type: 'answer', requestId, ok: false, error: toErrorData(cause) }),
        );
    }
    if (message.type === 'analyze') {
      const { workspace, jobId } = message;
      // Analyses are large matrix work: every core.
      void backendFor(() => Promise.resolve(availableParallelism()))
        .then((backend) => runAnalysisJob(backend.tf, workspace, jobId, (progress) => send({ type: 'jobProgress', jobId, progress })))
        .then((error) => {
          send({ type: 'jobDone', jobId, error });
          finish();
        }, (cause: unknown) => {
          process.stderr.write(`engine: ${(cause as Error).message}\n`);
          process.exit(1);
        });
    }
    if (message.type === 'start') {
      const { workspace, runId } = message;
      void backendFor(() => threadsForRun(workspace, runId).catch(() => 1)).then((backend) => runTraining(backend, workspace, runId, control, {
        progress: (progress) => {
          const now = Date.now();
          if (now - lastProgress < progressIntervalMs && progress.batch < progress.batches) {
            heldProgress = progress;
            return;
          }
          lastProgress = now;
          heldProgress = undefined;
          sendProgress(progress);
        },
        state: (state) => sendState(message.runId, state),
      })).then(
        (state) => {
          send({ type: 'done', runId: message.runId, state });
          finish();
        },
        (cause: unknown) => {
          // No backend could load: the lab sees the engine exit and marks the run interrupted.
          process.stderr.write(`engine: ${(cause as Error).message}\n`);
          process.exit(1);
        },
      );
    }
  });
}

main();
