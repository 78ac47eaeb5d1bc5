import { seededRandom } from '../../../../shared/random.js';
import { describe, expect, it } from 'vitest';
import { principalAngles } from './principalAngles.js';
import { randomOrthonormalBasis } from '../../testing/randomBasis.js';

/** The unit vector e_i in R^dimension. */
const unit = (dimension: number, i: number): number[] => Array.from({ length: dimension }, (_, k) => (k === i ? 1 : 0));
const radians = (degrees: number): number => (degrees * Math.PI) / 180;

const seeded = seededRandom;

/** A random orthonormal basis of R^n, one vector per row. */
const randomOrthonormal = (n: number, seed: number): Float64Array => randomOrthonormalBasis(n, seeded(seed));

describe('principalAngles', () => {
  it('a rotation by θ within a plane gives θ, and 0 for the shared direction', () => {
    for (const theta of [1, 17, 45, 60, 89.5]) {
      const a = Float64Array.from([...unit(5, 0), ...unit(5, 1)]);
      const turned = unit(5, 1).map((v, k) => v * Math.cos(radians(theta)) + (k === 2 ? Math.sin(radians(theta)) : 0));
      const b = Float64Array.from([...unit(5, 0), ...turned]);
      const angles = principalAngles(a, b, 5, 2, 2);
      expect(angles).toHaveLength(2);
      expect(angles[0]).toBeCloseTo(0, 9);
      expect(angles[1]).toBeCloseTo(theta, 9);
    }
  });

  it('identical spaces in different bases give zeros, to far below a microdegree', () => {
    const q = randomOrthonormal(30, 3);
    const a = q.subarray(0, 4 * 30);
    // b: four other combinations of a's vectors, neither orthogonal nor normalised.
    const mix = [
      [2, 1, 0, 0],
      [0, 1, -3, 0],
      [1, 0, 0, 0.5],
      [0, 0, 1, 1],
    ];
    const b = new Float64Array(4 * 30);
    mix.forEach((row, j) => row.forEach((m, i) => { for (let k = 0; k < 30; k += 1) b[j * 30 + k] = (b[j * 30 + k] ?? 0) + m * (a[i * 30 + k] ?? 0); }));
    const angles = principalAngles(a, b, 30, 4, 4);
    expect(angles).toHaveLength(4);
    for (const angle of angles) expect(angle).toBeLessThan(1e-9);
  });

  it('orthogonal spaces give 90°', () => {
    const a = Float32Array.from([...unit(6, 0), ...unit(6, 1)]);
    const b = Float32Array.from([...unit(6, 2), ...unit(6, 3), ...unit(6, 4)]);
    const angles = principalAngles(a, b, 6, 2, 3);
    expect(angles).toHaveLength(2);
    for (const angle of angles) expect(angle).toBeCloseTo(90, 9);
  });

  it('several rotations in orthogonal planes give their angles, ascending, in a random frame', () => {
    const n = 40;
    const k = 5;
    const q = randomOrthonormal(n, 8);
    const thetas = [33, 0.5, 71, 12, 88];
    const a = q.subarray(0, k * n);
    const b = new Float64Array(k * n);
    // Turn a's vector i towards q's vector k + i by θ_i.
    thetas.forEach((theta, i) => {
      for (let c = 0; c < n; c += 1) b[i * n + c] = Math.cos(radians(theta)) * (q[i * n + c] ?? 0) + Math.sin(radians(theta)) * (q[(k + i) * n + c] ?? 0);
    });
    const angles = principalAngles(a, b, n, k, k);
    [...thetas].sort((x, y) => x - y).forEach((theta, i) => expect(angles[i]).toBeCloseTo(theta, 8));
    // Symmetric in the two spaces.
    principalAngles(b, a, n, k, k).forEach((angle, i) => expect(angle).toBeCloseTo(angles[i] ?? NaN, 10));
  });

  it('tiny angles keep their relative precision (from sines, not acos)', () => {
    const theta = 1e-7;
    const a = Float64Array.from(unit(3, 0));
    const b = Float64Array.from([Math.cos(radians(theta)), Math.sin(radians(theta)), 0]);
    const [angle] = principalAngles(a, b, 3, 1, 1);
    expect(Math.abs((angle ?? 0) - theta) / theta).toBeLessThan(1e-6);
  });

  it('a subspace of the other gives zeros; dependent vectors add no angle', () => {
    const a = Float64Array.from([...unit(4, 0), ...unit(4, 1), ...unit(4, 2)]);
    const b = Float64Array.from([1, 1, 0, 0, 2, 2, 0, 0, 0, 1, 1, 0]);
    const angles = principalAngles(a, b, 4, 3, 3);
    expect(angles).toHaveLength(2);
    for (const angle of angles) expect(angle).toBeCloseTo(0, 9);
  });

  it('refuses bases whose size does not match', () => {
    expect(() => principalAngles(new Float64Array(10), new Float64Array(10), 5, 3, 2)).toThrow(/3×5/);
  });
});
