import { describe, expect, it } from 'vitest';
import { runSummary } from '../../testing/analysisFixtures.js';
import { fixtureResult } from './anomalyFixture.js';
import { oneClassTable } from './oneClassTable.js';

describe('the one-class table', () => {
  it('has a row per normal class with the primary score’s and PCA’s AUROC, counts, and their means', () => {
    const result = fixtureResult();
    const table = oneClassTable(result)!;
    expect(table.rows.map((r) => r.normal)).toEqual(['circle', 'square']);
    expect(table.rows.map((r) => [r.normalCount, r.anomalyCount])).toEqual([
      [4, 8],
      [4, 8],
    ]);
    expect(table.rows[0]!.auroc).toBe(result.runs[0]!.scores[0]!.auroc);
    expect(table.meanAuroc).toBeCloseTo((result.runs[0]!.scores[0]!.auroc + result.runs[1]!.scores[0]!.auroc) / 2, 12);
    expect(table.meanPcaAuroc).toBeCloseTo((result.runs[0]!.pca!.auroc + result.runs[1]!.pca!.auroc) / 2, 12);
  });

  it('is only there when the runs differ in their normal classes alone', () => {
    const result = fixtureResult();
    expect(oneClassTable({ ...result, runs: [result.runs[0]!] })).toBeNull();
    expect(oneClassTable({ ...result, runs: [result.runs[0]!, { ...result.runs[1]!, latentDim: 4 }] })).toBeNull();
    expect(oneClassTable({ ...result, runs: [result.runs[0]!, { ...result.runs[1]!, normalClasses: [0] }] })).toBeNull();
    expect(oneClassTable({ ...result, runs: [result.runs[0]!, { ...result.runs[1]!, normalClasses: null }] })).toBeNull();
    // With the configurations known, a different learning rate is not a one-class sweep; a different name is.
    const [a, b] = result.runs.map((r) => r.runId) as [string, string];
    const config = (id: string, rest: object) => [id, { ...runSummary(id, rest).config }] as const;
    expect(oneClassTable(result, new Map([config(a, { normalClasses: [0], name: 'x' }), config(b, { normalClasses: [1], name: 'y' })]))).not.toBeNull();
    expect(oneClassTable(result, new Map([config(a, { normalClasses: [0] }), config(b, { normalClasses: [1], learningRate: 0.01 })]))).toBeNull();
    expect(oneClassTable(result, new Map([config(a, { normalClasses: [0], architectureParams: { filters: 8 } }), config(b, { normalClasses: [1], architectureParams: { filters: 16 } })]))).toBeNull();
  });

  it('lists the classes in their order, whatever the order of the runs, each row pointing at its run', () => {
    const result = fixtureResult();
    const table = oneClassTable({ ...result, runs: [...result.runs].reverse() })!;
    expect(table.rows.map((r) => [r.normal, r.runIndex, r.runId])).toEqual([
      ['circle', 1, result.runs[0]!.runId],
      ['square', 0, result.runs[1]!.runId],
    ]);
  });

  it('leaves PCA’s mean out unless every run has PCA', () => {
    const result = fixtureResult();
    result.runs[1]!.pca = null;
    expect(oneClassTable(result)!.meanPcaAuroc).toBeNull();
  });

  it('leaves a run without a finite primary AUROC out of the mean, and has no mean when none has one', () => {
    const result = fixtureResult();
    const kept = result.runs[0]!.scores[0]!.auroc;
    result.runs[1]!.scores = result.runs[1]!.scores.filter((s) => s.score !== result.runs[1]!.primary);
    const table = oneClassTable(result)!;
    expect(Number.isNaN(table.rows[1]!.auroc)).toBe(true);
    expect(table.meanAuroc).toBe(kept);
    result.runs[0]!.scores[0]!.auroc = NaN;
    expect(oneClassTable(result)!.meanAuroc).toBeNull();
  });
});
