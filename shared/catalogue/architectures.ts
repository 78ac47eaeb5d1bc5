import type { ParamSpecs } from './params.js';

export const architectureIds = ['dense', 'linear', 'conv'] as const;
export type ArchitectureId = (typeof architectureIds)[number];

export interface ArchitectureInfo {
  label: string;
  description: string;
  params: ParamSpecs;
  /** Data the architecture can take. */
  needs: 'any' | 'image';
}

const activation = (label: string, description: string, fallback: string) =>
  ({ kind: 'choice', label, description, default: fallback, options: ['relu', 'sigmoid', 'tanh', 'elu', 'linear'] }) as const;

/** The architectures, the lecture's order; the engine registers one module per id. */
export const architectures: Record<ArchitectureId, ArchitectureInfo> = {
  dense: {
    label: 'Dense (MLP)',
    description: 'Fully connected encoder and mirrored decoder; a latent size below the input is undercomplete, above it overcomplete.',
    needs: 'any',
    params: {
      hiddenWidths: { kind: 'integers', label: 'Hidden widths', description: 'Encoder layer widths from the input inward; the decoder mirrors them.', default: [256], min: 1, max: 8192, maxLength: 6 },
      activation: activation('Hidden activation', 'Non-linearity of the hidden layers.', 'relu'),
      codeActivation: activation('Code activation', 'Non-linearity applied to the latent code (linear leaves it unbounded).', 'linear'),
    },
  },
  linear: {
    label: 'Linear',
    description: 'One linear map each way and no non-linearity: with squared error it learns the principal subspace, as PCA does.',
    needs: 'any',
    params: {},
  },
  conv: {
    label: 'Convolutional',
    description: 'Strided convolutions (or pooling) down, transposed convolutions (or upsampling) up; the code is a feature map or a (d,1,1) bottleneck.',
    needs: 'image',
    params: {
      channels: { kind: 'integers', label: 'Channels', description: 'Filters of each down-sampling stage; each stage halves height and width.', default: [16, 32], min: 1, max: 512, maxLength: 5 },
      kernelSize: { kind: 'number', label: 'Kernel size', description: 'Side of the square convolution kernels.', default: 3, min: 1, max: 9, integer: true },
      downsample: { kind: 'choice', label: 'Down-sampling', description: 'Stride-2 convolutions, or stride-1 convolutions followed by 2×2 max pooling.', default: 'stride', options: ['stride', 'pool'] },
      upsample: { kind: 'choice', label: 'Up-sampling', description: 'Stride-2 transposed convolutions, or nearest-neighbour upsampling followed by a convolution.', default: 'transpose', options: ['transpose', 'upsample'] },
      bottleneck: { kind: 'choice', label: 'Code', description: "'vector': a final convolution down to (d,1,1); 'map': the last feature map itself is the code (latent size = its channels).", default: 'vector', options: ['vector', 'map'] },
      activation: activation('Activation', 'Non-linearity after each convolution.', 'relu'),
    },
  },
};
