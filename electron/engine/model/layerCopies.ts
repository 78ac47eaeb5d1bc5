import type * as TF from '@tensorflow/tfjs';
import type { Tfjs } from '../backend.js';

type Layer = TF.layers.Layer;

const isModel = (layer: Layer): layer is Layer & TF.LayersModel => 'layers' in layer && Array.isArray((layer as unknown as TF.LayersModel).layers);

/** A model's layers in order as one chain, nested models opened and input layers left out. */
export function chainOf(model: TF.LayersModel): Layer[] {
  return model.layers.flatMap((layer) => (isModel(layer) ? chainOf(layer) : layer.getClassName() === 'InputLayer' ? [] : [layer]));
}

/** A layer of a new model: `like`'s class and configuration (with `change`), a fresh name, and these weights. */
export interface ChainPart {
  like: Layer;
  change?: Record<string, unknown>;
  weights?: { values: Float32Array; shape: number[] }[];
}

/**
 * A new model taking `inputShape` per sample, made of fresh copies of layers (each its own
 * class and configuration under a new name, so that layers of a loaded model and of this
 * process never share a name or a weight name in the saved file) carrying the given weights,
 * or their originals' where none are given.
 */
export function chainModel(tf: Tfjs, inputShape: number[], parts: readonly ChainPart[], name?: string): TF.LayersModel {
  const classes = tf.serialization.SerializationMap.getMap().classNameMap;
  const input = tf.input({ shape: inputShape });
  let output: TF.SymbolicTensor = input;
  const built: { layer: Layer; part: ChainPart }[] = [];
  for (const part of parts) {
    const entry = classes[part.like.getClassName()];
    if (!entry) throw new Error(`a ${part.like.getClassName()} layer cannot be rebuilt`);
    const [cls, fromConfig] = entry;
    const config: Record<string, unknown> = { ...(part.like.getConfig() as Record<string, unknown>), ...part.change };
    for (const key of ['name', 'batchInputShape', 'inputShape', 'inputDim', 'batchSize']) delete config[key];
    const layer = fromConfig(cls, config as unknown as TF.serialization.ConfigDict) as unknown as Layer;
    output = layer.apply(output) as TF.SymbolicTensor;
    built.push({ layer, part });
  }
  const model = tf.model({ inputs: input, outputs: output, ...(name === undefined ? {} : { name }) });
  for (const { layer, part } of built) {
    if (part.weights) {
      const tensors = part.weights.map((w) => tf.tensor(w.values, w.shape));
      layer.setWeights(tensors);
      tf.dispose(tensors);
    } else if (part.like.getWeights().length > 0) layer.setWeights(part.like.getWeights());
  }
  return model;
}

/** The weights of a layer as plain arrays with their shapes. */
export function weightsOf(layer: Layer): { values: Float32Array; shape: number[] }[] {
  return layer.getWeights().map((w) => ({ values: Float32Array.from(w.dataSync() as Float32Array), shape: [...w.shape] }));
}

/**
 * A code layer's weights keeping only its first `units` output units (a VAE's μ of μ and
 * log σ²), and the configuration change that gives it that many units.
 */
export function firstUnits(layer: Layer, units: number): Pick<ChainPart, 'change' | 'weights'> {
  const [kernel, bias] = weightsOf(layer) as [{ values: Float32Array; shape: number[] }, { values: Float32Array; shape: number[] }];
  const all = bias.values.length;
  if (units === all) return { weights: [kernel, bias] };
  const kept = new Float32Array((kernel.values.length / all) * units);
  for (let i = 0, k = 0; i < kernel.values.length; i += 1) if (i % all < units) kept[k++] = kernel.values[i] as number;
  const key = layer.getClassName() === 'Conv2D' ? 'filters' : 'units';
  return {
    change: { [key]: units },
    weights: [
      { values: kept, shape: [...kernel.shape.slice(0, -1), units] },
      { values: bias.values.slice(0, units), shape: [units] },
    ],
  };
}
