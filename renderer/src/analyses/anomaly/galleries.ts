import type { AnomalyResult } from '../../../../shared/analyses/anomaly/anomalySpec.js';
import { countBelow, type ScoreCurve, type SortedScores } from './scoreCurve.js';

export type GalleryId = 'mostAnomalous' | 'mostNormal' | 'missedAnomalies' | 'falseAlarms';

export interface GalleryTile {
  /** Where the sample is in the result's `samples`. */
  position: number;
  score: number;
  anomalous: boolean;
  /** 0: the runs' dataset, 1: the anomaly dataset. */
  source: 0 | 1;
  index: number;
  className: string;
}

export interface Gallery {
  id: GalleryId;
  title: string;
  help: string;
  tiles: GalleryTile[];
}

export function classNameOf(result: AnomalyResult, position: number): string {
  const label = result.samples.label[position] ?? -1;
  if (label < 0) return 'unlabelled';
  const names = result.samples.source[position] === 1 ? result.anomalyClassNames : result.classNames;
  return names?.[label] ?? `class ${label}`;
}

// One tile object per sample and curve: a tile still shown after the threshold moved is the same
// object, so its view is not drawn again while the slider is dragged.
const madeTiles = new WeakMap<SortedScores, Map<number, GalleryTile>>();

function tilesOf(result: AnomalyResult, scores: SortedScores, from: number, to: number, anomalous: boolean, descending: boolean): GalleryTile[] {
  let made = madeTiles.get(scores);
  if (!made) madeTiles.set(scores, (made = new Map()));
  const picks: number[] = [];
  for (let i = Math.max(0, from); i < Math.min(to, scores.values.length); i += 1) picks.push(i);
  if (descending) picks.reverse();
  return picks.map((i) => {
    const position = scores.positions[i] as number;
    let tile = made.get(position);
    if (!tile) {
      tile = { position, score: scores.values[i] as number, anomalous, source: result.samples.source[position] ?? 0, index: result.samples.index[position] ?? 0, className: classNameOf(result, position) };
      made.set(position, tile);
    }
    return tile;
  });
}

/** Merges two classes' highest (or lowest) `n` into one list by score. */
function merged(a: GalleryTile[], b: GalleryTile[], n: number, descending: boolean): GalleryTile[] {
  return [...a, ...b].sort((x, y) => (descending ? y.score - x.score : x.score - y.score)).slice(0, n);
}

/**
 * The four galleries at a threshold: the highest and lowest scores over all tested samples,
 * the anomalies scoring just below the threshold (missed), and the normal samples just at or
 * above it (false alarms), each nearest the threshold first.
 */
export function galleries(result: AnomalyResult, curve: ScoreCurve, threshold: number, n = 8): Gallery[] {
  const { normals, anomalies } = curve;
  const anomalyCut = countBelow(anomalies.values, threshold);
  const normalCut = countBelow(normals.values, threshold);
  const top = (s: SortedScores, anomalous: boolean): GalleryTile[] => tilesOf(result, s, s.values.length - n, s.values.length, anomalous, true);
  const bottom = (s: SortedScores, anomalous: boolean): GalleryTile[] => tilesOf(result, s, 0, n, anomalous, false);
  return [
    { id: 'mostAnomalous', title: 'Most anomalous', help: 'the highest scores of the test set', tiles: merged(top(normals, false), top(anomalies, true), n, true) },
    { id: 'mostNormal', title: 'Most normal', help: 'the lowest scores of the test set', tiles: merged(bottom(normals, false), bottom(anomalies, true), n, false) },
    { id: 'missedAnomalies', title: 'Missed anomalies', help: 'anomalies just below the threshold (false negatives), nearest first', tiles: tilesOf(result, anomalies, anomalyCut - n, anomalyCut, true, true) },
    { id: 'falseAlarms', title: 'False alarms', help: 'normal samples at or just above the threshold (false positives), nearest first', tiles: tilesOf(result, normals, normalCut, normalCut + n, false, false) },
  ];
}
