import type * as TF from '@tensorflow/tfjs';
import type { AnomalyScoreId } from '../../../../shared/analyses/anomaly/anomalySpec.js';
import type { ReconstructionLossId } from '../../../../shared/catalogue/definition.js';
import type { Tfjs } from '../../backend.js';
import { gaussianKl, reparameterise } from '../../model/objectives/gaussianPosterior.js';
import { binaryCrossEntropy } from '../../model/reconstruction.js';
import type { Autoencoder, ObjectiveModule } from '../../model/types.js';
import { batchTensor } from '../../training/trainingData.js';
import type { SampleSegment } from './scoredSamples.js';

/** A trained model as the scores need it. */
export interface ScoringModel {
  model: Autoencoder;
  objective: ObjectiveModule;
  latentDim: number;
  /** The decoder likelihood the run was trained with: its −log p(x | z) per sample. */
  reconstructionLoss: ReconstructionLossId;
}

export interface ScoreOptions {
  /** Inputs lie in [0, 1] (unit or min–max scaling): binary cross-entropy means something. */
  unitRange: boolean;
  monteCarloSamples: number;
  seed: number;
  batchSize?: number;
  onBatch?: (done: number, total: number) => void;
}

export type SampleScores = Partial<Record<AnomalyScoreId, Float32Array>>;

/** Large enough that a batch's products keep both cores busy (the fastest of 256–2048 for the lab's conv AE on Fashion-MNIST: 2048 was half as fast), small enough that a conv model's activations stay in tens of MB. */
export const scoringBatch = 512;

/**
 * The seed of one draw of ε for the batch starting at `position`: a VAE's scores are the same
 * on every machine and in every job with the same seed.
 */
const drawSeed = (seed: number, position: number, draw: number): number => seed * 1_000_003 + position * 257 + draw;

/**
 * Every score that applies to the model, per sample of the segments in their order, computed
 * a batch at a time on the backend (nothing but the batch's tensors is alive between batches):
 * - mse, bce: mean per element of reconstructing x from its code (μ for a VAE);
 * - a VAE (an objective with a posterior): negativeElbo, its decoder's −log p(x | z) summed over
 *   elements at one draw z ~ q(z | x), plus KL(q(z | x) ‖ N(0, I)) — the run's own terms, β = 1;
 *   reconstructionProbability, −(1/L) Σ log p(x | z_l) over L draws (An & Cho 2015).
 */
export async function scoreSamples(tf: Tfjs, scoring: ScoringModel, segments: readonly SampleSegment[], options: ScoreOptions): Promise<SampleScores> {
  const { model, objective, latentDim } = scoring;
  const variational = objective.posterior !== undefined;
  const ids: AnomalyScoreId[] = ['mse', ...(options.unitRange ? (['bce'] as const) : []), ...(variational ? (['negativeElbo', 'reconstructionProbability'] as const) : [])];
  const total = segments.reduce((n, s) => n + s.indices.length, 0);
  const scores: SampleScores = Object.fromEntries(ids.map((id) => [id, new Float32Array(total)]));
  const batchSize = options.batchSize ?? scoringBatch;
  let position = 0;
  for (const segment of segments) {
    for (let start = 0; start < segment.indices.length; start += batchSize) {
      const indices = segment.indices.subarray(start, start + batchSize);
      const n = indices.length;
      const outputs = tf.tidy(() => {
        const x = batchTensor(tf, segment.data, indices, model.inputShape);
        const flatX = tf.reshape(x, [n, -1]);
        const decode = (code: TF.Tensor): TF.Tensor => tf.reshape(model.decoder.predict(code, { batchSize: n }) as TF.Tensor, [n, -1]);
        // The run's decoder likelihood, −log p(x | z) per sample in nats (up to the fixed-variance Gaussian's constant for mse).
        const negativeLogLikelihood = (r: TF.Tensor): TF.Tensor => tf.sum(scoring.reconstructionLoss === 'bce' ? binaryCrossEntropy(tf, r, flatX) : tf.squaredDifference(r, flatX), 1);
        const heads = variational ? objective.posterior?.(tf, model, x, latentDim) : undefined;
        const r = decode(heads ? heads[0] : objective.encode(tf, model, x, latentDim));
        const out: Partial<Record<AnomalyScoreId, TF.Tensor>> = { mse: tf.mean(tf.squaredDifference(r, flatX), 1) };
        if (options.unitRange) out.bce = tf.mean(binaryCrossEntropy(tf, r, flatX), 1);
        if (heads) {
          const [mean, logVariance] = heads;
          const draw = (d: number): TF.Tensor => negativeLogLikelihood(decode(reparameterise(tf, mean, logVariance, tf.randomNormal(mean.shape, 0, 1, 'float32', drawSeed(options.seed, position + start, d)))));
          out.negativeElbo = tf.add(draw(0), gaussianKl(tf, mean, logVariance));
          let sum = tf.zeros([n]);
          for (let l = 1; l <= options.monteCarloSamples; l += 1) {
            // Each draw's activations are freed before the next: L decodes never share the memory.
            const next = tf.tidy(() => tf.add(sum, draw(l)));
            sum.dispose();
            sum = next;
          }
          out.reconstructionProbability = tf.div(sum, options.monteCarloSamples);
        }
        return ids.map((id) => out[id] as TF.Tensor);
      });
      const values = await Promise.all(outputs.map((t) => t.data()));
      tf.dispose(outputs);
      ids.forEach((id, j) => scores[id]?.set(values[j] as Float32Array, position + start));
      options.onBatch?.(position + start + n, total);
      // Lets the engine answer its protocol between batches.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    position += segment.indices.length;
  }
  return scores;
}
