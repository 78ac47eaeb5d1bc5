import type { ArchitectureDefinition } from './definition.js';
import { conv } from './architectures/conv.js';
import { dense } from './architectures/dense.js';
import { linear } from './architectures/linear.js';

// One line per architecture, in the lecture's order; the engine registers a model for each id.
const registry = { dense, linear, conv };

export type ArchitectureId = keyof typeof registry;
export const architectureIds = Object.keys(registry) as [ArchitectureId, ...ArchitectureId[]];
export type ArchitectureInfo = ArchitectureDefinition;

export const architectures: Record<ArchitectureId, ArchitectureDefinition> = registry;
