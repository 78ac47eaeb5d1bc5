import type * as TF from '@tensorflow/tfjs';
import type { Tfjs } from '../backend.js';

export type BenchModel = 'dense' | 'conv';

export interface Autoencoder {
  encoder: TF.Sequential;
  decoder: TF.Sequential;
  /** The input layout the model takes: flat vectors or 28×28×1 images. */
  inputShape: number[];
}

/** Per sample, the largest activation of each model: the input, and the first conv's 14×14×16 map. */
export const benchLargestActivation: Record<BenchModel, number> = { dense: 784, conv: 14 * 14 * 16 };

/** The two reference autoencoders of the backend benchmark, layer for layer as their PyTorch twins. */
const builders: Record<BenchModel, (tf: Tfjs) => Autoencoder> = {
  dense(tf) {
    const encoder = tf.sequential({
      layers: [tf.layers.dense({ inputShape: [784], units: 256, activation: 'relu' }), tf.layers.dense({ units: 32 })],
    });
    const decoder = tf.sequential({
      layers: [tf.layers.dense({ inputShape: [32], units: 256, activation: 'relu' }), tf.layers.dense({ units: 784, activation: 'sigmoid' })],
    });
    return { encoder, decoder, inputShape: [784] };
  },
  conv(tf) {
    const encoder = tf.sequential({
      layers: [
        tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 16, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }),
        tf.layers.conv2d({ filters: 32, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }),
      ],
    });
    const decoder = tf.sequential({
      layers: [
        tf.layers.conv2dTranspose({ inputShape: [7, 7, 32], filters: 16, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }),
        tf.layers.conv2dTranspose({ filters: 1, kernelSize: 3, strides: 2, padding: 'same', activation: 'sigmoid' }),
      ],
    });
    return { encoder, decoder, inputShape: [28, 28, 1] };
  },
};

export const buildAutoencoder = (tf: Tfjs, kind: BenchModel): Autoencoder => builders[kind](tf);
