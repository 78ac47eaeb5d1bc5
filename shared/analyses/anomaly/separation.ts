/**
 * How well a score separates anomalies from normal samples: the ROC and precision–recall
 * curves, their areas, and the confusion matrix at any threshold. A sample is called
 * anomalous when its score is at or above the threshold (higher scores are more anomalous:
 * reconstruction error, negative ELBO). Plain arithmetic, so the engine's job and the
 * renderer's live threshold slider compute the same figures.
 */

export interface CurvePoint {
  /** Samples scoring at or above this are called anomalous (`Infinity`: none is). */
  threshold: number;
  falsePositiveRate: number;
  truePositiveRate: number;
  /** Of the samples called anomalous, the share that are (1 when none is called). */
  precision: number;
}

export interface Separation {
  /** One point per distinct score, from the highest threshold (nothing called anomalous) down. */
  points: CurvePoint[];
  /** Area under the ROC curve: the chance that an anomaly outscores a normal sample, ties counting half. */
  auroc: number;
  /** Average precision as scikit-learn defines it: Σ (Rₙ − Rₙ₋₁) Pₙ over the thresholds, no interpolation. */
  averagePrecision: number;
  anomalies: number;
  normals: number;
}

export interface Confusion {
  threshold: number;
  truePositives: number;
  falsePositives: number;
  trueNegatives: number;
  falseNegatives: number;
  precision: number;
  recall: number;
  falsePositiveRate: number;
  f1: number;
}

function checkedCounts(scores: ArrayLike<number>, anomalous: ArrayLike<boolean>): { anomalies: number; normals: number } {
  if (scores.length !== anomalous.length) throw new Error(`${scores.length} scores but ${anomalous.length} labels: each sample needs both`);
  let anomalies = 0;
  for (let i = 0; i < scores.length; i += 1) {
    if (!Number.isFinite(scores[i])) throw new Error(`The score of sample ${i} is ${scores[i]}; every score must be a finite number`);
    if (anomalous[i]) anomalies += 1;
  }
  const normals = scores.length - anomalies;
  if (anomalies === 0 || normals === 0) throw new Error(`Separation needs normal and anomalous samples; the test set has ${normals} normal and ${anomalies} anomalous`);
  return { anomalies, normals };
}

export function separation(scores: ArrayLike<number>, anomalous: ArrayLike<boolean>): Separation {
  const { anomalies, normals } = checkedCounts(scores, anomalous);
  const order = Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => (scores[b] as number) - (scores[a] as number));
  const points: CurvePoint[] = [{ threshold: Infinity, falsePositiveRate: 0, truePositiveRate: 0, precision: 1 }];
  let tp = 0;
  let fp = 0;
  let auroc = 0;
  let averagePrecision = 0;
  for (let i = 0; i < order.length; ) {
    const threshold = scores[order[i] as number] as number;
    // Every sample with this score changes sides at once: a tie is one step of the curve.
    for (; i < order.length && scores[order[i] as number] === threshold; i += 1) {
      if (anomalous[order[i] as number]) tp += 1;
      else fp += 1;
    }
    const previous = points[points.length - 1] as CurvePoint;
    const point = { threshold, falsePositiveRate: fp / normals, truePositiveRate: tp / anomalies, precision: tp / (tp + fp) };
    // Trapezoids: a diagonal step (a tie across both classes) counts half, as the Mann–Whitney statistic does.
    auroc += (point.falsePositiveRate - previous.falsePositiveRate) * (point.truePositiveRate + previous.truePositiveRate) / 2;
    averagePrecision += (point.truePositiveRate - previous.truePositiveRate) * point.precision;
    points.push(point);
  }
  return { points, auroc, averagePrecision, anomalies, normals };
}

export function confusionAt(scores: ArrayLike<number>, anomalous: ArrayLike<boolean>, threshold: number): Confusion {
  const { anomalies, normals } = checkedCounts(scores, anomalous);
  let tp = 0;
  let fp = 0;
  for (let i = 0; i < scores.length; i += 1) {
    if ((scores[i] as number) < threshold) continue;
    if (anomalous[i]) tp += 1;
    else fp += 1;
  }
  return confusionFromCounts(threshold, tp, fp, anomalies, normals);
}

/**
 * The confusion matrix and its rates from the counts called anomalous at a threshold (true and
 * false positives) out of all anomalies and normals: one definition for every way of counting.
 * Precision with nothing called anomalous is 1 (no false alarm was raised), as scikit-learn's PR curve starts.
 */
export function confusionFromCounts(threshold: number, tp: number, fp: number, anomalies: number, normals: number): Confusion {
  const precision = tp + fp === 0 ? 1 : tp / (tp + fp);
  const recall = tp / anomalies;
  return {
    threshold,
    truePositives: tp,
    falsePositives: fp,
    trueNegatives: normals - fp,
    falseNegatives: anomalies - tp,
    precision,
    recall,
    falsePositiveRate: fp / normals,
    f1: tp === 0 ? 0 : (2 * precision * recall) / (precision + recall),
  };
}

/** The threshold that catches the most anomalies while calling at most `rate` of the normal samples anomalous. */
export function thresholdForFalsePositiveRate(curve: Separation, rate: number): number {
  let best = curve.points[0] as CurvePoint;
  for (const point of curve.points) if (point.falsePositiveRate <= rate && point.truePositiveRate > best.truePositiveRate) best = point;
  return best.threshold;
}

/** The threshold of the highest F1 (the first, i.e. the strictest, among equals). */
export function thresholdForBestF1(curve: Separation): number {
  let best = { threshold: Infinity, f1: -1 };
  for (const point of curve.points) {
    const f1 = point.truePositiveRate === 0 ? 0 : (2 * point.precision * point.truePositiveRate) / (point.precision + point.truePositiveRate);
    if (f1 > best.f1) best = { threshold: point.threshold, f1 };
  }
  return best.threshold;
}
