import type { ArchitectureRegistry } from '../types.js';
import { conv } from './conv.js';
import { dense } from './dense.js';
import { linear } from './linear.js';

export const architectureModules: ArchitectureRegistry = { dense, linear, conv };
