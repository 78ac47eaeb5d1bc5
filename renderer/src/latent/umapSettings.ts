/** The UMAP vocabulary the page and the worker share, free of umap-js so the page's bundle stays without it. */

/** What a UMAP layout is made with; the axis titles state them. */
export interface UmapSettings {
  nNeighbors: number;
  minDist: number;
  seed: number;
  /** Optimisation epochs; 0 lets the size of the data decide. */
  epochs: number;
}

export const defaultUmapSettings: UmapSettings = { nNeighbors: 15, minDist: 0.1, seed: 7, epochs: 0 };

export interface UmapProgress {
  phase: 'neighbours' | 'layout';
  done: number;
  total: number;
}

/** Where a code lands in a fitted layout; `nearest` when it is the nearest laid-out code's place, not a transform of its own. */
export interface PlacedCode {
  x: number;
  y: number;
  nearest: boolean;
}

/**
 * umap-learn's own choice, 500 epochs for small data and 200 where each epoch is costly, rounded up to
 * a multiple of 3: umap-js's transform runs a third of them and never ends when that third is a fraction.
 */
export function epochsFor(count: number, settings: Pick<UmapSettings, 'epochs'>): number {
  const wanted = settings.epochs > 0 ? settings.epochs : count <= 2500 ? 500 : 200;
  return Math.ceil(wanted / 3) * 3;
}
