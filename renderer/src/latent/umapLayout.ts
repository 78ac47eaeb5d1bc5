import { UMAP } from 'umap-js';
import { seededRandom } from '../../../shared/random.js';
import { nearestCode } from './projection.js';
import { epochsFor, type PlacedCode, type UmapProgress, type UmapSettings } from './umapSettings.js';

export interface FittedUmap {
  /** count × 2, packed x, y. */
  embedding: Float32Array;
  place(code: Float32Array): PlacedCode;
}

/** A UMAP of count × size codes, in one synchronous pass (run it in a worker), reporting progress. */
export function fitUmap(codes: Float32Array, count: number, size: number, settings: UmapSettings, onProgress: (progress: UmapProgress) => void): FittedUmap {
  const vectors = Array.from({ length: count }, (_, i) => Array.from(codes.subarray(i * size, (i + 1) * size)));
  // One indirection, so that every placement can restart the stream and the same code always lands in the same place.
  let random = seededRandom(settings.seed);
  const epochs = epochsFor(count, settings);
  const umap = new UMAP({ nComponents: 2, nNeighbors: settings.nNeighbors, minDist: settings.minDist, nEpochs: epochs, random: () => random() });
  onProgress({ phase: 'neighbours', done: 0, total: epochs });
  const total = umap.initializeFit(vectors);
  const every = Math.max(1, Math.round(total / 50));
  for (let epoch = 0; epoch < total; epoch += 1) {
    umap.step();
    if ((epoch + 1) % every === 0 || epoch + 1 === total) onProgress({ phase: 'layout', done: epoch + 1, total });
  }
  const embedding = Float32Array.from(umap.getEmbedding().flat());
  return {
    embedding,
    place(code) {
      random = seededRandom(settings.seed + 1);
      try {
        const [x = NaN, y = NaN] = umap.transform([Array.from(code)])[0] ?? [];
        if (Number.isFinite(x) && Number.isFinite(y)) return { x, y, nearest: false };
      } catch {
        // A code the neighbour search cannot place falls back to its nearest laid-out code below.
      }
      const i = nearestCode(codes, count, size, code);
      return { x: embedding[2 * i] ?? 0, y: embedding[2 * i + 1] ?? 0, nearest: true };
    },
  };
}
