import type * as TF from '@tensorflow/tfjs';
import type { ProbeHead } from '../../../shared/analyses/probe/probeSpec.js';
import type { Tfjs } from '../backend.js';
import { layersOf } from '../graph/compiledStep.js';
import { chainModel, firstUnits, type ChainPart } from '../model/layerCopies.js';

/** The per-sample shape of a model's (or layer's) output. */
export const perSampleShape = (shape: TF.Shape | TF.Shape[]): number[] => (shape as Array<number | null>).slice(1).map((d) => d ?? -1);

/** A seed of its own for each of the head's layers, from the training's seed. */
export const layerSeed = (seed: number, layer: number): number => ((seed >>> 0) * 2_654_435_761 + layer * 40_503 + 17) >>> 0;

/**
 * The head on features of `featureShape` per sample: softmax regression (one Dense giving
 * the logits) or an MLP (Dense(hiddenUnits, relu), then the logits). Kernels are drawn by a
 * seeded Glorot-uniform initializer and biases start at zero, so a seed gives the same head.
 * Features of more than one axis (a convolutional code map) are flattened first.
 */
export function buildHead(tf: Tfjs, featureShape: number[], classes: number, head: { kind: ProbeHead; hiddenUnits: number }, seed: number): TF.Sequential {
  const model = tf.sequential({ name: 'classifier_head' });
  const multiAxis = featureShape.length > 1;
  if (multiAxis) model.add(tf.layers.flatten({ inputShape: featureShape }));
  const first = multiAxis ? {} : { inputShape: featureShape };
  const dense = (units: number, activation: 'relu' | 'linear', index: number, input: object) =>
    tf.layers.dense({ units, activation, kernelInitializer: tf.initializers.glorotUniform({ seed: layerSeed(seed, index) }), biasInitializer: 'zeros', ...input });
  if (head.kind === 'mlp') {
    if (!Number.isInteger(head.hiddenUnits) || head.hiddenUnits < 1) throw new Error(`the MLP head needs a whole number of hidden units ≥ 1, not ${head.hiddenUnits}`);
    model.add(dense(head.hiddenUnits, 'relu', 0, first));
    model.add(dense(classes, 'linear', 1, {}));
  } else model.add(dense(classes, 'linear', 0, first));
  return model;
}

/**
 * Where a VAE encoder's μ comes from: the last layer with weights (a Dense, or the
 * convolution spanning the last map), then only flattening. Its first `meanUnits` output
 * units (kernel columns, filters) are μ.
 */
function meanLayerIndex(layers: TF.layers.Layer[]): number {
  for (let i = layers.length - 1; i >= 0; i -= 1) {
    const kind = (layers[i] as TF.layers.Layer).getClassName();
    if (kind === 'Dense' || kind === 'Conv2D') return i;
    if (kind !== 'Flatten') break;
  }
  throw new Error('the encoder does not end in a Dense or Conv2D layer (and flattening), so its mean units cannot be split from its log-variances');
}

/**
 * Encoder (where one was trained) and head as one model taking `inputShape` and giving class
 * probabilities (a softmax after the head's logits). Its layers are copies holding copies of
 * the trained weights, so it is independent of the models it came from and serialises with
 * tfjs's own layers only. For a VAE's encoder the layer giving μ and log σ² becomes one giving
 * μ alone: the same kernel's first `meanUnits` columns, which is exact.
 */
export function classifierModel(tf: Tfjs, inputShape: number[], encoder: { model: TF.LayersModel; meanUnits: number | null } | null, head: TF.LayersModel): TF.LayersModel {
  const parts: ChainPart[] = [];
  if (encoder) {
    const layers = layersOf(encoder.model);
    const meanUnits = encoder.meanUnits;
    const meanAt = meanUnits === null ? -1 : meanLayerIndex(layers);
    layers.forEach((layer, i) => parts.push(i === meanAt && meanUnits !== null ? { like: layer, ...firstUnits(layer, meanUnits) } : { like: layer }));
  }
  for (const layer of layersOf(head)) parts.push({ like: layer });
  parts.push({ like: tf.layers.activation({ activation: 'softmax' }) });
  return chainModel(tf, inputShape, parts, 'classifier');
}
