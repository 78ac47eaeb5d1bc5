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
