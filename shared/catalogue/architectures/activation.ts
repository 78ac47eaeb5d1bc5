/** The non-linearities a layer can take; the engine builds each by this name. */
export const activationIds = ['relu', 'sigmoid', 'tanh', 'elu', 'linear'] as const;
export type ActivationId = (typeof activationIds)[number];

export const activationSpec = <const D extends ActivationId>(label: string, description: string, fallback: D) =>
  ({ kind: 'choice', label, description, default: fallback, options: activationIds }) as const;
