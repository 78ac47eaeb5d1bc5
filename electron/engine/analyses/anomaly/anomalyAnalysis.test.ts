import type * as TF from '@tensorflow/tfjs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anomalyResultSchema, anomalySpecSchema, type AnomalyResult, type AnomalySpec } from '../../../../shared/analyses/anomaly/anomalySpec.js';
import type { DatasetData } from '../../../format/datasets/datasetData.js';
import { DatasetFolder } from '../../../format/datasets/datasetFolder.js';
import { RunFolder } from '../../../format/runs/runFolder.js';
import { loadBackend, type LoadedBackend } from '../../backend.js';
import { loadTrainingData } from '../../runs/loadTrainingData.js';
import { loadCheckpointModels } from '../../runs/modelService.js';
import { restrictToClasses } from '../../training/classSubset.js';
import { computePca } from '../pca/pcaCompute.js';
import { createShapesRun, trainShapesRun, writeShapesDataset } from '../../testing/workspaceRuns.js';
import type { AnalysisContext } from '../analysis.js';
import { anomalyAnalysis } from './anomalyAnalysis.js';

let backend: LoadedBackend;
let workspace: string;
let shapes: DatasetData;
/** Dense AE on squares, ellipses and triangles; a VAE on the same; a run on every class. */
let normalOnly: string;
let vae: string;
let everyClass: string;
/** A run on Shapes without labels. */
let unlabelledRun: string;

const context = (messages: string[]): AnalysisContext => ({ tf: backend.tf, workspace, jobId: 'test', progress: (p) => messages.push(p.message) });
const analyse = (spec: Partial<AnomalySpec> & { runIds: string[] }, messages: string[] = []): Promise<AnomalyResult> => anomalyAnalysis.run(context(messages), anomalySpecSchema.parse(spec));
const dense = { datasetId: 'shapes', architecture: 'dense', architectureParams: { hiddenWidths: [256] }, latentDim: 16, reconstructionLoss: 'bce', batchSize: 32, learningRate: 3e-3, seed: 3 } as const;

beforeAll(async () => {
  backend = await loadBackend();
  workspace = await mkdtemp(join(tmpdir(), 'aelab-anomaly-'));
  shapes = await writeShapesDataset(workspace, 'shapes', { count: 2000, size: 32, seed: 4 });
  await writeShapesDataset(workspace, 'small-shapes', { count: 100, size: 8, seed: 4 });
  const unlabelled = await writeShapesDataset(workspace, 'unlabelled', { count: 300, size: 32, seed: 5 }, true);
  normalOnly = await trainShapesRun(backend, workspace, shapes, { ...dense, objective: 'plain', normalClasses: [0, 1, 2], epochs: 20 });
  vae = await trainShapesRun(backend, workspace, shapes, { ...dense, objective: 'variational', normalClasses: [0, 1, 2], epochs: 2 });
  everyClass = await trainShapesRun(backend, workspace, shapes, { ...dense, objective: 'plain', epochs: 1 });
  unlabelledRun = await trainShapesRun(backend, workspace, unlabelled, { ...dense, datasetId: 'unlabelled', objective: 'plain', epochs: 1 });
}, 180_000);
afterAll(async () => {
  await rm(workspace, { recursive: true, force: true });
});

describe('anomaly scores of runs trained on normal classes only', () => {
  it('scores the two unseen shapes higher than the three it was trained on, with PCA-k on the same normal data beside it, and frees every tensor', async () => {
    const before = backend.tf.memory().numTensors;
    const messages: string[] = [];
    const result = await analyse({ runIds: [normalOnly], anomalies: { from: 'other-classes' } }, messages);
    expect(backend.tf.memory().numTensors).toBe(before);
    expect(messages.some((m) => m.includes("run 'dense plain d=16'"))).toBe(true);
    expect(anomalyResultSchema.parse(JSON.parse(JSON.stringify(result)))).toEqual(result);
    const [run] = result.runs;
    // The test split, every class, in index order.
    const test = [...shapes.splits.entries()].filter(([, s]) => s === 2).map(([i]) => i);
    expect(result.samples.index).toEqual(test);
    expect(result.samples.label).toEqual(test.map((i) => shapes.labels[i]));
    expect(run?.truth).toEqual(test.map((i) => ((shapes.labels[i] ?? 0) <= 2 ? 0 : 1)));
    expect(run?.normalCount).toBe(run?.truth.filter((t) => t === 0).length);
    expect(run?.primary).toBe('mse');
    expect(run?.scores.map((s) => s.score)).toEqual(['mse', 'bce']);
    const mse = run?.scores[0];
    expect(mse?.auroc).toBeGreaterThan(0.8);
    expect(mse?.averagePrecision).toBeGreaterThan(0.6);
    expect(run?.pca?.k).toBe(16);
    expect(run?.pca?.values).toHaveLength(test.length);
    expect(run?.pca?.auroc).toBeGreaterThan(0.5);
    // PCA-16 fitted on the normal classes' train split: on their test samples, its error is the PCA curve's at k = 16.
    const normalPca = await computePca(backend.tf, restrictToClasses(await loadTrainingData(DatasetFolder.inWorkspace(workspace, 'shapes').dataFile).then((d) => d.data), [0, 1, 2]), { maxComponents: 16 });
    const normalErrors = (run?.pca?.values ?? []).filter((_, i) => run?.truth[i] === 0);
    expect(normalErrors.reduce((a, b) => a + b, 0) / normalErrors.length).toBeCloseTo(normalPca.testMse[16] ?? NaN, 5);
    // float32 values: what result.json keeps.
    expect(mse?.values.every((v) => Math.fround(v) === v)).toBe(true);
    expect(result.seconds).toBeGreaterThan(0);
  });

  it("each sample's MSE is that of the checkpoint's own reconstruction", async () => {
    const result = await analyse({ runIds: [normalOnly], pca: false });
    const { tf } = backend;
    const { encoder, decoder } = await loadCheckpointModels(tf, new RunFolder(workspace, normalOnly));
    const picks = [0, 7, 25];
    const size = 32 * 32;
    const x = tf.tensor2d(picks.flatMap((k) => Array.from(shapes.samples.subarray((result.samples.index[k] ?? 0) * size, ((result.samples.index[k] ?? 0) + 1) * size), (v) => v / 255)), [picks.length, size]);
    const reconstructed = decoder.predict(encoder.predict(x) as TF.Tensor) as TF.Tensor;
    const [inputs, outputs] = [await x.data(), await reconstructed.data()];
    tf.dispose([x, reconstructed]);
    encoder.dispose();
    decoder.dispose();
    picks.forEach((k, p) => {
      let squared = 0;
      for (let i = 0; i < size; i += 1) squared += ((outputs[p * size + i] ?? 0) - (inputs[p * size + i] ?? 0)) ** 2;
      expect(result.runs[0]?.scores[0]?.values[k]).toBeCloseTo(squared / size, 6);
    });
    expect(result.runs[0]?.pca).toBeNull();
  });

  it('chosen anomaly classes: the classes neither normal nor chosen are left out of the test (truth −1)', async () => {
    const result = await analyse({ runIds: [normalOnly], anomalies: { from: 'classes', classes: [3] }, pca: false });
    expect(result.runs[0]?.truth).toEqual(result.samples.label.map((l) => (l <= 2 ? 0 : l === 3 ? 1 : -1)));
    expect(result.runs[0]?.anomalyCount).toBe(result.samples.label.filter((l) => l === 3).length);
  });

  it("a VAE's four scores are finite; its Monte-Carlo reconstruction probability moves with the seed, a little", async () => {
    const before = backend.tf.memory().numTensors;
    const first = await analyse({ runIds: [vae], pca: false, monteCarloSamples: 8, seed: 1 });
    expect(backend.tf.memory().numTensors).toBe(before);
    const second = await analyse({ runIds: [vae], pca: false, monteCarloSamples: 8, seed: 2 });
    const scores = first.runs[0]?.scores ?? [];
    expect(first.runs[0]?.primary).toBe('negativeElbo');
    expect(scores.map((s) => s.score)).toEqual(['mse', 'bce', 'negativeElbo', 'reconstructionProbability']);
    for (const s of scores) expect(s.values.every(Number.isFinite)).toBe(true);
    const elbo = scores[2]?.values ?? [];
    const probability = scores[3]?.values ?? [];
    const again = second.runs[0]?.scores[3]?.values ?? [];
    // −ELBO = reconstruction term + KL ≥ the reconstruction term alone, in nats per sample (1024 pixels).
    expect(elbo.every((v) => v > 0)).toBe(true);
    expect(probability).not.toEqual(again);
    const drift = probability.map((v, i) => Math.abs(v - (again[i] ?? 0)) / v);
    // Eight draws: a few per cent on average, never a different order of magnitude.
    expect(drift.reduce((a, b) => a + b, 0) / drift.length).toBeLessThan(0.1);
    expect(Math.max(...drift)).toBeLessThan(0.5);
    // The deterministic scores do not depend on the seed.
    expect(second.runs[0]?.scores[0]?.values).toEqual(scores[0]?.values);
  });
});

describe('a mislabelled setup is refused, saying why', () => {
  it('no anomalies: a run trained on every class, against the other classes', async () => {
    await expect(analyse({ runIds: [everyClass] })).rejects.toThrow(/no anomalies to score: it was trained on every class of 'shapes'.*choose anomaly classes or another dataset/);
  });

  it('an anomaly class the run was trained on, or one the dataset lacks', async () => {
    await expect(analyse({ runIds: [normalOnly], anomalies: { from: 'classes', classes: [3, 1] } })).rejects.toThrow(/Anomaly class 'ellipse' \(1\) is normal to run .*: it was seen in training/);
    await expect(analyse({ runIds: [normalOnly], anomalies: { from: 'classes', classes: [9] } })).rejects.toThrow(/Anomaly classes: 9 is not a class of 'shapes' \(it has 5: 0–4\)/);
  });

  it('out-of-distribution samples of another shape; classes of a dataset without labels; runs of two datasets', async () => {
    await expect(analyse({ runIds: [normalOnly], anomalies: { from: 'dataset', datasetId: 'small-shapes' } })).rejects.toThrow(/'small-shapes' has samples of 8×8×1; .* whose samples are 32×32×1/);
    await expect(analyse({ runIds: [unlabelledRun] })).rejects.toThrow(/Anomalies from the other classes need a labelled dataset; 'unlabelled' has no classes — take anomalies from another dataset/);
    await expect(analyse({ runIds: [everyClass], anomalies: { from: 'dataset', datasetId: 'unlabelled', classes: [0] } })).rejects.toThrow(/Anomaly classes of 'unlabelled' need a labelled dataset/);
    await expect(analyse({ runIds: [normalOnly, unlabelledRun] })).rejects.toThrow(/was trained on 'unlabelled', not 'shapes': one anomaly job scores runs of one dataset/);
  });
});

describe('runs that cannot be scored yet', () => {
  it('a queued run is refused with its status, and one without a checkpoint says so', async () => {
    const queued = await createShapesRun(workspace, shapes, { ...dense, objective: 'plain', normalClasses: [0, 1, 2], epochs: 1 });
    await expect(analyse({ runIds: [normalOnly, queued] })).rejects.toThrow(/^Run '.*' is queued; it can be scored once its training ends$/);
    await new RunFolder(workspace, queued).updateState({ status: 'cancelled' });
    await expect(analyse({ runIds: [queued] })).rejects.toThrow(/^Run '.*' \(cancelled\) has no checkpoint to score$/);
  });
});

describe('anomalies from another dataset', () => {
  it("scores the other dataset's test split after the runs' own, every one of them anomalous", async () => {
    const result = await analyse({ runIds: [everyClass], anomalies: { from: 'dataset', datasetId: 'unlabelled' }, pca: false });
    const own = result.samples.source.filter((s) => s === 0).length;
    const other = result.samples.source.length - own;
    expect(other).toBeGreaterThan(0);
    expect(result.samples.source.slice(own).every((s) => s === 1)).toBe(true);
    expect(result.samples.label.slice(own).every((l) => l === -1)).toBe(true);
    expect(result.anomalyClassNames).toEqual([]);
    expect(result.runs[0]?.truth).toEqual([...Array<number>(own).fill(0), ...Array<number>(other).fill(1)]);
    expect(result.runs[0]?.scores[0]?.values).toHaveLength(own + other);
  });
});
