import { describe, expect, it } from 'vitest';
import { probeCsv } from './probeCsv.js';
import { fixtureProbe, fixtureRunId } from './probeFixture.js';

describe('the learning curve as CSV', () => {
  it('has one row per line, count and draw, with what trained and how it stopped', () => {
    const result = fixtureProbe();
    result.lines[0]!.label = 'dense, "AE" — frozen';
    const lines = probeCsv(result).trimEnd().split('\n');
    expect(lines[0]).toBe('line,kind,run,labels_per_class,labelled_count,draw,accuracy,epochs,steps,stopped_by');
    // Six lines × (three counts × two draws + 'all' once).
    expect(lines).toHaveLength(1 + 6 * 7);
    expect(lines[1]).toBe(`"dense, ""AE"" — frozen",frozen,${fixtureRunId},1,5,0,0.5,12,12,budget`);
    expect(lines).toContain('pixels,pixels,,all,8000,0,0.8,12,12,validation');
    expect(lines).toContain(`dense AE — kNN-1,knn1,${fixtureRunId},5,25,1,0.64,0,0,none`);
  });
});
