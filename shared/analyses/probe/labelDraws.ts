import { seededRandom, shuffledIndices } from '../../random.js';
import { minPerClassForValidation, validationShare, type LabelsPerClass } from './probeSpec.js';

export interface LabelDraw {
  seed: number;
  /** Dataset indices the classifier trains on, class by class. */
  train: number[];
  /** Dataset indices held out of the draw for early stopping; empty where a class has too few labels. */
  validation: number[];
}

/** The draw's seed from the job's seed, the labels-per-class count and the draw's number: adding a count changes no other draw. */
export function drawSeed(seed: number, labelsPerClass: LabelsPerClass, draw: number): number {
  const n = labelsPerClass === 'all' ? 0 : labelsPerClass;
  return (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) + Math.imul(n + 1, 0xc2b2ae35) + Math.imul(draw + 1, 0x27d4eb2f)) >>> 0;
}

/** The pool's indices grouped by class (labels −1 and beyond `classes` are not drawn). */
export function indicesByClass(pool: ArrayLike<number>, labels: ArrayLike<number>, classes: number): number[][] {
  const groups: number[][] = Array.from({ length: classes }, () => []);
  for (let i = 0; i < pool.length; i += 1) {
    const index = pool[i] as number;
    const label = labels[index] ?? -1;
    if (label >= 0 && label < classes) groups[label]?.push(index);
  }
  return groups;
}

/**
 * A stratified draw of `labelsPerClass` labelled samples of each class (every one where a
 * class has fewer, or for 'all'), and the validation set held out of it: a fifth of a class's
 * draw (at least one) where it drew at least `minPerClassForValidation`, else none of that class.
 * The same (groups, count, seed) gives the same draw on every runtime.
 */
export function drawLabels(groups: readonly (readonly number[])[], labelsPerClass: LabelsPerClass, seed: number): LabelDraw {
  const random = seededRandom(seed);
  const train: number[] = [];
  const validation: number[] = [];
  for (const group of groups) {
    const order = shuffledIndices(group.length, random);
    const take = labelsPerClass === 'all' ? group.length : Math.min(labelsPerClass, group.length);
    const drawn = Array.from(order.subarray(0, take), (i) => group[i] as number);
    const held = take >= minPerClassForValidation ? Math.max(1, Math.round(take * validationShare)) : 0;
    validation.push(...drawn.slice(0, held));
    train.push(...drawn.slice(held));
  }
  return { seed, train, validation };
}

/** Every draw of one job: per labels-per-class count, `draws` draws ('all' once: its draws would all be the same). */
export function jobDraws(groups: readonly (readonly number[])[], counts: readonly LabelsPerClass[], draws: number, seed: number): { labelsPerClass: LabelsPerClass; sets: LabelDraw[] }[] {
  return counts.map((labelsPerClass) => ({
    labelsPerClass,
    sets: Array.from({ length: labelsPerClass === 'all' ? 1 : draws }, (_, d) => drawLabels(groups, labelsPerClass, drawSeed(seed, labelsPerClass, d))),
  }));
}

/** The rule the view states beside the curve. */
export const validationRuleText = `Labels are drawn from the train split only, stratified by class; the test split is never drawn. Where a class has at least ${minPerClassForValidation} labels in a draw, ${Math.round(validationShare * 100)} % of them (at least one) are held out of training as that draw's validation set, which stops training (the best epoch's weights are kept); with fewer labels, every label trains and the epoch/step budget ends training. Features are standardised with the mean and deviation of the draw's training labels only, each feature's variance plus a tenth of the features' mean variance (so a feature that barely varies over a few labels is not blown up).`;
