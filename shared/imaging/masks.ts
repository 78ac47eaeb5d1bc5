import { seededRandom } from '../random.js';

/**
 * Inpainting masks: H×W, row-major, 1 where the image is removed and 0 where it is kept. A mask
 * is drawn from a seed (the same seed, the same mask, on every runtime) or from a random source
 * the caller already holds, so a batch can draw its masks from one seeded stream.
 */
export type Mask = Uint8Array;

type Source = number | (() => number);
const randomOf = (source: Source): (() => number) => (typeof source === 'number' ? seededRandom(source) : source);

/** An integer in [0, n). */
const below = (random: () => number, n: number): number => Math.min(n - 1, Math.floor(random() * n));

/** A square hole of `side`×`side` pixels at a random place fully inside the image. */
export function squareMask(height: number, width: number, side: number, source: Source): Mask {
  if (!Number.isInteger(side) || side < 1 || side > Math.min(height, width)) {
    throw new Error(`squareMask: a side of ${side} does not fit a ${height}×${width} image`);
  }
  const random = randomOf(source);
  const top = below(random, height - side + 1);
  const left = below(random, width - side + 1);
  const mask = new Uint8Array(height * width);
  for (let y = top; y < top + side; y += 1) mask.fill(1, y * width + left, y * width + left + side);
  return mask;
}

export interface StrokeOptions {
  /** The stroke's thickness in pixels. */
  strokeWidth: number;
  /** Straight pieces per stroke (a polyline); 4 unless given. */
  segments?: number;
  /**
   * The fraction of the image to remove, roughly: segments are added until it is reached (the last
   * may overshoot it by its own area). Without it, `strokes` strokes are drawn.
   */
  coverage?: number;
  /** How many strokes when no coverage is asked for; 3 unless given. */
  strokes?: number;
}

/** Enough for any coverage below 1 on the lab's image sizes, and a bound so that coverage 1 still ends. */
const MAX_STROKES = 256;

/**
 * Random brush strokes: polylines of thick segments, each turning by a random angle from the
 * last (so strokes look drawn, not like scattered sticks), with vertices kept inside the image.
 */
export function strokeMask(height: number, width: number, options: StrokeOptions, source: Source): Mask {
  const { strokeWidth, segments = 4, coverage, strokes = 3 } = options;
  if (!(strokeWidth > 0)) throw new Error(`strokeMask: a stroke width of ${strokeWidth} is not positive`);
  if (coverage !== undefined && !(coverage > 0 && coverage <= 1)) throw new Error(`strokeMask: coverage ${coverage} is not in (0, 1]`);
  const random = randomOf(source);
  const mask = new Uint8Array(height * width);
  const target = coverage === undefined ? 0 : coverage * height * width;
  const count = coverage === undefined ? strokes : MAX_STROKES;
  const reach = Math.max(2, 0.35 * Math.min(height, width));
  let removed = 0;
  for (let s = 0; s < count && (coverage === undefined || removed < target); s += 1) {
    // Vertices at pixel centres, so even the thinnest stroke covers the pixel it starts in.
    let x = below(random, width) + 0.5;
    let y = below(random, height) + 0.5;
    let angle = random() * 2 * Math.PI;
    for (let k = 0; k < segments && (coverage === undefined || removed < target); k += 1) {
      angle += (random() - 0.5) * Math.PI;
      const length = reach * (0.4 + 0.6 * random());
      const nx = Math.min(width - 0.5, Math.max(0.5, Math.round(x + length * Math.cos(angle) - 0.5) + 0.5));
      const ny = Math.min(height - 0.5, Math.max(0.5, Math.round(y + length * Math.sin(angle) - 0.5) + 0.5));
      removed += paintSegment(mask, height, width, x, y, nx, ny, strokeWidth / 2);
      x = nx;
      y = ny;
    }
  }
  return mask;
}

/** Sets every pixel whose centre lies within `radius` of the segment; returns how many were newly set. */
function paintSegment(mask: Mask, height: number, width: number, x0: number, y0: number, x1: number, y1: number, radius: number): number {
  const dx = x1 - x0;
  const dy = y1 - y0;
  const lengthSquared = dx * dx + dy * dy;
  const rows = [Math.max(0, Math.floor(Math.min(y0, y1) - radius)), Math.min(height - 1, Math.ceil(Math.max(y0, y1) + radius))] as const;
  const cols = [Math.max(0, Math.floor(Math.min(x0, x1) - radius)), Math.min(width - 1, Math.ceil(Math.max(x0, x1) + radius))] as const;
  const r2 = radius * radius;
  let added = 0;
  for (let py = rows[0]; py <= rows[1]; py += 1) {
    for (let px = cols[0]; px <= cols[1]; px += 1) {
      const cx = px + 0.5 - x0;
      const cy = py + 0.5 - y0;
      const t = lengthSquared === 0 ? 0 : Math.min(1, Math.max(0, (cx * dx + cy * dy) / lengthSquared));
      const ex = cx - t * dx;
      const ey = cy - t * dy;
      const at = py * width + px;
      if (ex * ex + ey * ey <= r2 && mask[at] === 0) {
        mask[at] = 1;
        added += 1;
      }
    }
  }
  return added;
}

/** The fraction of a mask that is removed. */
export function maskCoverage(mask: Mask | Float32Array): number {
  let removed = 0;
  for (const v of mask) if (v > 0.5) removed += 1;
  return mask.length === 0 ? 0 : removed / mask.length;
}

/**
 * The inpainting input: the image with the hole filled with `fill` (one value, or one per
 * channel — a dataset mean, say), and the mask appended as a last channel, so the model knows
 * which pixels are missing rather than guessing it from the fill colour. HWC with C channels →
 * HWC with C + 1; a batch (N×H×W×C with N×H×W masks) works the same.
 */
export function applyMask(image: Float32Array, mask: Mask | Float32Array, channels: number, fill: number | ArrayLike<number> = 0): Float32Array {
  if (image.length !== mask.length * channels) {
    throw new Error(`applyMask: ${image.length} values are not ${mask.length} pixels of ${channels} channels`);
  }
  const fills = typeof fill === 'number' ? Array.from({ length: channels }, () => fill) : Array.from(fill);
  if (fills.length !== channels) throw new Error(`applyMask: ${fills.length} fill values for ${channels} channels`);
  const out = new Float32Array(mask.length * (channels + 1));
  for (let p = 0; p < mask.length; p += 1) {
    const removed = (mask[p] as number) > 0.5;
    const from = p * channels;
    const to = p * (channels + 1);
    for (let c = 0; c < channels; c += 1) out[to + c] = removed ? (fills[c] as number) : (image[from + c] as number);
    out[to + channels] = removed ? 1 : 0;
  }
  return out;
}
