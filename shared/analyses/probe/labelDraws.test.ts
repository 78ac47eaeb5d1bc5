import { describe, expect, it } from 'vitest';
import { drawLabels, drawSeed, indicesByClass, jobDraws } from './labelDraws.js';

const labels = Int32Array.from({ length: 300 }, (_, i) => i % 3);
const pool = Array.from({ length: 240 }, (_, i) => i); // 240..299 stand in for the test split
const groups = indicesByClass(pool, labels, 3);

describe('label draws', () => {
  it('draws the same number of each class, only from the pool, with no index twice', () => {
    const draw = drawLabels(groups, 10, 7);
    const all = [...draw.train, ...draw.validation];
    expect(new Set(all).size).toBe(30);
    expect(all.every((i) => i < 240)).toBe(true);
    for (const c of [0, 1, 2]) expect(all.filter((i) => labels[i] === c)).toHaveLength(10);
  });

  it('holds out a fifth of each class for validation from twenty labels up, none below', () => {
    const twenty = drawLabels(groups, 20, 1);
    expect(twenty.validation).toHaveLength(12);
    for (const c of [0, 1, 2]) expect(twenty.validation.filter((i) => labels[i] === c)).toHaveLength(4);
    expect(drawLabels(groups, 50, 1).validation).toHaveLength(30);
    expect(drawLabels(groups, 19, 1).validation).toHaveLength(0);
    expect(drawLabels(groups, 10, 1).train).toHaveLength(30);
    expect(drawLabels(groups, 1, 1).train).toHaveLength(3);
  });

  it('is the same for the same seed, different for another, and takes a whole class where it has fewer', () => {
    expect(drawLabels(groups, 5, 3)).toEqual(drawLabels(groups, 5, 3));
    expect(drawLabels(groups, 5, 3).train).not.toEqual(drawLabels(groups, 5, 4).train);
    const everything = drawLabels(groups, 1000, 3);
    expect(everything.train.length + everything.validation.length).toBe(240);
    expect(drawLabels(groups, 'all', 3).train.length + drawLabels(groups, 'all', 3).validation.length).toBe(240);
  });

  it("gives each count its own seeds, independent of the other counts, and draws 'all' once", () => {
    const a = jobDraws(groups, [1, 10, 'all'], 4, 0);
    const b = jobDraws(groups, [10], 4, 0);
    expect(a[1]?.sets).toEqual(b[0]?.sets);
    expect(a.map((p) => p.sets.length)).toEqual([4, 4, 1]);
    expect(new Set([drawSeed(0, 1, 0), drawSeed(0, 1, 1), drawSeed(0, 10, 0), drawSeed(1, 1, 0), drawSeed(0, 'all', 0)]).size).toBe(5);
  });

  it('leaves out unlabelled samples', () => {
    const withUnlabelled = Int32Array.from([0, -1, 1, 5, 0]);
    expect(indicesByClass([0, 1, 2, 3, 4], withUnlabelled, 2)).toEqual([[0, 4], [2]]);
  });
});
