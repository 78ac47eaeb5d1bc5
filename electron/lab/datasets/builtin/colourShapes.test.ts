import { describe, expect, it } from 'vitest';
import { backgroundKinds, builtinColourShapes, generateColourShapes } from './colourShapes.js';
import { shapeNames } from './shapes.js';

const luma = (r: number, g: number, b: number): number => (0.299 * r + 0.587 * g + 0.114 * b) / 255;

/** HSV hue in degrees, or null for a gray (no hue to speak of). */
function hueOf(r: number, g: number, b: number): number | null {
  const max = Math.max(r, g, b);
  const min = Math.min(r, g, b);
  if (max - min < 8) return null;
  const d = max - min;
  const h = max === r ? ((g - b) / d) % 6 : max === g ? (b - r) / d + 2 : (r - g) / d + 4;
  return (h * 60 + 360) % 360;
}

/** Circular mean of hues, in degrees. */
function meanHue(hues: number[]): number {
  let x = 0;
  let y = 0;
  for (const h of hues) {
    x += Math.cos((h * Math.PI) / 180);
    y += Math.sin((h * Math.PI) / 180);
  }
  return ((Math.atan2(y, x) * 180) / Math.PI + 360) % 360;
}

const hueDistance = (a: number, b: number): number => Math.min(Math.abs(a - b), 360 - Math.abs(a - b));

const count = 400;
const size = 32;
const masks = new Uint8Array(count * size * size);
const data = generateColourShapes({ count, size, seed: 2 }, masks);

describe('Colour Shapes', () => {
  it('is deterministic from its seed: RGB bytes, labels and factors', () => {
    const again = generateColourShapes({ count: 30, size: 24, seed: 9 });
    const other = generateColourShapes({ count: 30, size: 24, seed: 10 });
    const same = generateColourShapes({ count: 30, size: 24, seed: 9 });
    expect(again.samples).toEqual(same.samples);
    expect(again.factors?.values).toEqual(same.factors?.values);
    expect(again.samples).not.toEqual(other.samples);
    expect(again.shape).toEqual([24, 24, 3]);
    expect(again.samples.length).toBe(30 * 24 * 24 * 3);
    expect(again.transform).toEqual({ scaling: 'unit', offset: 0, factor: 1 / 255 });
  });

  it('stores the Shapes factors and the background kind, and every class and background appears', () => {
    expect(data.factors?.names).toEqual(['shape', 'x', 'y', 'scale', 'rotation', 'background']);
    expect(data.classNames).toEqual([...shapeNames]);
    const backgrounds = new Set<number>();
    for (let i = 0; i < count; i += 1) {
      const [shape, x, y, , , background] = data.factors?.values.subarray(i * 6, i * 6 + 6) ?? [];
      expect(shape).toBe(data.labels[i]);
      backgrounds.add(background ?? -1);
      // The pixel at the shape's centre is the shape's.
      expect(masks[i * size * size + Math.floor((y ?? 0) * size) * size + Math.floor((x ?? 0) * size)]).toBeGreaterThan(200);
    }
    expect(new Set(data.labels).size).toBe(shapeNames.length);
    expect([...backgrounds].sort()).toEqual(backgroundKinds.map((_, i) => i));
  });

  it('keeps values in [0, 1] and uses all three channels', () => {
    const values = data.samples;
    let chromatic = 0;
    for (let p = 0; p < values.length; p += 3) if (hueOf(values[p] ?? 0, values[p + 1] ?? 0, values[p + 2] ?? 0) !== null) chromatic += 1;
    // Stored as bytes, read as byte / 255: [0, 1] by construction; most pixels are coloured, not gray.
    expect(values).toBeInstanceOf(Uint8Array);
    expect(chromatic / (values.length / 3)).toBeGreaterThan(0.8);
  });

  it("gives each shape class its own hue, and each background texture its own", () => {
    const shapeHueLists: number[][] = shapeNames.map(() => []);
    const backgroundHueLists: number[][] = backgroundKinds.map(() => []);
    for (let i = 0; i < count; i += 1) {
      const background = data.factors?.values[i * 6 + 5] ?? 0;
      for (let p = 0; p < size * size; p += 1) {
        const at = (i * size * size + p) * 3;
        const hue = hueOf(data.samples[at] ?? 0, data.samples[at + 1] ?? 0, data.samples[at + 2] ?? 0);
        if (hue === null) continue;
        const cover = masks[i * size * size + p] ?? 0;
        if (cover === 255) shapeHueLists[data.labels[i] ?? 0]?.push(hue);
        else if (cover === 0) backgroundHueLists[background]?.push(hue);
      }
    }
    const shapeMeans = shapeHueLists.map(meanHue);
    const backgroundMeans = backgroundHueLists.map(meanHue);
    for (let a = 0; a < shapeMeans.length; a += 1) for (let b = a + 1; b < shapeMeans.length; b += 1) expect(hueDistance(shapeMeans[a] ?? 0, shapeMeans[b] ?? 0)).toBeGreaterThan(30);
    for (let a = 0; a < backgroundMeans.length; a += 1) for (let b = a + 1; b < backgroundMeans.length; b += 1) expect(hueDistance(backgroundMeans[a] ?? 0, backgroundMeans[b] ?? 0)).toBeGreaterThan(30);
    // Within a class the hue stays in its family: the spread of a class's hues is small.
    for (const [k, hues] of shapeHueLists.entries()) {
      const spread = hues.reduce((sum, h) => sum + hueDistance(h, shapeMeans[k] ?? 0), 0) / hues.length;
      expect(spread).toBeLessThan(10);
    }
  });

  it('shows every shape in luminance alone: shape and background differ in BT.601 luma', () => {
    const contrasts: number[] = [];
    for (let i = 0; i < count; i += 1) {
      let inside = 0;
      let insideN = 0;
      let outside = 0;
      let outsideN = 0;
      for (let p = 0; p < size * size; p += 1) {
        const at = (i * size * size + p) * 3;
        const y = luma(data.samples[at] ?? 0, data.samples[at + 1] ?? 0, data.samples[at + 2] ?? 0);
        const cover = masks[i * size * size + p] ?? 0;
        if (cover === 255) {
          inside += y;
          insideN += 1;
        } else if (cover === 0) {
          outside += y;
          outsideN += 1;
        }
      }
      contrasts.push(Math.abs(inside / insideN - outside / outsideN));
    }
    expect(Math.min(...contrasts)).toBeGreaterThan(0.2);
    expect(contrasts.reduce((s, c) => s + c, 0) / count).toBeGreaterThan(0.35);
  });

  it('is 10,000 images of 32×32×3 split as Shapes is', () => {
    expect(builtinColourShapes).toEqual({ count: 10_000, size: 32, seed: 2 });
    const splits = [0, 0, 0];
    for (const s of data.splits) splits[s] = (splits[s] ?? 0) + 1;
    expect(splits).toEqual([count * 0.8, count * 0.1, count * 0.1]);
  });
});
