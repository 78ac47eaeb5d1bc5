import { describe, expect, it } from 'vitest';
import type { ClassifierFiles } from '../../../../shared/analyses/probe/classifierInfo.js';
import { classifierDownloads } from './classifierDownload.js';

const files = (modelJson: string): ClassifierFiles => ({
  info: { jobId: 'j1', lineId: 'r:frozen', kind: 'frozen', label: 'dense AE — frozen', runId: '20260101120000-0000a1', labelsPerClass: 5, draw: 0, datasetId: 'shapes', classNames: ['a', 'b'], inputShape: [32, 32, 1], inputScaling: { offset: 0, factor: 1 / 255 }, testAccuracy: 0.8 },
  modelJson,
  weights: new Uint8Array([1, 2, 3, 4]),
});
const model = (paths: string[]) => JSON.stringify({ modelTopology: { class_name: 'Sequential' }, format: 'layers-model', weightsManifest: [{ paths, weights: [{ name: 'dense/kernel', shape: [1], dtype: 'float32' }] }] });

describe('a kept classifier as downloads', () => {
  it('saves model.json naming weights.bin, the weights, and classifier.json with its version', () => {
    const [json, weights, info] = classifierDownloads(files(model(['./group1-shard1of1.bin'])));
    expect(json?.filename).toBe('model.json');
    const parsed = JSON.parse(json?.content as string) as { weightsManifest: Array<{ paths: string[]; weights: unknown[] }>; modelTopology: unknown };
    expect(parsed.weightsManifest[0]?.paths).toEqual(['weights.bin']);
    expect(parsed.weightsManifest[0]?.weights).toHaveLength(1);
    expect(parsed.modelTopology).toEqual({ class_name: 'Sequential' });
    expect(weights).toMatchObject({ filename: 'weights.bin', content: new Uint8Array([1, 2, 3, 4]) });
    expect(JSON.parse(info?.content as string)).toMatchObject({ formatVersion: 1, lineId: 'r:frozen', labelsPerClass: 5, classNames: ['a', 'b'] });
  });

  it('refuses a model.json that is not one tfjs layers model with one weights file', () => {
    expect(() => classifierDownloads(files('{'))).toThrow("The classifier's model.json of dense AE — frozen is not JSON");
    expect(() => classifierDownloads(files(JSON.stringify({ modelTopology: {}, weightsManifest: [{ paths: ['a'], weights: [] }, { paths: ['b'], weights: [] }] })))).toThrow(/one weights file/);
  });
});
