/** One line of an XY chart. */
export interface XySeries {
  label: string;
  points: Array<{ x: number; y: number }>;
  /** A baseline (PCA): drawn in the text colour, dashed, without markers. */
  baseline?: boolean;
  dashed?: boolean;
  /** A dense curve (one point per k) reads better without a marker at every point. */
  markers?: boolean;
}
