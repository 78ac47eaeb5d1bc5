import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleSize, splitCode, type DatasetData } from '../../format/datasets/datasetData.js';
import { generateShapes } from '../datasets/builtin/shapes.js';
import { Lab } from '../lab.js';
import { tempDir } from '../testing/fixtures.js';

let workspace: string;
let lab: Lab;
let runId: string;
const small = generateShapes({ count: 600, size: 16, seed: 2 });
/** Same shape, other content: out-of-distribution samples for the run. */
const other = generateShapes({ count: 300, size: 16, seed: 9 });
const tiny = generateShapes({ count: 200, size: 8, seed: 3 });
const normal = [0, 2];

beforeAll(async () => {
  workspace = await tempDir('aelab-normal-');
  lab = Lab.open({ workspace: join(workspace, 'ws'), host: 'cli', fashionMnistDir: '' });
  await lab.datasets.save(small, 'Small', { id: 'small' });
  await lab.datasets.save(other, 'Other', { id: 'other' });
  await lab.datasets.save(tiny, 'Tiny', { id: 'tiny' });
  const run = await lab.call('runs.create', { config: { datasetId: 'small', normalClasses: normal, architecture: 'dense', objective: 'plain', latentDim: 2, epochs: 1, batchSize: 32, seed: 4 } });
  runId = run.id;
  await lab.runs.idle();
}, 120_000);

afterAll(async () => {
  lab.models.closeAll();
  await rm(workspace, { recursive: true, force: true });
});

/** A sample as the model takes it: the stored values through the dataset's scaling, in float32. */
const modelInput = (data: DatasetData, index: number): Float32Array => {
  const size = sampleSize(data.shape);
  return Float32Array.from(data.samples.subarray(index * size, (index + 1) * size), (v) => (v - data.transform.offset) * data.transform.factor);
};

const testIndices = (data: DatasetData, classes?: readonly number[]): number[] =>
  Array.from(data.splits.keys()).filter((i) => data.splits[i] === splitCode.test && (classes === undefined || classes.includes(data.labels[i] ?? -1)));

/** The Shapes set with every test sample of `cls` moved to validation: a class the test split lacks. */
function withoutTestSamplesOf(data: DatasetData, cls: number): DatasetData {
  const splits = Uint8Array.from(data.splits, (split, i) => (split === splitCode.test && data.labels[i] === cls ? splitCode.validation : split));
  return { ...data, splits };
}

describe('a run trained on normal classes', () => {
  it('trains, and its test codes are those of the normal classes’ test samples, with their labels', async () => {
    expect((await lab.runs.get(runId)).status).toBe('completed');
    const codes = await lab.call('runs.codes', { id: runId });
    const expected = testIndices(small, normal);
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(testIndices(small).length);
    expect(Array.from(codes.indices)).toEqual(expected);
    expect(Array.from(codes.labels)).toEqual(expected.map((i) => small.labels[i]));
    expect(codes.shape).toEqual([expected.length, 2]);
    expect(codes.codes.length).toBe(expected.length * 2);
  });

  it('reconstructs samples of its dataset, anomalies included: the originals at model scale, reconstructions of the same shape', async () => {
    const anomalous = testIndices(small).find((i) => !normal.includes(small.labels[i] ?? -1)) ?? -1;
    const indices = [0, 5, anomalous, small.labels.length - 1];
    const reply = await lab.call('runs.reconstruct', { id: runId, indices: Int32Array.from(indices) });
    expect(reply.shape).toEqual([4, 16, 16, 1]);
    const size = 16 * 16;
    indices.forEach((index, k) => expect(reply.originals.subarray(k * size, (k + 1) * size)).toEqual(modelInput(small, index)));
    expect(reply.reconstructions.length).toBe(reply.originals.length);
    expect(reply.reconstructions.every((v) => Number.isFinite(v))).toBe(true);
    // A reconstruction is the model's, not a copy of its input.
    expect(reply.reconstructions).not.toEqual(reply.originals);
  });

  it('reconstructs samples of another dataset of its shape, and refuses one of another shape and indices past the end', async () => {
    const reply = await lab.call('runs.reconstruct', { id: runId, indices: Int32Array.from([1, 299]), datasetId: 'other' });
    expect(reply.shape).toEqual([2, 16, 16, 1]);
    expect(reply.originals.subarray(0, 256)).toEqual(modelInput(other, 1));
    expect(reply.originals.subarray(256)).toEqual(modelInput(other, 299));
    await expect(lab.call('runs.reconstruct', { id: runId, indices: Int32Array.from([0]), datasetId: 'tiny' })).rejects.toThrow("Dataset tiny's samples are 8×8×1; the run's model takes 16×16×1");
    await expect(lab.call('runs.reconstruct', { id: runId, indices: Int32Array.from([300]), datasetId: 'other' })).rejects.toThrow('sample 300 is out of range; dataset other has 300 samples (0–299)');
    await expect(lab.call('runs.reconstruct', { id: runId, indices: Int32Array.from([0]), datasetId: 'nope' })).rejects.toThrow("No dataset with id 'nope'");
    // After a refusal, the model still answers.
    expect((await lab.call('runs.reconstruct', { id: runId, indices: Int32Array.from([2]) })).shape).toEqual([1, 16, 16, 1]);
  });

  it('codes the normal classes’ validation samples where the test split has none of them, as the engine does', async () => {
    const data = withoutTestSamplesOf(generateShapes({ count: 600, size: 16, seed: 5 }), 1);
    await lab.datasets.save(data, 'No test of 1', { id: 'no-test' });
    const run = await lab.call('runs.create', { config: { datasetId: 'no-test', normalClasses: [1], architecture: 'dense', objective: 'plain', latentDim: 2, epochs: 1, batchSize: 32, seed: 4 } });
    await lab.runs.idle();
    expect((await lab.runs.get(run.id)).status).toBe('completed');
    const codes = await lab.call('runs.codes', { id: run.id });
    const validation = Array.from(data.splits.keys()).filter((i) => data.splits[i] === splitCode.validation && data.labels[i] === 1);
    expect(validation.length).toBeGreaterThan(0);
    expect(Array.from(codes.indices)).toEqual(validation);
    expect(codes.shape).toEqual([validation.length, 2]);
  }, 120_000);
});
