import { describe, expect, it } from 'vitest';
import { confusionAt, separation, thresholdForBestF1, thresholdForFalsePositiveRate } from './separation.js';

describe('separation of anomalies by a score', () => {
  it('gives 1 for a perfect score, 0 for a reversed one and ½ when every score is the same', () => {
    const anomalous = [false, false, true, true];
    expect(separation([0.1, 0.2, 0.8, 0.9], anomalous)).toMatchObject({ auroc: 1, averagePrecision: 1 });
    expect(separation([0.9, 0.8, 0.2, 0.1], anomalous).auroc).toBe(0);
    const flat = separation([0.5, 0.5, 0.5, 0.5], anomalous);
    expect(flat.auroc).toBe(0.5);
    expect(flat.averagePrecision).toBe(0.5);
  });

  it('works a small case by hand: AUROC counts the pairs an anomaly wins, ties half', () => {
    // Anomalies 0.9, 0.4; normals 0.6, 0.4, 0.1. Pairs won: 0.9 beats all 3; 0.4 beats 0.1, ties 0.4 → 4.5 of 6.
    const scores = [0.9, 0.6, 0.4, 0.4, 0.1];
    const anomalous = [true, false, true, false, false];
    const curve = separation(scores, anomalous);
    expect(curve.auroc).toBeCloseTo(4.5 / 6, 12);
    // Recall ½ at precision 1 (threshold 0.9), then recall 1 at precision 2/4 (threshold 0.4).
    expect(curve.averagePrecision).toBeCloseTo(0.5 * 1 + 0.5 * 0.5, 12);
    expect(curve.points.map((p) => p.threshold)).toEqual([Infinity, 0.9, 0.6, 0.4, 0.1]);
    expect(confusionAt(scores, anomalous, 0.6)).toMatchObject({ truePositives: 1, falsePositives: 1, trueNegatives: 2, falseNegatives: 1, precision: 0.5, recall: 0.5 });
    expect(thresholdForFalsePositiveRate(curve, 0)).toBe(0.9);
    expect(thresholdForFalsePositiveRate(curve, 2 / 3)).toBe(0.4);
    expect(thresholdForBestF1(curve)).toBe(0.9);
  });

  it('refuses a test set without both classes, scores that are not numbers, and labels that do not match', () => {
    expect(() => separation([0.1, 0.2], [false, false])).toThrow('Separation needs normal and anomalous samples; the test set has 2 normal and 0 anomalous');
    expect(() => separation([0.1, Number.NaN], [false, true])).toThrow('The score of sample 1 is NaN');
    expect(() => separation([0.1, 0.2, 0.3], [false, true])).toThrow('3 scores but 2 labels');
  });
});
