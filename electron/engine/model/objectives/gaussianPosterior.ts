import type * as TF from '@tensorflow/tfjs';
import type { Tfjs } from '../../backend.js';
import type { FunctionBuilder, Ref } from '../../graph/functionDef.js';
import { T, sum1 } from '../../graph/graphOps.js';

/** KL(N(μ, σ²) ‖ N(0, 1)) of each unit of each sample, [batch, units]: ½ (μ² + σ² − 1 − log σ²). */
export function gaussianKlPerUnit(tf: Tfjs, mean: TF.Tensor, logVariance: TF.Tensor): TF.Tensor {
  return tf.mul(0.5, tf.sub(tf.add(tf.square(mean), tf.exp(logVariance)), tf.add(1, logVariance)));
}

/** KL(N(μ, σ²) ‖ N(0, I)) per sample, summed over units. */
export function gaussianKl(tf: Tfjs, mean: TF.Tensor, logVariance: TF.Tensor): TF.Tensor {
  return tf.sum(gaussianKlPerUnit(tf, mean, logVariance), 1);
}

/** The same KL as graph ops: per sample, and σ² (which the step's backward pass reuses). */
export function gaussianKlOps(g: FunctionBuilder, mean: Ref, logVariance: Ref): { perSample: Ref; variance: Ref } {
  const variance = g.op('Exp', [logVariance], T);
  const perUnit = g.op('Mul', [g.constant([0.5]), g.op('Sub', [g.op('AddV2', [g.op('Square', [mean], T), variance], T), g.op('AddV2', [g.constant([1]), logVariance], T)], T)], T);
  return { perSample: sum1(g, perUnit), variance };
}

/** The reparameterised sample z = μ + σ·ε, σ = exp(½ log σ²): differentiable in μ and σ. */
export function reparameterise(tf: Tfjs, mean: TF.Tensor, logVariance: TF.Tensor, noise: TF.Tensor): TF.Tensor {
  return tf.add(mean, tf.mul(tf.exp(tf.mul(0.5, logVariance)), noise));
}

/** The same sample as graph ops, and σ (which the step's backward pass reuses). */
export function reparameteriseOps(g: FunctionBuilder, mean: Ref, logVariance: Ref, noise: Ref): { z: Ref; deviation: Ref } {
  const deviation = g.op('Exp', [g.op('Mul', [logVariance, g.constant([0.5])], T)], T);
  return { z: g.op('AddV2', [mean, g.op('Mul', [deviation, noise], T)], T), deviation };
}

/** A VAE's encoder output [batch, 2d] as its μ and log σ² heads. */
export function splitHeads(tf: Tfjs, heads: TF.Tensor, latentDim: number): [TF.Tensor, TF.Tensor] {
  const [mean, logVariance] = tf.split(heads, [latentDim, latentDim], 1);
  return [mean as TF.Tensor, logVariance as TF.Tensor];
}
