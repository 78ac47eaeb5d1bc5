import type { EngineTask } from './engineTask.js';

export const reconstructTask: EngineTask = {
  channels: { input: 0, output: 0 },
  identity: true,
  samples: (clean, count) => ({ count, input: clean, target: clean }),
  outputImages: (output) => output,
  inputImages: () => null,
};
