import { defineObjective } from '../definition.js';
import type { ValuesOf } from '../params.js';

export const sparse = defineObjective({
  label: 'Sparse',
  description: 'Reconstruction plus a sparsity penalty on the code: λ‖h‖₁, or λ·Σ KL(ρ ‖ ρ̂ⱼ) toward a target mean activation ρ.',
  params: {
    penalty: { kind: 'choice', label: 'Penalty', description: 'L1 activity penalty, or KL divergence of each unit’s mean activation from ρ.', default: 'l1', options: ['l1', 'kl'] },
    weight: { kind: 'number', label: 'λ', description: 'Weight of the sparsity penalty.', default: 1e-3, min: 0, max: 100, logScale: true },
    target: { kind: 'number', label: 'ρ', description: 'Target mean activation for the KL penalty (units are sigmoid-bounded).', default: 0.05, min: 0.001, max: 0.5 },
  },
  components: ['sparsity'],
  validate({ params, code }) {
    if (params.penalty !== 'kl' || code.sigmoidBounded) return [];
    return ["the KL sparsity penalty compares each code unit's mean activation with ρ, so the code must be a sigmoid: use the dense architecture with code activation 'sigmoid', or the L1 penalty"];
  },
});

export type SparseParams = ValuesOf<typeof sparse.params>;
