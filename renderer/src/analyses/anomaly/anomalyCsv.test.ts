import { describe, expect, it } from 'vitest';
import { fixtureResult } from './anomalyFixture.js';
import { anomalyCsv, fileStem } from './anomalyCsv.js';

describe('the scores as CSV', () => {
  it('has one row per scored sample with its dataset, index, class, truth for the chosen run and each score, PCA last', () => {
    const result = fixtureResult();
    const lines = anomalyCsv(result, 1).trimEnd().split('\n');
    expect(lines[0]).toBe('dataset,index,class,truth,mse,bce,pca_k8_mse');
    expect(lines).toHaveLength(13);
    // Sample 0 is a circle: anomalous to the run trained on squares.
    expect(lines[1]).toBe(`shapes,100,circle,1,0.08,${0.08 * 3 + 0.1},${0.08 * 0.9}`);
    expect(lines[5]?.split(',').slice(0, 4)).toEqual(['shapes', '104', 'square', '0']);
  });

  it('names out-of-distribution samples by their own dataset and classes, and quotes names with commas', () => {
    const result = fixtureResult();
    result.anomalies = { from: 'dataset', datasetId: 'my-letters' };
    result.anomalyClassNames = ['a, b'];
    result.samples.source[11] = 1;
    result.samples.label[11] = 0;
    result.runs[0]!.truth[10] = -1;
    const lines = anomalyCsv(result, 0).trimEnd().split('\n');
    expect(lines[12]?.startsWith('my-letters,111,"a, b",1,')).toBe(true);
    expect(lines[11]?.split(',')[3]).toBe('-1');
  });

  it('makes file names of run names', () => {
    expect(fileStem('conv plain d=8 · circle')).toBe('conv-plain-d-8-circle');
    expect(fileStem('···')).toBe('run');
  });
});
