import { z } from 'zod';
import {
  datasetPreviewSchema,
  datasetSummarySchema,
  importOptionsSchema,
  importProgressSchema,
  importReportSchema,
  splitNames,
} from '../domain/dataset.js';
import { labInfoSchema } from '../domain/lab.js';
import { presetSchema, presetVariantSchema } from '../domain/preset.js';
import { epochMetricsSchema, runProgressSchema, runSummarySchema, testMetricsSchema } from '../domain/run.js';
import { labErrorSchema } from '../result.js';
import { pcaSummarySchema } from '../analyses/pca/pcaSpec.js';
import { classifierFilesSchema } from '../analyses/probe/classifierInfo.js';
import { labelsPerClassSchema } from '../analyses/probe/probeSpec.js';
import { jobProgressSchema, jobSummarySchema } from '../domain/job.js';
import { sweepAxisSchema, sweepSpecSchema } from '../domain/sweep.js';
import { repairReportSchema, workspaceCheckSchema } from '../domain/workspaceHealth.js';
import type { EventChannel, RequestChannel } from './channels.js';

const datasetId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,80}$/, 'not a dataset id');
const runId = z.string().regex(/^[0-9]{14}-[0-9a-f]{6}$/, 'not a run id');

export const uploadedFileSchema = z.object({
  /** '/'-separated path relative to what was dropped, e.g. 'shapes/circle/001.png'. */
  path: z.string().min(1).max(1024),
  bytes: z.instanceof(Uint8Array),
});

export type UploadedFile = z.infer<typeof uploadedFileSchema>;

/** Decoded or sampled images, count × height × width × channels, on the model's input scale. */
const jobId = z.string().regex(/^[0-9]{14}-[0-9a-f]{6}$/, 'not a job id');

/** A sweep's members with their swept values and test figures, and the dataset's PCA for the same axes. */
const sweepResultsSchema = z.object({
  job: jobSummarySchema,
  axes: z.array(sweepAxisSchema),
  members: z.array(
    z.object({
      run: runSummarySchema,
      point: z.record(z.string(), sweepAxisSchema.shape.values.element),
      evaluation: testMetricsSchema.nullable(),
    }),
  ),
  pca: pcaSummarySchema.nullable(),
});

const modelImagesSchema = z.object({ images: z.instanceof(Float32Array), shape: z.array(z.number().int()), latentSize: z.number().int() });
const modelCodesSchema = z.object({ codes: z.instanceof(Float32Array), shape: z.array(z.number().int()), latentSize: z.number().int() });

/** The files of a run's ONNX export: the encoder, the decoder, and a README of their names, shapes and ranges. */
export const onnxFileNames = ['encoder.onnx', 'decoder.onnx', 'README.md'] as const;
const onnxExportSchema = z.object({
  /** The default domain's opset the models are written against. */
  opset: z.number().int().min(1),
  files: z
    .array(z.object({ name: z.enum(onnxFileNames), bytes: z.instanceof(Uint8Array) }))
    .refine((files) => onnxFileNames.every((name) => files.filter((f) => f.name === name).length === 1), { message: `the export is ${onnxFileNames.join(', ')}, each once` }),
});

/** The most samples one `runs.encode` request encodes; a larger set is asked for in pieces. */
export const maxEncodeIndices = 1024;

/** The most samples one `runs.reconstruct` request reconstructs (a gallery's worth). */
export const maxReconstructIndices = 256;

/** Dataset sample indices, 1 to `max` of them a request, none negative (the lab checks the upper end against the dataset). */
const sampleIndices = (max: number) =>
  z
    .instanceof(Int32Array)
    .refine((indices) => indices.length >= 1 && indices.length <= max, { message: `between 1 and ${max} sample indices a request` })
    .refine((indices) => indices.every((i) => i >= 0), { message: 'a sample index is negative' });

/** Each request's payload and reply. */
export const requestSchemas = {
  'lab.info': { request: z.object({}), reply: labInfoSchema },
  'datasets.list': { request: z.object({}), reply: z.array(datasetSummarySchema) },
  'datasets.importPaths': {
    request: z.object({
      importId: z.string().min(1).max(80),
      paths: z.array(z.string().min(1)).min(1).max(1000),
      options: importOptionsSchema.optional(),
    }),
    reply: importReportSchema,
  },
  'datasets.importFiles': {
    request: z.object({
      importId: z.string().min(1).max(80),
      files: z.array(uploadedFileSchema).min(1).max(200_000),
      options: importOptionsSchema.optional(),
    }),
    reply: importReportSchema,
  },
  /** Stops an import under way before it stores anything; `cancelled` is false when it had finished or was already storing. */
  'datasets.cancelImport': {
    request: z.object({ importId: z.string().min(1).max(80) }),
    reply: z.object({ importId: z.string(), cancelled: z.boolean() }),
  },
  'datasets.preview': {
    request: z.object({
      id: datasetId,
      count: z.number().int().min(1).max(400).default(64),
      split: z.enum(splitNames).optional(),
    }),
    reply: datasetPreviewSchema,
  },
  'datasets.rename': {
    request: z.object({ id: datasetId, name: z.string().trim().min(1).max(120) }),
    reply: datasetSummarySchema,
  },
  'datasets.delete': { request: z.object({ id: datasetId }), reply: z.object({ id: z.string() }) },
  // The configuration is checked against the catalogue and the dataset by the lab, which explains what is wrong.
  'runs.create': { request: z.object({ config: z.record(z.string(), z.unknown()) }), reply: runSummarySchema },
  'runs.list': { request: z.object({}), reply: z.array(runSummarySchema) },
  'runs.get': {
    request: z.object({ id: runId }),
    reply: z.object({
      run: runSummarySchema,
      metrics: z.array(epochMetricsSchema),
      /** Set when metrics.jsonl ends in a line cut short (a crash mid-append): says so, naming the file and line. */
      metricsNotice: z.string().nullable().optional(),
      evaluation: testMetricsSchema.nullable(),
      /**
       * The fixed panel of test images and this run's latest outputs for them (model-input scale):
       * originals are the targets (the clean images), reconstructions the outputs as those images
       * (colorization: RGB; inpainting: the input with the output inside the hole). Where the task's
       * input is not the image, `inputs` (inputShape per item) is what the model was given, as an
       * image: a luminance (1 channel), or the holed image with an alpha channel that is 0 in the hole.
       */
      panel: z
        .object({
          shape: z.array(z.number().int()),
          originals: z.instanceof(Float32Array),
          reconstructions: z.instanceof(Float32Array),
          inputs: z.instanceof(Float32Array).nullable().optional(),
          inputShape: z.array(z.number().int()).nullable().optional(),
        })
        .nullable(),
    }),
  },
  'runs.pause': { request: z.object({ id: runId }), reply: runSummarySchema },
  'runs.resume': { request: z.object({ id: runId }), reply: runSummarySchema },
  'runs.cancel': { request: z.object({ id: runId }), reply: runSummarySchema },
  'runs.delete': { request: z.object({ id: runId }), reply: z.object({ id: z.string() }) },
  'runs.decode': { request: z.object({ id: runId, latents: z.instanceof(Float32Array), count: z.number().int().min(1).max(4096) }), reply: modelImagesSchema },
  /** Codes of the run's dataset samples at `indices` (dataset indices, as `runs.codes` gives them); at most `maxEncodeIndices` a request. */
  'runs.encode': {
    request: z.object({
      id: runId,
      indices: sampleIndices(maxEncodeIndices),
    }),
    reply: modelCodesSchema,
  },
  /**
   * The run's reconstructions of samples at `indices` of its dataset, or of `datasetId` (another
   * dataset of the same shape: out-of-distribution anomalies), with the inputs, model-input scale.
   */
  'runs.reconstruct': {
    request: z.object({
      id: runId,
      indices: sampleIndices(maxReconstructIndices),
      datasetId: datasetId.optional(),
    }),
    reply: z.object({ originals: z.instanceof(Float32Array), reconstructions: z.instanceof(Float32Array), shape: z.array(z.number().int()) }),
  },
  /** The test set's codes (μ for a VAE) with each sample's dataset index and label. */
  'runs.codes': {
    request: z.object({ id: runId }),
    reply: z.object({ codes: z.instanceof(Float32Array), shape: z.array(z.number().int()), indices: z.instanceof(Int32Array), labels: z.instanceof(Int32Array), classNames: z.array(z.string()) }),
  },
  'runs.sample': {
    request: z.object({ id: runId, count: z.number().int().min(1).max(1024), seed: z.number().int().min(0).default(0), from: z.enum(['prior', 'fitted']).default('prior') }),
    reply: modelImagesSchema,
  },
  /** A trained run's encoder and decoder as ONNX models (opset 17), from its best checkpoint, else its last. */
  'runs.exportOnnx': { request: z.object({ id: runId }), reply: onnxExportSchema },
  /** The lecture's built-in configurations, then the user's saved ones. */
  'presets.list': { request: z.object({}), reply: z.array(presetSchema) },
  /** Saving under an existing name replaces that configuration. */
  'presets.save': {
    request: z.object({ name: z.string().trim().min(1).max(120), description: z.string().max(600).default(''), variants: z.array(presetVariantSchema).min(1).max(12) }),
    reply: presetSchema,
  },
  'presets.delete': { request: z.object({ id: z.string().min(1).max(100) }), reply: z.object({ id: z.string() }) },
  /** Every job of the workspace — training runs, analyses, sweeps — newest first. */
  'jobs.list': { request: z.object({}), reply: z.array(jobSummarySchema) },
  'jobs.pause': { request: z.object({ id: jobId }), reply: jobSummarySchema },
  'jobs.resume': { request: z.object({ id: jobId }), reply: jobSummarySchema },
  'jobs.cancel': { request: z.object({ id: jobId }), reply: jobSummarySchema },
  /** Queues an analysis; its spec is validated by the analysis's own schema. */
  'analyses.run': { request: z.object({ analysis: z.string().min(1).max(60), spec: z.record(z.string(), z.unknown()) }), reply: jobSummarySchema },
  'analyses.result': { request: z.object({ id: jobId }), reply: z.object({ job: jobSummarySchema, result: z.record(z.string(), z.unknown()).nullable() }) },
  /** A probe job's kept classifier of one line at one labels-per-class count: its tfjs layers files. */
  'analyses.classifier': { request: z.object({ id: jobId, lineId: z.string().min(1).max(80), labelsPerClass: labelsPerClassSchema }), reply: classifierFilesSchema },
  /** The dataset's PCA if it has been computed for its current content, else null. */
  'analyses.pca': { request: z.object({ datasetId }), reply: pcaSummarySchema.nullable() },
  /** Checks every member, then queues the sweep's runs as one job. */
  'sweeps.create': { request: z.object({ spec: sweepSpecSchema }), reply: jobSummarySchema },
  'sweeps.results': { request: z.object({ id: jobId }), reply: sweepResultsSchema },
  /** Damaged items and leftovers of the workspace; `verifyContent` also checks every dataset's bytes against its stored hash. */
  'workspace.check': { request: z.object({ verifyContent: z.boolean().default(false) }), reply: workspaceCheckSchema },
  /** Moves every damaged item to a quarantine folder in the workspace; deletes nothing. */
  'workspace.repair': { request: z.object({}), reply: repairReportSchema },
} as const satisfies Record<RequestChannel, { request: z.ZodType; reply: z.ZodType }>;

/** Each event's payload. */
export const eventSchemas = {
  'datasets.importProgress': importProgressSchema,
  /** Every import ends with this, whoever started it (a drop, the File menu, the CLI in-process). */
  'datasets.importFinished': z.object({
    importId: z.string(),
    result: z.discriminatedUnion('ok', [
      z.object({ ok: z.literal(true), value: importReportSchema }),
      z.object({ ok: z.literal(false), error: labErrorSchema }),
    ]),
  }),
  'datasets.changed': z.object({ reason: z.enum(['imported', 'renamed', 'deleted', 'builtin', 'repaired']) }),
  'runs.progress': runProgressSchema,
  'runs.changed': z.object({ run: runSummarySchema }),
  'jobs.changed': z.object({ job: jobSummarySchema }),
  'jobs.progress': z.object({ jobId: z.string(), progress: jobProgressSchema }),
} as const satisfies Record<EventChannel, z.ZodType>;

export type RequestOf<C extends RequestChannel> = z.input<(typeof requestSchemas)[C]['request']>;
export type ParsedRequestOf<C extends RequestChannel> = z.output<(typeof requestSchemas)[C]['request']>;
export type ReplyOf<C extends RequestChannel> = z.output<(typeof requestSchemas)[C]['reply']>;
export type EventOf<C extends EventChannel> = z.output<(typeof eventSchemas)[C]>;
