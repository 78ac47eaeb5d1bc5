import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { issueSentences } from '../../../shared/contract/userMessages.js';
import { importOptionsSchema, type ImportOptionsInput } from '../../../shared/domain/dataset.js';

export type ImportColor = 'auto' | 'grayscale' | 'rgb';
export type ImportScaling = 'unit' | 'minmax' | 'standardize' | 'none';
/** One sample per image (resized or as found), or each image cut into patches of the size. */
export type ImportImages = 'resize' | 'patches';

/** The options panel's fields as typed: sizes and shares may be '' while a field is emptied. */
export interface ImportOptionsForm {
  images: ImportImages;
  /** One sample per image: resized to the size, or (unticked) the most common size. */
  resize: boolean;
  /** The size images are resized to, or the patch size. */
  height: number | string;
  width: number | string;
  /** Patches: '' means the patch size (patches side by side). */
  patchStride: number | string;
  patchesPerImage: number | string;
  color: ImportColor;
  scaling: ImportScaling;
  /** Percent of the samples, as the panel shows them; the lab takes fractions. */
  validationPercent: number | string;
  testPercent: number | string;
  seed: number | string;
  labelColumn: string;
}

export const defaultImportForm = (): ImportOptionsForm => ({
  images: 'resize',
  resize: false,
  height: 28,
  width: 28,
  patchStride: '',
  patchesPerImage: 64,
  color: 'auto',
  scaling: 'unit',
  validationPercent: 10,
  testPercent: 10,
  seed: 42,
  labelColumn: '',
});

/** The options' fields as the panel labels them, for the messages that name them. */
export const importFieldNames: Record<string, string> = {
  size: 'Image size',
  'size.0': 'Height',
  'size.1': 'Width',
  patches: 'Images',
  patchStride: 'Patch stride',
  patchesPerImage: 'Patches per image',
  color: 'Colour',
  scaling: 'Scaling',
  validationFraction: 'Validation share',
  testFraction: 'Test share',
  seed: 'Split seed',
  labelColumn: 'Label column',
};

const numberOrNaN = (value: number | string): number => (value === '' ? Number.NaN : Number(value));

/** What the lab is sent for a form, or why the form cannot be used, each problem a sentence naming its field. */
export function importOptionsOf(form: ImportOptionsForm): { ok: true; options: ImportOptionsInput } | { ok: false; problems: string[] } {
  const problems: string[] = [];
  const share = (label: string, value: number | string): number => {
    const percent = numberOrNaN(value);
    if (!Number.isFinite(percent)) problems.push(`${label} must be a number of percent`);
    else if (percent < 0 || percent > 50) problems.push(`${label} must be between 0 and 50 %; ${percent} was given`);
    return percent / 100;
  };
  const validationFraction = share('Validation share', form.validationPercent);
  const testFraction = share('Test share', form.testPercent);
  if (problems.length > 0) return { ok: false, problems };
  const label = form.labelColumn.trim();
  const patches = form.images === 'patches';
  const input = {
    color: form.color,
    ...(form.resize || patches ? { size: [numberOrNaN(form.height), numberOrNaN(form.width)] } : {}),
    ...(patches
      ? { patches: true, ...(form.patchStride !== '' ? { patchStride: numberOrNaN(form.patchStride) } : {}), patchesPerImage: numberOrNaN(form.patchesPerImage) }
      : {}),
    scaling: form.scaling,
    validationFraction,
    testFraction,
    seed: numberOrNaN(form.seed),
    ...(label !== '' ? { labelColumn: /^\d+$/.test(label) ? Number(label) : label } : {}),
  };
  const parsed = importOptionsSchema.safeParse(input);
  // The split refinement speaks of fractions; the panel of percent.
  if (!parsed.success) return { ok: false, problems: issueSentences(parsed.error, input, importFieldNames).map((p) => p.replace(/^Validation and test fractions/, 'The validation and test shares')) };
  return { ok: true, options: input as ImportOptionsInput };
}

/** How the next import reads its files: the panel beside the import buttons, kept for the session. */
export const useImportOptionsStore = defineStore('importOptions', () => {
  const form = ref<ImportOptionsForm>(defaultImportForm());
  /** Set when an import was held back because the options have a problem, so the panel says so. */
  const held = ref(false);
  const result = computed(() => importOptionsOf(form.value));
  const problems = computed(() => (result.value.ok ? [] : result.value.problems));
  const changed = computed(() => JSON.stringify(form.value) !== JSON.stringify(defaultImportForm()));

  /** The options for an import about to start, or null (the panel then shows why) when they have a problem. */
  function forImport(): ImportOptionsInput | null {
    const current = result.value;
    held.value = !current.ok;
    return current.ok ? current.options : null;
  }

  function reset(): void {
    form.value = defaultImportForm();
    held.value = false;
  }

  return { form, held, problems, changed, forImport, reset };
});
