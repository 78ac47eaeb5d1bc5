import type { TaskDefinition } from './taskDefinition.js';
import { colorize } from './tasks/colorize.js';
import { inpaint } from './tasks/inpaint.js';
import { reconstruct } from './tasks/reconstruct.js';

// One line per task; the engine registers how each makes a batch's input and target.
const registry = { reconstruct, colorize, inpaint };

export type TaskId = keyof typeof registry;
export const taskIds = Object.keys(registry) as [TaskId, ...TaskId[]];
export const tasks: Record<TaskId, TaskDefinition> = registry as unknown as Record<TaskId, TaskDefinition>;
