import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type * as TF from '@tensorflow/tfjs';
import { DatasetFolder } from '../../../format/datasets/datasetFolder.js';
import type { ValueTransform } from '../../../format/datasets/datasetData.js';
import { RunFolder } from '../../../format/runs/runFolder.js';
import type { StoredRunConfig } from '../../../format/runs/runFormats.js';
import { makeFolder } from '../../../format/workspace/writeFailure.js';
import type { Tfjs } from '../../backend.js';
import { objectiveModules } from '../../model/objectives/objectives.js';
import { loadCheckpointModels } from '../../runs/checkpoint.js';
import { readDatasetHeader } from '../../runs/loadTrainingData.js';
import { layersModelToOnnx, type ConvertedModel } from './convert.js';
import { encodeOnnxModel } from './onnxProto.js';
import { onnxReadme } from './readme.js';

/** A run's trained models, and what the files should say of them. */
export interface RunModels {
  encoder: TF.LayersModel;
  decoder: TF.LayersModel;
  /** A VAE's latent size d: its encoder's 2d outputs are μ then log σ², exported as two outputs. */
  posteriorHeads?: number;
  title?: string;
  /** The encoder's input values in words: how the lab scales the dataset's samples. */
  inputRange?: string;
}

/** What the files say of a run, beside its models. */
export type RunDescription = Omit<RunModels, 'encoder' | 'decoder'>;

/** One file of an export, as the lab hands it out. */
export interface OnnxFile {
  name: 'encoder.onnx' | 'decoder.onnx' | 'README.md';
  bytes: Uint8Array<ArrayBuffer>;
}

/** A trained run of a workspace, as the engine finds it on disk. */
export interface StoredRun {
  workspace: string;
  runId: string;
}

export interface OnnxExport {
  files: { encoder: string; decoder: string; readme: string };
  encoder: ConvertedModel;
  decoder: ConvertedModel;
}

/** What the lab feeds an encoder: raw samples mapped by the dataset's transform. */
export function transformText({ scaling, offset, factor }: ValueTransform): string {
  const mapped = `the dataset's samples as (raw − ${offset}) × ${factor}`;
  if (scaling === 'unit' || scaling === 'minmax') return `${mapped}, in [0, 1] (${scaling} scaling)`;
  if (scaling === 'standardize') return `${mapped}: mean 0, variance 1 over the dataset (standardized)`;
  return `${mapped}: the raw values`;
}

const isStored = (source: StoredRun | RunModels): source is StoredRun => 'runId' in source;

/** A stored run's title, input scaling and (for a VAE) posterior heads, as its export states them. */
export function runDescription(config: StoredRunConfig, runId: string, checkpoint: 'best' | 'last', transform: ValueTransform): RunDescription {
  return {
    ...(objectiveModules[config.objective].posterior ? { posteriorHeads: config.latentDim } : {}),
    title: `${config.name} (run ${runId}, ${checkpoint} checkpoint)`,
    inputRange: transformText(transform),
  };
}

async function loadRun(tf: Tfjs, { workspace, runId }: StoredRun): Promise<RunModels> {
  const folder = new RunFolder(workspace, runId);
  const config = await folder.readConfig();
  const header = await readDatasetHeader(DatasetFolder.inWorkspace(workspace, config.datasetId).dataFile);
  const { encoder, decoder, checkpoint } = await loadCheckpointModels(tf, folder);
  return { encoder, decoder, ...runDescription(config, runId, checkpoint, header.transform) };
}

/** The encoder and decoder of `models` as ONNX models in the lab's layouts and names. */
export function convertRunModels(models: RunModels): { encoder: ConvertedModel; decoder: ConvertedModel } {
  const title = models.title ?? 'autoencoder';
  const imageInput = (models.encoder.inputs[0]?.shape.length ?? 0) === 4;
  const input = {
    name: 'x',
    docString: imageInput ? 'Samples as images, channels last: [batch, height, width, channels].' : 'Samples as vectors; an image is flattened row by row, channels last.',
  };
  const encoder = layersModelToOnnx(models.encoder, {
    graphName: 'encoder',
    docString: `The encoder of ${title}.`,
    input,
    outputs:
      models.posteriorHeads === undefined
        ? [{ name: 'code', docString: 'The code (latent) of each sample.' }]
        : [
            { name: 'mu', docString: 'The mean μ of the posterior q(z|x) = N(μ, σ²): the code the lab uses.' },
            { name: 'log_var', docString: 'The log variance log σ² of the posterior q(z|x).' },
          ],
  });
  const decoder = layersModelToOnnx(models.decoder, {
    graphName: 'decoder',
    docString: `The decoder of ${title}.`,
    input: { name: 'code', docString: 'Codes (latents), one per sample.' },
    outputs: [{ name: 'reconstruction', docString: `The reconstruction, in the encoder input's layout.` }],
  });
  return { encoder, decoder };
}

/** The encoder and decoder of `models` as ONNX files, and the README of their names, shapes and ranges; the models stay the caller's. */
export function onnxFiles(models: RunModels): { files: OnnxFile[]; encoder: ConvertedModel; decoder: ConvertedModel } {
  const { encoder, decoder } = convertRunModels(models);
  const inputRange = models.inputRange ?? 'the samples scaled as the lab scales them for training';
  const readme = onnxReadme({ title: models.title ?? 'Autoencoder', encoder, decoder, inputRange });
  const files: OnnxFile[] = [
    { name: 'encoder.onnx', bytes: new Uint8Array(encodeOnnxModel(encoder.model)) },
    { name: 'decoder.onnx', bytes: new Uint8Array(encodeOnnxModel(decoder.model)) },
    { name: 'README.md', bytes: new TextEncoder().encode(readme) },
  ];
  return { files, encoder, decoder };
}

/**
 * Writes `encoder.onnx`, `decoder.onnx` and a README of their names, shapes and ranges into
 * `outDir`, from a stored run (its best checkpoint, else its last) or from models in hand.
 */
export async function exportRunOnnx(tf: Tfjs, source: StoredRun | RunModels, outDir: string): Promise<OnnxExport> {
  const models = isStored(source) ? await loadRun(tf, source) : source;
  try {
    const { files, encoder, decoder } = onnxFiles(models);
    await makeFolder(outDir);
    for (const file of files) await writeFile(join(outDir, file.name), file.bytes);
    return { files: { encoder: join(outDir, 'encoder.onnx'), decoder: join(outDir, 'decoder.onnx'), readme: join(outDir, 'README.md') }, encoder, decoder };
  } finally {
    // Models this export loaded are its own to free; models handed in stay the caller's.
    if (isStored(source)) {
      models.encoder.dispose();
      models.decoder.dispose();
    }
  }
}
