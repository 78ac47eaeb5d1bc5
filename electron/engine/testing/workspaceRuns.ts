import { randomBytes } from 'node:crypto';
import { validateRunConfig, type DataTraits, type RunConfigInput } from '../../../shared/catalogue/runConfig.js';
import { datasetStats, encodeDataset } from '../../format/datasets/binaryFormat.js';
import { hashContent } from '../../format/datasets/contentHash.js';
import type { DatasetData } from '../../format/datasets/datasetData.js';
import { DatasetFolder } from '../../format/datasets/datasetFolder.js';
import { RunFolder } from '../../format/runs/runFolder.js';
import { writeFileAtomic } from '../../format/workspace/atomicWrite.js';
import { makeFolder } from '../../format/workspace/writeFailure.js';
import { generateShapes, type ShapesOptions } from '../../lab/datasets/builtin/shapes.js';
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
