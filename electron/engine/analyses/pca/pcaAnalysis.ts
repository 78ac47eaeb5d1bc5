import type { PcaSpec, PcaSummary } from '../../../../shared/analyses/pca/pcaSpec.js';
import { DatasetFolder } from '../../../format/datasets/datasetFolder.js';
import { PcaCache } from '../../../format/datasets/pcaCache.js';
import { loadTrainingData } from '../../runs/loadTrainingData.js';
import type { AnalysisContext, EngineAnalysis } from '../analysis.js';
import { computePca } from './pcaCompute.js';

const dimensionOf = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** PCA of a dataset, computed once per content and kept beside the dataset for every later baseline. */
export const pcaAnalysis: EngineAnalysis<PcaSpec, PcaSummary> = {
  run: (context, spec) => ensurePca(context, spec),
};

/**
 * The dataset's PCA with at least `maxComponents` components (or all there are): read from
 * the cache when it was computed for this content, else computed and cached. Every analysis
 * that holds a model against PCA gets it here.
 */
export async function ensurePca({ tf, workspace, progress }: AnalysisContext, spec: PcaSpec): Promise<PcaSummary> {
  const { data, header } = await loadTrainingData(DatasetFolder.inWorkspace(workspace, spec.datasetId).dataFile);
  const cache = new PcaCache(workspace, spec.datasetId);
  const cached = await cache.readSummary(header.contentHash);
  if (cached && cached.components >= Math.min(spec.maxComponents, cached.dimension, cached.trainCount)) return cached;
  const result = await computePca(tf, data, {
    maxComponents: spec.maxComponents,
    onProgress: (done, total) => progress({ done, total, message: `PCA of ${header.count} samples × ${dimensionOf(header.shape)}` }),
  });
  const summary: PcaSummary = {
    datasetId: spec.datasetId,
    contentHash: header.contentHash,
    dimension: result.dimension,
    trainCount: result.trainCount,
    testCount: result.testCount,
    evaluatedOn: result.evaluatedOn,
    method: result.method,
    errorBound: result.errorBound ? { text: result.errorBound.text, value: result.errorBound.eigenvalue } : null,
    components: result.componentCount,
    totalVariance: result.totalVariance,
    eigenvalues: Array.from(result.eigenvalues.subarray(0, result.componentCount)),
    explainedVarianceRatio: Array.from(result.explainedVarianceRatio),
    testMse: Array.from(result.testMse),
    seconds: result.seconds.total,
    computedAt: new Date().toISOString(),
  };
  await cache.write(summary, result.components, result.mean);
  return summary;
}
