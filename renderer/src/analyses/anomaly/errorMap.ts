/** Per-pixel squared error and the images of a gallery tile, from `runs.reconstruct`'s float values (model-input scale). */

/** Viridis at nine stops: dark to bright, readable on light and dark panels and by most colour-blind readers. */
const viridis: Array<[number, number, number]> = [
  [68, 1, 84],
  [71, 44, 122],
  [59, 81, 139],
  [44, 113, 142],
  [33, 144, 141],
  [39, 173, 129],
  [92, 200, 99],
  [170, 220, 50],
  [253, 231, 37],
];

/** The colour of a value in [0, 1] (clamped) on the error scale. */
export function errorColor(t: number): [number, number, number] {
  const x = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)) * (viridis.length - 1);
  const i = Math.min(viridis.length - 2, Math.floor(x));
  const f = x - i;
  const a = viridis[i] as [number, number, number];
  const b = viridis[i + 1] as [number, number, number];
  return [Math.round(a[0] + (b[0] - a[0]) * f), Math.round(a[1] + (b[1] - a[1]) * f), Math.round(a[2] + (b[2] - a[2]) * f)];
}

/** A CSS gradient of the scale, for its legend. */
export const errorScaleGradient = (): string => `linear-gradient(to right, ${viridis.map(([r, g, b]) => `rgb(${r},${g},${b})`).join(', ')})`;

/** |x − x̂|² per pixel, averaged over channels: `height × width` values for sample `n` of a batch. */
export function squaredErrorMap(originals: Float32Array, reconstructions: Float32Array, n: number, pixels: number, channels: number): Float32Array {
  const map = new Float32Array(pixels);
  const base = n * pixels * channels;
  for (let p = 0; p < pixels; p += 1) {
    let sum = 0;
    for (let c = 0; c < channels; c += 1) {
      const d = (originals[base + p * channels + c] as number) - (reconstructions[base + p * channels + c] as number);
      sum += d * d;
    }
    map[p] = sum / channels;
  }
  return map;
}

/** RGBA bytes of an error map on a scale from 0 to `max` (the largest error of the galleries shown, so tiles compare). */
export function errorMapPixels(map: Float32Array, max: number): Uint8ClampedArray<ArrayBuffer> {
  const rgba = new Uint8ClampedArray(map.length * 4);
  const scale = max > 0 ? 1 / max : 0;
  for (let p = 0; p < map.length; p += 1) {
    const [r, g, b] = errorColor((map[p] as number) * scale);
    rgba.set([r, g, b, 255], p * 4);
  }
  return rgba;
}

/**
 * Bytes of an original and its reconstruction on one scale: [0, 1] for unit-range data, wider
 * when either goes outside it (standardised data), so the two images compare pixel for pixel.
 */
export function pairBytes(original: Float32Array, reconstruction: Float32Array): [Uint8Array, Uint8Array] {
  let low = 0;
  let high = 1;
  for (const values of [original, reconstruction]) {
    for (const v of values) {
      low = Math.min(low, v);
      high = Math.max(high, v);
    }
  }
  const bytes = (values: Float32Array): Uint8Array => Uint8Array.from(values, (v) => Math.round(((v - low) / (high - low)) * 255));
  return [bytes(original), bytes(reconstruction)];
}
