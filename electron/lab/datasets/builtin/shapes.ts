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
    const [xi, yi] = polygon[i] as Point;
    const [xj, yj] = polygon[j] as Point;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

function inside(shape: number, x: number, y: number): boolean {
  const name = shapeNames[shape] ?? 'square';
  if (name === 'ellipse') return x * x + (y * y) / 0.36 <= 1;
  return insidePolygon(x, y, polygons[name]);
}

export interface ShapesOptions {
  count: number;
  size: number;
  seed: number;
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
  const sub = 4;
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
        samples[n * size * size + py * size + px] = Math.round((hits / (sub * sub)) * 255);
      }
    }
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
