import { defineTask } from '../taskDefinition.js';

export const reconstruct = defineTask({
  label: 'Reconstruct',
  description: 'The model is given a sample and gives it back (a denoising objective corrupts what it is given, not what it gives back).',
  params: {},
  channels: (_params, channels) => ({ input: channels, output: channels }),
  validate: () => [],
});
