import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type * as TF from '@tensorflow/tfjs';
import { writeFileAtomic } from '../../format/workspace/atomicWrite.js';
import { makeFolder } from '../../format/workspace/writeFailure.js';
import { CheckpointFolder, checkpointMarker } from '../../format/runs/checkpointFolder.js';
import type { RunFolder } from '../../format/runs/runFolder.js';
import { completeFolder } from '../../format/workspace/atomicFolder.js';
import type { Tfjs } from '../backend.js';


/**
 * Models in the tfjs layers format (model.json + one weight shard), loadable by
 * tf.loadLayersModel and convertible to Keras; every file written atomically.
 */
export async function saveLayersModel(tf: Tfjs, model: TF.LayersModel, folder: string): Promise<void> {
  await makeFolder(folder);
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const weights = new Uint8Array(artifacts.weightData as ArrayBuffer);
      await writeFileAtomic(join(folder, 'weights.bin'), weights);
      const modelJson = {
        format: 'layers-model',
        generatedBy: `TensorFlow.js tfjs-layers v${tf.version['tfjs-layers'] ?? ''}`,
        convertedBy: null,
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs }],
      };
      await writeFileAtomic(join(folder, 'model.json'), JSON.stringify(modelJson));
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON', weightDataBytes: weights.byteLength } };
    }),
  );
}

export async function loadLayersModel(tf: Tfjs, folder: string): Promise<TF.LayersModel> {
  const modelJson = JSON.parse(await readFile(join(folder, 'model.json'), 'utf8')) as {
    modelTopology: TF.io.ModelArtifacts['modelTopology'];
    weightsManifest: Array<{ weights: TF.io.WeightsManifestEntry[] }>;
  };
  const weights = await readFile(join(folder, 'weights.bin'));
  return tf.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: modelJson.modelTopology,
      weightSpecs: modelJson.weightsManifest.flatMap((m) => m.weights),
      weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength),
    }),
  );
}

/**
 * The best checkpoint's encoder and decoder, else the last one's. A run still training swaps
 * these folders each epoch, so a read that loses the race to a rename tries the new copy.
 */
export async function loadCheckpointModels(tf: Tfjs, folder: RunFolder): Promise<{ encoder: TF.LayersModel; decoder: TF.LayersModel; checkpoint: 'best' | 'last' }> {
  for (let attempt = 1; ; attempt += 1) {
    const complete = (which: 'best' | 'last'): CheckpointFolder | undefined => (completeFolder(folder.checkpoint(which).dir, checkpointMarker) ? folder.checkpoint(which) : undefined);
    const which = complete('best') ? 'best' : 'last';
    const checkpoint = complete(which);
    if (!checkpoint) throw new Error(`run ${folder.id} has no checkpoint yet`);
    try {
      const encoder = await loadLayersModel(tf, checkpoint.model('encoder'));
      const decoder = await loadLayersModel(tf, checkpoint.model('decoder')).catch((cause: unknown) => {
        encoder.dispose();
        throw cause;
      });
      return { encoder, decoder, checkpoint: which };
    } catch (cause) {
      if (attempt >= 3 || (cause as NodeJS.ErrnoException).code !== 'ENOENT') throw cause;
    }
  }
}
