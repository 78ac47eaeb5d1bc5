import type { LabApi } from '../../../shared/contract/client.js';
import type { ReplyOf } from '../../../shared/contract/labApi.js';
import { codeStatistics, type CodeStatistics } from './geometry.js';
import { principalDirectionsOffThread } from './principalOffThread.js';
import { principalAxes, projectOnto, totalVariance, type Point } from './projection.js';

export interface DecodedImages {
  values: Float32Array;
  /** [count, height, width, channels] */
  shape: number[];
}

export type SliderMode = 'units' | 'directions';

/** A sample of 3,000 codes pins the leading directions well and keeps opening a run quick. */
export const directionSample = 3000;

/** One run in the latent explorer: its test codes, their statistics, and its latest decode. */
export interface RunExplorer {
  runId: string;
  codes: ReplyOf<'runs.codes'>;
  latentSize: number;
  stats: CodeStatistics;
  /** The codes' principal directions with their standard deviations; null for d ≤ 2. */
  directions: { directions: Float32Array[]; deviations: number[] } | null;
  decoded: DecodedImages | null;
  /** The slider positions the shown image was decoded at. */
  decodedAt: number[];
  decodes: number;
  error: string | null;
  /** Decode requests out, sent so far, and the sequence number of the one on show. */
  inFlight: number;
  sent: number;
  shown: number;
  /** A move was made while the most requests were out. */
  stale: boolean;
  codeAt(position: number): Float32Array<ArrayBuffer>;
}

/** Reads a run's test codes and prepares what its sliders and scatter need. */
export async function loadExplorer(api: LabApi, runId: string, principalCount: number): Promise<{ ok: true; explorer: RunExplorer } | { ok: false; error: string }> {
  const result = await api.request('runs.codes', { id: runId });
  if (!result.ok) return { ok: false, error: result.error.message };
  const codes = result.value;
  const [count = 0, size = 0] = codes.shape;
  const stats = codeStatistics(codes.codes, count, size);
  const directions = size > 2 ? await principalDirectionsOffThread(codes.codes, Math.min(count, directionSample), size, Math.min(size, principalCount)) : null;
  const explorer: RunExplorer = {
    runId,
    codes,
    latentSize: size,
    stats,
    directions,
    decoded: null,
    decodedAt: [],
    decodes: 0,
    error: null,
    inFlight: 0,
    sent: 0,
    shown: 0,
    stale: false,
    codeAt: (i) => Float32Array.from(codes.codes.subarray(i * size, (i + 1) * size)),
  };
  return { ok: true, explorer };
}

/**
 * The latent vector at the given slider positions (each in [0, 1]). Units: position k spans unit
 * k's 1–99 % range. Directions: the code mean moved ±3 standard deviations along each principal
 * direction. Sliders past a run's own size leave it unchanged.
 */
export function latentAt(explorer: Pick<RunExplorer, 'latentSize' | 'stats' | 'directions'>, positions: readonly number[], mode: SliderMode): Float32Array<ArrayBuffer> {
  const size = explorer.latentSize;
  const { mean, low, high } = explorer.stats;
  if (mode === 'units') return Float32Array.from({ length: size }, (_, k) => (low[k] ?? 0) + ((high[k] ?? 0) - (low[k] ?? 0)) * (positions[k] ?? 0.5));
  const point = new Float32Array(mean);
  explorer.directions?.directions.forEach((direction, k) => {
    const amount = (-3 + 6 * (positions[k] ?? 0.5)) * (explorer.directions?.deviations[k] ?? 0);
    for (let j = 0; j < size; j += 1) point[j] = (point[j] ?? 0) + amount * (direction[j] ?? 0);
  });
  return point;
}

/**
 * The slider positions that point at `code`, the inverse of latentAt: units as positions within
 * their 1–99 % ranges, directions as the code's offset from the mean along each, in ±3 σ. A code
 * beyond the sliders' reach is clamped; `clamped` counts the sliders that were.
 */
export function positionsAt(explorer: Pick<RunExplorer, 'latentSize' | 'stats' | 'directions'>, code: ArrayLike<number>, mode: SliderMode): { positions: number[]; clamped: number } {
  const { mean, low, high } = explorer.stats;
  let clamped = 0;
  const clamp = (p: number) => {
    const inside = Math.min(1, Math.max(0, p));
    if (Math.abs(inside - p) > 1e-6) clamped += 1;
    return inside;
  };
  if (mode === 'units') {
    const positions = Array.from({ length: explorer.latentSize }, (_, k) => {
      const span = (high[k] ?? 0) - (low[k] ?? 0);
      return span > 0 ? clamp(((code[k] ?? 0) - (low[k] ?? 0)) / span) : 0.5;
    });
    return { positions, clamped };
  }
  const { directions = [], deviations = [] } = explorer.directions ?? {};
  const positions = directions.map((direction, k) => {
    let offset = 0;
    for (let j = 0; j < explorer.latentSize; j += 1) offset += ((code[j] ?? 0) - (mean[j] ?? 0)) * (direction[j] ?? 0);
    const deviation = deviations[k] ?? 0;
    return deviation > 0 ? clamp((offset / deviation + 3) / 6) : 0.5;
  });
  return { positions, clamped };
}

/** The test codes in 2-D, with how they were placed and where any code (a slider position) lands among them. */
export interface CodeScatterData {
  points: Float32Array;
  method: string;
  axes: [string, string];
  project(code: ArrayLike<number>): Point;
}

/** The test codes in 2-D for the scatter: the plane itself for d = 2, else the first two principal components. */
export function scatterOf(explorer: Pick<RunExplorer, 'codes' | 'directions'>): CodeScatterData | null {
  const { codes, shape } = explorer.codes;
  const [n = 0, d = 0] = shape;
  if (d === 2) return { points: codes, method: 'the latent plane itself (d = 2)', axes: ['z1', 'z2'], project: (code) => [code[0] ?? 0, code[1] ?? 0] };
  if (d === 1) {
    const points = Float32Array.from({ length: n * 2 }, (_, i) => (i % 2 === 0 ? (codes[i / 2] ?? 0) : 0));
    return { points, method: 'the single latent unit (d = 1)', axes: ['z1', ''], project: (code) => [code[0] ?? 0, 0] };
  }
  const directions = explorer.directions?.directions;
  if (!directions || directions.length < 2) return null;
  const [u, v] = directions as [Float32Array, Float32Array];
  const points = new Float32Array(n * 2);
  for (let i = 0; i < n; i += 1) points.set(projectOnto(codes.subarray(i * d, (i + 1) * d), u, v), i * 2);
  const axes = principalAxes(explorer.directions?.deviations ?? [], totalVariance(codes, Math.min(n, directionSample), d));
  return { points, method: `PCA of the ${d}-dimensional codes (first two components)`, axes, project: (code) => projectOnto(code, u, v) };
}
