/** Latent-space arithmetic for the explorer: interpolation, code statistics, principal directions. */

export function lerp(a: Float32Array, b: Float32Array, t: number): Float32Array {
  return Float32Array.from(a, (v, i) => v + ((b[i] ?? 0) - v) * t);
}

/** Spherical interpolation: along the great circle between a and b, with their norms interpolated. */
export function slerp(a: Float32Array, b: Float32Array, t: number): Float32Array {
  const norm = (v: Float32Array) => Math.sqrt(v.reduce((s, x) => s + x * x, 0));
  const na = norm(a);
  const nb = norm(b);
  if (na === 0 || nb === 0) return lerp(a, b, t);
  const cos = Math.min(1, Math.max(-1, a.reduce((s, x, i) => s + x * (b[i] ?? 0), 0) / (na * nb)));
  const omega = Math.acos(cos);
  if (omega < 1e-6) return lerp(a, b, t);
  const wa = Math.sin((1 - t) * omega) / Math.sin(omega);
  const wb = Math.sin(t * omega) / Math.sin(omega);
  return Float32Array.from(a, (v, i) => wa * v + wb * (b[i] ?? 0));
}

export interface CodeStatistics {
  mean: Float32Array;
  /** Per unit: the 1st and 99th percentile, the range a slider covers. */
  low: Float32Array;
  high: Float32Array;
}

export function codeStatistics(codes: Float32Array, count: number, size: number): CodeStatistics {
  const mean = new Float32Array(size);
  const low = new Float32Array(size);
  const high = new Float32Array(size);
  const column = new Float32Array(count);
  for (let j = 0; j < size; j += 1) {
    for (let i = 0; i < count; i += 1) column[i] = codes[i * size + j] ?? 0;
    const sorted = Float32Array.from(column).sort();
    mean[j] = column.reduce((s, v) => s + v, 0) / Math.max(1, count);
    low[j] = sorted[Math.floor(0.01 * (count - 1))] ?? 0;
    high[j] = sorted[Math.ceil(0.99 * (count - 1))] ?? 0;
  }
  return { mean, low, high };
}

/**
 * The top `k` principal directions of the codes (power iteration with deflation on the
 * covariance), with each direction's standard deviation: the sliders for large latent sizes.
 */
export function principalDirections(codes: Float32Array, count: number, size: number, k: number): { directions: Float32Array[]; deviations: number[] } {
  // The covariance costs count·size²: beyond a few dozen units iterate on the data instead.
  if (size > 64) return principalSubspace(codes, Math.min(count, 2000), size, k);
  const { mean } = codeStatistics(codes, count, size);
  const covariance = new Float64Array(size * size);
  for (let i = 0; i < count; i += 1) {
    for (let a = 0; a < size; a += 1) {
      const da = (codes[i * size + a] ?? 0) - (mean[a] ?? 0);
      for (let b = a; b < size; b += 1) covariance[a * size + b] = (covariance[a * size + b] ?? 0) + da * ((codes[i * size + b] ?? 0) - (mean[b] ?? 0));
    }
  }
  for (let a = 0; a < size; a += 1)
    for (let b = a; b < size; b += 1) {
      const v = (covariance[a * size + b] ?? 0) / Math.max(1, count - 1);
      covariance[a * size + b] = v;
      covariance[b * size + a] = v;
    }
  const directions: Float32Array[] = [];
  const deviations: number[] = [];
  for (let component = 0; component < Math.min(k, size); component += 1) {
    let v = Float64Array.from({ length: size }, (_, i) => 1 / Math.sqrt(size) + (i === component ? 0.5 : 0));
    let eigenvalue = 0;
    for (let iteration = 0; iteration < 200; iteration += 1) {
      const next = new Float64Array(size);
      for (let a = 0; a < size; a += 1) for (let b = 0; b < size; b += 1) next[a] = (next[a] ?? 0) + (covariance[a * size + b] ?? 0) * (v[b] ?? 0);
      const norm = Math.sqrt(next.reduce((s, x) => s + x * x, 0)) || 1;
      eigenvalue = norm;
      v = next.map((x) => x / norm);
    }
    // Deflate: remove this direction's variance before finding the next.
    for (let a = 0; a < size; a += 1) for (let b = 0; b < size; b += 1) covariance[a * size + b] = (covariance[a * size + b] ?? 0) - eigenvalue * (v[a] ?? 0) * (v[b] ?? 0);
    directions.push(Float32Array.from(v));
    deviations.push(Math.sqrt(Math.max(0, eigenvalue)));
  }
  return { directions, deviations };
}

/**
 * The same directions for large codes by subspace iteration on the centred data: V ← Xᵀ(X V),
 * re-orthonormalised each round, costing count·size·k per round instead of count·size².
 */
export function principalSubspace(codes: Float32Array, count: number, size: number, k: number, rounds = 40): { directions: Float32Array[]; deviations: number[] } {
  const { mean } = codeStatistics(codes, count, size);
  const x = new Float64Array(count * size);
  for (let i = 0; i < count; i += 1) for (let j = 0; j < size; j += 1) x[i * size + j] = (codes[i * size + j] ?? 0) - (mean[j] ?? 0);
  const m = Math.min(k, size);
  // Deterministic start so that the same codes always give the same sliders.
  let basis = Array.from({ length: m }, (_, c) => Float64Array.from({ length: size }, (_, j) => Math.sin((j + 1) * (c + 1) * 0.7071) + (j === c ? 1 : 0)));
  let variances = new Array<number>(m).fill(0);
  const projections = new Float64Array(count);
  for (let round = 0; round < rounds; round += 1) {
    const next = basis.map((v) => {
      for (let i = 0; i < count; i += 1) {
        let dot = 0;
        for (let j = 0; j < size; j += 1) dot += (x[i * size + j] ?? 0) * (v[j] ?? 0);
        projections[i] = dot;
      }
      const w = new Float64Array(size);
      for (let i = 0; i < count; i += 1) {
        const p = projections[i] ?? 0;
        if (p !== 0) for (let j = 0; j < size; j += 1) w[j] = (w[j] ?? 0) + p * (x[i * size + j] ?? 0);
      }
      return w;
    });
    // Gram–Schmidt, in order, so the c-th vector converges to the c-th direction.
    variances = next.map((w, c) => {
      for (let prior = 0; prior < c; prior += 1) {
        const u = next[prior] as Float64Array;
        let dot = 0;
        for (let j = 0; j < size; j += 1) dot += (w[j] ?? 0) * (u[j] ?? 0);
        for (let j = 0; j < size; j += 1) w[j] = (w[j] ?? 0) - dot * (u[j] ?? 0);
      }
      const norm = Math.sqrt(w.reduce((s, v) => s + v * v, 0)) || 1;
      for (let j = 0; j < size; j += 1) w[j] = (w[j] ?? 0) / norm;
      return norm / Math.max(1, count - 1);
    });
    basis = next;
  }
  return { directions: basis.map((v) => Float32Array.from(v)), deviations: variances.map((v) => Math.sqrt(Math.max(0, v))) };
}
