import type { ScoreCurve } from './scoreCurve.js';

export interface ScoreHistogram {
  /** Bin edges, `bins + 1` of them, ascending; on a log scale they are spaced evenly in log. */
  edges: number[];
  /** Share of each class's samples per bin (each class sums to 1), so a small class stays visible beside a large one. */
  normal: number[];
  anomalous: number[];
  log: boolean;
}

/** A log axis reads a heavy-tailed error (most samples small, a few large) better; it needs positive scores. */
export const wantsLogScale = (curve: ScoreCurve): boolean => curve.min > 0 && curve.max / curve.min > 50;

export function scoreHistogram(curve: ScoreCurve, bins = 40, log = wantsLogScale(curve)): ScoreHistogram {
  const useLog = log && curve.min > 0;
  const to = (v: number): number => (useLog ? Math.log(v) : v);
  const from = (v: number): number => (useLog ? Math.exp(v) : v);
  let low = to(curve.min);
  let high = to(curve.max);
  // Every score equal: one bin either side of it, so the bars still have a width.
  if (high === low) {
    low -= 0.5;
    high += 0.5;
  }
  const width = (high - low) / bins;
  const edges = Array.from({ length: bins + 1 }, (_, i) => from(low + i * width));
  const count = (values: Float64Array): number[] => {
    const shares = new Array<number>(bins).fill(0);
    for (const v of values) {
      const bin = Math.min(bins - 1, Math.max(0, Math.floor((to(v) - low) / width)));
      shares[bin] = (shares[bin] ?? 0) + 1 / values.length;
    }
    return shares;
  };
  return { edges, normal: count(curve.normals.values), anomalous: count(curve.anomalies.values), log: useLog };
}

/** A class's bars as a stepped line: a point at each bin's left edge, and one closing the last bin. */
export function histogramSteps(edges: number[], shares: number[]): Array<{ x: number; y: number }> {
  return [...shares.map((y, i) => ({ x: edges[i] as number, y })), { x: edges[edges.length - 1] as number, y: shares[shares.length - 1] ?? 0 }];
}
