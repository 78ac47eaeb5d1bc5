import type { ObjectiveRegistry } from '../types.js';
import { contractive } from './contractive.js';
import { denoising } from './denoising.js';
import { plain } from './plain.js';
import { sparse } from './sparse.js';
import { variational } from './variational.js';

export const objectiveModules: ObjectiveRegistry = { plain, sparse, denoising, contractive, variational };
