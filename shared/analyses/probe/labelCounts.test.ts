import { describe, expect, it } from 'vitest';
import { parseLabelCounts, sortedLabelCounts } from './labelCounts.js';

describe('labels per class as typed', () => {
  it('reads counts and all with or without spaces, sorted ascending with all last', () => {
    expect(parseLabelCounts('1, 5,10,all')).toEqual({ counts: [1, 5, 10, 'all'] });
    expect(parseLabelCounts(' ALL , 100, 1,50 ')).toEqual({ counts: [1, 50, 100, 'all'] });
    expect(parseLabelCounts('7')).toEqual({ counts: [7] });
  });

  it('refuses zero, fractions, words, repeats and empty entries, naming the entry', () => {
    expect(parseLabelCounts('1, 0')).toEqual({ problem: "'0' is not a count of labels per class (a whole number ≥ 1, or all)" });
    expect(parseLabelCounts('2.5')).toEqual({ problem: "'2.5' is not a count of labels per class (a whole number ≥ 1, or all)" });
    expect(parseLabelCounts('x')).toEqual({ problem: "'x' is not a count of labels per class (a whole number ≥ 1, or all)" });
    expect(parseLabelCounts('-3')).toEqual({ problem: "'-3' is not a count of labels per class (a whole number ≥ 1, or all)" });
    expect(parseLabelCounts('5, all, 5')).toEqual({ problem: '5 is given twice' });
    expect(parseLabelCounts('all, ALL')).toEqual({ problem: 'all is given twice' });
    expect(parseLabelCounts('1,,5')).toEqual({ problem: expect.stringMatching(/^an entry is empty/) as string });
    expect(parseLabelCounts('  ')).toEqual({ problem: "list at least one count, such as '1, 5, 10, all'" });
  });

  it('refuses what the spec would: a count above the limit, more counts than a probe takes', () => {
    expect(parseLabelCounts('2000000')).toEqual({ problem: "'2000000' is more than the lab's limit of 1,000,000 labels per class" });
    expect(parseLabelCounts(Array.from({ length: 21 }, (_, i) => i + 1).join(','))).toEqual({ problem: 'at most 20 counts can be probed at once; 21 were given' });
    expect(parseLabelCounts(Array.from({ length: 20 }, (_, i) => i + 1).join(','))).toHaveProperty('counts');
  });

  it('sorts a list without changing it', () => {
    const given = ['all', 10, 1] as const;
    expect(sortedLabelCounts(given)).toEqual([1, 10, 'all']);
    expect(given).toEqual(['all', 10, 1]);
  });
});
