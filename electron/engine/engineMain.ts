import type { FromEngine, ToEngine } from '../lab/runs/engineProtocol.js';
import { loadBackend } from './backend.js';
import { ModelService } from './runs/modelService.js';
import { runTraining, type RunControl } from './runs/runTraining.js';

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
  if (parentPort) parentPort.on('message', (event) => listener(event.data as ToEngine));
  else process.on('message', (message) => listener(message as ToEngine));
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

async function main(): Promise<void> {
  const backend = await loadBackend(process.env.AELAB_BACKEND as 'tensorflow' | 'wasm' | 'cpu' | undefined);
  send({ type: 'ready', backend: backend.backend.name, detail: backend.backend.detail });
  onMessage((message) => {
    if (message.type === 'pause') paused = true;
    if (message.type === 'resume' || message.type === 'cancel') {
      paused = false;
      cancelled ||= message.type === 'cancel';
      wake?.();
    }
    if (message.type === 'serve') service = ModelService.load(backend.tf, message.workspace, message.runId);
    if (message.type === 'query') {
      const { requestId, query } = message;
      void (service ?? Promise.reject(new Error('no model loaded')))
        .then((s) => s.answer(query))
        .then(
          (answer) => send({ type: 'answer', requestId, ok: true, answer }),
          (cause: unknown) => send({ type: 'answer', requestId, ok: false, error: (cause as Error).message }),
        );
    }
    if (message.type === 'start') {
      void runTraining(backend, message.workspace, message.runId, control, {
        progress: (progress) => {
          const now = Date.now();
          if (now - lastProgress < progressIntervalMs && progress.batch < progress.batches) return;
          lastProgress = now;
          send({ type: 'progress', progress, rssBytes: process.memoryUsage().rss });
        },
        state: (state) => send({ type: 'state', runId: message.runId, state }),
      }).then((state) => {
        send({ type: 'done', runId: message.runId, state });
        // A training engine's work is done; the lab starts a fresh one for the next run.
        if (parentPort) process.exit(0);
        else process.disconnect?.();
      });
    }
  });
}

main().catch((cause: unknown) => {
  process.stderr.write(`engine: ${(cause as Error).message}\n`);
  process.exit(1);
});
