import type { LabelsPerClass, ProbeLineKind } from '../../../../shared/analyses/probe/probeSpec.js';

/** A line's id, stable within a job: `<runId>:<kind>` for a run's lines, `pixels`, `pca-<k>`. */
export function lineIdOf(kind: ProbeLineKind, runId: string | null, k?: number): string {
  if (kind === 'pixels') return 'pixels';
  if (kind === 'pca') {
    if (k === undefined) throw new Error('a PCA line needs its k');
    return `pca-${k}`;
  }
  if (runId === null) throw new Error(`a ${kind} line belongs to a run`);
  return `${runId}:${kind}`;
}

/** What the curve's legend says of a line. */
export function lineLabelOf(kind: ProbeLineKind, runName: string | null, k?: number): string {
  switch (kind) {
    case 'frozen':
      return `${runName ?? ''}: frozen codes`;
    case 'finetune':
      return `${runName ?? ''}: fine-tuned`;
    case 'knn1':
      return `${runName ?? ''}: 1-NN on codes`;
    case 'knn5':
      return `${runName ?? ''}: 5-NN on codes`;
    case 'scratch':
      return `${runName ?? ''}: same encoder from scratch`;
    case 'pixels':
      return 'raw pixels';
    case 'pca':
      return `PCA-${k ?? ''} codes`;
  }
}

/**
 * The seed of one classifier from the job's seed, its line, its labels-per-class count and its
 * draw (FNV-1a over the four): a line's classifiers are the same in every job with that seed,
 * whatever other lines or counts the job has.
 */
export function classifierSeed(seed: number, lineId: string, labelsPerClass: LabelsPerClass, draw: number): number {
  let hash = 0x811c9dc5;
  for (const ch of `${seed}|${lineId}|${labelsPerClass}|${draw}`) {
    hash ^= ch.charCodeAt(0);
    hash = Math.imul(hash, 0x01000193);
  }
  // Positive and below 2^31: what tfjs takes as a seed.
  return (hash >>> 0) % 0x7fffffff;
}
