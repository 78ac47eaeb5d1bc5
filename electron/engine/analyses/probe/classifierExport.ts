import { join } from 'node:path';
import type * as TF from '@tensorflow/tfjs';
import type { ClassifierInfo } from '../../../../shared/analyses/probe/classifierInfo.js';
import { classifierInfoFile, classifierInfoFormat } from '../../../format/jobs/jobFolder.js';
import { writeVersioned } from '../../../format/versionedFile.js';
import type { Tfjs } from '../../backend.js';
import { saveLayersModel } from '../../runs/checkpoint.js';
import type { PcaDetector } from '../anomaly/pcaBaseline.js';
import { chainModel, chainOf, firstUnits, weightsOf, type ChainPart } from '../../model/layerCopies.js';
import { codeLayerOf } from './layerChain.js';
import { foldIntoInputs, foldIntoOutputs, type Standardisation } from './standardisation.js';

/*
 * A kept classifier is one model from the dataset's model-input samples to class
 * probabilities: whatever made its features (encoder, flattening, PCA projection) and the
 * standardisation of the draw folded into its weights, then the head.
 */

/** The head's layers, its first Dense taking raw features where `standardisation` is given (folded into its weights). */
function headParts(head: TF.LayersModel, standardisation: Standardisation | null): ChainPart[] {
  const chain = chainOf(head);
  const first = chain.findIndex((l) => l.getWeights().length > 0);
  return chain.map((like, i) => {
    if (i !== first || !standardisation) return { like };
    if (like.getClassName() !== 'Dense') throw new Error(`the head's first layer with weights is a ${like.getClassName()}, not a Dense`);
    const [kernel, bias] = weightsOf(like) as [{ values: Float32Array; shape: number[] }, { values: Float32Array; shape: number[] }];
    const folded = foldIntoInputs(kernel.values, bias.values, standardisation);
    return { like, weights: [{ values: folded.kernel, shape: kernel.shape }, { values: folded.bias, shape: bias.shape }] };
  });
}

const outputRank = (model: TF.LayersModel): number => (model.outputs[0]?.shape.length ?? 2);

/**
 * Frozen codes: the run's encoder (its code layer cut to μ for a VAE, the standardisation
 * folded into it where its outputs are the code vector under a linear activation, else — a
 * non-linear code, a feature map of H×W×C — into the head's first Dense, on its inputs), then the head.
 */
export function frozenClassifier(tf: Tfjs, encoder: TF.LayersModel, meanUnits: number | null, standardisation: Standardisation, head: TF.LayersModel): TF.LayersModel {
  const code = codeLayerOf(encoder);
  const parts: ChainPart[] = chainOf(encoder).map((like) => {
    if (like !== code.layer) return { like };
    const cut = meanUnits === null ? { weights: weightsOf(like) } : firstUnits(like, meanUnits);
    if (!code.foldable || !cut.weights) return { like, ...cut };
    const [kernel, bias] = cut.weights as [{ values: Float32Array; shape: number[] }, { values: Float32Array; shape: number[] }];
    const folded = foldIntoOutputs(kernel.values, bias.values, standardisation);
    return { like, ...(cut.change ? { change: cut.change } : {}), weights: [{ values: folded.kernel, shape: kernel.shape }, { values: folded.bias, shape: bias.shape }] };
  });
  // A feature-map code reaches the head flattened, as its codes were.
  if (outputRank(encoder) > 2) parts.push({ like: tf.layers.flatten() });
  return chainModel(tf, (encoder.inputs[0]?.shape ?? []).slice(1) as number[], [...parts, ...headParts(head, code.foldable ? null : standardisation)]);
}

/** Raw pixels: the sample flattened, then the head with the standardisation folded into its first Dense. */
export function pixelsClassifier(tf: Tfjs, sampleShape: readonly number[], standardisation: Standardisation, head: TF.LayersModel): TF.LayersModel {
  return chainModel(tf, [...sampleShape], [{ like: tf.layers.flatten() }, ...headParts(head, standardisation)]);
}

/**
 * PCA-k codes: the sample flattened, then one Dense(k) holding the centring, the projection
 * and the standardisation — kernel Vⱼᵢ/sⱼ, bias (−Σᵢ μᵢVⱼᵢ − mⱼ)/sⱼ — then the head.
 */
export function pcaClassifier(tf: Tfjs, sampleShape: readonly number[], detector: PcaDetector, standardisation: Standardisation, head: TF.LayersModel): TF.LayersModel {
  const { k, dimension, components, mean } = detector;
  const kernel = new Float32Array(dimension * k);
  const bias = new Float32Array(k);
  for (let j = 0; j < k; j += 1) {
    const s = standardisation.deviation[j] as number;
    let projectedMean = 0;
    for (let i = 0; i < dimension; i += 1) {
      const v = components[j * dimension + i] as number;
      kernel[i * k + j] = v / s;
      projectedMean += (mean[i] as number) * v;
    }
    bias[j] = (-projectedMean - (standardisation.mean[j] as number)) / s;
  }
  const projection: ChainPart = { like: tf.layers.dense({ units: k, inputShape: [dimension] }), weights: [{ values: kernel, shape: [dimension, k] }, { values: bias, shape: [k] }] };
  return chainModel(tf, [...sampleShape], [{ like: tf.layers.flatten() }, projection, ...headParts(head, null)]);
}

/** Writes a kept classifier: its tfjs layers model and classifier.json beside it. */
export async function keepClassifier(tf: Tfjs, dir: string, model: TF.LayersModel, info: ClassifierInfo): Promise<void> {
  await saveLayersModel(tf, model, dir);
  await writeVersioned(classifierInfoFormat, join(dir, classifierInfoFile), info);
}
