import type * as TF from '@tensorflow/tfjs';
import type { Tfjs } from '../../backend.js';
import type { FunctionBuilder, Ref } from '../../graph/functionDef.js';
import { T, insideClip, mean0, sum0 } from '../../graph/graphOps.js';

/** Mean activations are clipped to [ε, 1 − ε] before their logarithms: a unit that never fires costs a finite penalty. */
export const meanActivationClip = 1e-6;

/** KL(ρ ‖ ρ̂ⱼ) of each unit, for Bernoulli units with mean activations ρ̂ⱼ (a [units] tensor). */
export function bernoulliKl(tf: Tfjs, meanActivation: TF.Tensor, rho: number): TF.Tensor {
  const mean = tf.clipByValue(meanActivation, meanActivationClip, 1 - meanActivationClip);
  return tf.add(tf.mul(rho, tf.log(tf.div(rho, mean))), tf.mul(1 - rho, tf.log(tf.div(1 - rho, tf.sub(1, mean)))));
}

/** Σⱼ KL(ρ ‖ ρ̂ⱼ), ρ̂ⱼ each unit's mean activation over the batch. */
export function klSparsity(tf: Tfjs, code: TF.Tensor, rho: number): TF.Scalar {
  return tf.sum(bernoulliKl(tf, tf.mean(code, 0), rho)) as TF.Scalar;
}

/**
 * The same penalty as graph ops on a [batch, units] code, and its gradient per unit before the
 * 1/batch that spreads it over the samples: ∂KL/∂ρ̂ = −ρ/ρ̂ + (1−ρ)/(1−ρ̂), inside the clip only.
 */
export function klSparsityOps(g: FunctionBuilder, code: Ref, rho: number): { penalty: Ref; slope: Ref } {
  const [low, high] = [g.constant([meanActivationClip]), g.constant([1 - meanActivationClip])];
  const activation = mean0(g, code);
  const clipped = g.op('ClipByValue', [activation, low, high], T);
  const oneMinus = g.op('Sub', [g.constant([1]), clipped], T);
  const kl = g.op('AddV2', [
    g.op('Mul', [g.constant([rho]), g.op('Log', [g.op('RealDiv', [g.constant([rho]), clipped], T)], T)], T),
    g.op('Mul', [g.constant([1 - rho]), g.op('Log', [g.op('RealDiv', [g.constant([1 - rho]), oneMinus], T)], T)], T),
  ], T);
  const slope = g.op('Sub', [g.op('RealDiv', [g.constant([1 - rho]), oneMinus], T), g.op('RealDiv', [g.constant([rho]), clipped], T)], T);
  return { penalty: sum0(g, kl), slope: g.op('Mul', [slope, insideClip(g, activation, low, high)], T) };
}
