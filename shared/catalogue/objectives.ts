import type { ParamSpecs } from './params.js';

export const objectiveIds = ['plain', 'sparse', 'denoising', 'contractive', 'variational'] as const;
export type ObjectiveId = (typeof objectiveIds)[number];

export interface ObjectiveInfo {
  label: string;
  description: string;
  params: ParamSpecs;
  /** Loss components the objective reports besides reconstruction. */
  components: readonly string[];
}

export const objectives: Record<ObjectiveId, ObjectiveInfo> = {
  plain: {
    label: 'Plain',
    description: 'Reconstruction only: L(x, g(f(x))).',
    params: {},
    components: [],
  },
  sparse: {
    label: 'Sparse',
    description: 'Reconstruction plus a sparsity penalty on the code: λ‖h‖₁, or λ·Σ KL(ρ ‖ ρ̂ⱼ) toward a target mean activation ρ.',
    params: {
      penalty: { kind: 'choice', label: 'Penalty', description: 'L1 activity penalty, or KL divergence of each unit’s mean activation from ρ.', default: 'l1', options: ['l1', 'kl'] },
      weight: { kind: 'number', label: 'λ', description: 'Weight of the sparsity penalty.', default: 1e-3, min: 0, max: 100, logScale: true },
      target: { kind: 'number', label: 'ρ', description: 'Target mean activation for the KL penalty (units are sigmoid-bounded).', default: 0.05, min: 0.001, max: 0.5 },
    },
    components: ['sparsity'],
  },
  denoising: {
    label: 'Denoising',
    description: 'Reconstructs the clean x from a corrupted x̃ ~ C(x̃|x): L(x, g(f(x̃))).',
    params: {
      corruption: { kind: 'choice', label: 'Corruption', description: 'Additive Gaussian noise, masking (dropping inputs to 0), or salt-and-pepper.', default: 'gaussian', options: ['gaussian', 'masking', 'salt-and-pepper'] },
      level: { kind: 'number', label: 'Level', description: 'σ for Gaussian noise; the fraction of inputs hit for masking and salt-and-pepper.', default: 0.3, min: 0, max: 1 },
    },
    components: [],
  },
  contractive: {
    label: 'Contractive',
    description: 'Reconstruction plus λ‖∂f(x)/∂x‖²_F, computed exactly (closed form for one sigmoid layer, autodiff otherwise).',
    params: {
      weight: { kind: 'number', label: 'λ', description: 'Weight of the Jacobian penalty.', default: 1e-2, min: 0, max: 100, logScale: true },
    },
    components: ['contractive'],
  },
  variational: {
    label: 'Variational',
    description: 'Encoder gives μ and log σ²; z = μ + ε·σ; loss = reconstruction + β·KL(q(z|x) ‖ N(0, I)).',
    params: {
      beta: { kind: 'number', label: 'β', description: 'Weight of the KL term (β = 1 is the standard VAE).', default: 1, min: 0, max: 100 },
    },
    components: ['kl'],
  },
};
