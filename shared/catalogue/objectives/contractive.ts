import { defineObjective } from '../definition.js';
import type { ValuesOf } from '../params.js';

export const contractive = defineObjective({
  label: 'Contractive',
  description: 'Reconstruction plus λ‖∂f(x)/∂x‖²_F, computed exactly (closed form for one sigmoid layer, autodiff otherwise).',
  params: {
    weight: { kind: 'number', label: 'λ', description: 'Weight of the Jacobian penalty.', default: 1e-2, min: 0, max: 100, logScale: true },
  },
  components: ['contractive'],
  validate: () => [],
});

export type ContractiveParams = ValuesOf<typeof contractive.params>;
