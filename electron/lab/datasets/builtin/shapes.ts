import { seededRandom } from '../../../../shared/random.js';
import type { DatasetData } from '../../../format/datasets/datasetData.js';
import { assignSplits } from '../split.js';

export const shapeNames = ['square', 'ellipse', 'triangle', 'cross', 'star'] as const;
export const shapeFactorNames = ['shape', 'x', 'y', 'scale', 'rotation'] as const;

type Point = readonly [number, number];

function regularPolygon(corners: number, phase = 0): Point[] {
  return Array.from({ length: corners }, (_, i) => {
    const angle = phase + (i * 2 * Math.PI) / corners;
    return [Math.cos(angle), Math.sin(angle)] as const;
  });
}

const polygons: Record<Exclude<(typeof shapeNames)[number], 'ellipse'>, Point[]> = {
  square: regularPolygon(4, Math.PI / 4),
  triangle: regularPolygon(3, -Math.PI / 2),
  cross: [
    [-0.3, -1], [0.3, -1], [0.3, -0.3], [1, -0.3], [1, 0.3], [0.3, 0.3],
    [0.3, 1], [-0.3, 1], [-0.3, 0.3], [-1, 0.3], [-1, -0.3], [-0.3, -0.3],
  ],
  star: Array.from({ length: 10 }, (_, i) => {
    const radius = i % 2 === 0 ? 1 : 0.45;
    const angle = -Math.PI / 2 + (i * Math.PI) / 5;
    return [radius * Math.cos(angle), radius * Math.sin(angle)] as const;
  }),
};

function insidePolygon(x: number, y: number, polygon: Point[]): boolean {
  let inside = false;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    // Indexing, not destructuring: this runs tens of millions of times per dataset, and array
    // destructuring here is most of the generation time.
    const a = polygon[i] as Point;
    const b = polygon[j] as Point;
    const xi = a[0];
    const yi = a[1];
    const xj = b[0];
    const yj = b[1];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Whether the point (x, y), in the shape's own unit frame, lies in shape class `shape`. */
export function inside(shape: number, x: number, y: number): boolean {
  const name = shapeNames[shape] ?? 'square';
  if (name === 'ellipse') return x * x + (y * y) / 0.36 <= 1;
  return insidePolygon(x, y, polygons[name]);
}

export interface ShapesOptions {
  count: number;
  size: number;
  seed: number;
}

/** Antialiasing: each pixel's coverage is the share of its 4×4 sub-pixel centres inside the shape. */
const subPixels = 4;

/**
 * One shape of radius `radius` centred at (x, y) and turned by `rotation`, on a size×size
 * grid: `cover(pixel, fraction)` for every pixel of its bounding box, with the share of the
 * pixel the shape covers (0 outside it).
 */
export function coverShape(shape: number, x: number, y: number, radius: number, rotation: number, size: number, cover: (pixel: number, fraction: number) => void): void {
  const sub = subPixels;
  const cos = Math.cos(-rotation);
  const sin = Math.sin(-rotation);
  const x0 = Math.max(0, Math.floor(x - radius - 1));
  const x1 = Math.min(size - 1, Math.ceil(x + radius + 1));
  const y0 = Math.max(0, Math.floor(y - radius - 1));
  const y1 = Math.min(size - 1, Math.ceil(y + radius + 1));
  for (let py = y0; py <= y1; py += 1) {
    for (let px = x0; px <= x1; px += 1) {
      let hits = 0;
      for (let sy = 0; sy < sub; sy += 1) {
        for (let sx = 0; sx < sub; sx += 1) {
          const dx = (px + (sx + 0.5) / sub - x) / radius;
          const dy = (py + (sy + 0.5) / sub - y) / radius;
          if (inside(shape, dx * cos - dy * sin, dx * sin + dy * cos)) hits += 1;
        }
      }
      cover(py * size + px, hits / (sub * sub));
    }
  }
}

export const builtinShapes: ShapesOptions = { count: 10_000, size: 32, seed: 1 };

export const shapesSource = ({ count, size, seed }: ShapesOptions): string => `shapes: ${count} samples, ${size}×${size}, seed ${seed}`;

/**
 * A dSprites-like dataset with known generative factors: each sample is one white
 * shape on black at a random position, scale and rotation, antialiased by 4×4
 * supersampling. The same seed always gives the same bytes.
 */
export function generateShapes({ count, size, seed }: ShapesOptions): DatasetData {
  const random = seededRandom(seed);
  const samples = new Uint8Array(count * size * size);
  const labels = new Int32Array(count);
  const factors = new Float32Array(count * shapeFactorNames.length);
  for (let n = 0; n < count; n += 1) {
    const shape = Math.floor(random() * shapeNames.length);
    const scale = 0.5 + random() * 0.5;
    const rotation = random() * 2 * Math.PI;
    const radius = (scale * size) / 4;
    // Positions keep the whole shape in the frame.
    const x = radius + random() * (size - 2 * radius);
    const y = radius + random() * (size - 2 * radius);
    labels[n] = shape;
    factors.set([shape, x / size, y / size, scale, rotation], n * shapeFactorNames.length);
    coverShape(shape, x, y, radius, rotation, size, (pixel, fraction) => (samples[n * size * size + pixel] = Math.round(fraction * 255)));
  }
  return {
    format: 'generated',
    source: shapesSource({ count, size, seed }),
    kind: 'image',
    shape: [size, size, 1],
    samples,
    labels,
    classNames: [...shapeNames],
    splits: assignSplits(count, { validationFraction: 0.1, testFraction: 0.1, seed }),
    transform: { scaling: 'unit', offset: 0, factor: 1 / 255 },
    factors: { names: [...shapeFactorNames], values: factors },
  };
}
