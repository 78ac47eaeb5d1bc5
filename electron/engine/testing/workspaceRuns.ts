import { randomBytes } from 'node:crypto';
import { validateRunConfig, type DataTraits, type RunConfigInput } from '../../../shared/catalogue/runConfig.js';
import { datasetStats, encodeDataset } from '../../format/datasets/binaryFormat.js';
import { hashContent } from '../../format/datasets/contentHash.js';
import type { DatasetData } from '../../format/datasets/datasetData.js';
import { DatasetFolder } from '../../format/datasets/datasetFolder.js';
import { RunFolder } from '../../format/runs/runFolder.js';
import { writeFileAtomic } from '../../format/workspace/atomicWrite.js';
import { makeFolder } from '../../format/workspace/writeFailure.js';
import { generateShapes, shapeFactorNames, type ShapesOptions } from '../../lab/datasets/builtin/shapes.js';
import type { RunState } from '../../../shared/domain/run.js';
import type { LoadedBackend } from '../backend.js';
import { runTraining } from '../runs/runTraining.js';

/**
 * A workspace as the engine finds it, made without the lab: a Shapes dataset file written
 * as an import writes it (labels removed for an unlabelled one), and runs created on it and
 * trained in this process, for tests of analyses that load trained runs from disk.
 */
export async function writeShapesDataset(workspace: string, id: string, options: ShapesOptions, unlabelled = false, change: (data: DatasetData) => DatasetData = (d) => d): Promise<DatasetData> {
  const shapes = generateShapes(options);
  const data: DatasetData = change(unlabelled ? { ...shapes, labels: new Int32Array(shapes.labels.length).fill(-1), classNames: [] } : shapes);
  const folder = DatasetFolder.inWorkspace(workspace, id);
  await makeFolder(folder.dir);
  await writeFileAtomic(folder.dataFile, encodeDataset(data, hashContent(data), new Date().toISOString()));
  return data;
}

/** A run of `config` on a dataset `writeShapesDataset` wrote, created queued and not started; returns its id. */
export async function createShapesRun(workspace: string, data: DatasetData, config: RunConfigInput): Promise<string> {
  const stats = datasetStats(data);
  return createWorkspaceRun(workspace, { shape: data.shape, kind: data.kind, unitRange: data.transform.scaling === 'unit', classNames: data.classNames, classCounts: stats.classCounts }, config);
}

/** A run of `config` on a dataset already in the workspace (of these traits), created queued and not started; returns its id. */
export async function createWorkspaceRun(workspace: string, traits: DataTraits, config: RunConfigInput): Promise<string> {
  const validated = validateRunConfig(config, traits);
  if (!validated.ok) throw new Error(validated.errors.join('; '));
  const id = `${new Date().toISOString().slice(0, 19).replace(/[-:T]/g, '')}-${randomBytes(3).toString('hex')}`;
  const { config: resolved } = validated;
  await new RunFolder(workspace, id).create(
    { ...resolved, name: resolved.name ?? `${resolved.architecture} ${resolved.objective} d=${resolved.latentDim}` },
    { status: 'queued', epoch: 0, epochs: resolved.epochs, backend: null, error: null, createdAt: new Date().toISOString(), startedAt: null, finishedAt: null, samplesPerSecond: null, engineRssBytes: null },
  );
  return id;
}

/** Trains a created run in this process, without pauses, and answers its final state. */
export const trainInProcess = (backend: LoadedBackend, workspace: string, id: string): Promise<RunState> =>
  runTraining(backend, workspace, id, { isPaused: () => false, gate: () => Promise.resolve('continue') }, { progress: () => undefined, state: () => undefined });

/** A run of `config` on a dataset `writeShapesDataset` wrote, trained to its end; returns its id. */
export async function trainShapesRun(backend: LoadedBackend, workspace: string, data: DatasetData, config: RunConfigInput): Promise<string> {
  const id = await createShapesRun(workspace, data, config);
  const state = await trainInProcess(backend, workspace, id);
  if (state.status !== 'completed') throw new Error(`run ${id} ended ${state.status}: ${state.error ?? ''}`);
  return id;
}

/**
 * Shapes with each shape moved (by whole pixels) so that its centre of brightness is the
 * image's centre: class, scale and rotation remain, position is gone. A `change` for
 * `writeShapesDataset` where a test needs the shapes' classes to be what varies most.
 */
export function centredShapes(data: DatasetData): DatasetData {
  const [height, width] = data.shape;
  const size = height * width;
  const samples = data.samples instanceof Uint8Array ? new Uint8Array(data.samples.length) : new Float32Array(data.samples.length);
  for (let n = 0; n < data.labels.length; n += 1) {
    const image = data.samples.subarray(n * size, (n + 1) * size);
    let [sumX, sumY, sum] = [0, 0, 0];
    image.forEach((v, i) => {
      sumX += v * (i % width);
      sumY += v * Math.floor(i / width);
      sum += v;
    });
    const dx = sum === 0 ? 0 : Math.round((width - 1) / 2 - sumX / sum);
    const dy = sum === 0 ? 0 : Math.round((height - 1) / 2 - sumY / sum);
    image.forEach((v, i) => {
      const x = (i % width) + dx;
      const y = Math.floor(i / width) + dy;
      if (x >= 0 && y >= 0 && x < width && y < height) samples[n * size + y * width + x] = v;
    });
  }
  return { ...data, samples };
}

/** One Shapes sample's generative factors, as the generator drew them (x and y as fractions of the side, rotation in radians). */
export type ShapeFactors = Record<(typeof shapeFactorNames)[number], number>;

/**
 * Shapes of only the samples whose factors `keep` accepts, each keeping its split: a
 * `change` for `writeShapesDataset` where a test needs a factor held within a range (the
 * generator draws every factor over its whole range, so ask it for enough samples).
 */
export function shapesWhere(keep: (factors: ShapeFactors) => boolean): (data: DatasetData) => DatasetData {
  return (data) => {
    if (!data.factors) throw new Error('these samples carry no generative factors to choose by');
    const { names, values } = data.factors;
    const row = (n: number): ShapeFactors => Object.fromEntries(shapeFactorNames.map((name) => [name, values[n * names.length + names.indexOf(name)] ?? NaN])) as ShapeFactors;
    const kept = Array.from(data.labels.keys()).filter((n) => keep(row(n)));
    const size = data.shape.reduce((a, b) => a * b, 1);
    const samples = data.samples instanceof Uint8Array ? new Uint8Array(kept.length * size) : new Float32Array(kept.length * size);
    const factors = new Float32Array(kept.length * names.length);
    kept.forEach((n, i) => {
      samples.set(data.samples.subarray(n * size, (n + 1) * size), i * size);
      factors.set(values.subarray(n * names.length, (n + 1) * names.length), i * names.length);
    });
    const pick = <T extends Int32Array | Uint8Array>(from: T, to: T): T => {
      kept.forEach((n, i) => (to[i] = from[n] ?? 0));
      return to;
    };
    return { ...data, samples, labels: pick(data.labels, new Int32Array(kept.length)), splits: pick(data.splits, new Uint8Array(kept.length)), factors: { names, values: factors } };
  };
}
