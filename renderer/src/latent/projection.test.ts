import { describe, expect, it } from 'vitest';
import { gatherRows, nearestCode, nearestPoint, plotFrame, principalAxes, projectOnto, screenPoints, totalVariance, umapSample } from './projection.js';

describe('scatter projection', () => {
  it('projects a code onto two directions', () => {
    expect(projectOnto([1, 2, 3], [1, 0, 0], [0, 0.6, 0.8])).toEqual([1, 0.6 * 2 + 0.8 * 3]);
  });

  it('states each principal component’s share of the codes’ variance', () => {
    // Two units with variances 4 and 1 (values ±2 and ±1).
    const codes = Float32Array.from([2, 1, -2, -1, 2, -1, -2, 1]);
    const variance = totalVariance(codes, 4, 2);
    expect(variance).toBeCloseTo(16 / 3 + 4 / 3, 5);
    expect(principalAxes([Math.sqrt(16 / 3), Math.sqrt(4 / 3)], variance)).toEqual(['PC 1 (80.0 % of variance)', 'PC 2 (20.0 % of variance)']);
    expect(principalAxes([1, 1], 0)).toEqual(['PC 1', 'PC 2']);
  });

  it('lays out every test code up to the limit, else a seeded sample in test order', () => {
    expect([...umapSample(4, 10, 7)]).toEqual([0, 1, 2, 3]);
    const sample = umapSample(10_000, 5000, 7);
    expect(sample).toHaveLength(5000);
    expect(new Set(sample).size).toBe(5000);
    expect([...sample].every((v, i) => i === 0 || v > (sample[i - 1] ?? -1))).toBe(true);
    expect(sample.at(-1)).toBeLessThan(10_000);
    expect([...umapSample(10_000, 5000, 7)]).toEqual([...sample]);
    expect([...umapSample(10_000, 5000, 8)]).not.toEqual([...sample]);
  });

  it('gathers the sampled rows and finds the code nearest a point in latent space', () => {
    const codes = Float32Array.from([0, 0, 5, 5, 1, 1, 9, 0]);
    expect([...gatherRows(codes, 2, Int32Array.from([3, 1]))]).toEqual([9, 0, 5, 5]);
    expect(nearestCode(codes, 4, 2, [0.8, 0.9])).toBe(2);
    expect(nearestCode(codes, 0, 2, [0, 0])).toBe(-1);
  });

  it('maps points into the plot, y up, and finds the one under the pointer', () => {
    const points = Float32Array.from([0, 0, 10, 10, 5, 0]);
    const frame = plotFrame(points, 110, 110, 5);
    expect(frame.toScreen([0, 0])).toEqual([5, 105]);
    expect(frame.toScreen([10, 10])).toEqual([105, 5]);
    const screen = screenPoints(points, frame);
    expect([...screen]).toEqual([5, 105, 105, 5, 55, 105]);
    expect(nearestPoint(screen, 52, 100, 8)).toBe(2);
    expect(nearestPoint(screen, 52, 60, 8)).toBe(-1);
    // A flat cloud (all y equal) still maps inside the plot.
    expect(plotFrame(Float32Array.from([1, 2, 3, 2]), 100, 100, 0).toScreen([2, 2])).toEqual([50, 100]);
  });
});
