import { describe, expect, it } from 'vitest';
import { fixtureResult } from './anomalyFixture.js';
import { galleries } from './galleries.js';
import { scoreCurve } from './scoreCurve.js';

const result = fixtureResult();
const made = scoreCurve(result, result.runs[0]!, 'mse');
if ('problem' in made) throw new Error(made.problem);
const curve = made.curve;
const positions = (id: string, threshold: number, n = 3): number[] => galleries(result, curve, threshold, n).find((g) => g.id === id)!.tiles.map((t) => t.position);

describe('the galleries at a threshold', () => {
  it('show the highest and the lowest scores of the whole test set, either class', () => {
    expect(positions('mostAnomalous', 0.05)).toEqual([10, 9, 6]);
    expect(positions('mostNormal', 0.05)).toEqual([0, 1, 11]);
  });

  it('show the anomalies just below the threshold and the normal samples at or just above it, nearest first', () => {
    // Circles are normal (0.01, 0.02, 0.05, 0.03); at 0.05 the anomalies at 0.04 and 0.02 are missed.
    expect(positions('missedAnomalies', 0.05)).toEqual([4, 11]);
    expect(positions('falseAlarms', 0.05)).toEqual([2]);
    expect(positions('falseAlarms', 0.02)).toEqual([1, 3, 2]);
    expect(positions('missedAnomalies', 0.02)).toEqual([]);
    expect(positions('falseAlarms', Infinity)).toEqual([]);
  });

  it('agree with the confusion matrix: as many misses as false negatives, up to n', () => {
    for (const t of [0.015, 0.045, 0.075, 0.2]) {
      const missed = positions('missedAnomalies', t, 100);
      expect(missed.every((p) => result.runs[0]!.truth[p] === 1 && result.runs[0]!.scores[0]!.values[p]! < t)).toBe(true);
      expect(missed.length).toBe(result.runs[0]!.truth.filter((truth, i) => truth === 1 && result.runs[0]!.scores[0]!.values[i]! < t).length);
    }
  });

  it('name each tile’s class, source and dataset index', () => {
    const tile = galleries(result, curve, 0.05, 1)[0]!.tiles[0]!;
    expect(tile).toEqual({ position: 10, score: 0.11, anomalous: true, source: 0, index: 110, className: 'triangle' });
  });
});

describe('a gallery tile', () => {
  it('is the same object while it stays shown, so moving the threshold redraws only the tiles that change', () => {
    const [a] = galleries(result, curve, 0.05);
    const [b] = galleries(result, curve, 0.075);
    expect(b!.tiles[0]).toBe(a!.tiles[0]);
  });
});
