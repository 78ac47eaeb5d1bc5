import type { PrincipalAnglesResult, PrincipalAnglesSpec } from '../../../../shared/analyses/principalAngles/principalAnglesSpec.js';
import { architectures } from '../../../../shared/catalogue/architectures.js';
import { pcaAt } from '../../../../shared/analyses/pca/pcaSpec.js';
import { LabError } from '../../../../shared/result.js';
import { PcaCache } from '../../../format/datasets/pcaCache.js';
import { RunFolder } from '../../../format/runs/runFolder.js';
import { loadCheckpointModels } from '../../runs/modelService.js';
import type { EngineAnalysis } from '../analysis.js';
import { ensurePca } from '../pca/pcaAnalysis.js';
import { principalAngles } from '../pca/principalAngles.js';

/** The d vectors a [rows × cols] row-major kernel's columns are, one after another. */
function columnsOf(kernel: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r += 1) for (let c = 0; c < cols; c += 1) out[c * rows + r] = kernel[r * cols + c] ?? 0;
  return out;
}

/**
 * The lecture's claim as numbers: a linear autoencoder trained with squared error spans
 * PCA's top-d subspace. The decoder's kernel [d × D] holds the d vectors its outputs are
 * combinations of; the encoder's [D × d] columns are the directions it reads.
 */
export const principalAnglesAnalysis: EngineAnalysis<PrincipalAnglesSpec, PrincipalAnglesResult> = {
  async run(context, spec) {
    const { tf, workspace } = context;
    const folder = new RunFolder(workspace, spec.runId);
    const config = await folder.readConfig();
    if (!architectures[config.architecture].linearMaps) {
      throw new LabError('invalid-option', `Run '${config.name}' is a ${config.architecture} autoencoder; principal angles compare a linear autoencoder's subspace with PCA's (a non-linear decoder has no column space)`);
    }
    const pca = await ensurePca(context, { datasetId: config.datasetId, maxComponents: Math.max(256, config.latentDim) });
    const d = config.latentDim;
    if (d > pca.components) throw new LabError('invalid-option', `The run's latent size ${d} is more than the ${pca.components} components PCA kept`);
    const { components } = await new PcaCache(workspace, config.datasetId).readComponents(pca, d);
    const { encoder, decoder, checkpoint } = await loadCheckpointModels(tf, folder);
    try {
      const D = pca.dimension;
      const [encoderKernel, decoderKernel] = await Promise.all([encoder.getWeights()[0]?.data(), decoder.getWeights()[0]?.data()]);
      if (!encoderKernel || !decoderKernel || decoderKernel.length !== d * D) throw new LabError('corrupt-file', `${folder.dir}: the checkpoint's kernels are not ${D}×${d}`);
      const evaluation = await folder.readEvaluation();
      const pcaTestMse = pcaAt(pca, d)?.testMse ?? NaN;
      const runTestMse = evaluation?.mse ?? null;
      return {
        runId: spec.runId,
        datasetId: config.datasetId,
        latentDim: d,
        anglesDegrees: principalAngles(decoderKernel as Float32Array, components, D, d, d),
        encoderAnglesDegrees: principalAngles(columnsOf(encoderKernel as Float32Array, D, d), components, D, d, d),
        runTestMse,
        pcaTestMse,
        errorGap: runTestMse === null ? null : runTestMse - pcaTestMse,
        checkpoint,
      };
    } finally {
      encoder.dispose();
      decoder.dispose();
    }
  },
};
