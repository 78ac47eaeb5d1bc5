import { describe, expect, it } from 'vitest';
import { codeStatistics, lerp, principalDirections, principalSubspace, slerp } from './geometry.js';

describe('latent geometry', () => {
  it('interpolates linearly and spherically between the end points', () => {
    const a = Float32Array.from([1, 0]);
    const b = Float32Array.from([0, 1]);
    expect([...lerp(a, b, 0.5)]).toEqual([0.5, 0.5]);
    const mid = slerp(a, b, 0.5);
    expect(mid[0]).toBeCloseTo(Math.SQRT1_2, 6);
    expect(Math.hypot(mid[0] ?? 0, mid[1] ?? 0)).toBeCloseTo(1, 6);
    expect([...slerp(a, b, 0)]).toEqual([1, 0]);
    expect(slerp(a, b, 1)[1]).toBeCloseTo(1, 6);
  });

  it('gives slider ranges from the codes’ percentiles', () => {
    const codes = Float32Array.from({ length: 200 }, (_, i) => (i % 2 === 0 ? i / 2 : -i));
    const stats = codeStatistics(codes, 100, 2);
    expect(stats.low[0]).toBe(0);
    expect(stats.high[0]).toBe(99);
    expect(stats.mean[0]).toBeCloseTo(49.5, 5);
  });

  it('finds the principal directions of correlated codes', () => {
    const count = 2000;
    const codes = new Float32Array(count * 3);
    for (let i = 0; i < count; i += 1) {
      const t = Math.sin(i * 12.9898) * 3;
      const s = Math.cos(i * 78.233) * 0.5;
      codes.set([t + s, t - s, 0.01 * Math.sin(i)], i * 3);
    }
    const { directions, deviations } = principalDirections(codes, count, 3, 2);
    const first = directions[0] as Float32Array;
    expect(Math.abs(first[0] ?? 0)).toBeCloseTo(Math.SQRT1_2, 2);
    expect(Math.abs(first[1] ?? 0)).toBeCloseTo(Math.SQRT1_2, 2);
    expect(deviations[0]).toBeGreaterThan(deviations[1] ?? Infinity);
  });

  it('finds the same directions and deviations by subspace iteration as from the covariance', () => {
    const count = 600;
    const size = 12;
    const codes = new Float32Array(count * size);
    for (let i = 0; i < count; i += 1) {
      const a = Math.sin(i * 12.9898) * 4;
      const b = Math.cos(i * 78.233) * 2;
      for (let j = 0; j < size; j += 1) codes[i * size + j] = a * Math.cos(j) + b * Math.sin(j * 0.3) + 0.05 * Math.sin(i * j);
    }
    const exact = principalDirections(codes, count, size, 2);
    const iterated = principalSubspace(codes, count, size, 2);
    for (let c = 0; c < 2; c += 1) {
      const dot = (exact.directions[c] as Float32Array).reduce((s, v, j) => s + v * ((iterated.directions[c] as Float32Array)[j] ?? 0), 0);
      expect(Math.abs(dot)).toBeCloseTo(1, 3);
      expect(iterated.deviations[c]).toBeCloseTo(exact.deviations[c] ?? 0, 3);
    }
  });
});
