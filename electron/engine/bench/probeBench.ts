import { availableParallelism } from 'node:os';
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { drawLabels, indicesByClass } from '../../../shared/analyses/probe/labelDraws.js';
import { probeSpecSchema } from '../../../shared/analyses/probe/probeSpec.js';
import { DatasetFolder } from '../../format/datasets/datasetFolder.js';
import { makeFolder } from '../../format/workspace/writeFailure.js';
import { RunFolder } from '../../format/runs/runFolder.js';
import { probeAnalysis } from '../analyses/probe/probeAnalysis.js';
import { codeTable, unionOf } from '../analyses/probe/features.js';
import { standardisationOf, standardisedRows } from '../analyses/probe/standardisation.js';
import { loadBackend, type BackendName } from '../backend.js';
import { objectiveModules } from '../model/objectives/objectives.js';
import { trainClassifier } from '../probe/classifierTraining.js';
import { inUnitRange, loadTrainingData } from '../runs/loadTrainingData.js';
import { loadCheckpointModels } from '../runs/modelService.js';
import { createWorkspaceRun, trainInProcess } from '../testing/workspaceRuns.js';
import { chooseIntraOpThreads } from '../threads.js';

/**
 * The probe's costs on Fashion-MNIST as the lab stores it, with a dense AE (d = 32) trained
 * here for a few epochs: the codes of every sample the default protocol uses, computed once;
 * one softmax regression on 1,000 × 32 codes with the default budget; and the default protocol
 * (7 counts × 5 draws, 'all' once: 31 draws × frozen, pixels, PCA-32, from scratch) end to end
 * as the analysis runs it — or, with --draws below 5, that many draws per count, and the time
 * of the whole protocol extrapolated from it (said so in the output). One JSON line.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      backend: { type: 'string' },
      dataset: { type: 'string' },
      draws: { type: 'string', default: '5' },
      epochs: { type: 'string', default: '3' },
      // Another autoencoder or other lines than the issue's protocol (a conv VAE, fine-tuning, kNN): for the notes' curves.
      architecture: { type: 'string', default: 'dense' },
      objective: { type: 'string', default: 'plain' },
      modes: { type: 'string', default: 'frozen' },
      baselines: { type: 'string', default: 'pixels,pca,scratch' },
      knn: { type: 'boolean', default: false },
      // The head's budget, where not the spec's defaults.
      'learning-rate': { type: 'string' },
      'max-epochs': { type: 'string' },
    },
  });
  if (!values.dataset) throw new Error('--dataset FILE (a dataset.aeds) is required');
  chooseIntraOpThreads(availableParallelism());
  const backend = await loadBackend(values.backend as BackendName | undefined);
  const { tf } = backend;
  const workspace = await mkdtemp(join(tmpdir(), 'aelab-probe-bench-'));
  try {
    const datasetId = 'fashion';
    await makeFolder(DatasetFolder.inWorkspace(workspace, datasetId).dir);
    await copyFile(values.dataset, DatasetFolder.inWorkspace(workspace, datasetId).dataFile);
    const { data, header } = await loadTrainingData(values.dataset);
    const traits = { shape: header.shape, kind: header.kind, unitRange: inUnitRange(header) };
    const epochs = Number(values.epochs);
    const architecture = values.architecture === 'conv' ? 'conv' : 'dense';
    const runId = await createWorkspaceRun(workspace, traits, { datasetId, architecture, ...(architecture === 'dense' ? { architectureParams: { hiddenWidths: [256] } } : {}), objective: values.objective as 'plain', latentDim: 32, reconstructionLoss: traits.unitRange ? 'bce' : 'mse', epochs, seed: 1 });
    const trainStarted = performance.now();
    const state = await trainInProcess(backend, workspace, runId);
    if (state.status !== 'completed') throw new Error(`the bench's autoencoder ended ${state.status}: ${state.error ?? ''}`);
    const trainSeconds = (performance.now() - trainStarted) / 1000;

    // Codes once per run: every train sample the default protocol's draws use ('all' is every one) and the test split.
    const config = await new RunFolder(workspace, runId).readConfig();
    const { encoder, decoder } = await loadCheckpointModels(tf, new RunFolder(workspace, runId));
    const model = { encoder, decoder, inputShape: (encoder.inputs[0]?.shape ?? []).slice(1) as number[], latentShape: [32] };
    const indices = unionOf([data.train, data.test]);
    const codesStarted = performance.now();
    const codes = await codeTable(tf, model, objectiveModules[config.objective], 32, data, indices);
    const codesSeconds = (performance.now() - codesStarted) / 1000;
    encoder.dispose();
    decoder.dispose();

    // One softmax regression on 1,000 × 32 codes: a draw of 100 per class, 20 of them validating, default budget.
    const defaults = probeSpecSchema.parse({ runIds: [runId] });
    const draw = drawLabels(indicesByClass(data.train, data.labels, header.classNames.length), 100, 7);
    const standardisation = standardisationOf(codes.values, 32, codes.rowsOf(draw.train));
    const set = (idx: number[]) => {
      const table = standardisedRows(codes.values, 32, codes.rowsOf(idx), standardisation);
      return { labels: Int32Array.from(idx, (i) => data.labels[i] ?? 0), inputs: (rows: Int32Array) => tf.tensor2d(Float32Array.from({ length: rows.length * 32 }, (_, k) => table[(rows[Math.floor(k / 32)] ?? 0) * 32 + (k % 32)] ?? 0), [rows.length, 32]) };
    };
    const softmaxStarted = performance.now();
    const trained = await trainClassifier(tf, { encoder: null, inputShape: [32], classes: header.classNames.length, head: { kind: 'softmax', hiddenUnits: 128 }, train: set(draw.train), validation: set(draw.validation), learningRate: defaults.learningRate, batchSize: defaults.batchSize, maxEpochs: defaults.maxEpochs, maxSteps: defaults.maxSteps, patience: defaults.patience, seed: 1 });
    const softmaxSeconds = (performance.now() - softmaxStarted) / 1000;
    trained.model.dispose();

    // The default protocol as the analysis runs it (frozen + pixels + PCA + scratch), at `draws` draws per count.
    const draws = Number(values.draws);
    const list = (text: string | undefined): string[] => (text ?? '').split(',').filter((x) => x !== '');
    const spec = probeSpecSchema.parse({ runIds: [runId], draws, modes: list(values.modes), baselines: list(values.baselines), knn: values.knn, keepClassifiers: false, ...(values['learning-rate'] ? { learningRate: Number(values['learning-rate']) } : {}), ...(values['max-epochs'] ? { maxEpochs: Number(values['max-epochs']) } : {}) });
    const protocolStarted = performance.now();
    const result = await probeAnalysis.run({ tf, workspace, jobId: 'bench', progress: () => undefined }, spec);
    const protocolSeconds = (performance.now() - protocolStarted) / 1000;
    const drawCount = (d: number): number => spec.labelsPerClass.reduce<number>((n, c) => n + (c === 'all' ? 1 : d), 0);
    process.stdout.write(
      `${JSON.stringify({
        backend: backend.backend.name,
        autoencoder: { model: `${config.name}, ${JSON.stringify(config.architectureParams)}, ${epochs} epochs`, seconds: trainSeconds },
        codes: { samples: indices.length, seconds: codesSeconds },
        softmax: { samples: draw.train.length + draw.validation.length, features: 32, seconds: softmaxSeconds, epochs: trained.epochs, steps: trained.steps, stoppedBy: trained.stoppedBy, compiledStep: trained.compiledStep },
        protocol: {
          counts: spec.labelsPerClass,
          budget: { learningRate: spec.learningRate, maxEpochs: spec.maxEpochs, maxSteps: spec.maxSteps, patience: spec.patience, batchSize: spec.batchSize },
          drawsPerCount: draws,
          classifiers: drawCount(draws) * result.lines.length,
          seconds: protocolSeconds,
          // Measured at fewer draws: the default's time scaled by its number of classifiers (the PCA fit is counted once in both).
          extrapolatedDefaultSeconds: draws === 5 ? null : (protocolSeconds * drawCount(5)) / drawCount(draws),
          lines: result.lines.map((l) => ({ id: l.id.replace(runId, 'run'), compiledStep: l.compiledStep, mean: l.points.map((p) => [p.labelsPerClass, Number(p.meanAccuracy.toFixed(4)), Number(p.draws.reduce((s, d) => s + d.seconds, 0).toFixed(2))]) })),
        },
        tensorsLeft: tf.memory().numTensors,
      })}\n`,
    );
  } finally {
    await rm(workspace, { recursive: true, force: true });
  }
}

main().catch((cause: unknown) => {
  process.stdout.write(`${JSON.stringify({ error: (cause as Error).message.split('\n')[0] })}\n`);
  process.exitCode = 1;
});
