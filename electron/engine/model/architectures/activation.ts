import type { ActivationId } from '../../../../shared/catalogue/architectures/activation.js';

/** The interval an activation's output lies in, where it is bounded. */
export const activationRange: Partial<Record<ActivationId, readonly [number, number]>> = { sigmoid: [0, 1], tanh: [-1, 1] };
