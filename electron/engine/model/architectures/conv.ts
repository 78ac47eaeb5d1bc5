import type { ConvParams } from '../../../../shared/catalogue/architectures/conv.js';
import type { ArchitectureModule } from '../types.js';
import { activationRange } from './activation.js';

/**
 * Fully convolutional: each stage halves height and width (stride 2, or pooling), the
 * decoder doubles them back (transposed convolution, or upsampling + convolution). With a
 * 'vector' code a last convolution spans the remaining map, giving a (d,1,1) bottleneck.
 */
export const conv: ArchitectureModule<ConvParams> = {
  build({ tf, sampleShape, outputChannels, latentDim, codeUnits, outputActivation, params }) {
    const [height, width, channels] = sampleShape;
    const { channels: stages, kernelSize, activation } = params;
    const factor = 2 ** stages.length;
    const [mapHeight, mapWidth] = [height / factor, width / factor];
    const lastChannels = stages[stages.length - 1] ?? channels;

    const encoder = tf.sequential({ name: 'encoder' });
    stages.forEach((filters, i) => {
      const first = i === 0 ? { inputShape: [height, width, channels] } : {};
      if (params.downsample === 'stride') encoder.add(tf.layers.conv2d({ filters, kernelSize, strides: 2, padding: 'same', activation, ...first }));
      else {
        encoder.add(tf.layers.conv2d({ filters, kernelSize, padding: 'same', activation, ...first }));
        encoder.add(tf.layers.maxPooling2d({ poolSize: 2 }));
      }
    });
    const vector = params.bottleneck === 'vector';
    if (vector) {
      encoder.add(tf.layers.conv2d({ filters: codeUnits, kernelSize: [mapHeight, mapWidth], padding: 'valid' }));
      encoder.add(tf.layers.flatten());
    }

    const decoder = tf.sequential({ name: 'decoder' });
    if (vector) {
      decoder.add(tf.layers.reshape({ targetShape: [1, 1, latentDim], inputShape: [latentDim] }));
      decoder.add(tf.layers.conv2dTranspose({ filters: lastChannels, kernelSize: [mapHeight, mapWidth], padding: 'valid', activation }));
    }
    const upStages = [...stages].reverse().slice(1).concat([outputChannels]);
    upStages.forEach((filters, i) => {
      const last = i === upStages.length - 1;
      const first = !vector && i === 0 ? { inputShape: [mapHeight, mapWidth, lastChannels] } : {};
      const act = last ? outputActivation : activation;
      if (params.upsample === 'transpose') decoder.add(tf.layers.conv2dTranspose({ filters, kernelSize, strides: 2, padding: 'same', activation: act, ...first }));
      else {
        decoder.add(tf.layers.upSampling2d({ size: [2, 2], ...first }));
        decoder.add(tf.layers.conv2d({ filters, kernelSize, padding: 'same', activation: act }));
      }
    });
    return {
      encoder,
      decoder,
      inputShape: [height, width, channels],
      outputShape: [height, width, outputChannels],
      latentShape: vector ? [latentDim] : [mapHeight, mapWidth, lastChannels],
      // A 'map' code is the last convolution's activated output; a 'vector' one is linear.
      ...(!vector && activationRange[activation] ? { codeRange: activationRange[activation] } : {}),
    };
  },
  largestActivation(params, _latentDim, [height, width, channels]) {
    const first = params.channels[0] ?? 16;
    // Pooling keeps the first convolution at full resolution; a strided one halves it.
    const firstMap = params.downsample === 'pool' ? height * width * first : Math.ceil(height / 2) * Math.ceil(width / 2) * first;
    return Math.max(height * width * channels, firstMap);
  },
};
