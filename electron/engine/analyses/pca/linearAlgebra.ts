/**
 * Small dense float64 routines on "row sets": `count` vectors of length `length`, stored one
 * after another (a length×count matrix column by column), so every loop is contiguous.
 */

export interface Orthonormalised {
  /** The orthonormal vectors, in the input's order, dependent ones left out: rank×length. */
  basis: Float64Array;
  rank: number;
  /** Row j: vector j's coordinates in the basis (count×count, zero beyond rank), so the vectors' singular values are r's. */
  r: Float64Array;
}

/**
 * Gram–Schmidt, twice per vector ("twice is enough", Giraud et al. 2005), so the basis is
 * orthonormal to rounding even when the vectors are nearly dependent. A vector whose
 * remainder is below `tolerance` times its norm adds no direction and is left out.
 */
export function orthonormalise(vectors: Float64Array | Float32Array, count: number, length: number, tolerance = 1e-10): Orthonormalised {
  const basis = new Float64Array(count * length);
  const r = new Float64Array(count * count);
  const v = new Float64Array(length);
  let rank = 0;
  for (let j = 0; j < count; j += 1) {
    for (let k = 0; k < length; k += 1) v[k] = vectors[j * length + k] ?? 0;
    const norm = Math.sqrt(dot(v, 0, v, 0, length));
    for (let pass = 0; pass < 2; pass += 1) {
      for (let i = 0; i < rank; i += 1) {
        const c = dot(basis, i * length, v, 0, length);
        r[j * count + i] = (r[j * count + i] ?? 0) + c;
        for (let k = 0; k < length; k += 1) v[k] = (v[k] ?? 0) - c * (basis[i * length + k] ?? 0);
      }
    }
    const remainder = Math.sqrt(dot(v, 0, v, 0, length));
    if (remainder <= tolerance * norm || remainder === 0) continue;
    r[j * count + rank] = remainder;
    for (let k = 0; k < length; k += 1) basis[rank * length + k] = (v[k] ?? 0) / remainder;
    rank += 1;
  }
  return { basis: basis.slice(0, rank * length), rank, r };
}

export function dot(a: ArrayLike<number>, aStart: number, b: ArrayLike<number>, bStart: number, length: number): number {
  let sum = 0;
  for (let k = 0; k < length; k += 1) sum += (a[aStart + k] ?? 0) * (b[bStart + k] ?? 0);
  return sum;
}

/**
 * The singular values (descending) of the length×count matrix whose columns are the
 * `count` vectors: one-sided Jacobi (Hestenes) rotations until the columns are mutually
 * orthogonal; the values are then the column norms. Accurate for the small matrices
 * (count ≤ a few hundred) it is used on.
 */
export function singularValues(vectors: Float64Array, count: number, length: number): number[] {
  const a = Float64Array.from(vectors.subarray(0, count * length));
  const eps = 2 ** -52;
  for (let sweep = 0; sweep < 60; sweep += 1) {
    let rotated = false;
    for (let p = 0; p < count - 1; p += 1) {
      for (let q = p + 1; q < count; q += 1) {
        const alpha = dot(a, p * length, a, p * length, length);
        const beta = dot(a, q * length, a, q * length, length);
        const gamma = dot(a, p * length, a, q * length, length);
        if (gamma === 0 || Math.abs(gamma) <= eps * Math.sqrt(alpha * beta)) continue;
        rotated = true;
        const zeta = (beta - alpha) / (2 * gamma);
        const t = Math.sign(zeta || 1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = c * t;
        for (let k = 0; k < length; k += 1) {
          const x = a[p * length + k] ?? 0;
          const y = a[q * length + k] ?? 0;
          a[p * length + k] = c * x - s * y;
          a[q * length + k] = s * x + c * y;
        }
      }
    }
    if (!rotated) break;
  }
  const values: number[] = [];
  for (let j = 0; j < count; j += 1) values.push(Math.sqrt(dot(a, j * length, a, j * length, length)));
  return values.sort((x, y) => y - x);
}
