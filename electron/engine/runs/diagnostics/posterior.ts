import type * as TF from '@tensorflow/tfjs';
import { seededRandom } from '../../../../shared/random.js';
import type { Tfjs } from '../../backend.js';
import { gaussianKlPerUnit } from '../../model/objectives/gaussianPosterior.js';
import { taskInput } from '../../training/trainingData.js';
import { diagnosticBatch, type DiagnosticModule } from './context.js';
import { unitVariances } from './statistics.js';

/** A unit is active when Var over x of E_q[z_u] exceeds this (Burda et al.'s criterion). */
export const activeVarianceThreshold = 0.01;
/** Collapse: every unit's KL below this many nats. */
export const collapseKlThreshold = 0.01;
/** The decoder ignores z when another image's code changes its output by less than this share of the pixel variance. */
export const ignoresCodeFraction = 0.01;

/** The batch's codes moved `offset` rows down (cyclically): every image gets another image's code. */
const rolled = (tf: Tfjs, codes: TF.Tensor, offset: number): TF.Tensor => {
  const rows = codes.shape[0] ?? 0;
  return tf.concat([tf.slice(codes, [rows - offset, 0], [offset, -1]), tf.slice(codes, [0, 0], [rows - offset, -1])], 0);
};

export const posterior: DiagnosticModule<'posterior'> = {
  applies: ({ run }) => run.objective.posterior !== undefined,
  async compute({ tf, run, config, data, test, codes, pixelVariance }) {
    const { model, objective } = run;
    const posteriorOf = objective.posterior?.bind(objective);
    if (!posteriorOf) throw new Error('the posterior diagnostic needs a posterior');
    const latentDim = config.latentDim;
    const random = seededRandom(config.seed ^ 0x9e37);
    const klSums = new Float64Array(latentDim);
    let difference = 0;
    let compared = 0;
    for (let start = 0; start < test.length; start += diagnosticBatch) {
      const indices = test.subarray(start, start + diagnosticBatch);
      const offset = 1 + Math.floor(random() * Math.max(1, indices.length - 1));
      const [kl, shuffled] = tf.tidy(() => {
        const [mean, logVariance] = posteriorOf(tf, model, taskInput(tf, data, indices, run.task, model), latentDim);
        const perUnit = tf.sum(gaussianKlPerUnit(tf, mean, logVariance), 0);
        if (indices.length < 2) return [perUnit, tf.scalar(0)];
        const own = model.decoder.predict(mean) as TF.Tensor;
        const other = model.decoder.predict(rolled(tf, mean, offset)) as TF.Tensor;
        return [perUnit, tf.sum(tf.mean(tf.reshape(tf.squaredDifference(own, other), [indices.length, -1]), 1))];
      });
      const [klValues, differenceValue] = await Promise.all([kl.data(), shuffled.data()]);
      tf.dispose([kl, shuffled]);
      klValues.forEach((v, j) => (klSums[j] = (klSums[j] ?? 0) + v));
      if (indices.length >= 2) {
        difference += differenceValue[0] ?? 0;
        compared += indices.length;
      }
    }
    const klPerUnit = Array.from(klSums, (s) => s / Math.max(1, test.length));
    const meanVariancePerUnit = unitVariances(codes, latentDim);
    const shuffledCodeDifference = difference / Math.max(1, compared);
    return {
      testImages: test.length,
      klPerUnit,
      meanVariancePerUnit,
      activeVarianceThreshold,
      activeUnits: meanVariancePerUnit.filter((v) => v > activeVarianceThreshold).length,
      collapseKlThreshold,
      collapsed: klPerUnit.every((kl) => kl < collapseKlThreshold),
      shuffledCodeDifference,
      pixelVariance,
      ignoresCodeFraction,
      ignoresCode: compared > 0 && shuffledCodeDifference < ignoresCodeFraction * pixelVariance,
    };
  },
};
