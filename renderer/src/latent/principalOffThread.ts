import { principalDirections } from './geometry.js';

type Directions = { directions: Float32Array[]; deviations: number[] };

let worker: Worker | null | undefined;
let nextId = 1;
interface Job {
  codes: Float32Array;
  count: number;
  size: number;
  k: number;
  resolve: (result: Directions) => void;
}
const pending = new Map<number, Job>();

function sharedWorker(): Worker | null {
  if (worker !== undefined) return worker;
  try {
    worker = new Worker(new URL('./principalWorker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (event: MessageEvent<Directions & { id: number }>) => {
      pending.get(event.data.id)?.resolve({ directions: event.data.directions, deviations: event.data.deviations });
      pending.delete(event.data.id);
    };
    // A worker that cannot start (a policy, a packaging fault) must not leave the view waiting:
    // its jobs, and later ones, run inline.
    worker.onerror = () => {
      worker?.terminate();
      worker = null;
      for (const [id, job] of pending) {
        job.resolve(principalDirections(job.codes, job.count, job.size, job.k));
        pending.delete(id);
      }
    };
  } catch {
    worker = null;
  }
  return worker;
}

/** principalDirections in a worker where there is one (the window), inline otherwise (tests). */
export function principalDirectionsOffThread(codes: Float32Array, count: number, size: number, k: number): Promise<Directions> {
  const w = typeof Worker === 'undefined' ? null : sharedWorker();
  // Small codes are quicker inline than a round trip.
  if (!w || count * size * Math.min(size, 64) < 2_000_000) return Promise.resolve(principalDirections(codes, count, size, k));
  const id = nextId++;
  const sample = codes.slice(0, count * size);
  return new Promise((resolve) => {
    pending.set(id, { codes: sample, count, size, k, resolve });
    w.postMessage({ id, codes: sample, count, size, k });
  });
}
