import { defineObjective } from '../definition.js';

export const plain = defineObjective({
  label: 'Plain',
  description: 'Reconstruction only: L(x, g(f(x))).',
  params: {},
  components: [],
  validate: () => [],
});
