import { defineArchitecture } from '../definition.js';

export const linear = defineArchitecture({
  label: 'Linear',
  description: 'One linear map each way and no non-linearity: with squared error it learns the principal subspace, as PCA does.',
  params: {},
  reconstructionLosses: ['mse'],
  code: () => ({ sigmoidBounded: false, vector: true }),
  linearMaps: true,
  validate: ({ reconstructionLoss }) =>
    reconstructionLoss === 'bce'
      ? ['a linear autoencoder has no output non-linearity, so its reconstructions are not probabilities for binary cross-entropy; use mse (the loss under which it matches PCA)']
      : [],
});
