import { existsSync } from 'node:fs';
import { statfs } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { ResolvedRunConfig } from '../../shared/catalogue/runConfig.js';
import type { DatasetSummary } from '../../shared/domain/dataset.js';
import { formatBytes } from '../../shared/format.js';
import { LabError } from '../../shared/result.js';
import type { DatasetData } from '../format/datasets/datasetData.js';

/**
 * Free space is checked before work that writes much (an import, a training job), so that a
 * full disk is a refusal with figures before anything starts, not a failure half-way.
 */

/** Bytes this user may still write on the disk holding `dir` (the nearest folder that exists). */
export async function freeBytes(dir: string): Promise<number> {
  let at = dir;
  while (!existsSync(at) && dirname(at) !== at) at = dirname(at);
  const stats = await statfs(at);
  return stats.bavail * stats.bsize;
}

/** Refuses with the figures where the disk of `dir` has less than `needed` bytes free. */
export async function ensureFreeSpace(dir: string, needed: number, what: string): Promise<void> {
  let available: number;
  try {
    available = await freeBytes(dir);
  } catch {
    // A platform or file system without statfs: the write itself will say if the disk is full.
    return;
  }
  if (available < needed) {
    throw new LabError('io-error', `Not enough free space to ${what}: it needs about ${formatBytes(needed)}, and ${formatBytes(available)} are free on the disk of ${dir}`);
  }
}

/** What storing a dataset writes: its samples, labels, splits and header, with a tenth to spare. */
export function datasetBytes(data: DatasetData): number {
  const body = data.samples.byteLength + data.labels.byteLength + data.splits.byteLength + (data.factors?.values.byteLength ?? 0);
  return Math.ceil(body * 1.1) + 64 * 1024;
}

export const ensureSpaceForDataset = (workspace: string, data: DatasetData): Promise<void> => ensureFreeSpace(workspace, datasetBytes(data), 'store this dataset');

const integers = (value: unknown, fallback: number[]): number[] => (Array.isArray(value) && value.every((v) => typeof v === 'number') ? (value as number[]) : fallback);

/** The model's weights, counted from its configuration (encoder and mirrored decoder, with biases). */
export function estimatedParameters(config: ResolvedRunConfig, shape: readonly number[]): number {
  const [height = 1, width = 1, channels = 1] = shape;
  const inputs = height * width * channels;
  // A variational encoder ends in a mean and a log-variance per latent unit.
  const code = config.objective === 'variational' ? 2 * config.latentDim : config.latentDim;
  const dense = (widths: number[]): number => {
    const layers = [inputs, ...widths, code];
    let count = 0;
    for (let i = 0; i + 1 < layers.length; i += 1) count += ((layers[i] ?? 0) + 1) * (layers[i + 1] ?? 0);
    return 2 * count;
  };
  if (config.architecture === 'linear') return dense([]);
  if (config.architecture === 'dense') return dense(integers(config.architectureParams.hiddenWidths, [256]));
  const stages = integers(config.architectureParams.channels, [16, 32]);
  const kernel = typeof config.architectureParams.kernelSize === 'number' ? config.architectureParams.kernelSize : 3;
  let count = 0;
  let previous = channels;
  for (const filters of stages) {
    count += (kernel * kernel * previous + 1) * filters;
    previous = filters;
  }
  const side = 2 ** stages.length;
  const map = Math.ceil(height / side) * Math.ceil(width / side) * previous;
  return 2 * (count + (map + 1) * code);
}

const optimizerSlots: Record<ResolvedRunConfig['optimizer'], number> = { adam: 2, rmsprop: 2, sgd: 1 };

/**
 * What a training run writes: three checkpoints' weights and optimizer moments at the peak (last
 * and best, and the next last written beside them before it replaces the old), the panel, the
 * test codes and the metrics.
 */
export function trainingBytes(config: ResolvedRunConfig, dataset: Pick<DatasetSummary, 'shape' | 'splits'>): number {
  const parameters = estimatedParameters(config, dataset.shape);
  const checkpoint = parameters * (1 + optimizerSlots[config.optimizer]) * 4;
  const inputs = dataset.shape.reduce((a, b) => a * b, 1);
  const panel = 2 * 16 * inputs * 4;
  const codes = (dataset.splits.test || dataset.splits.validation) * config.latentDim * 4;
  return 3 * checkpoint + panel + codes + config.epochs * 2048 + 256 * 1024;
}

export const ensureSpaceForTraining = (workspace: string, config: ResolvedRunConfig, dataset: Pick<DatasetSummary, 'shape' | 'splits'>): Promise<void> =>
  ensureFreeSpace(workspace, trainingBytes(config, dataset), `train '${config.name ?? config.architecture}'`);
