import { describe, expect, it } from 'vitest';
import { lecturePresets } from '../../../../shared/catalogue/lecturePresets.js';
import { newVariant, presetVariantOf, problemsOf, variantFromPreset, withArchitecture, withObjective } from './variant.js';

const fashion = { id: 'fashion-mnist', name: 'Fashion-MNIST', count: 70000, shape: [28, 28, 1], kind: 'image', scaling: 'unit' } as never;

describe('variants and saved configurations', () => {
  it('a variant saved and loaded again is the same variant', () => {
    const variant = { ...withObjective(withArchitecture(newVariant(), 'conv'), 'denoising'), name: 'dae', latentDim: 8, epochs: 3, learningRate: 0.002 };
    variant.objectiveParams = { ...variant.objectiveParams, corruption: 'masking', level: 0.5 };
    const { key: _a, ...original } = variant;
    const { key: _b, ...loaded } = variantFromPreset(presetVariantOf(variant));
    expect(loaded).toEqual(original);
    expect(presetVariantOf(variant)).not.toHaveProperty('datasetId');
  });

  it('fills what a configuration leaves out with the catalogue defaults', () => {
    const variant = variantFromPreset({ architecture: 'dense', objective: 'sparse', objectiveParams: { weight: 0.01 } });
    expect(variant.objectiveParams).toEqual({ penalty: 'l1', weight: 0.01, target: 0.05 });
    expect(variant.architectureParams).toMatchObject({ hiddenWidths: [256] });
  });

  it("every lecture experiment loads into the form without a problem on Fashion-MNIST", () => {
    for (const preset of lecturePresets) for (const v of preset.variants) expect(problemsOf(variantFromPreset(v), fashion), `${preset.id}`).toEqual([]);
  });
});
