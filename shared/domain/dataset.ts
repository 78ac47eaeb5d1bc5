import { z } from 'zod';

export const colorModes = ['auto', 'grayscale', 'rgb'] as const;
export const scalings = ['unit', 'minmax', 'standardize', 'none'] as const;

/** How a dataset is imported. Defaults suit a first drop; every field can be set from the UI or CLI. */
export const importOptionsSchema = z
  .object({
    name: z.string().trim().min(1).max(120).optional(),
    color: z.enum(colorModes).default('auto'),
    /** Target [height, width] for image files; absent means the most common size, capped at 64 px. With `patches`, the patch size (absent: 32×32). */
    size: z.tuple([z.number().int().min(4).max(512), z.number().int().min(4).max(512)]).optional(),
    /** Image files: cut each image into patches of `size` (none resized) rather than resize it to one sample. */
    patches: z.boolean().default(false),
    /** Patches: pixels from one patch to the next, both ways; absent means the patch's own size (no overlap). */
    patchStride: z.number().int().min(1).max(512).optional(),
    /** Patches: the most taken from one image, chosen over its grid in an order the seed fixes; absent means 64. */
    patchesPerImage: z.number().int().min(1).max(100_000).optional(),
    /** unit: pixels/255; minmax: to [0,1] by the data's range; standardize: zero mean, unit variance. */
    scaling: z.enum(scalings).default('unit'),
    validationFraction: z.number().min(0).max(0.5).default(0.1),
    testFraction: z.number().min(0).max(0.5).default(0.1),
    seed: z.number().int().min(0).max(2 ** 31 - 1).default(42),
    /** CSV only: the label column's name or 0-based index; absent means detect it. */
    labelColumn: z.union([z.string().min(1), z.number().int().min(0)]).optional(),
  })
  .refine((o) => o.validationFraction + o.testFraction < 0.9, {
    message: 'validation and test fractions together must leave at least 10% for training',
    path: ['testFraction'],
  })
  .refine((o) => o.patches || (o.patchStride === undefined && o.patchesPerImage === undefined), {
    message: 'the patch stride and patches per image apply only when images are cut into patches: choose patches, or leave them out',
    path: ['patches'],
  });

export type ImportOptionsInput = z.input<typeof importOptionsSchema>;
export type ImportOptions = z.output<typeof importOptionsSchema>;

export const sourceFormats = ['images', 'zip', 'idx', 'csv', 'npy', 'npz', 'generated'] as const;
export type SourceFormat = (typeof sourceFormats)[number];

export const splitCountsSchema = z.object({
  train: z.number().int().min(0),
  validation: z.number().int().min(0),
  test: z.number().int().min(0),
});

export const datasetSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  format: z.enum(sourceFormats),
  source: z.string(),
  builtin: z.boolean(),
  /** Per-sample shape [height, width, channels]; tabular data is [1, features, 1]. */
  shape: z.tuple([z.number().int(), z.number().int(), z.number().int()]),
  kind: z.enum(['image', 'vector']),
  dtype: z.enum(['uint8', 'float32']),
  scaling: z.enum(scalings),
  count: z.number().int(),
  splits: splitCountsSchema,
  classNames: z.array(z.string()),
  classCounts: z.array(z.number().int()),
  unlabeled: z.number().int(),
  factorNames: z.array(z.string()),
  bytesOnDisk: z.number().int(),
  contentHash: z.string(),
  createdAt: z.string(),
});

export type DatasetSummary = z.infer<typeof datasetSummarySchema>;

export const skippedFileSchema = z.object({ file: z.string(), reason: z.string() });
export type SkippedFile = z.infer<typeof skippedFileSchema>;

export const importReportSchema = z.object({
  dataset: datasetSummarySchema,
  /** Set when the same content was already in the workspace: nothing new was stored. */
  duplicateOf: z.string().optional(),
  skipped: z.array(skippedFileSchema),
  /** Things the user should know that were not failures (resizing, detected header, ...). */
  notes: z.array(z.string()),
});

export type ImportReport = z.infer<typeof importReportSchema>;

export const importPhases = ['reading', 'decoding', 'storing', 'done', 'failed'] as const;

export const importProgressSchema = z.object({
  importId: z.string(),
  phase: z.enum(importPhases),
  done: z.number().int().min(0),
  total: z.number().int().min(0),
  message: z.string(),
});

export type ImportProgress = z.infer<typeof importProgressSchema>;

export const splitNames = ['train', 'validation', 'test'] as const;
export type SplitName = (typeof splitNames)[number];

export const datasetPreviewSchema = z.object({
  datasetId: z.string(),
  shape: z.tuple([z.number().int(), z.number().int(), z.number().int()]),
  indices: z.instanceof(Int32Array),
  labels: z.instanceof(Int32Array),
  /** count × height × width × channels bytes, 0–255, ready to paint. */
  pixels: z.instanceof(Uint8Array),
});

export type DatasetPreview = z.infer<typeof datasetPreviewSchema>;
