import { describe, expect, it } from 'vitest';
import { analyses } from '../../../shared/analyses/registry.js';
import { probeSpecWithProtocol } from '../../../shared/analyses/probe/probeProtocol.js';
import { builtinDatasets } from '../../../shared/catalogue/builtinDatasets.js';
import { lecturePresets } from '../../../shared/catalogue/lecturePresets.js';
import { validateRunConfig } from '../../../shared/catalogue/runConfig.js';
import { presetSchema } from '../../../shared/domain/preset.js';
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
/** Fashion-MNIST as the lab registers it from Debian's package: 28×28 grey images in [0, 1], ten classes. */
const fashionClasses = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];
const fashion = {
  id: 'fashion-mnist',
  traits: { shape: [28, 28, 1] as const, kind: 'image' as const, unitRange: true, classNames: fashionClasses, classCounts: fashionClasses.map(() => 7000) },
};
const traitsOf = { shapes: shapes.traits, 'fashion-mnist': fashion.traits } as const;

describe('lecture recipes written for a built-in dataset', () => {
  it('name a dataset the lab provides, and every variant is valid on it, normal classes included', () => {
    const bound = lecturePresets.filter((p) => p.datasetId !== undefined);
    expect(bound.map((p) => [p.id, p.datasetId])).toEqual(expect.arrayContaining([['lecture-anomaly-detection', 'shapes'], ['lecture-pretrained-encoders', 'fashion-mnist']]));
    for (const preset of bound) {
      const id = preset.datasetId as keyof typeof traitsOf;
      expect(Object.keys(builtinDatasets), preset.id).toContain(id);
      for (const v of preset.variants) {
        const result = validateRunConfig({ ...v, datasetId: id }, traitsOf[id]);
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

  it('pretrained encoders: a dense AE and a conv VAE (d = 32) on every class of Fashion-MNIST, short, then a light probe', () => {
    const preset = lecturePresets.find((p) => p.id === 'lecture-pretrained-encoders');
    expect(preset?.variants.map((v) => [v.architecture, v.objective, v.latentDim, v.epochs, v.reconstructionLoss])).toEqual([
      ['dense', 'plain', 32, 5, 'bce'],
      ['conv', 'variational', 32, 3, 'bce'],
    ]);
    // The probe draws its labels from every class: a run trained on some classes only would leave the others unseen.
    expect(preset?.variants.map((v) => v.normalClasses ?? null)).toEqual([null, null]);
    expect(preset?.opens).toBe('probe');
    // Lighter than the defaults, so that the curve takes minutes; the rest of the protocol is the defaults'.
    const spec = probeSpecWithProtocol(['20260101120000-0000a1'], preset?.probe);
    expect(spec).toMatchObject({ labelsPerClass: [1, 5, 10, 50, 100], draws: 3, modes: ['frozen', 'finetune'], baselines: ['pixels', 'pca'], knn: true, head: 'softmax' });
    expect(preset?.description).toContain(`Analyses → ${analyses.probe.label}`);
    expect(preset?.description).toContain('Fashion-MNIST');
    expect(preset?.description).toMatch(/against raw pixels and PCA-32/);
    // Only lines the recipe draws: nothing from scratch, no count above 100.
    expect(preset?.description).not.toMatch(/scratch|1,000|Shapes/);
  });

  it('refuses a probe protocol on a configuration that does not open the probe', () => {
    const anomaly = lecturePresets.find((p) => p.id === 'lecture-anomaly-detection');
    expect(presetSchema.safeParse({ ...anomaly, probe: { draws: 3 } }).error?.issues[0]).toMatchObject({ path: ['probe'], message: 'a probe protocol applies only to a configuration that opens the probe' });
  });
});
