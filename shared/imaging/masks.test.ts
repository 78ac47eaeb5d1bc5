import { describe, expect, it } from 'vitest';
import { seededRandom } from '../random.js';
import { applyMask, maskCoverage, squareMask, strokeMask } from './masks.js';

const ones = (mask: Uint8Array): number => mask.reduce((sum, v) => sum + v, 0);

/** The rows and columns a mask's removed pixels span. */
function extent(mask: Uint8Array, width: number): { top: number; bottom: number; left: number; right: number } {
  const box = { top: Infinity, bottom: -Infinity, left: Infinity, right: -Infinity };
  mask.forEach((v, i) => {
    if (v === 0) return;
    const [y, x] = [Math.floor(i / width), i % width];
    box.top = Math.min(box.top, y);
    box.bottom = Math.max(box.bottom, y);
    box.left = Math.min(box.left, x);
    box.right = Math.max(box.right, x);
  });
  return box;
}

describe('squareMask', () => {
  it('removes exactly side² pixels, as one square inside the image', () => {
    for (let seed = 0; seed < 200; seed += 1) {
      const [height, width, side] = [20, 28, 1 + (seed % 20)];
      const mask = squareMask(height, width, side, seed);
      expect(mask.length).toBe(height * width);
      expect(ones(mask)).toBe(side * side);
      const box = extent(mask, width);
      expect(box.bottom - box.top + 1).toBe(side);
      expect(box.right - box.left + 1).toBe(side);
      expect(box.top).toBeGreaterThanOrEqual(0);
      expect(box.left).toBeGreaterThanOrEqual(0);
      expect(box.bottom).toBeLessThan(height);
      expect(box.right).toBeLessThan(width);
    }
  });

  it('reaches every position, corners included', () => {
    const corners = new Set<string>();
    for (let seed = 0; seed < 400; seed += 1) {
      const box = extent(squareMask(6, 6, 4, seed), 6);
      corners.add(`${box.top},${box.left}`);
    }
    expect(corners.size).toBe(9);
  });

  it('gives the same mask for the same seed and another for another seed', () => {
    expect(squareMask(32, 32, 8, 5)).toEqual(squareMask(32, 32, 8, 5));
    expect(squareMask(32, 32, 8, 5)).not.toEqual(squareMask(32, 32, 8, 6));
    const stream = seededRandom(9);
    expect(squareMask(32, 32, 8, stream)).not.toEqual(squareMask(32, 32, 8, stream));
  });

  it('covers the whole image when the side is the image, and refuses a side that does not fit', () => {
    expect(ones(squareMask(8, 8, 8, 1))).toBe(64);
    expect(() => squareMask(8, 10, 9, 1)).toThrow(/does not fit/);
    expect(() => squareMask(8, 10, 0, 1)).toThrow(/does not fit/);
  });
});

describe('strokeMask', () => {
  it('draws non-empty strokes of 0s and 1s only, the same for the same seed', () => {
    for (let seed = 0; seed < 50; seed += 1) {
      const mask = strokeMask(24, 32, { strokeWidth: 1 + (seed % 4) }, seed);
      expect(mask.length).toBe(24 * 32);
      expect(mask.every((v) => v === 0 || v === 1)).toBe(true);
      expect(ones(mask)).toBeGreaterThan(0);
      expect(ones(mask)).toBeLessThan(mask.length);
      expect(strokeMask(24, 32, { strokeWidth: 1 + (seed % 4) }, seed)).toEqual(mask);
    }
    expect(strokeMask(24, 32, { strokeWidth: 3 }, 1)).not.toEqual(strokeMask(24, 32, { strokeWidth: 3 }, 2));
  });

  it('removes more with wider or more strokes', () => {
    const mean = (make: (seed: number) => Uint8Array): number => {
      let total = 0;
      for (let seed = 0; seed < 40; seed += 1) total += maskCoverage(make(seed));
      return total / 40;
    };
    const thin = mean((s) => strokeMask(32, 32, { strokeWidth: 2 }, s));
    const thick = mean((s) => strokeMask(32, 32, { strokeWidth: 6 }, s));
    const many = mean((s) => strokeMask(32, 32, { strokeWidth: 2, strokes: 8 }, s));
    expect(thick).toBeGreaterThan(1.5 * thin);
    expect(many).toBeGreaterThan(1.5 * thin);
  });

  it('reaches a chosen coverage roughly', () => {
    for (const coverage of [0.1, 0.25, 0.5]) {
      for (let seed = 0; seed < 20; seed += 1) {
        const got = maskCoverage(strokeMask(32, 32, { strokeWidth: 4, coverage }, seed));
        expect(got).toBeGreaterThanOrEqual(coverage);
        expect(got).toBeLessThan(coverage + 0.1);
      }
    }
  });

  it('refuses a width that is not positive and a coverage outside (0, 1]', () => {
    expect(() => strokeMask(8, 8, { strokeWidth: 0 }, 1)).toThrow(/not positive/);
    expect(() => strokeMask(8, 8, { strokeWidth: 2, coverage: 1.5 }, 1)).toThrow(/coverage/);
  });
});

describe('applyMask', () => {
  const [height, width, channels] = [6, 5, 3];
  const random = seededRandom(4);
  const image = Float32Array.from({ length: height * width * channels }, () => random());
  const mask = squareMask(height, width, 3, 2);

  it('fills the hole, leaves every other pixel untouched and appends the mask as a channel', () => {
    const out = applyMask(image, mask, channels, [0.1, 0.2, 0.3]);
    expect(out.length).toBe(height * width * (channels + 1));
    for (let p = 0; p < height * width; p += 1) {
      const pixel = Array.from(out.subarray(4 * p, 4 * p + 4));
      if (mask[p] === 1) expect(pixel).toEqual(Array.from(Float32Array.of(0.1, 0.2, 0.3, 1)));
      else expect(pixel).toEqual([...Array.from(image.subarray(3 * p, 3 * p + 3)), 0]);
    }
  });

  it('takes a Float32Array mask and one fill value, and a batch of images with their masks', () => {
    const batchMask = new Float32Array([...mask, ...squareMask(height, width, 2, 3)]);
    const batch = new Float32Array([...image, ...image]);
    const out = applyMask(batch, batchMask, channels, 0.5);
    for (let p = 0; p < batchMask.length; p += 1) {
      expect(out[4 * p + 3]).toBe(batchMask[p]);
      expect(out[4 * p]).toBe(batchMask[p] === 1 ? 0.5 : batch[3 * p]);
    }
  });

  it('refuses an image that does not match its mask, and a fill of the wrong length', () => {
    expect(() => applyMask(image.subarray(3), mask, channels)).toThrow(/pixels/);
    expect(() => applyMask(image, mask, channels, [0, 0])).toThrow(/fill/);
  });
});
