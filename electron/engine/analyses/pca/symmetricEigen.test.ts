import { seededRandom } from '../../../../shared/random.js';
import { describe, expect, it } from 'vitest';
import { symmetricEigen } from './symmetricEigen.js';

const seeded = seededRandom;

/** max ‖A·v − λ·v‖ over the returned pairs and max |vᵢ·vⱼ − δᵢⱼ|. */
function quality(a: Float64Array, n: number, values: Float64Array, vectors: Float64Array, count: number): { residual: number; orthogonality: number } {
  let residual = 0;
  let orthogonality = 0;
  for (let j = 0; j < count; j += 1) {
    let norm = 0;
    for (let i = 0; i < n; i += 1) {
      let s = 0;
      for (let k = 0; k < n; k += 1) s += (a[i * n + k] ?? 0) * (vectors[j * n + k] ?? 0);
      norm += (s - (values[j] ?? 0) * (vectors[j * n + i] ?? 0)) ** 2;
    }
    residual = Math.max(residual, Math.sqrt(norm));
    for (let l = 0; l < count; l += 1) {
      let s = 0;
      for (let k = 0; k < n; k += 1) s += (vectors[j * n + k] ?? 0) * (vectors[l * n + k] ?? 0);
      orthogonality = Math.max(orthogonality, Math.abs(s - (j === l ? 1 : 0)));
    }
  }
  return { residual, orthogonality };
}

function symmetric(n: number, entry: (i: number, j: number) => number): Float64Array {
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i += 1) {
    for (let j = 0; j <= i; j += 1) {
      const v = entry(i, j);
      a[i * n + j] = v;
      a[j * n + i] = v;
    }
  }
  return a;
}

describe('symmetricEigen', () => {
  const random = seeded(4);
  const cases: [string, number, Float64Array][] = [
    ['1×1', 1, Float64Array.of(-3)],
    ['random 50×50', 50, symmetric(50, () => random() - 0.5)],
    ['diagonal with repeats', 12, symmetric(12, (i, j) => (i === j ? [3, 1, 3, 0, 1, 3, 2, 0, 0, 2, 1, 3][i] ?? 0 : 0))],
    ['zero', 7, new Float64Array(49)],
    // Rank one plus a multiple of the identity: one eigenvalue and an eigenvalue of multiplicity n − 1.
    ['rank one plus identity', 30, symmetric(30, (i, j) => (i + 1) * (j + 1) * 0.01 + (i === j ? 2 : 0))],
  ];
  for (const [name, n, a] of cases) {
    for (const count of [n, Math.ceil(n / 3)]) {
      it(`${name}: ${count} eigenpairs with small residuals, orthonormal, the values descending and summing to the trace`, () => {
        const { values, vectors } = symmetricEigen(a, n, count);
        expect(values).toHaveLength(n);
        expect(vectors).toHaveLength(count * n);
        const scale = Math.max(1, ...Array.from(values, Math.abs));
        const { residual, orthogonality } = quality(a, n, values, vectors, count);
        expect(residual).toBeLessThan(1e-12 * scale);
        expect(orthogonality).toBeLessThan(1e-12);
        for (let k = 1; k < n; k += 1) expect(values[k]).toBeLessThanOrEqual(values[k - 1] ?? Infinity);
        let trace = 0;
        for (let i = 0; i < n; i += 1) trace += a[i * n + i] ?? 0;
        expect(Math.abs(values.reduce((s, v) => s + v, 0) - trace)).toBeLessThan(1e-11 * scale * n);
      });
    }
  }

  it('knows the eigenvalues of a matrix built from them', () => {
    const { values } = symmetricEigen(symmetric(12, (i, j) => (i === j ? [3, 1, 3, 0, 1, 3, 2, 0, 0, 2, 1, 3][i] ?? 0 : 0)), 12);
    expect(Array.from(values)).toEqual([3, 3, 3, 3, 2, 2, 1, 1, 1, 0, 0, 0]);
    const rankOne = symmetricEigen(symmetric(30, (i, j) => (i + 1) * (j + 1) * 0.01 + (i === j ? 2 : 0)), 30).values;
    // 0.01·Σ(i+1)² = 94.55 on top of 2.
    expect(rankOne[0]).toBeCloseTo(96.55, 10);
    for (let k = 1; k < 30; k += 1) expect(rankOne[k]).toBeCloseTo(2, 12);
  });

  it('refuses a matrix of the wrong size or too many eigenvectors', () => {
    expect(() => symmetricEigen(new Float64Array(5), 2)).toThrow(/2×2/);
    expect(() => symmetricEigen(new Float64Array(4), 2, 3)).toThrow(/3 eigenvectors/);
  });
});
