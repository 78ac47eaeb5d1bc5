import type * as TF from '@tensorflow/tfjs';
import type { DenseParams } from '../../../../shared/catalogue/architectures/dense.js';
import type { ArchitectureModule } from '../types.js';
import { activationRange } from './activation.js';

/** MLP encoder (input → hidden widths → code) and the mirrored decoder. */
export const dense: ArchitectureModule<DenseParams> = {
  build({ tf, sampleShape, outputChannels, latentDim, codeUnits, outputActivation, params }) {
    const features = sampleShape[0] * sampleShape[1] * sampleShape[2];
    const outputs = sampleShape[0] * sampleShape[1] * outputChannels;
    const { hiddenWidths: widths, activation, codeActivation } = params;
    const encoder = tf.sequential({ name: 'encoder' });
    widths.forEach((units, i) => encoder.add(tf.layers.dense({ units, activation, ...(i === 0 ? { inputShape: [features] } : {}) })));
    // A VAE's μ and log σ² heads stay linear whatever the code activation.
    const appliedCodeActivation = codeUnits === latentDim ? codeActivation : 'linear';
    const code = tf.layers.dense({ units: codeUnits, activation: appliedCodeActivation, ...(widths.length === 0 ? { inputShape: [features] } : {}) });
    encoder.add(code);
    const decoder = tf.sequential({ name: 'decoder' });
    [...widths].reverse().forEach((units, i) => decoder.add(tf.layers.dense({ units, activation, ...(i === 0 ? { inputShape: [latentDim] } : {}) })));
    decoder.add(tf.layers.dense({ units: outputs, activation: outputActivation, ...(widths.length === 0 ? { inputShape: [latentDim] } : {}) }));
    const single = widths.length === 0 && appliedCodeActivation === 'sigmoid';
    const codeRange = activationRange[appliedCodeActivation];
    return {
      encoder,
      decoder,
      inputShape: [features],
      outputShape: [outputs],
      latentShape: [latentDim],
      ...(codeRange ? { codeRange } : {}),
      ...(single ? { singleSigmoidLayer: { kernel: (code as unknown as { kernel: TF.LayerVariable }).kernel } } : {}),
    };
  },
  largestActivation: (params, latentDim, [height, width, channels]) => Math.max(height * width * channels, latentDim, ...params.hiddenWidths),
};
