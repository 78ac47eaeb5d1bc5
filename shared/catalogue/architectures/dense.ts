import { defineArchitecture } from '../definition.js';
import type { ValuesOf } from '../params.js';
import { activationSpec } from './activation.js';

export const dense = defineArchitecture({
  label: 'Dense (MLP)',
  description: 'Fully connected encoder and mirrored decoder; a latent size below the input is undercomplete, above it overcomplete.',
  params: {
    hiddenWidths: { kind: 'integers', label: 'Hidden widths', description: 'Encoder layer widths from the input inward; the decoder mirrors them.', default: [256], min: 1, max: 8192, maxLength: 6 },
    activation: activationSpec('Hidden activation', 'Non-linearity of the hidden layers.', 'relu'),
    codeActivation: activationSpec('Code activation', 'Non-linearity applied to the latent code (linear leaves it unbounded).', 'linear'),
  },
  reconstructionLosses: ['bce', 'mse'],
  code: (params) => ({ sigmoidBounded: params.codeActivation === 'sigmoid', vector: true }),
  validate: () => [],
});

export type DenseParams = ValuesOf<typeof dense.params>;
