import type * as TF from '@tensorflow/tfjs';
import type { RobustnessResult, RobustnessSpec } from '../../../../shared/analyses/robustness/robustnessSpec.js';
import { LabError } from '../../../../shared/result.js';
import { PcaCache } from '../../../format/datasets/pcaCache.js';
import { RunFolder } from '../../../format/runs/runFolder.js';
import type { Tfjs } from '../../backend.js';
import { corrupt } from '../../model/objectives/corruption.js';
import { ModelService } from '../../runs/modelService.js';
import { batchTensor, type TrainingData } from '../../training/trainingData.js';
import type { EngineAnalysis } from '../analysis.js';
import { ensurePca } from '../pca/pcaAnalysis.js';

const batchSize = 256;

/** The first `samples` of the test split (validation where there is none), in index order: the same for every run. */
function evaluationIndices(data: TrainingData, samples: number): Int32Array {
  const split = data.test.length > 0 ? data.test : data.validation;
  return Int32Array.from([...split].sort((a, b) => a - b).slice(0, samples));
}

/**
 * Mean squared error against the clean input of `reconstruct(corrupted input)`, over the
 * indices, at each level. The corruption of batch b at level l is drawn from one seed, so
 * every run and PCA see exactly the same noisy images.
 */
async function errorCurve(tf: Tfjs, data: TrainingData, indices: Int32Array, inputShape: number[], spec: RobustnessSpec, reconstruct: (x: TF.Tensor) => TF.Tensor): Promise<number[]> {
  const curve: number[] = [];
  for (const [l, level] of spec.levels.entries()) {
    let sum = 0;
    let count = 0;
    for (let start = 0; start < indices.length; start += batchSize) {
      const batch = indices.subarray(start, start + batchSize);
      const squared = tf.tidy(() => {
        const x = batchTensor(tf, data, batch, inputShape);
        const noisy = corrupt(tf, x, spec.corruption, level, spec.seed + l * 100_003 + start);
        return tf.sum(tf.squaredDifference(tf.reshape(reconstruct(noisy), x.shape), x));
      });
      sum += (await squared.data())[0] ?? NaN;
      squared.dispose();
      count += batch.length * inputShape.reduce((a, b) => a * b, 1);
    }
    curve.push(sum / count);
  }
  return curve;
}

/** How much denoising buys: each run's test error under corruption at test time, with PCA-k on the same inputs. */
export const robustnessAnalysis: EngineAnalysis<RobustnessSpec, RobustnessResult> = {
  async run(context, spec) {
    const { tf, workspace, progress } = context;
    const configs = await Promise.all(spec.runIds.map((id) => new RunFolder(workspace, id).readConfig()));
    const datasetId = configs[0]?.datasetId ?? '';
    const other = configs.find((c) => c.datasetId !== datasetId);
    if (other) throw new LabError('invalid-option', `Run '${other.name}' was trained on '${other.datasetId}', not '${datasetId}': a robustness curve compares runs of one dataset`);
    // Each run is measured on its own test split, which normal classes narrow: the curves must share one.
    const classesOf = (c: (typeof configs)[number]): string => (c.normalClasses ? `classes ${c.normalClasses.join(', ')}` : 'every class');
    const apart = configs.find((c) => classesOf(c) !== classesOf(configs[0] ?? c));
    if (apart) throw new LabError('invalid-option', `Run '${apart.name}' was trained on ${classesOf(apart)}, run '${configs[0]?.name ?? ''}' on ${classesOf(configs[0] ?? apart)}: a robustness curve compares runs tested on the same samples`);
    const ks = [...new Set(configs.map((c) => c.latentDim))].sort((a, b) => a - b);
    const pca = await ensurePca(context, { datasetId, maxComponents: Math.max(256, ...ks) });
    const total = (spec.runIds.length + ks.length) * spec.levels.length;
    const lines: RobustnessResult['lines'] = [];
    let data: TrainingData | undefined;
    let inputShape: number[] = [];
    for (const [i, runId] of spec.runIds.entries()) {
      progress({ done: i * spec.levels.length, total, message: `${configs[i]?.name}: reconstructing corrupted test images` });
      const service = await ModelService.load(tf, workspace, runId);
      try {
        data = service.trainingData;
        inputShape = service.inputShape;
        const indices = evaluationIndices(data, spec.samples);
        lines.push({ runId, name: configs[i]?.name ?? runId, latentDim: configs[i]?.latentDim ?? 0, mse: await errorCurve(tf, data, indices, inputShape, spec, (x) => service.reconstruct(x)) });
      } finally {
        service.dispose();
      }
    }
    if (!data) throw new LabError('invalid-request', 'No runs to compare');
    const indices = evaluationIndices(data, spec.samples);
    const cache = new PcaCache(workspace, datasetId);
    const pcaLines: RobustnessResult['pca'] = [];
    for (const [j, k] of ks.entries()) {
      progress({ done: (spec.runIds.length + j) * spec.levels.length, total, message: `PCA-${k} on the same corrupted images` });
      const { components, mean } = await cache.readComponents(pca, k);
      const kept = components.length / pca.dimension;
      const basis = tf.tensor2d(components, [kept, pca.dimension]);
      const centre = tf.tensor2d(mean, [1, pca.dimension]);
      try {
        // PCA's reconstruction: the mean plus the projection onto the top-k components.
        const reconstruct = (x: TF.Tensor): TF.Tensor =>
          tf.tidy(() => {
            const flat = tf.sub(tf.reshape(x, [x.shape[0] ?? 0, pca.dimension]), centre);
            return tf.add(tf.matMul(tf.matMul(flat, basis, false, true), basis), centre);
          });
        pcaLines.push({ k: kept, mse: await errorCurve(tf, data, indices, inputShape, spec, reconstruct) });
      } finally {
        tf.dispose([basis, centre]);
      }
    }
    return { datasetId, corruption: spec.corruption, levels: spec.levels, samples: indices.length, lines, pca: pcaLines };
  },
};
