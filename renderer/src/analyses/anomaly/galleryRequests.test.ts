import { describe, expect, it } from 'vitest';
import type { Gallery, GalleryTile } from './galleries.js';
import { missingRequests, tileKey } from './galleryRequests.js';

const tile = (source: 0 | 1, index: number, position = index): GalleryTile => ({ position, score: 0, anomalous: source === 1, source, index, className: '' });
const gallery = (tiles: GalleryTile[]): Gallery => ({ id: 'mostAnomalous', title: '', help: '', tiles });

describe('the galleries’ reconstruction requests', () => {
  it('keep one run’s samples of two anomaly datasets apart', () => {
    expect(tileKey('r1', 'letters', tile(1, 3))).not.toBe(tileKey('r1', 'digits', tile(1, 3)));
    // The runs' own dataset is the same whichever anomaly dataset a result used.
    expect(tileKey('r1', 'letters', tile(0, 3))).toBe(tileKey('r1', 'digits', tile(0, 3)));
  });

  it('ask once per sample: not for kept or in-flight ones, each source in one request up to the limit', () => {
    const galleries = [gallery([tile(0, 1), tile(0, 2), tile(1, 1)]), gallery([tile(0, 2, 9), tile(0, 5), tile(1, 4)])];
    const inFlight = new Set([tileKey('r1', 'letters', tile(0, 5))]);
    const kept = new Set([tileKey('r1', 'letters', tile(1, 4))]);
    const requests = missingRequests(galleries, 'r1', 'letters', (k) => inFlight.has(k) || kept.has(k), 256);
    expect(requests.map((r) => [r.source, r.indices])).toEqual([
      [0, [1, 2]],
      [1, [1]],
    ]);
    expect(requests[1]!.keys).toEqual([tileKey('r1', 'letters', tile(1, 1))]);
    for (const r of requests) for (const k of r.keys) inFlight.add(k);
    expect(missingRequests(galleries, 'r1', 'letters', (k) => inFlight.has(k) || kept.has(k), 256)).toEqual([]);
    expect(missingRequests(galleries, 'r1', 'letters', () => false, 1).map((r) => r.indices)).toEqual([[1], [1]]);
  });

  it('leave anomaly-dataset tiles out until the dataset is known', () => {
    expect(missingRequests([gallery([tile(0, 1), tile(1, 1)])], 'r1', null, () => false, 256).map((r) => r.source)).toEqual([0]);
  });
});
