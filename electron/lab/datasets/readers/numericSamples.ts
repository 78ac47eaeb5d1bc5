import type { ImportOptions } from '../../../../shared/domain/dataset.js';
import type { ReadSamples, SampleShape, ValueTransform } from '../../../format/datasets/datasetData.js';

/** A features-per-row layout: square counts become square grayscale images, anything else a vector. */
export function layoutFor(features: number): { kind: ReadSamples['kind']; shape: SampleShape } {
  const side = Math.round(Math.sqrt(features));
  if (side >= 4 && side * side === features) return { kind: 'image', shape: [side, side, 1] };
  return { kind: 'vector', shape: [1, features, 1] };
}

/** Integers in 0–255 are stored as bytes; anything else as float32. */
export function compactValues(values: Float32Array | Float64Array): Uint8Array | Float32Array {
  let bytes = true;
  for (const v of values) {
    if (!(v >= 0 && v <= 255 && Number.isInteger(v))) {
      bytes = false;
      break;
    }
  }
  return bytes ? Uint8Array.from(values) : values instanceof Float32Array ? values : Float32Array.from(values);
}

/** How stored values map to model inputs under the chosen scaling. */
export function transformFor(samples: Uint8Array | Float32Array, scaling: ImportOptions['scaling'], notes: string[]): ValueTransform {
  if (scaling === 'none') return { scaling, offset: 0, factor: 1 };
  if (samples instanceof Uint8Array && scaling === 'unit') return { scaling, offset: 0, factor: 1 / 255 };
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  for (const v of samples) {
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
  }
  const mean = sum / Math.max(1, samples.length);
  if (scaling === 'standardize') {
    let squares = 0;
    for (const v of samples) squares += (v - mean) ** 2;
    const std = Math.sqrt(squares / Math.max(1, samples.length)) || 1;
    return { scaling, offset: mean, factor: 1 / std };
  }
  if (scaling === 'unit' && min >= 0 && max <= 1) return { scaling, offset: 0, factor: 1 };
  if (scaling === 'unit') notes.push(`Values range over [${min}, ${max}], not [0, 1]; scaled by min–max instead`);
  return { scaling: 'minmax', offset: min, factor: max > min ? 1 / (max - min) : 1 };
}
