import type { Gallery, GalleryTile } from './galleries.js';

/**
 * Where a tile's images are kept: the run, the dataset the sample is read from, and its index
 * there. The anomaly dataset is part of it, for two results of one run scored against different
 * datasets have the same (source, index) pairs for different samples.
 */
export function tileKey(runId: string, anomalyDatasetId: string | null, tile: Pick<GalleryTile, 'source' | 'index'>): string {
  return `${runId}|${tile.source === 1 ? (anomalyDatasetId ?? '') : ''}|${tile.source}|${tile.index}`;
}

export interface ReconstructRequest {
  source: 0 | 1;
  indices: number[];
  /** The tile keys the request answers, in the order of `indices`. */
  keys: string[];
}

/**
 * The reconstructions to ask for: every tile neither kept nor already asked for (a slow reply,
 * while a model server starts, must not be asked for again each time the slider rests), one
 * request per source of at most `limit` samples. Anomaly-dataset tiles wait for the dataset.
 */
export function missingRequests(galleries: readonly Gallery[], runId: string, anomalyDatasetId: string | null, known: (key: string) => boolean, limit: number): ReconstructRequest[] {
  const bySource = new Map<0 | 1, Map<string, number>>();
  for (const gallery of galleries)
    for (const tile of gallery.tiles) {
      if (tile.source === 1 && !anomalyDatasetId) continue;
      const key = tileKey(runId, anomalyDatasetId, tile);
      if (known(key)) continue;
      const wanted = bySource.get(tile.source) ?? new Map<string, number>();
      if (wanted.size < limit) wanted.set(key, tile.index);
      bySource.set(tile.source, wanted);
    }
  return [...bySource].map(([source, wanted]) => ({ source, indices: [...wanted.values()], keys: [...wanted.keys()] }));
}
