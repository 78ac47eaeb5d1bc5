import type * as TF from '@tensorflow/tfjs';
import type { Tfjs } from '../../backend.js';
import type { Autoencoder, ObjectiveContext, ObjectiveModule, ObjectiveRegistry } from '../types.js';
import { corrupt, type CorruptionKind } from './corruption.js';
import { jacobianPenalty } from './jacobian.js';

const encodeCode = (_tf: Tfjs, model: Autoencoder, x: TF.Tensor): TF.Tensor => model.encoder.apply(x) as TF.Tensor;

function reconstructionOnly({ model, x, reconstruction }: ObjectiveContext, input: TF.Tensor = x) {
  const code = model.encoder.apply(input) as TF.Tensor;
  return { code, loss: reconstruction(model.decoder.apply(code) as TF.Tensor, x) };
}

const plain: ObjectiveModule = {
  codeUnits: (d) => d,
  encode: encodeCode,
  compiled: { codeTerm: () => ({ kind: 'none' }), inputs: ({ x }) => ({ input: x }) },
  loss(context) {
    const { loss } = reconstructionOnly(context);
    return { total: loss, reconstruction: loss, components: {} };
  },
};

/** Σⱼ KL(ρ ‖ ρ̂ⱼ) for Bernoulli units with mean activations ρ̂ⱼ over the batch. */
export function klSparsity(tf: Tfjs, code: TF.Tensor, rho: number): TF.Scalar {
  const mean = tf.clipByValue(tf.mean(code, 0), 1e-6, 1 - 1e-6);
  const kl = tf.add(tf.mul(rho, tf.log(tf.div(rho, mean))), tf.mul(1 - rho, tf.log(tf.div(1 - rho, tf.sub(1, mean)))));
  return tf.sum(kl) as TF.Scalar;
}

const sparse: ObjectiveModule = {
  codeUnits: (d) => d,
  encode: encodeCode,
  compiled: {
    codeTerm: (params) =>
      params.penalty === 'kl' ? { kind: 'kl-sparsity', weight: params.weight as number, target: params.target as number } : { kind: 'l1', weight: params.weight as number },
    inputs: ({ x }) => ({ input: x }),
  },
  loss(context) {
    const { tf, params } = context;
    const { code, loss } = reconstructionOnly(context);
    const weight = params.weight as number;
    const penalty = params.penalty === 'kl' ? klSparsity(tf, code, params.target as number) : (tf.mean(tf.sum(tf.abs(code), 1)) as TF.Scalar);
    return { total: tf.add(loss, tf.mul(weight, penalty)) as TF.Scalar, reconstruction: loss, components: { sparsity: penalty } };
  },
};

/** Validation measures reconstruction of clean inputs; only training sees corruption. */
function denoisingInput({ tf, x, params, training, nextSeed }: ObjectiveContext): TF.Tensor {
  return training ? corrupt(tf, x, params.corruption as CorruptionKind, params.level as number, nextSeed()) : x;
}

const denoising: ObjectiveModule = {
  codeUnits: (d) => d,
  encode: encodeCode,
  compiled: { codeTerm: () => ({ kind: 'none' }), inputs: (context) => ({ input: denoisingInput(context) }) },
  loss(context) {
    const { loss } = reconstructionOnly(context, denoisingInput(context));
    return { total: loss, reconstruction: loss, components: {} };
  },
};

const contractive: ObjectiveModule = {
  codeUnits: (d) => d,
  encode: encodeCode,
  loss(context) {
    const { tf, model, x, params, latentDim } = context;
    const { loss } = reconstructionOnly(context);
    const penalty = jacobianPenalty(tf, model, x, latentDim);
    return { total: tf.add(loss, tf.mul(params.weight as number, penalty)) as TF.Scalar, reconstruction: loss, components: { contractive: penalty } };
  },
};

/** KL(N(μ, σ²) ‖ N(0, I)) per sample, summed over units: ½ Σ (μ² + σ² − 1 − log σ²). */
export function gaussianKl(tf: Tfjs, mean: TF.Tensor, logVariance: TF.Tensor): TF.Tensor {
  return tf.mul(0.5, tf.sum(tf.sub(tf.add(tf.square(mean), tf.exp(logVariance)), tf.add(1, logVariance)), 1));
}

export function splitHeads(tf: Tfjs, heads: TF.Tensor, latentDim: number): [TF.Tensor, TF.Tensor] {
  const [mean, logVariance] = tf.split(heads, [latentDim, latentDim], 1);
  return [mean as TF.Tensor, logVariance as TF.Tensor];
}

const variational: ObjectiveModule = {
  codeUnits: (d) => 2 * d,
  encode: (tf, model, x, latentDim) => splitHeads(tf, model.encoder.apply(x) as TF.Tensor, latentDim)[0],
  compiled: {
    codeTerm: (params, latentDim) => ({ kind: 'gaussian', latentDim, beta: params.beta as number }),
    // The same draw as `loss` below: ε of the code's shape from the batch's next seed.
    inputs: ({ tf, x, latentDim, nextSeed }) => ({ input: x, noise: tf.randomNormal([x.shape[0] ?? 1, latentDim], 0, 1, 'float32', nextSeed()) }),
  },
  loss({ tf, model, x, params, latentDim, reconstruction, nextSeed }) {
    const [mean, logVariance] = splitHeads(tf, model.encoder.apply(x) as TF.Tensor, latentDim);
    // Reparameterisation: z = μ + σ·ε keeps the sample differentiable in μ and σ.
    const z = tf.add(mean, tf.mul(tf.exp(tf.mul(0.5, logVariance)), tf.randomNormal(mean.shape, 0, 1, 'float32', nextSeed())));
    const loss = reconstruction(model.decoder.apply(z) as TF.Tensor, x);
    const kl = tf.mean(gaussianKl(tf, mean, logVariance)) as TF.Scalar;
    return { total: tf.add(loss, tf.mul(params.beta as number, kl)) as TF.Scalar, reconstruction: loss, components: { kl } };
  },
};

export const objectiveModules: ObjectiveRegistry = { plain, sparse, denoising, contractive, variational };
