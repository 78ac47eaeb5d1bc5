import { describe, expect, it } from 'vitest';
import { defaultImportForm, importOptionsOf, useImportOptionsStore } from './importOptions.js';
import { FakeLab, useFakeLab } from '../testing/fakeLab.js';

class NoLab extends FakeLab {
  protected answer() {
    return undefined;
  }
}

describe('import options from the panel', () => {
  it('sends the defaults the lab would choose, the size only when resizing, shares as fractions', () => {
    expect(importOptionsOf(defaultImportForm())).toEqual({ ok: true, options: { color: 'auto', scaling: 'unit', validationFraction: 0.1, testFraction: 0.1, seed: 42 } });
    const form = { ...defaultImportForm(), resize: true, height: 14, width: 14, color: 'grayscale' as const, scaling: 'minmax' as const, validationPercent: 20, testPercent: 5, seed: 7, labelColumn: '3' };
    expect(importOptionsOf(form)).toEqual({ ok: true, options: { color: 'grayscale', size: [14, 14], scaling: 'minmax', validationFraction: 0.2, testFraction: 0.05, seed: 7, labelColumn: 3 } });
    expect(importOptionsOf({ ...defaultImportForm(), labelColumn: ' label ' })).toMatchObject({ ok: true, options: { labelColumn: 'label' } });
  });

  it('sends patches with their size, stride and cap, and no stride when left empty', () => {
    const form = { ...defaultImportForm(), images: 'patches' as const, height: 32, width: 32, color: 'rgb' as const, patchStride: 16, patchesPerImage: 100 };
    expect(importOptionsOf(form)).toEqual({ ok: true, options: { color: 'rgb', size: [32, 32], patches: true, patchStride: 16, patchesPerImage: 100, scaling: 'unit', validationFraction: 0.1, testFraction: 0.1, seed: 42 } });
    expect(importOptionsOf({ ...form, patchStride: '' })).toMatchObject({ ok: true, options: { patches: true, patchesPerImage: 100 } });
    expect(importOptionsOf({ ...form, patchStride: '' })).not.toHaveProperty('options.patchStride');
    // Back to one sample per image: the patch fields are not sent.
    expect(importOptionsOf({ ...form, images: 'resize' })).toEqual({ ok: true, options: { color: 'rgb', scaling: 'unit', validationFraction: 0.1, testFraction: 0.1, seed: 42 } });
    expect(importOptionsOf({ ...form, patchStride: 0, patchesPerImage: '' })).toEqual({ ok: false, problems: ['Patch stride must be at least 1; 0 was given', 'Patches per image must be a number'] });
  });

  it('says in the panel’s words what cannot be used', () => {
    expect(importOptionsOf({ ...defaultImportForm(), resize: true, height: 2, width: '' })).toEqual({ ok: false, problems: ['Height must be at least 4; 2 was given', 'Width must be a number'] });
    expect(importOptionsOf({ ...defaultImportForm(), validationPercent: 60, testPercent: '' })).toEqual({
      ok: false,
      problems: ['Validation share must be between 0 and 50 %; 60 was given', 'Test share must be a number of percent'],
    });
    expect(importOptionsOf({ ...defaultImportForm(), validationPercent: 50, testPercent: 45 })).toEqual({ ok: false, problems: ['The validation and test shares together must leave at least 10% for training'] });
    expect(importOptionsOf({ ...defaultImportForm(), seed: 1.5 })).toEqual({ ok: false, problems: ['Split seed must be a whole number; 1.5 was given'] });
  });
});

describe('import options store', () => {
  useFakeLab(() => new NoLab());

  it('holds an import back while the options have a problem, and says so', () => {
    const store = useImportOptionsStore();
    expect(store.forImport()).toMatchObject({ seed: 42 });
    expect(store.held).toBe(false);
    store.form.seed = -1;
    expect(store.forImport()).toBeNull();
    expect(store.held).toBe(true);
    expect(store.problems).toEqual(['Split seed must be at least 0; -1 was given']);
    store.reset();
    expect(store.held).toBe(false);
    expect(store.changed).toBe(false);
  });
});
