import type { PlacedCode, UmapProgress, UmapSettings } from './umapSettings.js';
import type { UmapReply, UmapRequest } from './umapService.js';

/** A UMAP being computed (or computed) for one set of codes. */
export interface UmapJob {
  /** count × 2, packed x, y; rejects with the reason it could not be made. */
  layout: Promise<Float32Array>;
  /** Where a code (a slider position) lands in the finished layout. */
  place(code: Float32Array): Promise<PlacedCode>;
  /** Stops the computation, if still running, and frees the worker. */
  dispose(): void;
}

/**
 * Inline, the worker's own handler answers on later turns, so a caller sees the order and timing a
 * worker gives; it is loaded only then, keeping umap-js out of the page's bundle.
 */
function inlineChannel(onReply: (reply: UmapReply) => void): { send: (request: UmapRequest) => void; close: () => void } {
  let open = true;
  const handler = import('./umapService.js').then(({ umapService }) => umapService((reply) => setTimeout(() => open && onReply(reply), 0)));
  return { send: (request) => void handler.then((handle) => setTimeout(() => open && handle(request), 0)), close: () => (open = false) };
}

function workerChannel(onReply: (reply: UmapReply) => void, onBroken: () => void): { send: (request: UmapRequest) => void; close: () => void } | null {
  if (typeof Worker === 'undefined') return null;
  try {
    const worker = new Worker(new URL('./umapWorker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (event: MessageEvent<UmapReply>) => onReply(event.data);
    worker.onerror = () => {
      worker.terminate();
      onBroken();
    };
    return { send: (request) => worker.postMessage(request), close: () => worker.terminate() };
  } catch {
    return null;
  }
}

/** UMAP of count × size codes in a worker of its own where there is one (the window), inline otherwise (tests). */
export function startUmap(codes: Float32Array, count: number, size: number, settings: UmapSettings, onProgress: (progress: UmapProgress) => void): UmapJob {
  const fit: UmapRequest = { kind: 'fit', codes: codes.slice(0, count * size), count, size, settings };
  const placing = new Map<number, { request: UmapRequest; resolve: (placed: PlacedCode) => void }>();
  let nextId = 1;
  let finished = false;
  let resolveLayout: (points: Float32Array) => void = () => undefined;
  let rejectLayout: (reason: Error) => void = () => undefined;
  const layout = new Promise<Float32Array>((resolve, reject) => {
    resolveLayout = resolve;
    rejectLayout = reject;
  });
  // A rejection nobody awaits yet (the view may be on PCA) is not an unhandled one.
  layout.catch(() => undefined);

  const onReply = (reply: UmapReply) => {
    if (reply.kind === 'progress') onProgress({ phase: reply.phase, done: reply.done, total: reply.total });
    else if (reply.kind === 'layout') {
      finished = true;
      resolveLayout(reply.points);
    } else if (reply.kind === 'failed') {
      finished = true;
      rejectLayout(new Error(reply.message));
    } else {
      placing.get(reply.id)?.resolve({ x: reply.x, y: reply.y, nearest: reply.nearest });
      placing.delete(reply.id);
    }
  };
  // A worker that cannot start (a policy, a packaging fault) must not leave the view waiting: it goes on inline,
  // fitting again since placements need the fitted model.
  const fallBack = () => {
    channel = inlineChannel(onReply);
    channel.send(fit);
    for (const { request } of placing.values()) channel.send(request);
  };
  let channel = workerChannel(onReply, fallBack) ?? inlineChannel(onReply);
  channel.send(fit);

  return {
    layout,
    place(code) {
      const id = nextId++;
      const request: UmapRequest = { kind: 'place', id, code: Float32Array.from(code) };
      return new Promise((resolve) => {
        placing.set(id, { request, resolve });
        channel.send(request);
      });
    },
    dispose() {
      channel.close();
      if (!finished) rejectLayout(new Error('stopped'));
      finished = true;
    },
  };
}
