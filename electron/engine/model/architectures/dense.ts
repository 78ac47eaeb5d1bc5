import type * as TF from '@tensorflow/tfjs';
import type { ArchitectureModule } from '../types.js';

type Activation = 'relu' | 'sigmoid' | 'tanh' | 'elu' | 'linear';

/** MLP encoder (input → hidden widths → code) and the mirrored decoder. */
export const dense: ArchitectureModule = {
  build({ tf, sampleShape, latentDim, codeUnits, outputActivation, params }) {
    const features = sampleShape[0] * sampleShape[1] * sampleShape[2];
    const widths = params.hiddenWidths as readonly number[];
    const activation = params.activation as Activation;
    const codeActivation = params.codeActivation as Activation;
    const encoder = tf.sequential({ name: 'encoder' });
    widths.forEach((units, i) => encoder.add(tf.layers.dense({ units, activation, ...(i === 0 ? { inputShape: [features] } : {}) })));
    // A VAE's μ and log σ² heads stay linear whatever the code activation.
    const code = tf.layers.dense({ units: codeUnits, activation: codeUnits === latentDim ? codeActivation : 'linear', ...(widths.length === 0 ? { inputShape: [features] } : {}) });
    encoder.add(code);
    const decoder = tf.sequential({ name: 'decoder' });
    [...widths].reverse().forEach((units, i) => decoder.add(tf.layers.dense({ units, activation, ...(i === 0 ? { inputShape: [latentDim] } : {}) })));
    decoder.add(tf.layers.dense({ units: features, activation: outputActivation, ...(widths.length === 0 ? { inputShape: [latentDim] } : {}) }));
    const single = widths.length === 0 && codeActivation === 'sigmoid' && codeUnits === latentDim;
    return {
      encoder,
      decoder,
      inputShape: [features],
      latentShape: [latentDim],
      ...(single ? { singleSigmoidLayer: { kernel: (code as unknown as { kernel: TF.LayerVariable }).kernel } } : {}),
    };
  },
};
