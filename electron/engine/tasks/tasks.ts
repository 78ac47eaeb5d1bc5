import type { ResolvedRunConfig } from '../../../shared/catalogue/runConfig.js';
import type { ColorizeParams } from '../../../shared/catalogue/tasks/colorize.js';
import type { InpaintParams } from '../../../shared/catalogue/tasks/inpaint.js';
import { colorizeTask } from './colorizeTask.js';
import type { EngineTask } from './engineTask.js';
import { inpaintTask } from './inpaintTask.js';
import { reconstructTask } from './reconstructTask.js';

/** The run's task as the engine carries it out (its parameters resolved by the catalogue). */
export function engineTaskOf(config: Pick<ResolvedRunConfig, 'task' | 'taskParams'>, dataChannels: number): EngineTask {
  const task = config.task ?? 'reconstruct';
  if (task === 'colorize') return colorizeTask(config.taskParams as ColorizeParams);
  if (task === 'inpaint') return inpaintTask(config.taskParams as InpaintParams, dataChannels);
  return { ...reconstructTask, channels: { input: dataChannels, output: dataChannels } };
}
