import { dot, orthonormalise, singularValues } from './linearAlgebra.js';

/**
 * The principal angles, in degrees and ascending, between the spans of two sets of vectors
 * in R^dimension: `a` holds `ka` vectors of length `dimension` one after another (a
 * dimension×ka matrix column by column — PCA's components as they are, or a Dense kernel
 * of shape [ka, dimension]), `b` likewise. Each set is orthonormalised in float64; the
 * cosines are the singular values of QaᵀQb. Angles whose cosine is near 1 are taken from
 * their sines instead (the singular values of Qb − Qa·QaᵀQb), where acos loses half the
 * digits (Björck & Golub 1973, as scipy.linalg.subspace_angles does). Dependent vectors add
 * no direction, so there are min(rank a, rank b) angles.
 */
export function principalAngles(a: Float32Array | Float64Array, b: Float32Array | Float64Array, dimension: number, ka: number, kb: number): number[] {
  if (a.length !== ka * dimension) throw new Error(`principalAngles: a has ${a.length} values, not ${ka}×${dimension}`);
  if (b.length !== kb * dimension) throw new Error(`principalAngles: b has ${b.length} values, not ${kb}×${dimension}`);
  const first = orthonormalise(a, ka, dimension);
  const second = orthonormalise(b, kb, dimension);
  // The angles are symmetric in the two spaces; the larger one takes the role of Qa.
  const [qa, qb] = first.rank >= second.rank ? [first, second] : [second, first];
  const count = qb.rank;
  if (count === 0) return [];
  // Column j of QaᵀQb (its coordinates in Qa) and Qb's remainder outside span(Qa).
  const cosines = new Float64Array(count * qa.rank);
  const remainders = new Float64Array(count * dimension);
  for (let j = 0; j < count; j += 1) {
    remainders.set(qb.basis.subarray(j * dimension, (j + 1) * dimension), j * dimension);
    for (let i = 0; i < qa.rank; i += 1) {
      const c = dot(qa.basis, i * dimension, qb.basis, j * dimension, dimension);
      cosines[j * qa.rank + i] = c;
      for (let k = 0; k < dimension; k += 1) remainders[j * dimension + k] = (remainders[j * dimension + k] ?? 0) - c * (qa.basis[i * dimension + k] ?? 0);
    }
  }
  const cos = singularValues(cosines, count, qa.rank);
  // The remainders' singular values through their R factor: a count×count problem, not dimension×count.
  const sines = singularValues(orthonormalise(remainders, count, dimension, 0).r, count, count).reverse();
  const degrees = 180 / Math.PI;
  return cos.map((c, i) => {
    const cosine = Math.min(1, Math.max(0, c));
    const angle = cosine * cosine >= 0.5 ? Math.asin(Math.min(1, Math.max(0, sines[i] ?? 0))) : Math.acos(cosine);
    return angle * degrees;
  });
}
