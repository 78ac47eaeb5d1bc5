import { existsSync } from 'node:fs';
import type { ProbeSpec } from '../../../../shared/analyses/probe/probeSpec.js';
import { indicesByClass } from '../../../../shared/analyses/probe/labelDraws.js';
import { LabError } from '../../../../shared/result.js';
import type { DatasetHeader } from '../../../format/datasets/binaryFormat.js';
import { DatasetFolder } from '../../../format/datasets/datasetFolder.js';
import { checkpointMarker } from '../../../format/runs/checkpointFolder.js';
import { RunFolder } from '../../../format/runs/runFolder.js';
import type { StoredRunConfig } from '../../../format/runs/runFormats.js';
import { completeFolder } from '../../../format/workspace/atomicFolder.js';
import { loadTrainingData } from '../../runs/loadTrainingData.js';
import type { TrainingData } from '../../training/trainingData.js';

const hasCheckpoint = (folder: RunFolder): boolean => (['best', 'last'] as const).some((which) => completeFolder(folder.checkpoint(which).dir, checkpointMarker));

export interface ProbeSetup {
  configs: StoredRunConfig[];
  datasetId: string;
  data: TrainingData;
  header: DatasetHeader;
  /** The labelled train samples, by class. */
  groups: number[][];
  /** The test split's labelled samples: what every classifier is tested on. */
  test: Int32Array;
  testLabels: Int32Array;
}

/**
 * Everything a probe job needs checked before any model loads or trains: the runs have
 * finished and have a checkpoint, share one dataset, which has labels of at least two classes
 * in its train split and a labelled test split; the protocol measures something.
 */
export async function probeSetup(workspace: string, spec: ProbeSpec): Promise<ProbeSetup> {
  const seen = new Set<string>();
  for (const n of spec.labelsPerClass) {
    if (seen.has(String(n))) throw new LabError('invalid-option', `Labels per class lists ${n} twice; each count is one point of the curve`);
    seen.add(String(n));
  }
  if (spec.modes.length === 0 && spec.baselines.length === 0 && !spec.knn) throw new LabError('invalid-option', 'The protocol measures nothing: choose at least one mode (frozen, finetune), baseline (pixels, pca, scratch) or kNN');
  const configs = await Promise.all(spec.runIds.map((id) => new RunFolder(workspace, id).readConfig()));
  // A run still training (or never started) would be probed on whatever checkpoint it has so far.
  const states = await Promise.all(spec.runIds.map((id) => new RunFolder(workspace, id).readState()));
  states.forEach((state, r) => {
    const name = configs[r]?.name ?? spec.runIds[r];
    if (state.status === 'queued' || state.status === 'running' || state.status === 'paused') throw new LabError('invalid-request', `Run '${name}' is ${state.status}; its encoder can be probed once its training ends`);
    if (!hasCheckpoint(new RunFolder(workspace, spec.runIds[r] ?? ''))) throw new LabError('not-found', `Run '${name}' (${state.status}) has no checkpoint to probe`);
  });
  const datasetId = configs[0]?.datasetId ?? '';
  const stranger = configs.find((c) => c.datasetId !== datasetId);
  if (stranger) throw new LabError('invalid-option', `Run '${stranger.name}' was trained on '${stranger.datasetId}', not '${datasetId}': one probe job compares runs of one dataset, on the same label draws`);
  const file = DatasetFolder.inWorkspace(workspace, datasetId).dataFile;
  if (!existsSync(file)) throw new LabError('not-found', `Dataset '${datasetId}' is not in this workspace`);
  const { data, header } = await loadTrainingData(file);
  const classes = header.classNames.length;
  if (classes === 0) throw new LabError('invalid-option', `Dataset '${datasetId}' has no labels: the probe trains classifiers on labelled samples — import it with class labels (class folders or a labels file)`);
  const groups = indicesByClass(data.train, data.labels, classes);
  const withTrain = groups.filter((g) => g.length > 0).length;
  if (withTrain < 2) throw new LabError('invalid-option', `Dataset '${datasetId}' has labelled train samples of ${withTrain} class${withTrain === 1 ? '' : 'es'}; a classifier needs at least 2`);
  const test = data.test.filter((i) => (data.labels[i] ?? -1) >= 0 && (data.labels[i] ?? -1) < classes);
  if (test.length === 0) throw new LabError('invalid-option', `Dataset '${datasetId}' has no labelled test split: the classifiers are tested on it, and never drawn from it — import it again with a test fraction above 0`);
  return { configs, datasetId, data, header, groups, test, testLabels: Int32Array.from(test, (i) => data.labels[i] ?? 0) };
}
