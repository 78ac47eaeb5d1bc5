import type * as TF from '@tensorflow/tfjs';
import { PcaCache } from '../../../format/datasets/pcaCache.js';
import type { Tfjs } from '../../backend.js';
import { restrictToClasses } from '../../training/classSubset.js';
import type { TrainingData } from '../../training/trainingData.js';
import type { AnalysisContext } from '../analysis.js';
import { ensurePca } from '../pca/pcaAnalysis.js';
import { computePca } from '../pca/pcaCompute.js';
import { batchTensor } from '../../training/trainingData.js';
import { scoringBatch } from './sampleScores.js';
import type { SampleSegment } from './scoredSamples.js';

/** PCA-k as a detector: the normal training data's mean and top-k components (k×D, row-major). */
export interface PcaDetector {
  k: number;
  dimension: number;
  components: Float32Array;
  mean: Float32Array;
}

/** The PCA analysis's limit on kept components. */
const maxCachedComponents = 1024;

/**
 * PCA fitted on the same normal data as a run: the train split of its normal classes, or the
 * whole dataset's train split (the dataset's cached PCA) for a run trained on every class.
 * The job asks once per distinct (normal classes, k), through `PcaDetectors`.
 */
async function fitDetector(context: AnalysisContext, datasetId: string, data: TrainingData, normalClasses: readonly number[] | undefined, k: number, label: string): Promise<PcaDetector> {
  const dimension = data.shape[0] * data.shape[1] * data.shape[2];
  if (normalClasses === undefined) {
    const summary = await ensurePca(context, { datasetId, maxComponents: Math.min(maxCachedComponents, Math.max(256, k)) });
    const { components, mean } = await new PcaCache(context.workspace, datasetId).readComponents(summary, k);
    return { k: components.length / dimension, dimension, components, mean };
  }
  const result = await computePca(context.tf, restrictToClasses(data, [...normalClasses]), {
    maxComponents: k,
    onProgress: (done, total) => context.progress({ done, total, message: `PCA-${k} of ${label}` }),
  });
  return { k: result.componentCount, dimension, components: result.components, mean: result.mean };
}

export class PcaDetectors {
  private readonly fitted = new Map<string, Promise<PcaDetector>>();

  constructor(
    private readonly context: AnalysisContext,
    private readonly datasetId: string,
    private readonly data: TrainingData,
  ) {}

  /** k is capped by the dimension and the normal train count, as PCA caps it. */
  get(normalClasses: readonly number[] | undefined, k: number, label: string): Promise<PcaDetector> {
    const key = `${normalClasses ? [...normalClasses].sort((a, b) => a - b).join(',') : 'all'}|${k}`;
    let detector = this.fitted.get(key);
    if (!detector) {
      detector = fitDetector(this.context, this.datasetId, this.data, normalClasses, k, label);
      this.fitted.set(key, detector);
    }
    return detector;
  }
}

/** PCA-k's reconstruction error per sample: mean over elements of (x − (m + (x − m)VᵀV))². */
export async function pcaScores(tf: Tfjs, detector: PcaDetector, segments: readonly SampleSegment[], batchSize = scoringBatch): Promise<Float32Array> {
  const total = segments.reduce((n, s) => n + s.indices.length, 0);
  const scores = new Float32Array(total);
  const { dimension, k } = detector;
  const basis = tf.tensor2d(detector.components, [k, dimension]);
  const centre = tf.tensor2d(detector.mean, [1, dimension]);
  try {
    let position = 0;
    for (const segment of segments) {
      for (let start = 0; start < segment.indices.length; start += batchSize) {
        const indices = segment.indices.subarray(start, start + batchSize);
        const errors = tf.tidy(() => {
          const x = batchTensor(tf, segment.data, indices, [dimension]);
          const centred = tf.sub(x, centre);
          const reconstructed: TF.Tensor = k > 0 ? tf.matMul(tf.matMul(centred, basis, false, true), basis) : tf.zerosLike(centred);
          return tf.mean(tf.squaredDifference(reconstructed, centred), 1);
        });
        scores.set((await errors.data()) as Float32Array, position + start);
        errors.dispose();
      }
      position += segment.indices.length;
    }
  } finally {
    tf.dispose([basis, centre]);
  }
  return scores;
}
