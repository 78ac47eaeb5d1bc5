import { describe, expect, it } from 'vitest';
import { validateRunConfig, type DataTraits } from './runConfig.js';

const images: DataTraits = { shape: [28, 28, 1], kind: 'image', unitRange: true };
const vectors: DataTraits = { shape: [1, 37, 1], kind: 'vector', unitRange: false };

const errorsOf = (input: Parameters<typeof validateRunConfig>[0], data: DataTraits = images): string[] => {
  const result = validateRunConfig(input, data);
  return result.ok ? [] : result.errors;
};

describe('run configuration validation', () => {
  it('fills defaults from the catalogue', () => {
    const result = validateRunConfig({ datasetId: 'd', architecture: 'conv', objective: 'variational' }, images);
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(result.config.architectureParams).toMatchObject({ channels: [16, 32], kernelSize: 3, bottleneck: 'vector' });
      expect(result.config.objectiveParams).toEqual({ beta: 1 });
      expect(result.config).toMatchObject({ latentDim: 32, optimizer: 'adam', batchSize: 128 });
    }
  });

  it('explains out-of-range and unknown hyperparameters', () => {
    expect(errorsOf({ datasetId: 'd', architecture: 'dense', objective: 'sparse', objectiveParams: { target: 0.9 } })).toEqual([
      "objective 'sparse': ρ (target) must be between 0.001 and 0.5, not 0.9",
    ]);
    expect(errorsOf({ datasetId: 'd', architecture: 'linear', objective: 'plain', architectureParams: { depth: 3 } })).toEqual([
      "architecture 'linear' has no hyperparameter 'depth' (it has none)",
    ]);
    expect(errorsOf({ datasetId: 'd', architecture: 'dense', objective: 'plain', latentDim: 0 })[0]).toBe('Latent size d must be at least 1; 0 was given');
  });

  it('refuses combinations that make no sense, saying why', () => {
    expect(errorsOf({ datasetId: 'd', architecture: 'conv', objective: 'plain' }, vectors)[0]).toBe(
      "a convolutional autoencoder needs images; this dataset's samples are vectors of 37 features — use the dense or linear architecture",
    );
    expect(errorsOf({ datasetId: 'd', architecture: 'conv', objective: 'plain', architectureParams: { channels: [8, 16, 32] } })[0]).toMatch(
      /^3 down-sampling stages need height and width divisible by 8; these images are 28×28/,
    );
    expect(errorsOf({ datasetId: 'd', architecture: 'dense', objective: 'plain', reconstructionLoss: 'bce' }, vectors)[0]).toMatch(/^binary cross-entropy needs inputs in \[0, 1\]/);
    expect(errorsOf({ datasetId: 'd', architecture: 'linear', objective: 'sparse', objectiveParams: { penalty: 'kl' } })[0]).toMatch(/the code must be a sigmoid/);
    expect(errorsOf({ datasetId: 'd', architecture: 'conv', objective: 'variational', architectureParams: { bottleneck: 'map' } })[0]).toMatch(/needs μ and log σ² heads on a vector code/);
  });

  it('accepts every family the lecture names on images', () => {
    for (const architecture of ['dense', 'linear', 'conv'] as const) {
      for (const objective of ['plain', 'sparse', 'denoising', 'contractive', 'variational'] as const) {
        expect(errorsOf({ datasetId: 'd', architecture, objective })).toEqual([]);
      }
    }
  });
});
