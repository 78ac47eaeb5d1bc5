import { accuracyOf, labelsKey, perClassAccuracy, winners } from '../../../../shared/analyses/probe/probeCurves.js';
import type { ProbeLine, ProbePoint, ProbeResult } from '../../../../shared/analyses/probe/probeSpec.js';

/** A point of the curve whose confusion is shown: a line, a labels-per-class count (its key), and every draw summed or one draw. */
export interface PointChoice {
  lineId: string;
  count: string;
  draw: 'sum' | number;
}

export function pointOf(result: ProbeResult, choice: Pick<PointChoice, 'lineId' | 'count'>): { line: ProbeLine; point: ProbePoint } | null {
  const line = result.lines.find((l) => l.id === choice.lineId);
  const point = line?.points.find((p) => labelsKey(p.labelsPerClass) === choice.count);
  return line && point && point.draws.length > 0 ? { line, point } : null;
}

/**
 * The choice after the result or a click changed: kept where it still names a point (a draw
 * it lacks becomes the sum); else the winner at the fewest labels, else the first point.
 */
export function validChoice(result: ProbeResult, choice: PointChoice | null): PointChoice | null {
  const found = choice ? pointOf(result, choice) : null;
  if (choice && found) {
    const draw = choice.draw === 'sum' || found.point.draws.some((d) => d.draw === choice.draw) ? choice.draw : 'sum';
    return { ...choice, draw };
  }
  const first = [...winners(result.lines)][0];
  if (first) return { lineId: first[1].lineId, count: first[0], draw: 'sum' };
  for (const line of result.lines) {
    const point = line.points.find((p) => p.draws.length > 0);
    if (point) return { lineId: line.id, count: labelsKey(point.labelsPerClass), draw: 'sum' };
  }
  return null;
}

/** The confusion [true][predicted] of one draw, or of every draw of the point added up. */
export function confusionOfChoice(point: ProbePoint, draw: PointChoice['draw']): number[][] {
  const chosen = draw === 'sum' ? point.draws : point.draws.filter((d) => d.draw === draw);
  const size = chosen[0]?.confusion.length ?? 0;
  const sum = Array.from({ length: size }, () => new Array<number>(size).fill(0));
  for (const d of chosen) d.confusion.forEach((row, t) => row.forEach((count, p) => ((sum[t] as number[])[p] = ((sum[t] as number[])[p] ?? 0) + count)));
  return sum;
}

export interface ClassRow {
  index: number;
  name: string;
  /** Test samples of the class (summed over the draws where the confusion is). */
  tested: number;
  correct: number;
  accuracy: number;
  /** The class it is most often mistaken for, and how often; null where it never is. */
  confusedWith: { name: string; count: number } | null;
}

/** Per class of the result: its test samples in the confusion, how many were right, and what it was taken for most. */
export function classRows(classNames: readonly string[], confusion: readonly (readonly number[])[]): ClassRow[] {
  const accuracy = perClassAccuracy(confusion);
  return confusion.map((row, index) => {
    const tested = row.reduce((a, b) => a + b, 0);
    let worst = -1;
    row.forEach((count, p) => {
      if (p !== index && count > 0 && (worst < 0 || count > (row[worst] ?? 0))) worst = p;
    });
    return {
      index,
      name: classNames[index] ?? `class ${index}`,
      tested,
      correct: row[index] ?? 0,
      accuracy: accuracy[index] ?? NaN,
      confusedWith: worst < 0 ? null : { name: classNames[worst] ?? `class ${worst}`, count: row[worst] ?? 0 },
    };
  });
}

/** The accuracy of what is shown, read off the confusion (a draw's equals its recorded accuracy; the sum weighs draws by their test samples, all equal). */
export const shownAccuracy = (confusion: readonly (readonly number[])[]): number => accuracyOf(confusion);
