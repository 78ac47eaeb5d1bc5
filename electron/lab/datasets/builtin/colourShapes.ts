import { seededRandom } from '../../../../shared/random.js';
import type { DatasetData } from '../../../format/datasets/datasetData.js';
import { assignSplits } from '../split.js';
import { coverShape, shapeFactorNames, shapeNames, type ShapesOptions } from './shapes.js';

export const backgroundKinds = ['plain', 'stripes', 'dots'] as const;
export const colourShapeFactorNames = [...shapeFactorNames, 'background'] as const;

/**
 * HSV hue (degrees) of each shape class's colour family, in `shapeNames` order: a colorizer
 * that recognises the shape in the grayscale knows its colour, up to a small jitter.
 */
export const shapeHues = [0, 50, 125, 205, 285] as const;
/** Each background texture has its own hue family, so the context's colour is predictable too. */
export const backgroundHues: Record<(typeof backgroundKinds)[number], number> = { plain: 30, stripes: 220, dots: 165 };

const shapeHueJitter = 8;
/** The background's hue drifts along its luminance gradient, which the grayscale shows. */
const gradientHueDrift = 12;
const gradientContrast = 0.06;
const textureContrast = 0.07;

export const builtinColourShapes: ShapesOptions = { count: 10_000, size: 32, seed: 2 };

export const colourShapesSource = ({ count, size, seed }: ShapesOptions): string => `colour shapes: ${count} samples, ${size}×${size}×3, seed ${seed}`;

/** ITU-R BT.601 luma weights: the grayscale a colorizer is given. */
const lumaWeights = [0.299, 0.587, 0.114] as const;

type Rgb = [number, number, number];

/**
 * The chroma direction of an HSV hue: the saturated colour minus its own luminance. Adding a
 * multiple of it to a gray keeps the gray's luminance exactly and the hue unchanged, so the
 * luminance of every colour is chosen first and the hue laid on top.
 */
function chromaDirection(hueDegrees: number): Rgb {
  const h = ((((hueDegrees % 360) + 360) % 360) / 60);
  const x = 1 - Math.abs((h % 2) - 1);
  const sector = Math.floor(h);
  const rgb: Rgb = sector === 0 ? [1, x, 0] : sector === 1 ? [x, 1, 0] : sector === 2 ? [0, 1, x] : sector === 3 ? [0, x, 1] : sector === 4 ? [x, 0, 1] : [1, 0, x];
  const luma = rgb[0] * lumaWeights[0] + rgb[1] * lumaWeights[1] + rgb[2] * lumaWeights[2];
  return [rgb[0] - luma, rgb[1] - luma, rgb[2] - luma];
}

/**
 * Writes the colour of luminance `luma` in chroma direction `d` at `saturation` (0–1) of the most
 * that stays inside the RGB cube at that luminance, as bytes.
 */
function writeColour(out: Uint8Array, at: number, luma: number, d0: number, d1: number, d2: number, saturation: number): void {
  let most = Infinity;
  if (d0 > 0) most = Math.min(most, (1 - luma) / d0);
  else if (d0 < 0) most = Math.min(most, luma / -d0);
  if (d1 > 0) most = Math.min(most, (1 - luma) / d1);
  else if (d1 < 0) most = Math.min(most, luma / -d1);
  if (d2 > 0) most = Math.min(most, (1 - luma) / d2);
  else if (d2 < 0) most = Math.min(most, luma / -d2);
  const k = saturation * (Number.isFinite(most) ? most : 0);
  out[at] = Math.round((luma + k * d0) * 255);
  out[at + 1] = Math.round((luma + k * d1) * 255);
  out[at + 2] = Math.round((luma + k * d2) * 255);
}

const clamp = (v: number, lo: number, hi: number): number => (v < lo ? lo : v > hi ? hi : v);

/**
 * Shapes in colour, for colorization: the five Shapes classes at a random position, scale and
 * rotation, each in its class's hue family, on a background whose texture (plain, stripes or
 * dots) sets its hue family and whose luminance gradient shifts that hue a little. Luminance
 * is drawn apart from hue: a light shape on a dark background or a dark one on a light
 * background, so the shape and texture stay plain in the grayscale the colorizer sees.
 * `masks`, where given (count × size × size), receives each pixel's shape coverage 0–255.
 * The same seed always gives the same bytes.
 */
export function generateColourShapes({ count, size, seed }: ShapesOptions, masks?: Uint8Array): DatasetData {
  const random = seededRandom(seed);
  const pixels = size * size;
  const samples = new Uint8Array(count * pixels * 3);
  const labels = new Int32Array(count);
  const factors = new Float32Array(count * colourShapeFactorNames.length);
  const coverage = new Float32Array(pixels);
  const half = size / 2;
  for (let n = 0; n < count; n += 1) {
    const shape = Math.floor(random() * shapeNames.length);
    const scale = 0.5 + random() * 0.5;
    const rotation = random() * 2 * Math.PI;
    const radius = (scale * size) / 4;
    const x = radius + random() * (size - 2 * radius);
    const y = radius + random() * (size - 2 * radius);
    const background = Math.floor(random() * backgroundKinds.length);
    const kind = backgroundKinds[background] ?? 'plain';
    labels[n] = shape;
    factors.set([shape, x / size, y / size, scale, rotation, background], n * colourShapeFactorNames.length);

    const lightShape = random() < 0.5;
    const shapeLuma = lightShape ? 0.62 + 0.2 * random() : 0.16 + 0.2 * random();
    const backgroundLuma = lightShape ? 0.2 + 0.1 * random() : 0.68 + 0.1 * random();
    const shapeChroma = chromaDirection((shapeHues[shape] ?? 0) + (random() * 2 - 1) * shapeHueJitter);
    const shapeSaturation = 0.7 + 0.25 * random();
    const backgroundHue = backgroundHues[kind] + (random() * 2 - 1) * 6;
    const backgroundSaturation = 0.35 + 0.2 * random();
    const gradientAngle = random() * 2 * Math.PI;
    const gx = Math.cos(gradientAngle) / half;
    const gy = Math.sin(gradientAngle) / half;
    const textureAngle = random() * Math.PI;
    const tx = Math.cos(textureAngle);
    const ty = Math.sin(textureAngle);
    const period = kind === 'stripes' ? 4 + random() * 3 : 5 + random() * 3;
    const phase = random() * period;
    // The hue at either end of the gradient; pixels between take a mix of the two.
    const [a0, a1, a2] = chromaDirection(backgroundHue - gradientHueDrift);
    const [b0, b1, b2] = chromaDirection(backgroundHue + gradientHueDrift);

    coverage.fill(0);
    coverShape(shape, x, y, radius, rotation, size, (pixel, fraction) => (coverage[pixel] = fraction));

    const base = n * pixels;
    const shapeColour = new Uint8Array(3);
    writeColour(shapeColour, 0, shapeLuma, shapeChroma[0], shapeChroma[1], shapeChroma[2], shapeSaturation);
    for (let py = 0; py < size; py += 1) {
      for (let px = 0; px < size; px += 1) {
        const cx = px + 0.5 - half;
        const cy = py + 0.5 - half;
        const t = clamp(cx * gx + cy * gy, -1, 1);
        let texture = 0;
        if (kind === 'stripes') {
          // A soft square wave: stripes with antialiased edges.
          texture = clamp(2.5 * Math.sin((2 * Math.PI * (cx * tx + cy * ty + phase)) / period), -1, 1);
        } else if (kind === 'dots') {
          const u = (((px + phase) % period) + period) % period - period / 2;
          const v = (((py + phase) % period) + period) % period - period / 2;
          texture = 2 * clamp(period * 0.3 + 0.5 - Math.sqrt(u * u + v * v), 0, 1) - 1;
        }
        const luma = backgroundLuma + gradientContrast * t + textureContrast * texture;
        const w = (t + 1) / 2;
        const at = (base + py * size + px) * 3;
        writeColour(samples, at, luma, a0 + (b0 - a0) * w, a1 + (b1 - a1) * w, a2 + (b2 - a2) * w, backgroundSaturation);
        const alpha = coverage[py * size + px] ?? 0;
        if (alpha > 0) {
          for (let c = 0; c < 3; c += 1) samples[at + c] = Math.round(alpha * (shapeColour[c] ?? 0) + (1 - alpha) * (samples[at + c] ?? 0));
        }
        if (masks) masks[base + py * size + px] = Math.round(alpha * 255);
      }
    }
  }
  return {
    format: 'generated',
    source: colourShapesSource({ count, size, seed }),
    kind: 'image',
    shape: [size, size, 3],
    samples,
    labels,
    classNames: [...shapeNames],
    splits: assignSplits(count, { validationFraction: 0.1, testFraction: 0.1, seed }),
    transform: { scaling: 'unit', offset: 0, factor: 1 / 255 },
    factors: { names: [...colourShapeFactorNames], values: factors },
  };
}
