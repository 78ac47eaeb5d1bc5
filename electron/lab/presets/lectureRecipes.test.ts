import { describe, expect, it } from 'vitest';
import { analyses } from '../../../shared/analyses/registry.js';
import { lecturePresets } from '../../../shared/catalogue/lecturePresets.js';
import { validateRunConfig } from '../../../shared/catalogue/runConfig.js';
import { builtinShapes, generateShapes } from '../datasets/builtin/shapes.js';

/**
 * The built-in Shapes as the lab makes it (`ensureBuiltins` stores it under the id 'shapes'), from
 * fewer samples: its classes are the generator's whatever the count, and every class has samples.
 */
const data = generateShapes({ ...builtinShapes, count: 500 });
const shapes = {
  id: 'shapes',
  classNames: data.classNames,
  traits: {
    shape: data.shape,
    kind: data.kind,
    unitRange: true,
    classNames: data.classNames,
    classCounts: data.classNames.map((_, c) => data.labels.filter((l) => l === c).length),
  },
};

describe('lecture recipes written for a built-in dataset', () => {
  it('name the built-in Shapes, and every variant is valid on it, normal classes included', () => {
    const bound = lecturePresets.filter((p) => p.datasetId !== undefined);
    expect(bound.map((p) => p.id)).toContain('lecture-anomaly-detection');
    for (const preset of bound) {
      expect(preset.datasetId, preset.id).toBe(shapes.id);
      for (const v of preset.variants) {
        const result = validateRunConfig({ ...v, datasetId: shapes.id }, shapes.traits);
        expect(result.ok ? [] : result.errors, `${preset.id} / ${v.name ?? ''}`).toEqual([]);
      }
    }
  });

  it('anomaly detection: an AE and a VAE on three Shapes, the other two left as anomalies, short, then the workbench', () => {
    const preset = lecturePresets.find((p) => p.id === 'lecture-anomaly-detection');
    const normal = preset?.variants.map((v) => v.normalClasses?.map((c) => shapes.classNames[c]));
    expect(normal).toEqual([
      ['square', 'ellipse', 'triangle'],
      ['square', 'ellipse', 'triangle'],
    ]);
    expect(preset?.variants.map((v) => v.objective)).toEqual(['plain', 'variational']);
    // About a minute on two cores: few epochs over the 6,000 normal samples.
    expect(Math.max(...(preset?.variants ?? []).map((v) => v.epochs ?? 0))).toBeLessThanOrEqual(6);
    expect(preset?.opens).toBe('anomaly');
    expect(preset?.description).toContain(`Analyses → ${analyses.anomaly.label}`);
  });
});
