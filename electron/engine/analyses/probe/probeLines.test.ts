import { describe, expect, it } from 'vitest';
import { probeLineSchema } from '../../../../shared/analyses/probe/probeSpec.js';
import { classifierSeed, lineIdOf, lineLabelOf } from './probeLines.js';

const runId = '20250101120000-abcdef';

describe('probe lines', () => {
  it("are named <runId>:<kind>, 'pixels' and 'pca-<k>', ids the result schema takes", () => {
    const ids = [lineIdOf('frozen', runId), lineIdOf('finetune', runId), lineIdOf('knn1', runId), lineIdOf('knn5', runId), lineIdOf('scratch', runId), lineIdOf('pixels', null), lineIdOf('pca', null, 32)];
    expect(ids).toEqual([`${runId}:frozen`, `${runId}:finetune`, `${runId}:knn1`, `${runId}:knn5`, `${runId}:scratch`, 'pixels', 'pca-32']);
    for (const id of ids) expect(probeLineSchema.shape.id.safeParse(id).success).toBe(true);
    expect(() => lineIdOf('frozen', null)).toThrow(/belongs to a run/);
    expect(lineLabelOf('pca', null, 16)).toBe('PCA-16 codes');
  });

  it('seed each classifier from (seed, line, count, draw): the same four give the same seed, any other gives another', () => {
    const seed = classifierSeed(0, 'pixels', 5, 1);
    expect(classifierSeed(0, 'pixels', 5, 1)).toBe(seed);
    const others = [classifierSeed(1, 'pixels', 5, 1), classifierSeed(0, 'pca-32', 5, 1), classifierSeed(0, 'pixels', 50, 1), classifierSeed(0, 'pixels', 'all', 1), classifierSeed(0, 'pixels', 5, 2)];
    expect(new Set([seed, ...others]).size).toBe(6);
    for (const s of [seed, ...others]) expect(Number.isInteger(s) && s >= 0 && s < 2 ** 31).toBe(true);
  });
});
