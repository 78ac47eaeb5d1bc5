import { defineArchitecture } from '../definition.js';
import type { ValuesOf } from '../params.js';
import { activationSpec } from './activation.js';

export const conv = defineArchitecture({
  label: 'Convolutional',
  description: 'Strided convolutions (or pooling) down, transposed convolutions (or upsampling) up; the code is a feature map or a (d,1,1) bottleneck.',
  params: {
    channels: { kind: 'integers', label: 'Channels', description: 'Filters of each down-sampling stage; each stage halves height and width.', default: [16, 32], min: 1, max: 512, maxLength: 5 },
    kernelSize: { kind: 'number', label: 'Kernel size', description: 'Side of the square convolution kernels.', default: 3, min: 1, max: 9, integer: true },
    downsample: { kind: 'choice', label: 'Down-sampling', description: 'Stride-2 convolutions, or stride-1 convolutions followed by 2×2 max pooling.', default: 'stride', options: ['stride', 'pool'] },
    upsample: { kind: 'choice', label: 'Up-sampling', description: 'Stride-2 transposed convolutions, or nearest-neighbour upsampling followed by a convolution.', default: 'transpose', options: ['transpose', 'upsample'] },
    bottleneck: { kind: 'choice', label: 'Code', description: "'vector': a final convolution down to (d,1,1); 'map': the last feature map itself is the code (latent size = its channels).", default: 'vector', options: ['vector', 'map'] },
    activation: activationSpec('Activation', 'Non-linearity after each convolution.', 'relu'),
  },
  reconstructionLosses: ['bce', 'mse'],
  code: (params) => ({ sigmoidBounded: false, vector: params.bottleneck === 'vector' }),
  validate({ params }, data) {
    if (data.kind !== 'image') return [`a convolutional autoencoder needs images; this dataset's samples are vectors of ${data.shape[1]} features — use the dense or linear architecture`];
    const [height, width] = data.shape;
    const stages = params.channels.length;
    const factor = 2 ** stages;
    if (height % factor === 0 && width % factor === 0) return [];
    return [`${stages} down-sampling stages need height and width divisible by ${factor}; these images are ${width}×${height} — use fewer channels entries or re-import at a size divisible by ${factor}`];
  },
});

export type ConvParams = ValuesOf<typeof conv.params>;
