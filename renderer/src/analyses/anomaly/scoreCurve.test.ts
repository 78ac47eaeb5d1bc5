import { describe, expect, it } from 'vitest';
import { confusionAt, thresholdForBestF1, thresholdForFalsePositiveRate } from '../../../../shared/analyses/anomaly/separation.js';
import { fixtureResult, fixtureRun } from './anomalyFixture.js';
import { countBelow, operatingPoint, prPoints, rocPoints, scoreCurve, scoreKeysOf, stepCount, stepOfThreshold, thinned, thresholdAtStep, type ScoreCurve } from './scoreCurve.js';

function curveOf(result = fixtureResult(), run = 0, key: Parameters<typeof scoreCurve>[2] = 'mse'): ScoreCurve {
  const made = scoreCurve(result, result.runs[run]!, key);
  if ('problem' in made) throw new Error(made.problem);
  return made.curve;
}

/** Every tested sample's score and truth, in sample order, as confusionAt takes them. */
function tested(run = 0, key: 'mse' | 'pca' = 'mse') {
  const result = fixtureResult();
  const r = result.runs[run]!;
  const values = key === 'pca' ? r.pca!.values : r.scores[0]!.values;
  const kept = r.truth.flatMap((t, i) => (t === -1 ? [] : [i]));
  return { scores: kept.map((i) => values[i]!), anomalous: kept.map((i) => r.truth[i] === 1) };
}

describe('the operating point', () => {
  it('has the confusion matrix confusionAt computes over every sample, at every threshold between and on the scores', () => {
    for (const key of ['mse', 'pca'] as const) {
      const curve = curveOf(undefined, 0, key);
      const { scores, anomalous } = tested(0, key);
      const thresholds = [-1, Infinity, ...scores, ...scores.map((s) => s + 1e-9), ...scores.map((s) => s - 1e-9)];
      for (const t of thresholds) expect(operatingPoint(curve, t)).toEqual(confusionAt(scores, anomalous, t));
    }
  });

  it('lies on the ROC curve: each slider step is a curve point with the same rates as its confusion matrix', () => {
    const curve = curveOf();
    expect(stepCount(curve)).toBe(curve.separation.points.length);
    for (let step = 0; step < stepCount(curve); step += 1) {
      const threshold = thresholdAtStep(curve, step);
      const point = curve.separation.points[curve.separation.points.length - 1 - step]!;
      const confusion = operatingPoint(curve, threshold);
      expect(confusion.falsePositiveRate).toBe(point.falsePositiveRate);
      expect(confusion.recall).toBe(point.truePositiveRate);
      expect(stepOfThreshold(curve, threshold)).toBe(step);
    }
    // Step 0 calls everything anomalous, the last step nothing.
    expect(operatingPoint(curve, thresholdAtStep(curve, 0)).falsePositiveRate).toBe(1);
    expect(thresholdAtStep(curve, stepCount(curve) - 1)).toBe(Infinity);
  });

  it('finds the step of a threshold picked by false-positive rate or F1, and a typed threshold between scores', () => {
    const curve = curveOf();
    const { scores, anomalous } = tested();
    const byRate = thresholdForFalsePositiveRate(curve.separation, 0.34);
    expect(operatingPoint(curve, byRate).falsePositiveRate).toBeLessThanOrEqual(0.34);
    expect(thresholdAtStep(curve, stepOfThreshold(curve, byRate))).toBe(byRate);
    const byF1 = thresholdForBestF1(curve.separation);
    expect(operatingPoint(curve, byF1)).toEqual(confusionAt(scores, anomalous, byF1));
    // 0.035 lies between the scores 0.03 and 0.04: its operating point is 0.04's.
    expect(thresholdAtStep(curve, stepOfThreshold(curve, 0.035))).toBe(0.04);
    expect(stepOfThreshold(curve, 99)).toBe(stepCount(curve) - 1);
    expect(stepOfThreshold(curve, -99)).toBe(0);
  });

  it('counts by binary search', () => {
    const sorted = Float64Array.from([1, 2, 2, 3]);
    expect([0, 1, 2, 2.5, 3, 4].map((t) => countBelow(sorted, t))).toEqual([0, 0, 1, 3, 3, 4]);
  });
});

describe('a score curve', () => {
  it('is computed once per run and score, from the tested samples only', () => {
    const result = fixtureResult();
    // Sample 11 (a triangle) is not in the first run's test.
    result.runs[0]!.truth[11] = -1;
    const curve = curveOf(result);
    expect(curve.normals.values.length + curve.anomalies.values.length).toBe(11);
    expect(curve.anomalies.positions).not.toContain(11);
    expect([...curve.normals.values]).toEqual([0.01, 0.02, 0.03, 0.05]);
    expect(curve.min).toBe(0.01);
    expect(curve.max).toBe(0.11);
  });

  it('says why a result makes no sense instead of giving NaN', () => {
    const labels = [0, 0, 1];
    const result = { ...fixtureResult(), samples: { source: [0, 0, 0] as Array<0 | 1>, index: [0, 1, 2], label: labels } };
    const onlyNormal = fixtureRun('20260101120000-0000c3', [0, 1], labels, [0.1, 0.2, 0.3]);
    const problem = scoreCurve(result, onlyNormal, 'mse');
    expect(problem).toEqual({ problem: expect.stringContaining('has no anomalies') });
    expect(scoreCurve(result, onlyNormal, 'negativeElbo')).toEqual({ problem: 'run c3 has no negative ELBO score' });
    const short = { ...fixtureRun('20260101120000-0000c3', [0], labels, [0.1, 0.2, 0.3]), truth: [0, 1] as Array<0 | 1> };
    expect(scoreCurve(result, short, 'mse')).toEqual({ problem: expect.stringContaining('3 samples, but run c3') });
  });

  it('lists a run’s scores with its primary first and PCA last', () => {
    const run = { ...fixtureResult().runs[0]!, primary: 'bce' as const };
    expect(scoreKeysOf(run)).toEqual(['bce', 'mse', 'pca']);
    expect(scoreKeysOf({ ...run, pca: null })).toEqual(['bce', 'mse']);
  });

  it('is thinned for drawing to within the resolution, keeping its ends', () => {
    const dense = Array.from({ length: 10_001 }, (_, i) => ({ x: i / 10_000, y: Math.sqrt(i / 10_000) }));
    const drawn = thinned(dense, 500);
    expect(drawn.length).toBeLessThan(1100);
    expect(drawn[0]).toEqual(dense[0]);
    expect(drawn.at(-1)).toEqual(dense.at(-1));
    const curve = curveOf();
    expect(rocPoints(curve)[0]).toEqual({ x: 0, y: 0 });
    expect(rocPoints(curve).at(-1)).toEqual({ x: 1, y: 1 });
    expect(prPoints(curve).at(-1)).toEqual({ x: 1, y: 8 / 12 });
  });
});
