import type { ClassifierFiles } from '../../../../shared/analyses/probe/classifierInfo.js';
import type { DownloadFile } from '../../components/charts/download.js';

export type { DownloadFile };

/** The version of classifier.json as the lab writes it beside the model (`classifierInfoFormat`). */
const classifierInfoVersion = 1;

/**
 * A kept classifier as three files a browser saves side by side: model.json, whose one weights
 * group names weights.bin (so `tf.loadLayersModel(tf.io.browserFiles([json, weights]))` finds
 * it), weights.bin, and classifier.json (what the model takes and gives). A model.json that is
 * not a tfjs layers model, or whose weights are split over several files, is refused.
 */
export function classifierDownloads(files: ClassifierFiles): DownloadFile[] {
  let model: { modelTopology?: unknown; weightsManifest?: Array<{ paths: string[]; weights: unknown[] }> };
  try {
    model = JSON.parse(files.modelJson) as typeof model;
  } catch {
    throw new Error(`The classifier's model.json of ${files.info.label} is not JSON`);
  }
  const groups = model.weightsManifest;
  if (!model.modelTopology || !Array.isArray(groups) || groups.length !== 1 || !groups[0]) throw new Error(`The classifier's model.json of ${files.info.label} is not a tfjs layers model with one weights file`);
  const json = JSON.stringify({ ...model, weightsManifest: [{ ...groups[0], paths: ['weights.bin'] }] });
  return [
    { filename: 'model.json', type: 'application/json', content: json },
    { filename: 'weights.bin', type: 'application/octet-stream', content: new Uint8Array(files.weights) },
    { filename: 'classifier.json', type: 'application/json', content: `${JSON.stringify({ formatVersion: classifierInfoVersion, ...files.info }, null, 2)}\n` },
  ];
}
