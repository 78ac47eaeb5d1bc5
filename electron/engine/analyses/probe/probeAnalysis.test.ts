import type * as TF from '@tensorflow/tfjs';
import { createHash } from 'node:crypto';
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { confusionOf } from '../../../../shared/analyses/probe/probeCurves.js';
import { probeResultSchema, probeSpecSchema, type ProbeLine, type ProbeResult, type ProbeSpec } from '../../../../shared/analyses/probe/probeSpec.js';
import type { DatasetData } from '../../../format/datasets/datasetData.js';
import { DatasetFolder } from '../../../format/datasets/datasetFolder.js';
import { classifierInfoFile, classifierInfoFormat, JobFolder } from '../../../format/jobs/jobFolder.js';
import { readVersioned } from '../../../format/versionedFile.js';
import { RunFolder } from '../../../format/runs/runFolder.js';
import { loadBackend, type LoadedBackend } from '../../backend.js';
import { loadLayersModel } from '../../runs/checkpoint.js';
import { loadTrainingData } from '../../runs/loadTrainingData.js';
import { loadCheckpointModels } from '../../runs/modelService.js';
import { batchTensor } from '../../training/trainingData.js';
import { centredShapes, createShapesRun, shapesWhere, trainShapesRun, writeShapesDataset } from '../../testing/workspaceRuns.js';
import type { AnalysisContext } from '../analysis.js';
import { probeAnalysis } from './probeAnalysis.js';

let backend: LoadedBackend;
let workspace: string;
let shapes: DatasetData;
/** A dense AE trained two epochs on Shapes 16×16, every class; a VAE of one epoch beside it. */
let ae: string;
let vae: string;
/** Labelled Shapes probed with every line, once; the tests below read it. */
let full: ProbeResult;
const progress: { done: number; total: number; message: string }[] = [];
const checkpointBytes = new Map<string, string>();
let tensorsLeft = -1;

const context = (jobId: string, messages: typeof progress = []): AnalysisContext => ({ tf: backend.tf, workspace, jobId, progress: (p) => messages.push(p) });
const analyse = (spec: Partial<ProbeSpec> & { runIds: string[] }, jobId = 'test', messages: typeof progress = []): Promise<ProbeResult> => probeAnalysis.run(context(jobId, messages), probeSpecSchema.parse(spec));
const dense = { datasetId: 'shapes', architecture: 'dense', architectureParams: { hiddenWidths: [128] }, latentDim: 8, reconstructionLoss: 'bce', batchSize: 32, learningRate: 3e-3, seed: 3 } as const;
const budget = { maxEpochs: 40, maxSteps: 200, patience: 5, batchSize: 32, learningRate: 0.01 } as const;

/** Every file of the run's checkpoints with a hash of its bytes. */
async function checkpointHashes(runId: string): Promise<Map<string, string>> {
  const root = join(new RunFolder(workspace, runId).dir, 'checkpoints');
  const out = new Map<string, string>();
  for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = join(entry.parentPath, entry.name);
    out.set(file, createHash('sha256').update(await readFile(file)).digest('hex'));
  }
  return out;
}

const line = (result: ProbeResult, id: string): ProbeLine => {
  const found = result.lines.find((l) => l.id === id);
  if (!found) throw new Error(`no line ${id}`);
  return found;
};
const mean = (l: ProbeLine, n: number): number => l.points.find((p) => p.labelsPerClass === n)?.meanAccuracy ?? NaN;

beforeAll(async () => {
  backend = await loadBackend();
  workspace = await mkdtemp(join(tmpdir(), 'aelab-probe-'));
  shapes = await writeShapesDataset(workspace, 'shapes', { count: 1500, size: 16, seed: 4 });
  ae = await trainShapesRun(backend, workspace, shapes, { ...dense, objective: 'plain', epochs: 2 });
  vae = await trainShapesRun(backend, workspace, shapes, { ...dense, objective: 'variational', epochs: 1 });
  for (const [file, hash] of await checkpointHashes(ae)) checkpointBytes.set(file, hash);
  const before = backend.tf.memory().numTensors;
  full = await analyse({ runIds: [ae], labelsPerClass: [1, 20], draws: 3, seed: 1, ...budget }, 'full', progress);
  tensorsLeft = backend.tf.memory().numTensors - before;
}, 600_000);
afterAll(async () => {
  await rm(workspace, { recursive: true, force: true });
});

describe('the probe on a trained autoencoder', () => {
  it('measures every line at every count on the same draws, and its result reads back through the schema', () => {
    expect(probeResultSchema.parse(JSON.parse(JSON.stringify(full)))).toEqual(full);
    expect(tensorsLeft).toBe(0);
    expect(full.lines.map((l) => l.id)).toEqual([`${ae}:frozen`, `${ae}:knn1`, `${ae}:knn5`, `${ae}:finetune`, `${ae}:scratch`, 'pixels', 'pca-8']);
    for (const l of full.lines) {
      expect(l.points.map((p) => p.labelsPerClass)).toEqual([1, 20]);
      for (const p of l.points) {
        expect(p.draws.map((d) => d.draw)).toEqual([0, 1, 2]);
        for (const d of p.draws) expect(d.confusion.flat().reduce((a, b) => a + b, 0)).toBe(full.testCount);
      }
      const knn = l.kind === 'knn1' || l.kind === 'knn5';
      expect(l.compiledStep === null).toBe(knn);
      expect(l.exportable).toBe(!knn);
    }
    expect(line(full, `${ae}:frozen`).features).toBe(8);
    expect(line(full, 'pixels').features).toBe(256);
    // Stratified draws of the train split: n per class (a fifth of 20 held out), never a test sample.
    const [one, twenty] = full.draws;
    const test = new Set([...shapes.splits.entries()].filter(([, s]) => s === 2).map(([i]) => i));
    expect(full.testCount).toBe(test.size);
    for (const set of one?.sets ?? []) {
      expect(set.train.map((i) => shapes.labels[i]).sort()).toEqual([0, 1, 2, 3, 4]);
      expect(set.validation).toEqual([]);
    }
    for (const set of twenty?.sets ?? []) {
      expect(set.train).toHaveLength(80);
      expect(set.validation.map((i) => shapes.labels[i]).sort()).toEqual([0, 1, 2, 3, 4].flatMap((c) => [c, c, c, c]));
      expect([...set.train, ...set.validation].some((i) => test.has(i) || shapes.splits[i] !== 0)).toBe(false);
    }
    // 6 draws × (frozen, 1-NN, 5-NN, fine-tuned, scratch, pixels, PCA-8).
    expect(progress.every((p) => p.total === 42 && p.done <= 42)).toBe(true);
    expect(progress.at(-1)).toMatchObject({ done: 42, total: 42 });
    expect(progress.map((p) => p.message)).toContain("frozen codes of run 'dense plain d=8': 20 labels per class, draw 2 of 3");
    expect(full.validationRule).toMatch(/drawn from the train split only/);
  });

  it("fine-tuning trains a copy of the encoder; frozen mode keeps the run's weights; the run's checkpoint files stay byte for byte", async () => {
    expect(await checkpointHashes(ae)).toEqual(checkpointBytes);
    const { tf } = backend;
    const { encoder, decoder } = await loadCheckpointModels(tf, new RunFolder(workspace, ae));
    const job = new JobFolder(workspace, 'full');
    const firstKernel = (model: TF.LayersModel): Float32Array => model.layers.find((l) => l.getClassName() === 'Dense')?.getWeights()[0]?.dataSync() as Float32Array;
    const original = firstKernel(encoder);
    const frozen = await loadLayersModel(tf, job.classifierDir(`${ae}:frozen`, 20));
    const finetuned = await loadLayersModel(tf, job.classifierDir(`${ae}:finetune`, 20));
    // The first layer is not where the standardisation is folded: frozen's is the run's, fine-tuned's moved.
    expect(Array.from(firstKernel(frozen))).toEqual(Array.from(original));
    const moved = firstKernel(finetuned).reduce((m, v, i) => Math.max(m, Math.abs(v - (original[i] ?? 0))), 0);
    expect(moved).toBeGreaterThan(1e-6);
    [encoder, decoder, frozen, finetuned].forEach((m) => m.dispose());
  });

  it('each kept classifier reloads with tf.loadLayersModel and predicts on the test split what the job measured', async () => {
    await expectKeptClassifiersReproduce(full, 'full', [1, 20]);
  });
});

/** Every kept classifier of the job, reloaded from its files, gives on the test split the confusion its line measured on draw 0. */
async function expectKeptClassifiersReproduce(result: ProbeResult, jobId: string, counts: readonly number[]): Promise<void> {
  const { tf } = backend;
  const { data } = await loadTrainingData(DatasetFolder.inWorkspace(workspace, result.datasetId).dataFile);
  const job = new JobFolder(workspace, jobId);
  const test = data.test;
  const truth = Int32Array.from(test, (i) => data.labels[i] ?? 0);
  for (const l of result.lines.filter((x) => x.exportable)) {
    for (const n of counts) {
      const dir = job.classifierDir(l.id, n);
      const info = await readVersioned(classifierInfoFormat, join(dir, classifierInfoFile));
      expect(info).toMatchObject({ lineId: l.id, kind: l.kind, labelsPerClass: n, draw: 0, datasetId: result.datasetId, classNames: result.classNames });
      const model = await loadLayersModel(tf, dir);
      const predicted = tf.tidy(() => tf.argMax(model.predict(batchTensor(tf, data, test, info.inputShape)) as TF.Tensor, -1).dataSync() as Int32Array);
      const measured = l.points.find((p) => p.labelsPerClass === n)?.draws[0];
      expect(confusionOf(truth, predicted, result.classNames.length), `${l.id} at ${n}`).toEqual(measured?.confusion);
      expect(info.testAccuracy).toBe(measured?.accuracy);
      model.dispose();
    }
  }
}

describe('a conv run whose code is a feature map with a linear activation', () => {
  it('completes every line (the codes standardised outside the encoder, saying so), and its kept classifiers reproduce the job', async () => {
    const map = { architecture: 'conv', architectureParams: { channels: [4, 8], bottleneck: 'map', activation: 'linear' } } as const;
    const run = await trainShapesRun(backend, workspace, shapes, { ...dense, ...map, objective: 'plain', epochs: 1 });
    const result = await analyse({ runIds: [run], labelsPerClass: [1, 5], draws: 1, seed: 2, ...budget, maxSteps: 30 }, 'map');
    expect(result.lines.map((l) => l.id)).toEqual([`${run}:frozen`, `${run}:knn1`, `${run}:knn5`, `${run}:finetune`, `${run}:scratch`, 'pixels', 'pca-8']);
    // 16×16 images down two stages: a 4×4×8 map, 128 features.
    expect(line(result, `${run}:frozen`).features).toBe(128);
    for (const kind of ['finetune', 'scratch']) expect(line(result, `${run}:${kind}`).label).toMatch(/\(codes not standardised: its code is a feature map of 4×4×8\)$/);
    for (const l of result.lines) for (const p of l.points) for (const d of p.draws) expect(d.failure, l.id).toBeUndefined();
    await expectKeptClassifiersReproduce(result, 'map', [1, 5]);
  }, 300_000);
});

describe('codes of an autoencoder trained without labels against raw pixels, on Shapes centred with rotations within a tenth of a turn (class and scale vary)', () => {
  it('an MLP head on the frozen codes beats the same head on the pixels at 1 and at 5 labels per class (means over 8 seeded draws, and on most draws)', async () => {
    // About one sample in ten turns less than a tenth of a turn: some 3,000 kept of 30,000 drawn.
    const fewTurns = shapesWhere((f) => f.rotation < Math.PI / 5);
    const few = await writeShapesDataset(workspace, 'few-turns', { count: 30_000, size: 32, seed: 4 }, false, (d) => centredShapes(fewTurns(d)));
    const conv = { architecture: 'conv', architectureParams: { channels: [16, 32], bottleneck: 'vector' } } as const;
    const run = await trainShapesRun(backend, workspace, few, { ...dense, ...conv, datasetId: 'few-turns', latentDim: 32, objective: 'plain', epochs: 20 });
    // The softmax head ranks them the same way, by a thinner margin at 1 label (about 0.07 where the MLP's is 0.11); one head keeps the test's time.
    const result = await analyse({ runIds: [run], labelsPerClass: [1, 5], draws: 8, seed: 1, head: 'mlp', modes: ['frozen'], baselines: ['pixels'], knn: false, keepClassifiers: false, batchSize: 32 }, 'few-turns');
    const [codes, pixels] = [line(result, `${run}:frozen`), line(result, 'pixels')];
    for (const n of [1, 5]) {
      // Training the autoencoder is not bit for bit the same on every machine: the margin leaves room for it.
      expect(mean(codes, n), `at ${n} labels per class`).toBeGreaterThan(mean(pixels, n) + 0.05);
      const accuracies = (l: ProbeLine) => l.points.find((p) => p.labelsPerClass === n)?.draws.map((d) => d.accuracy) ?? [];
      const pixelAccuracies = accuracies(pixels);
      const wins = accuracies(codes).filter((a, d) => a > (pixelAccuracies[d] ?? 1)).length;
      expect(wins, `draws won at ${n} labels per class`).toBeGreaterThanOrEqual(5);
    }
  }, 300_000);
});

describe("a VAE's codes are its μ, and a seed gives the same curve", () => {
  it('frozen μ codes of d features; the same spec twice gives the same accuracies; no tensor is left', async () => {
    const spec: Partial<ProbeSpec> & { runIds: string[] } = { runIds: [vae], labelsPerClass: [2, 5], draws: 2, modes: ['frozen'], baselines: [], knn: false, keepClassifiers: false, ...budget };
    const before = backend.tf.memory().numTensors;
    const first = await analyse(spec, 'vae-1');
    expect(backend.tf.memory().numTensors).toBe(before);
    const second = await analyse(spec, 'vae-2');
    expect(first.lines.map((l) => l.id)).toEqual([`${vae}:frozen`]);
    expect(first.lines[0]?.features).toBe(8);
    expect(first.lines[0]?.exportable).toBe(false);
    const accuracies = (r: ProbeResult) => r.lines.flatMap((l) => l.points.flatMap((p) => p.draws.map((d) => d.accuracy)));
    expect(accuracies(second)).toEqual(accuracies(first));
    expect(second.draws).toEqual(first.draws);
  });
});

/** A finished run on Shapes holding a copy of the AE's checkpoints, under its own config. */
async function copyOfAe(config: { latentDim?: number } = {}): Promise<string> {
  const id = await createShapesRun(workspace, shapes, { ...dense, ...config, objective: 'plain', epochs: 1 });
  await cp(join(new RunFolder(workspace, ae).dir, 'checkpoints'), join(new RunFolder(workspace, id).dir, 'checkpoints'), { recursive: true });
  await new RunFolder(workspace, id).updateState({ status: 'completed' });
  return id;
}

describe('a classifier that diverges fails its draw, not the job', () => {
  it("an encoder whose weights are NaN: every frozen draw is recorded as failed and left out of the mean, the pixels line is measured as ever", async () => {
    const broken = await copyOfAe();
    const root = join(new RunFolder(workspace, broken).dir, 'checkpoints');
    for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile() || entry.name !== 'weights.bin' || !entry.parentPath.includes('encoder')) continue;
      const file = join(entry.parentPath, entry.name);
      await writeFile(file, Buffer.from(new Float32Array((await readFile(file)).byteLength / 4).fill(NaN).buffer));
    }
    const before = backend.tf.memory().numTensors;
    const result = await analyse({ runIds: [broken], labelsPerClass: [1, 5], draws: 2, modes: ['frozen'], baselines: ['pixels'], knn: false, ...budget }, 'diverged');
    expect(backend.tf.memory().numTensors).toBe(before);
    const read = probeResultSchema.parse(JSON.parse(JSON.stringify(result)));
    const frozen = line(read, `${broken}:frozen`);
    expect(frozen.label).toBe('dense plain d=8: frozen codes (4 of 4 classifiers diverged)');
    for (const p of frozen.points) {
      expect(p.draws.map((d) => d.draw)).toEqual([0, 1]);
      for (const d of p.draws) expect(d).toMatchObject({ accuracy: 0, stoppedBy: 'none', failure: expect.stringMatching(/^the classifier's training loss became NaN in epoch 1/) as unknown });
      expect(p.meanAccuracy).toBeNaN();
    }
    // The pixels line is what a job of it alone measures on the same draws.
    const alone = await analyse({ runIds: [ae], labelsPerClass: [1, 5], draws: 2, modes: [], baselines: ['pixels'], knn: false, ...budget }, 'pixels-alone');
    const accuracies = (l: ProbeLine) => l.points.map((p) => [p.meanAccuracy, ...p.draws.map((d) => d.failure ?? d.accuracy)]);
    expect(accuracies(line(read, 'pixels'))).toEqual(accuracies(line(alone, 'pixels')));
    expect(line(read, 'pixels').points.every((p) => Number.isFinite(p.meanAccuracy))).toBe(true);
    expect(line(read, 'pixels').label).toBe('raw pixels');
  });
});

describe('progress counts what the job fits', () => {
  it('two runs whose k PCA caps to the same number: one PCA line, and the last message is done of done', async () => {
    // 16×16 pixels: PCA keeps at most 256 components of either k.
    const [a, b] = [await copyOfAe({ latentDim: 300 }), await copyOfAe({ latentDim: 400 })];
    const messages: typeof progress = [];
    const result = await analyse({ runIds: [a, b], labelsPerClass: [1], draws: 2, modes: [], baselines: ['pca'], knn: false, keepClassifiers: false, ...budget }, 'pca-merged', messages);
    expect(result.lines.map((l) => l.id)).toEqual(['pca-256']);
    expect(messages.every((m) => m.done <= m.total)).toBe(true);
    expect(messages.at(-1)).toMatchObject({ done: 2, total: 2 });
  });
});

describe('a probe that cannot be measured is refused, saying why', () => {
  /** A finished run on `datasetId` holding a copy of the AE's checkpoints: enough for the checks, which come before any model loads. */
  async function finishedRunOn(datasetId: string, data: DatasetData): Promise<string> {
    const id = await createShapesRun(workspace, data, { ...dense, datasetId, objective: 'plain', epochs: 1 });
    await cp(join(new RunFolder(workspace, ae).dir, 'checkpoints'), join(new RunFolder(workspace, id).dir, 'checkpoints'), { recursive: true });
    await new RunFolder(workspace, id).updateState({ status: 'completed' });
    return id;
  }

  it('an unlabelled dataset, a dataset without a test split', async () => {
    const unlabelled = await writeShapesDataset(workspace, 'unlabelled', { count: 200, size: 16, seed: 5 }, true);
    await expect(analyse({ runIds: [await finishedRunOn('unlabelled', unlabelled)] })).rejects.toThrow(/^Dataset 'unlabelled' has no labels: the probe trains classifiers on labelled samples/);
    const noTest = await writeShapesDataset(workspace, 'no-test', { count: 200, size: 16, seed: 6 }, false, (d) => ({ ...d, splits: d.splits.map((s) => (s === 2 ? 0 : s)) }));
    await expect(analyse({ runIds: [await finishedRunOn('no-test', noTest)] })).rejects.toThrow(/^Dataset 'no-test' has no labelled test split: the classifiers are tested on it/);
  });

  it('a running run, runs of two datasets, a count listed twice, nothing to measure', async () => {
    const running = await createShapesRun(workspace, shapes, { ...dense, objective: 'plain', epochs: 1 });
    await new RunFolder(workspace, running).updateState({ status: 'running' });
    await expect(analyse({ runIds: [ae, running] })).rejects.toThrow(/^Run '.*' is running; its encoder can be probed once its training ends$/);
    const other = await writeShapesDataset(workspace, 'other', { count: 200, size: 16, seed: 7 });
    await expect(analyse({ runIds: [ae, await finishedRunOn('other', other)] })).rejects.toThrow(/was trained on 'other', not 'shapes': one probe job compares runs of one dataset/);
    await expect(analyse({ runIds: [ae], labelsPerClass: [1, 5, 1] })).rejects.toThrow(/^Labels per class lists 1 twice/);
    await expect(analyse({ runIds: [ae], modes: [], baselines: [], knn: false })).rejects.toThrow(/^The protocol measures nothing/);
  });
});
