import { existsSync } from 'node:fs';
import type { AnomalyResult, AnomalyRunResult, AnomalyScoreId, AnomalySpec, ScoreSeries } from '../../../../shared/analyses/anomaly/anomalySpec.js';
import { separation } from '../../../../shared/analyses/anomaly/separation.js';
import { LabError } from '../../../../shared/result.js';
import { DatasetFolder } from '../../../format/datasets/datasetFolder.js';
import { checkpointMarker } from '../../../format/runs/checkpointFolder.js';
import { RunFolder } from '../../../format/runs/runFolder.js';
import { completeFolder } from '../../../format/workspace/atomicFolder.js';
import type { StoredRunConfig } from '../../../format/runs/runFormats.js';
import { objectiveModules } from '../../model/objectives/objectives.js';
import { inUnitRange, loadTrainingData } from '../../runs/loadTrainingData.js';
import { loadCheckpointModels } from '../../runs/modelService.js';
import type { EngineAnalysis } from '../analysis.js';
import { PcaDetectors, pcaScores } from './pcaBaseline.js';
import { scoreSamples } from './sampleScores.js';
import { scoredSamples, truthFor, type ScoredDataset, type Truth } from './scoredSamples.js';

const hasCheckpoint = (folder: RunFolder): boolean => (['best', 'last'] as const).some((which) => completeFolder(folder.checkpoint(which).dir, checkpointMarker));

async function loadDataset(workspace: string, id: string): Promise<ScoredDataset & { unitRange: boolean }> {
  const file = DatasetFolder.inWorkspace(workspace, id).dataFile;
  if (!existsSync(file)) throw new LabError('not-found', `Dataset '${id}' is not in this workspace`);
  const { data, header } = await loadTrainingData(file);
  return { id, classNames: header.classNames, data, scaling: header.transform.scaling, unitRange: inUnitRange(header) };
}

/**
 * A score over the scored samples at float32 precision (what result.json keeps), with its
 * AUROC and average precision over the samples that are normal or anomalous to the run.
 */
function series(score: AnomalyScoreId, values: Float32Array, truth: readonly Truth[], run: string): ScoreSeries {
  const bad = values.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) throw new LabError('invalid-option', `Run '${run}': its ${score} score of scored sample ${bad} is ${values[bad]}; the model's outputs are not finite (retrain it with a lower learning rate)`);
  const judged = truth.flatMap((t, i) => (t === -1 ? [] : [i]));
  const curve = separation(
    judged.map((i) => values[i] ?? 0),
    judged.map((i) => truth[i] === 1),
  );
  return { score, values: Array.from(values), auroc: curve.auroc, averagePrecision: curve.averagePrecision };
}

/**
 * How well each run, trained on normal data only, tells the test split's anomalies from its
 * normal samples: every score per sample with its AUROC and average precision, and PCA-k
 * fitted on the same normal data beside it. Every setup is checked before anything is scored.
 */
export const anomalyAnalysis: EngineAnalysis<AnomalySpec, AnomalyResult> = {
  async run(context, spec) {
    const started = performance.now();
    const { tf, workspace, progress } = context;
    const configs: StoredRunConfig[] = await Promise.all(spec.runIds.map((id) => new RunFolder(workspace, id).readConfig()));
    // A run still training (or never started) would be scored on whatever checkpoint it has so far.
    const states = await Promise.all(spec.runIds.map((id) => new RunFolder(workspace, id).readState()));
    states.forEach((state, r) => {
      if (state.status === 'queued' || state.status === 'running' || state.status === 'paused') {
        throw new LabError('invalid-request', `Run '${configs[r]?.name ?? spec.runIds[r]}' is ${state.status}; it can be scored once its training ends`);
      }
      if (!hasCheckpoint(new RunFolder(workspace, spec.runIds[r] ?? ''))) throw new LabError('not-found', `Run '${configs[r]?.name ?? spec.runIds[r]}' (${state.status}) has no checkpoint to score`);
    });
    const datasetId = configs[0]?.datasetId ?? '';
    const stranger = configs.find((c) => c.datasetId !== datasetId);
    if (stranger) throw new LabError('invalid-option', `Run '${stranger.name}' was trained on '${stranger.datasetId}', not '${datasetId}': one anomaly job scores runs of one dataset`);
    const dataset = await loadDataset(workspace, datasetId);
    const other = spec.anomalies.from === 'dataset' && spec.anomalies.datasetId !== datasetId ? await loadDataset(workspace, spec.anomalies.datasetId) : undefined;
    const { segments, samples } = scoredSamples(spec.anomalies, dataset, other ?? (spec.anomalies.from === 'dataset' ? dataset : undefined));
    const truths = configs.map((config) => truthFor(config, spec.anomalies, dataset, samples));
    const count = samples.index.length;
    // A PCA fit reports its own steps; the job's bar stays where the runs' scoring has brought it.
    let reached = 0;
    const jobProgress = (done: number, message: string): void => {
      reached = Math.max(reached, done);
      progress({ done: reached, total: configs.length * count, message });
    };
    const detectors = new PcaDetectors({ ...context, progress: (p) => jobProgress(reached, p.message) }, datasetId, dataset.data);
    const runs: AnomalyRunResult[] = [];
    for (const [r, config] of configs.entries()) {
      const runId = spec.runIds[r] ?? '';
      const { truth, normalCount, anomalyCount } = truths[r] ?? { truth: [], normalCount: 0, anomalyCount: 0 };
      jobProgress(r * count, `Scoring ${count} samples with run '${config.name}' (${r + 1} of ${configs.length})`);
      const { encoder, decoder } = await loadCheckpointModels(tf, new RunFolder(workspace, runId));
      const objective = objectiveModules[config.objective];
      let scores;
      try {
        const model = { encoder, decoder, inputShape: (encoder.inputs[0]?.shape ?? []).slice(1) as number[], latentShape: (decoder.inputs[0]?.shape ?? []).slice(1) as number[] };
        scores = await scoreSamples(tf, { model, objective, latentDim: config.latentDim, reconstructionLoss: config.reconstructionLoss }, segments, {
          unitRange: dataset.unitRange,
          monteCarloSamples: spec.monteCarloSamples,
          seed: spec.seed,
          onBatch: (done) => jobProgress(r * count + done, `Scoring ${count} samples with run '${config.name}' (${r + 1} of ${configs.length})`),
        });
      } finally {
        encoder.dispose();
        decoder.dispose();
      }
      let pca: AnomalyRunResult['pca'] = null;
      if (spec.pca) {
        const normal = config.normalClasses ? `the normal classes ${config.normalClasses.join(', ')}` : `'${datasetId}'`;
        jobProgress((r + 1) * count, `PCA-${config.latentDim} fitted on ${normal}, for run '${config.name}'`);
        const detector = await detectors.get(config.normalClasses, config.latentDim, normal);
        pca = { ...series('mse', await pcaScores(tf, detector, segments), truth, `${config.name}'s PCA-${detector.k}`), k: detector.k };
      }
      runs.push({
        runId,
        name: config.name,
        architecture: config.architecture,
        objective: config.objective,
        latentDim: config.latentDim,
        normalClasses: config.normalClasses ?? null,
        truth,
        normalCount,
        anomalyCount,
        primary: objective.posterior ? 'negativeElbo' : 'mse',
        scores: Object.entries(scores).map(([id, values]) => series(id as AnomalyScoreId, values, truth, config.name)),
        pca,
      });
    }
    return {
      datasetId,
      anomalies: spec.anomalies,
      classNames: [...dataset.classNames],
      anomalyClassNames: other ? [...other.classNames] : null,
      samples,
      runs,
      seconds: (performance.now() - started) / 1000,
    };
  },
};
