import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { separation } from '../../../../shared/analyses/anomaly/separation.js';
import { missingPythonModule, referencePython as python } from '../../testing/referencePython.js';

const noScikitLearn = missingPythonModule('sklearn');

/** A seeded draw of scores where anomalies score higher on average, rounded so that ties occur across both classes. */
function draw(seed: number, count: number): { scores: number[]; anomalous: boolean[] } {
  let state = seed >>> 0;
  const next = (): number => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  const anomalous = Array.from({ length: count }, () => next() < 0.3);
  const scores = anomalous.map((a) => Math.round((next() + (a ? 0.4 : 0)) * 20) / 20);
  return { scores, anomalous };
}

describe('separation against scikit-learn', () => {
  it.skipIf(noScikitLearn !== null)(`agrees with scikit-learn's roc_auc_score, average_precision_score and roc_curve ${noScikitLearn ? `(skipped: ${noScikitLearn})` : ''}`, () => {
    for (const seed of [1, 2, 3]) {
      const { scores, anomalous } = draw(seed, 400);
      const reference = JSON.parse(
        execFileSync(python, ['-c', [
          'import json, sys',
          'from sklearn.metrics import roc_auc_score, average_precision_score, roc_curve',
          'd = json.load(sys.stdin)',
          'fpr, tpr, thr = roc_curve(d["y"], d["s"], drop_intermediate=False)',
          'print(json.dumps({"auroc": roc_auc_score(d["y"], d["s"]), "ap": average_precision_score(d["y"], d["s"]), "fpr": fpr.tolist(), "tpr": tpr.tolist(), "thr": thr[1:].tolist()}))',
        ].join('\n')], { input: JSON.stringify({ y: anomalous.map(Number), s: scores }) }).toString(),
      ) as { auroc: number; ap: number; fpr: number[]; tpr: number[]; thr: number[] };
      const curve = separation(scores, anomalous);
      expect(curve.auroc).toBeCloseTo(reference.auroc, 12);
      expect(curve.averagePrecision).toBeCloseTo(reference.ap, 12);
      expect(curve.points.map((p) => p.falsePositiveRate)).toEqual(reference.fpr.map((v) => expect.closeTo(v, 12) as unknown as number));
      expect(curve.points.map((p) => p.truePositiveRate)).toEqual(reference.tpr.map((v) => expect.closeTo(v, 12) as unknown as number));
      expect(curve.points.slice(1).map((p) => p.threshold)).toEqual(reference.thr);
    }
  });
});
