import type * as TF from '@tensorflow/tfjs';
import type { VariationalParams } from '../../../../shared/catalogue/objectives/variational.js';
import type { CodeTerm } from '../../graph/codeTerm.js';
import { T, int32, mean0, scaled } from '../../graph/graphOps.js';
import type { Tfjs } from '../../backend.js';
import type { Autoencoder, ObjectiveModule } from '../types.js';
import { gaussianKl, gaussianKlOps, reparameterise, reparameteriseOps, splitHeads } from './gaussianPosterior.js';

/** In the compiled step: z = μ + σ·ε from the encoder's heads and the step's ε, KL to N(0, I), and their gradients. */
function reparameterisedTerm(latentDim: number, beta: number): CodeTerm {
  return {
    takesNoise: true,
    penalised: true,
    emit(g, code, { noise, inverseBatch }) {
      if (!noise) throw new Error('a variational step needs its noise argument');
      const slice = (from: number) => g.op('Slice', [code, g.constant([0, from], [2], 'int32'), g.constant([-1, latentDim], [2], 'int32')], { ...T, Index: int32 });
      const [mean, logVariance] = [slice(0), slice(latentDim)];
      const { perSample, variance } = gaussianKlOps(g, mean, logVariance);
      const { z, deviation } = reparameteriseOps(g, mean, logVariance, noise);
      return {
        decoderInput: z,
        penalty: mean0(g, perSample),
        weight: beta,
        backward(dz) {
          const dMean = g.op('AddV2', [dz, scaled(g, mean, inverseBatch, beta)], T);
          const throughSample = g.op('Mul', [g.op('Mul', [dz, noise], T), g.op('Mul', [deviation, g.constant([0.5])], T)], T);
          const dLogVariance = g.op('AddV2', [throughSample, scaled(g, g.op('Sub', [variance, g.constant([1])], T), inverseBatch, 0.5 * beta)], T);
          return g.op('ConcatV2', [dMean, dLogVariance, g.constant([1], [], 'int32')], { ...T, N: { i: 2 }, Tidx: int32 });
        },
      };
    },
  };
}

const heads = (tf: Tfjs, model: Autoencoder, x: TF.Tensor, latentDim: number): [TF.Tensor, TF.Tensor] => splitHeads(tf, model.encoder.apply(x) as TF.Tensor, latentDim);

export const variational: ObjectiveModule<VariationalParams> = {
  codeUnits: (d) => 2 * d,
  encode: (tf, model, x, latentDim) => heads(tf, model, x, latentDim)[0],
  regularised: true,
  posterior: heads,
  compiled: {
    codeTerm: (params, latentDim) => reparameterisedTerm(latentDim, params.beta),
    // The same draw as `loss` below: ε of the code's shape from the batch's next seed.
    inputs: ({ tf, x, latentDim, nextSeed }) => ({ input: x, noise: tf.randomNormal([x.shape[0] ?? 1, latentDim], 0, 1, 'float32', nextSeed()) }),
  },
  loss({ tf, model, x, target, params, latentDim, reconstruction, nextSeed }) {
    const [mean, logVariance] = heads(tf, model, x, latentDim);
    const z = reparameterise(tf, mean, logVariance, tf.randomNormal(mean.shape, 0, 1, 'float32', nextSeed()));
    const loss = reconstruction(model.decoder.apply(z) as TF.Tensor, target);
    const kl = tf.mean(gaussianKl(tf, mean, logVariance)) as TF.Scalar;
    return { total: tf.add(loss, tf.mul(params.beta, kl)) as TF.Scalar, reconstruction: loss, components: { kl } };
  },
};
