import { defineObjective } from '../definition.js';
import type { ValuesOf } from '../params.js';

export const corruptionIds = ['gaussian', 'masking', 'salt-and-pepper'] as const;

export const denoising = defineObjective({
  label: 'Denoising',
  description: 'Reconstructs the clean x from a corrupted x̃ ~ C(x̃|x): L(x, g(f(x̃))).',
  params: {
    corruption: { kind: 'choice', label: 'Corruption', description: 'Additive Gaussian noise, masking (dropping inputs to 0), or salt-and-pepper.', default: 'gaussian', options: corruptionIds },
    level: { kind: 'number', label: 'Level', description: 'σ for Gaussian noise; the fraction of inputs hit for masking and salt-and-pepper.', default: 0.3, min: 0, max: 1 },
  },
  components: [],
  validate: () => [],
});

export type DenoisingParams = ValuesOf<typeof denoising.params>;
