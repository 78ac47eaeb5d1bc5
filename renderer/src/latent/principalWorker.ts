import { principalDirections } from './geometry.js';

/** Principal directions off the main thread: large codes take long enough to make the window stutter. */
interface Job {
  id: number;
  codes: Float32Array;
  count: number;
  size: number;
  k: number;
}

self.onmessage = (event: MessageEvent<Job>) => {
  const { id, codes, count, size, k } = event.data;
  const { directions, deviations } = principalDirections(codes, count, size, k);
  (self as unknown as Worker).postMessage({ id, directions, deviations });
};
