import type { ObjectiveDefinition } from './definition.js';
import { contractive } from './objectives/contractive.js';
import { denoising } from './objectives/denoising.js';
import { plain } from './objectives/plain.js';
import { sparse } from './objectives/sparse.js';
import { variational } from './objectives/variational.js';

// One line per objective, in the lecture's order; the engine registers a loss for each id.
const registry = { plain, sparse, denoising, contractive, variational };

export type ObjectiveId = keyof typeof registry;
export const objectiveIds = Object.keys(registry) as [ObjectiveId, ...ObjectiveId[]];
export type ObjectiveInfo = ObjectiveDefinition;

export const objectives: Record<ObjectiveId, ObjectiveDefinition> = registry;
