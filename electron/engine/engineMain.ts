import { availableParallelism } from 'node:os';
import { toErrorData } from '../../shared/result.js';
import { checkToEngine, type FromEngine, type ToEngine } from '../format/runs/engineProtocol.js';
import { DatasetFolder } from '../format/datasets/datasetFolder.js';
import { runAnalysisJob } from './analyses/runAnalysisJob.js';
import { RunFolder } from '../format/runs/runFolder.js';
import { loadBackend, type LoadedBackend } from './backend.js';
import { ModelService } from './runs/modelService.js';
import { readDatasetHeader } from './runs/loadTrainingData.js';
import { runTraining, type RunControl } from './runs/runTraining.js';
import { chooseIntraOpThreads, intraOpThreadsFor, largestActivation } from './threads.js';

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
let paused = false;
let cancelled = false;
let wake: (() => void) | undefined;
const control: RunControl = {
  isPaused: () => paused,
  gate: async () => {
    while (paused && !cancelled) await new Promise<void>((resolve) => (wake = resolve));
    return cancelled ? 'cancel' : 'continue';
  },
};

const progressIntervalMs = 125;
let lastProgress = 0;

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
  send({ type: 'ready' });
  onMessage((message) => {
    if (message.type === 'pause') paused = true;
    if (message.type === 'resume' || message.type === 'cancel') {
      paused = false;
      cancelled ||= message.type === 'cancel';
      wake?.();
    }
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
          if (now - lastProgress < progressIntervalMs && progress.batch < progress.batches) return;
          lastProgress = now;
          send({ type: 'progress', progress, rssBytes: process.memoryUsage().rss });
        },
        state: (state) => send({ type: 'state', runId: message.runId, state }),
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
