import type * as TF from '@tensorflow/tfjs';
import type { Tfjs } from '../../backend.js';
import { chainOf } from '../../model/layerCopies.js';
import { foldIntoOutputs, type Standardisation } from './standardisation.js';

type Layer = TF.layers.Layer;

export interface CodeLayer {
  layer: Layer;
  /** Whether (code − m)/s can be folded into its kernel and bias exactly: a linear activation and a bias. */
  foldable: boolean;
  /** Why not, for the line's label. */
  reason: string | null;
}

/** Layers that only rearrange a sample's values: after the code layer they leave its outputs the code vector. */
const rearranging = new Set(['Flatten', 'Reshape']);

/**
 * The encoder's code layer: its last layer with weights (what follows it, a Flatten, has none).
 * It is foldable only where its per-sample output is the code vector itself — a Dense, or a
 * convolution whose output is 1×1, followed by nothing but flattening — since the fold
 * standardises output units, one per code feature; a feature map of H×W×C has C units for
 * H·W·C features.
 */
export function codeLayerOf(encoder: TF.LayersModel): CodeLayer {
  const chain = chainOf(encoder);
  const layer = [...chain].reverse().find((l) => l.getWeights().length > 0);
  if (!layer) throw new Error('the encoder has no layer with weights');
  const config = layer.getConfig() as { activation?: string; useBias?: boolean };
  const kind = layer.getClassName();
  if (kind !== 'Dense' && kind !== 'Conv2D') return { layer, foldable: false, reason: `its code layer is a ${kind}` };
  const output = (layer.outputShape as Array<number | null>).slice(1);
  if (output.length > 1 && output.slice(0, -1).some((d) => d !== 1)) return { layer, foldable: false, reason: `its code is a feature map of ${output.map((d) => d ?? '?').join('×')}` };
  const after = chain.slice(chain.indexOf(layer) + 1).find((l) => !rearranging.has(l.getClassName()));
  if (after) return { layer, foldable: false, reason: `its code layer's output goes on through a ${after.getClassName()} layer` };
  if (config.useBias === false) return { layer, foldable: false, reason: 'its code layer has no bias' };
  const activation = config.activation ?? 'linear';
  if (activation !== 'linear') return { layer, foldable: false, reason: `its code layer's activation is ${activation}` };
  return { layer, foldable: true, reason: null };
}

/**
 * Standardises the encoder's codes in place (the caller's copy): its code layer's first
 * `standardisation.mean.length` outputs become (code − m)/s. Answers why not where that is not
 * exact (a non-linear code activation), leaving the encoder as it was.
 */
export function foldCodeStandardisation(tf: Tfjs, encoder: TF.LayersModel, standardisation: Standardisation): string | null {
  const code = codeLayerOf(encoder);
  if (!code.foldable) return code.reason;
  const [kernel, bias] = code.layer.getWeights() as [TF.Tensor, TF.Tensor];
  const folded = foldIntoOutputs(kernel.dataSync() as Float32Array, bias.dataSync() as Float32Array, standardisation);
  const tensors = [tf.tensor(folded.kernel, kernel.shape), tf.tensor(folded.bias, bias.shape)];
  code.layer.setWeights(tensors);
  tf.dispose(tensors);
  return null;
}
