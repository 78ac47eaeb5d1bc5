/** The 2-D pictures of codes: principal planes, UMAP samples, and finding a point on the plot. */
import { seededRandom, shuffledIndices } from '../../../shared/random.js';

export type Point = readonly [number, number];

/** The code's coordinates along two directions (uncentred, as the scatter's points are). */
export function projectOnto(code: ArrayLike<number>, u: ArrayLike<number>, v: ArrayLike<number>): Point {
  let x = 0;
  let y = 0;
  for (let j = 0; j < code.length; j += 1) {
    x += (code[j] ?? 0) * (u[j] ?? 0);
    y += (code[j] ?? 0) * (v[j] ?? 0);
  }
  return [x, y];
}

/** The summed variance of every unit over the first `count` codes: what a component's share is a share of. */
export function totalVariance(codes: Float32Array, count: number, size: number): number {
  let total = 0;
  for (let j = 0; j < size; j += 1) {
    let sum = 0;
    let squares = 0;
    for (let i = 0; i < count; i += 1) {
      const v = codes[i * size + j] ?? 0;
      sum += v;
      squares += v * v;
    }
    total += count > 1 ? (squares - (sum * sum) / count) / (count - 1) : 0;
  }
  return total;
}

/** Axis titles of a principal plane: "PC 1 (41.3 % of variance)". */
export function principalAxes(deviations: readonly number[], variance: number): [string, string] {
  const share = (k: number) => {
    const d = deviations[k] ?? 0;
    return variance > 0 ? ` (${((100 * d * d) / variance).toFixed(1)} % of variance)` : '';
  };
  return [`PC 1${share(0)}`, `PC 2${share(1)}`];
}

/** Which test codes a UMAP lays out: all of them up to `limit`, else a seeded sample of `limit`, in test order. */
export function umapSample(count: number, limit: number, seed: number): Int32Array {
  if (count <= limit) return Int32Array.from({ length: count }, (_, i) => i);
  return Int32Array.from(shuffledIndices(count, seededRandom(seed)).subarray(0, limit)).sort();
}

/** The rows `indices` of a count × size matrix, as one packed matrix. */
export function gatherRows(codes: Float32Array, size: number, indices: Int32Array): Float32Array {
  const rows = new Float32Array(indices.length * size);
  indices.forEach((row, i) => rows.set(codes.subarray(row * size, (row + 1) * size), i * size));
  return rows;
}

/** The row of a count × size matrix closest to `code` (Euclidean), or -1 if there is none. */
export function nearestCode(codes: Float32Array, count: number, size: number, code: ArrayLike<number>): number {
  let best = -1;
  let bestDistance = Infinity;
  for (let i = 0; i < count; i += 1) {
    let distance = 0;
    for (let j = 0; j < size; j += 1) distance += ((codes[i * size + j] ?? 0) - (code[j] ?? 0)) ** 2;
    if (distance < bestDistance) [best, bestDistance] = [i, distance];
  }
  return best;
}

/** Maps data coordinates into a width × height plot with a margin, y up, the points' bounding box filling it. */
export interface PlotFrame {
  toScreen(point: Point): Point;
}

export function plotFrame(points: Float32Array, width: number, height: number, pad: number): PlotFrame {
  let [minX, maxX, minY, maxY] = [Infinity, -Infinity, Infinity, -Infinity];
  for (let i = 0; i + 1 < points.length; i += 2) {
    const x = points[i] ?? 0;
    const y = points[i + 1] ?? 0;
    [minX, maxX, minY, maxY] = [Math.min(minX, x), Math.max(maxX, x), Math.min(minY, y), Math.max(maxY, y)];
  }
  if (!Number.isFinite(minX)) [minX, maxX, minY, maxY] = [-1, 1, -1, 1];
  const spanX = maxX - minX || 1;
  const spanY = maxY - minY || 1;
  return {
    toScreen: ([x, y]) => [pad + ((x - minX) / spanX) * (width - 2 * pad), height - pad - ((y - minY) / spanY) * (height - 2 * pad)],
  };
}

/** Every point's screen position, packed x, y. */
export function screenPoints(points: Float32Array, frame: PlotFrame): Float32Array {
  const screen = new Float32Array(points.length);
  for (let i = 0; i + 1 < points.length; i += 2) screen.set(frame.toScreen([points[i] ?? 0, points[i + 1] ?? 0]), i);
  return screen;
}

/** The point drawn nearest to (x, y) on screen within `radius` pixels, or -1. */
export function nearestPoint(screen: Float32Array, x: number, y: number, radius: number): number {
  let best = -1;
  let bestDistance = radius * radius;
  for (let i = 0; i + 1 < screen.length; i += 2) {
    const distance = ((screen[i] ?? 0) - x) ** 2 + ((screen[i + 1] ?? 0) - y) ** 2;
    if (distance <= bestDistance) [best, bestDistance] = [i / 2, distance];
  }
  return best;
}
