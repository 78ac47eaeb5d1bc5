/** Eigenvalues (descending) of a real symmetric matrix and unit eigenvectors of the largest. */
export interface SymmetricEigen {
  values: Float64Array;
  /** Row q is the eigenvector of values[q], for q < count: count×n, row-major. */
  vectors: Float64Array;
}

/**
 * Eigen-decomposition of the symmetric n×n matrix `matrix` (row-major, only its lower
 * triangle is read; it is not modified): all n eigenvalues and the eigenvectors of the
 * `count` largest. Householder tridiagonalisation then the implicit QL algorithm with
 * shifts (EISPACK's tred2 and tql2, as in JAMA), except that the QL rotations are recorded
 * and applied afterwards to the wanted eigenvectors only, and the Householder reflectors
 * to those alone: for count ≪ n most of tql2's O(n³) work is never done.
 */
export function symmetricEigen(matrix: Float64Array, n: number, count = n): SymmetricEigen {
  if (matrix.length !== n * n) throw new Error(`symmetricEigen: expected ${n}×${n} values, got ${matrix.length}`);
  if (!Number.isInteger(count) || count < 0 || count > n) throw new Error(`symmetricEigen: cannot return ${count} eigenvectors of a ${n}×${n} matrix`);
  // w[j*n + k] is V[k][j] of the EISPACK formulation, so that every inner loop walks contiguous memory.
  const w = new Float64Array(n * n);
  for (let j = 0; j < n; j += 1) for (let k = j; k < n; k += 1) w[j * n + k] = matrix[k * n + j] ?? 0;
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  if (n === 0) return { values: d, vectors: new Float64Array(0) };
  tridiagonalise(w, d, e, n);
  const rotations = diagonalise(d, e, n);
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => (d[b] ?? 0) - (d[a] ?? 0) || a - b);
  const values = Float64Array.from(order, (i) => d[i] ?? 0);
  // Eigenvectors of T: the chosen columns of the product of the rotations, built from the right.
  const z = new Float64Array(n * count);
  const live = new Uint8Array(n);
  for (let q = 0; q < count; q += 1) {
    const row = order[q] ?? 0;
    z[row * count + q] = 1;
    live[row] = 1;
  }
  rotations.applyReversed(z, live, count);
  return { values, vectors: backTransform(w, z, n, count) };
}

/** tred2: reduces V to tridiagonal form (diagonal d, sub-diagonal e) and accumulates the transformations in V. */
function tridiagonalise(w: Float64Array, d: Float64Array, e: Float64Array, n: number): void {
  for (let j = 0; j < n; j += 1) d[j] = w[j * n + n - 1] ?? 0;
  for (let i = n - 1; i > 0; i -= 1) {
    let scale = 0;
    let h = 0;
    for (let k = 0; k < i; k += 1) scale += Math.abs(d[k] ?? 0);
    if (scale === 0) {
      e[i] = d[i - 1] ?? 0;
      for (let j = 0; j < i; j += 1) {
        d[j] = w[j * n + i - 1] ?? 0;
        w[j * n + i] = 0;
        w[i * n + j] = 0;
      }
    } else {
      for (let k = 0; k < i; k += 1) {
        const v = (d[k] ?? 0) / scale;
        d[k] = v;
        h += v * v;
      }
      let f = d[i - 1] ?? 0;
      let g = Math.sqrt(h);
      if (f > 0) g = -g;
      e[i] = scale * g;
      h -= f * g;
      d[i - 1] = f - g;
      for (let j = 0; j < i; j += 1) e[j] = 0;
      for (let j = 0; j < i; j += 1) {
        f = d[j] ?? 0;
        const row = j * n;
        w[i * n + j] = f;
        g = (e[j] ?? 0) + (w[row + j] ?? 0) * f;
        for (let k = j + 1; k < i; k += 1) {
          const v = w[row + k] ?? 0;
          g += v * (d[k] ?? 0);
          e[k] = (e[k] ?? 0) + v * f;
        }
        e[j] = g;
      }
      f = 0;
      for (let j = 0; j < i; j += 1) {
        const v = (e[j] ?? 0) / h;
        e[j] = v;
        f += v * (d[j] ?? 0);
      }
      const hh = f / (h + h);
      for (let j = 0; j < i; j += 1) e[j] = (e[j] ?? 0) - hh * (d[j] ?? 0);
      for (let j = 0; j < i; j += 1) {
        f = d[j] ?? 0;
        g = e[j] ?? 0;
        const row = j * n;
        for (let k = j; k < i; k += 1) w[row + k] = (w[row + k] ?? 0) - (f * (e[k] ?? 0) + g * (d[k] ?? 0));
        d[j] = w[row + i - 1] ?? 0;
        w[row + i] = 0;
      }
    }
    d[i] = h;
  }
  // The diagonal of T; the reflectors stay in w (row m holds u_m, d held h_m) for the back-transformation.
  for (let j = 0; j < n; j += 1) {
    const h = d[j] ?? 0;
    d[j] = w[j * n + j] ?? 0;
    w[j * n + j] = h;
  }
  e[0] = 0;
}

/** √(a² + b²) without overflow or underflow. */
function hypot(a: number, b: number): number {
  const x = Math.abs(a);
  const y = Math.abs(b);
  if (x > y) {
    const r = y / x;
    return x * Math.sqrt(1 + r * r);
  }
  if (y === 0) return 0;
  const r = x / y;
  return y * Math.sqrt(1 + r * r);
}

/** The plane rotations of the QL sweeps, in the order tql2 applies them. */
class Rotations {
  private rows = new Int32Array(1024);
  private cosines = new Float64Array(1024);
  private sines = new Float64Array(1024);
  private length = 0;

  push(row: number, c: number, s: number): void {
    if (this.length === this.rows.length) {
      const grow = <T extends Int32Array | Float64Array>(from: T, to: T): T => {
        to.set(from);
        return to;
      };
      this.rows = grow(this.rows, new Int32Array(this.length * 2));
      this.cosines = grow(this.cosines, new Float64Array(this.length * 2));
      this.sines = grow(this.sines, new Float64Array(this.length * 2));
    }
    this.rows[this.length] = row;
    this.cosines[this.length] = c;
    this.sines[this.length] = s;
    this.length += 1;
  }

  /** z ← G₀·G₁·…·G_last·z for the n×width row-major z, skipping rotations between two zero rows. */
  applyReversed(z: Float64Array, live: Uint8Array, width: number): void {
    for (let t = this.length - 1; t >= 0; t -= 1) {
      const i = this.rows[t] ?? 0;
      if (live[i] === 0 && live[i + 1] === 0) continue;
      live[i] = 1;
      live[i + 1] = 1;
      const c = this.cosines[t] ?? 0;
      const s = this.sines[t] ?? 0;
      const a = i * width;
      const b = a + width;
      for (let q = 0; q < width; q += 1) {
        const upper = z[a + q] ?? 0;
        const lower = z[b + q] ?? 0;
        z[a + q] = c * upper + s * lower;
        z[b + q] = c * lower - s * upper;
      }
    }
  }
}

/** tql2 on the tridiagonal (d, e): d becomes the eigenvalues, unsorted; the rotations are returned, not applied. */
function diagonalise(d: Float64Array, e: Float64Array, n: number): Rotations {
  const rotations = new Rotations();
  for (let i = 1; i < n; i += 1) e[i - 1] = e[i] ?? 0;
  e[n - 1] = 0;
  let f = 0;
  let tst1 = 0;
  const eps = 2 ** -52;
  for (let l = 0; l < n; l += 1) {
    tst1 = Math.max(tst1, Math.abs(d[l] ?? 0) + Math.abs(e[l] ?? 0));
    let m = l;
    while (m < n - 1 && Math.abs(e[m] ?? 0) > eps * tst1) m += 1;
    if (m > l) {
      let iterations = 0;
      do {
        // Convergence is cubic; a hundred sweeps without it means the input was not finite.
        if ((iterations += 1) > 100) throw new Error('symmetricEigen: the QL iteration did not converge (is the matrix finite?)');
        let g = d[l] ?? 0;
        let p = ((d[l + 1] ?? 0) - g) / (2 * (e[l] ?? 0));
        let r = hypot(p, 1);
        if (p < 0) r = -r;
        d[l] = (e[l] ?? 0) / (p + r);
        d[l + 1] = (e[l] ?? 0) * (p + r);
        const dl1 = d[l + 1] ?? 0;
        let h = g - (d[l] ?? 0);
        for (let i = l + 2; i < n; i += 1) d[i] = (d[i] ?? 0) - h;
        f += h;
        p = d[m] ?? 0;
        let c = 1;
        let c2 = c;
        let c3 = c;
        const el1 = e[l + 1] ?? 0;
        let s = 0;
        let s2 = 0;
        for (let i = m - 1; i >= l; i -= 1) {
          c3 = c2;
          c2 = c;
          s2 = s;
          const ei = e[i] ?? 0;
          const di = d[i] ?? 0;
          g = c * ei;
          h = c * p;
          r = hypot(p, ei);
          e[i + 1] = s * r;
          s = ei / r;
          c = p / r;
          p = c * di - s * g;
          d[i + 1] = h + s * (c * g + s * di);
          rotations.push(i, c, s);
        }
        p = (-s * s2 * c3 * el1 * (e[l] ?? 0)) / dl1;
        e[l] = s * p;
        d[l] = c * p;
      } while (Math.abs(e[l] ?? 0) > eps * tst1);
    }
    d[l] = (d[l] ?? 0) + f;
    e[l] = 0;
  }
  return rotations;
}

/**
 * The eigenvectors of the original matrix from those of T (z, n×count): H·z with
 * H = P_{n−1}·…·P₁, each P_m = I − u_m·u_mᵀ/h_m on the first m coordinates. Returned
 * transposed, one eigenvector per row.
 */
function backTransform(w: Float64Array, z: Float64Array, n: number, count: number): Float64Array {
  const g = new Float64Array(count);
  for (let m = 1; m < n; m += 1) {
    const u = m * n;
    const h = w[u + m] ?? 0;
    if (h === 0) continue;
    g.fill(0);
    for (let k = 0; k < m; k += 1) {
      const uk = w[u + k] ?? 0;
      if (uk === 0) continue;
      const row = k * count;
      for (let q = 0; q < count; q += 1) g[q] = (g[q] ?? 0) + uk * (z[row + q] ?? 0);
    }
    for (let q = 0; q < count; q += 1) g[q] = (g[q] ?? 0) / h;
    for (let k = 0; k < m; k += 1) {
      const uk = w[u + k] ?? 0;
      if (uk === 0) continue;
      const row = k * count;
      for (let q = 0; q < count; q += 1) z[row + q] = (z[row + q] ?? 0) - uk * (g[q] ?? 0);
    }
  }
  const vectors = new Float64Array(count * n);
  for (let k = 0; k < n; k += 1) for (let q = 0; q < count; q += 1) vectors[q * n + k] = z[k * count + q] ?? 0;
  return vectors;
}
