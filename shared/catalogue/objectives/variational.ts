import { defineObjective } from '../definition.js';
import type { ValuesOf } from '../params.js';

export const variational = defineObjective({
  label: 'Variational',
  description: 'Encoder gives μ and log σ²; z = μ + ε·σ; loss = reconstruction + β·KL(q(z|x) ‖ N(0, I)).',
  params: {
    beta: { kind: 'number', label: 'β', description: 'Weight of the KL term (β = 1 is the standard VAE).', default: 1, min: 0, max: 100 },
  },
  components: ['kl'],
  validate: ({ code }) => (code.vector ? [] : ["the variational objective needs μ and log σ² heads on a vector code; set the convolutional code to 'vector'"]),
});

export type VariationalParams = ValuesOf<typeof variational.params>;
