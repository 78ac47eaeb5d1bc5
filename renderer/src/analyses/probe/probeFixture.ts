import { validationRuleText } from '../../../../shared/analyses/probe/labelDraws.js';
import { meanAndStd } from '../../../../shared/analyses/probe/probeCurves.js';
import type { LabelsPerClass, ProbeLine, ProbeLineKind, ProbeResult } from '../../../../shared/analyses/probe/probeSpec.js';

/** Hand-made probe results for the view's tests and screenshots: accuracies chosen per draw, confusions that agree with them. */

export const fixtureRunId = '20260101120000-0000a1';
const classNames = ['square', 'ellipse', 'triangle', 'cross', 'star'];
/** Test samples of each class: 20, so that a draw's accuracy is whole counts of 100. */
const perClass = 20;

/** A confusion of `classes` × `perClass` test samples with `right` of them on the diagonal, the misses spread over the next classes. */
function confusionWith(right: number, shift: number): number[][] {
  const classes = classNames.length;
  const matrix = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  let left = right;
  for (let c = 0; c < classes; c += 1) {
    const row = matrix[c] as number[];
    const hits = Math.min(perClass, Math.max(0, Math.round(left / (classes - c))));
    left -= hits;
    row[c] = hits;
    row[(c + 1 + (shift % (classes - 1))) % classes] = perClass - hits;
  }
  return matrix;
}

function line(id: string, kind: ProbeLineKind, label: string, runId: string | null, features: number, accuracies: Record<string, number[]>, rest: Partial<ProbeLine> = {}): ProbeLine {
  const counts: LabelsPerClass[] = [1, 5, 10, 'all'];
  const labelled: Record<string, number> = { 1: 5, 5: 25, 10: 50, all: 8000 };
  return {
    id,
    kind,
    label,
    runId,
    features,
    compiledStep: kind === 'knn1' || kind === 'knn5' ? null : true,
    fallbackReason: null,
    exportable: kind !== 'knn1' && kind !== 'knn5',
    points: counts.map((n) => {
      const values = accuracies[String(n)] ?? [];
      const { mean, std } = meanAndStd(values);
      return {
        labelsPerClass: n,
        labelledCount: labelled[String(n)] ?? 0,
        draws: values.map((accuracy, draw) => {
          const confusion = confusionWith(Math.round(accuracy * perClass * classNames.length), draw);
          return { draw, accuracy, confusion, epochs: kind.startsWith('knn') ? 0 : 12 + draw, steps: kind.startsWith('knn') ? 0 : 12 + draw, stoppedBy: kind.startsWith('knn') ? ('none' as const) : n === 1 ? ('budget' as const) : ('validation' as const), seconds: 0.1 };
        }),
        meanAccuracy: mean,
        stdAccuracy: std,
      };
    }),
    ...rest,
  };
}

/** One run (frozen, fine-tuned, kNN-1, scratch) against pixels and PCA-8 on 1, 5, 10 labels per class and all, two draws ('all' one). */
export function fixtureProbe(): ProbeResult {
  const run = fixtureRunId;
  return {
    datasetId: 'shapes',
    classNames,
    draws: [1, 5, 10, 'all'].map((n) => ({ labelsPerClass: n as LabelsPerClass, sets: [{ seed: 1, train: [0], validation: [] }] })),
    testCount: perClass * classNames.length,
    head: 'softmax',
    lines: [
      line(`${run}:frozen`, 'frozen', 'dense AE — frozen', run, 8, { 1: [0.5, 0.6], 5: [0.7, 0.8], 10: [0.8, 0.84], all: [0.9] }),
      line(`${run}:finetune`, 'finetune', 'dense AE — fine-tuned', run, 8, { 1: [0.45, 0.55], 5: [0.74, 0.8], 10: [0.86, 0.9], all: [0.97] }),
      line(`${run}:knn1`, 'knn1', 'dense AE — kNN-1', run, 8, { 1: [0.4, 0.5], 5: [0.6, 0.64], 10: [0.7, 0.72], all: [0.88] }),
      line(`${run}:scratch`, 'scratch', 'dense AE — from scratch', run, 1024, { 1: [0.3, 0.34], 5: [0.5, 0.56], 10: [0.6, 0.7], all: [0.96] }, { compiledStep: false, fallbackReason: 'the dense encoder has a layer the compiled step does not support' }),
      line('pixels', 'pixels', 'pixels', null, 1024, { 1: [0.3, 0.4], 5: [0.44, 0.5], 10: [0.55, 0.6], all: [0.8] }),
      line('pca-8', 'pca', 'PCA, k = 8', null, 8, { 1: [0.42, 0.48], 5: [0.62, 0.7], 10: [0.7, 0.76], all: [0.85] }),
    ],
    validationRule: validationRuleText,
    seconds: 12.5,
  };
}
