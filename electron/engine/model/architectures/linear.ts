import type * as TF from '@tensorflow/tfjs';
import type { ArchitectureModule } from '../types.js';

/**
 * One linear map each way: with squared error its code spans the principal subspace. Its
 * output stays linear whatever the data's range: a sigmoid would make it a different model.
 */
export const linear: ArchitectureModule = {
  build({ tf, sampleShape, outputChannels, latentDim, codeUnits }) {
    const features = sampleShape[0] * sampleShape[1] * sampleShape[2];
    const outputs = sampleShape[0] * sampleShape[1] * outputChannels;
    const code = tf.layers.dense({ units: codeUnits, inputShape: [features], name: 'code' });
    const encoder = tf.sequential({ name: 'encoder', layers: [code] });
    const decoder = tf.sequential({ name: 'decoder', layers: [tf.layers.dense({ units: outputs, inputShape: [latentDim], name: 'reconstruction' })] });
    return { encoder, decoder, inputShape: [features], outputShape: [outputs], latentShape: [latentDim], linearKernel: (code as unknown as { kernel: TF.LayerVariable }).kernel };
  },
  largestActivation: (_params, latentDim, [height, width, channels]) => Math.max(height * width * channels, latentDim),
};
