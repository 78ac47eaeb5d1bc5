import { describe, expect, it } from 'vitest';
import { lecturePresets } from '../../../../shared/catalogue/lecturePresets.js';
import { cloneVariant, newVariant, presetVariantOf, problemsOf, toConfig, variantFromPreset, withArchitecture, withNormalClasses, withObjective } from './variant.js';

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

  it('keeps the normal classes through saving, loading and Add variant, and leaves them out when every class is trained on', () => {
    const variant = withNormalClasses(withObjective(withArchitecture(newVariant(), 'conv'), 'variational'), [8, 5]);
    const saved = presetVariantOf(variant);
    expect(saved.normalClasses).toEqual([8, 5]);
    const { key: _a, ...original } = variant;
    const { key: _b, ...loaded } = variantFromPreset(saved);
    expect(loaded).toEqual(original);
    expect(toConfig(variant, 'fashion-mnist')).toMatchObject({ datasetId: 'fashion-mnist', normalClasses: [8, 5] });
    const clone = cloneVariant(variant);
    expect(clone.normalClasses).toEqual([8, 5]);
    expect(clone.normalClasses).not.toBe(variant.normalClasses);
    const all = withNormalClasses(variant, undefined);
    expect(all).not.toHaveProperty('normalClasses');
    expect(Object.keys(presetVariantOf(all))).not.toContain('normalClasses');
    expect(variantFromPreset(presetVariantOf(all))).not.toHaveProperty('normalClasses');
  });

  it('checks the normal classes against the chosen dataset’s classes as the lab does', () => {
    const labelled = { ...(fashion as object), classNames: ['T-shirt', 'Trouser', 'Bag'], classCounts: [10, 0, 10] } as never;
    expect(problemsOf(withNormalClasses(newVariant(), [0, 2]), labelled)).toEqual([]);
    expect(problemsOf(withNormalClasses(newVariant(), []), labelled)).toEqual(['Normal classes must have at least 1 entry; 0 were given']);
    expect(problemsOf(withNormalClasses(newVariant(), [1]), labelled)).toEqual(["Normal classes: 'Trouser' has no samples in this dataset"]);
    expect(problemsOf(withNormalClasses(newVariant(), [3]), labelled)[0]).toMatch(/^Normal classes: 3 is not a class of this dataset/);
  });

  it("every lecture experiment loads into the form without a problem on Fashion-MNIST", () => {
    for (const preset of lecturePresets) for (const v of preset.variants) expect(problemsOf(variantFromPreset(v), fashion), `${preset.id}`).toEqual([]);
  });
});
