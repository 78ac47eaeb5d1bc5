import { describe, expect, it } from 'vitest';
import { seededRandom } from '../random.js';
import { squareMask } from './masks.js';
import { colourfulness, colourfulnessBatch, maskedMse, mse, psnr, psnrBatch, ssim, ssimBatch } from './metrics.js';

const shape = { height: 16, width: 20, channels: 3 };
const size = shape.height * shape.width * shape.channels;

function noise(length: number, seed: number): Float32Array {
  const random = seededRandom(seed);
  return Float32Array.from({ length }, () => random());
}

/** The image with seeded noise of the given amplitude added, kept in [0, 1]. */
function degraded(image: Float32Array, amplitude: number, seed: number): Float32Array {
  const random = seededRandom(seed);
  return image.map((v) => Math.min(1, Math.max(0, v + amplitude * (random() - 0.5))));
}

describe('psnr', () => {
  it('is Infinity for identical images and 10·log10(1/MSE) otherwise', () => {
    const x = noise(size, 1);
    expect(psnr(x, x)).toBe(Infinity);
    const y = x.map((v) => v + 0.1);
    expect(mse(x, y)).toBeCloseTo(0.01, 6);
    expect(psnr(x, y)).toBeCloseTo(20, 4);
    expect(psnr(new Float32Array(4), new Float32Array(4).fill(1))).toBe(0);
  });

  it('gives each image of a batch its own value', () => {
    const x = noise(2 * size, 2);
    const y = new Float32Array([...x.subarray(0, size), ...degraded(x.subarray(size), 0.2, 3)]);
    const values = psnrBatch(x, y, shape);
    expect(values[0]).toBe(Infinity);
    expect(values[1]).toBeCloseTo(psnr(x.subarray(size), y.subarray(size)), 12);
    expect(() => psnrBatch(x.subarray(1), y.subarray(1), shape)).toThrow(/whole/);
  });
});

describe('ssim', () => {
  it('is 1 for identical images', () => {
    const x = noise(size, 4);
    expect(ssim(x, x, shape)).toBeCloseTo(1, 12);
  });

  it('falls as the noise grows, and is symmetric', () => {
    const x = noise(size, 5);
    const values = [0.05, 0.2, 0.6].map((a) => ssim(x, degraded(x, a, 6), shape));
    expect(values[0]).toBeLessThan(1);
    expect(values[1]).toBeLessThan(values[0] as number);
    expect(values[2]).toBeLessThan(values[1] as number);
    const y = degraded(x, 0.2, 6);
    expect(ssim(y, x, shape)).toBeCloseTo(ssim(x, y, shape), 12);
  });

  it('sees structure lost that the mean keeps: a flat image scores low against a textured one of the same mean', () => {
    const x = noise(size, 7);
    const mean = x.reduce((s, v) => s + v, 0) / x.length;
    expect(ssim(x, new Float32Array(size).fill(mean), shape)).toBeLessThan(0.1);
  });

  it('averages the channels, and gives a batch the values of its images', () => {
    const x = noise(2 * size, 8);
    const y = degraded(x, 0.3, 9);
    const values = ssimBatch(x, y, shape);
    expect(values[1]).toBeCloseTo(ssim(x.subarray(size), y.subarray(size), shape), 12);
    const grey = { ...shape, channels: 1 };
    const plane = (v: Float32Array, c: number): Float32Array => v.subarray(0, size).filter((_, i) => i % 3 === c);
    const perChannel = [0, 1, 2].map((c) => ssim(plane(x, c), plane(y, c), grey));
    expect(values[0]).toBeCloseTo((perChannel[0]! + perChannel[1]! + perChannel[2]!) / 3, 12);
  });

  it('refuses images smaller than the window', () => {
    const small = { height: 10, width: 20, channels: 1 };
    expect(() => ssim(new Float32Array(200), new Float32Array(200), small)).toThrow(/window/);
  });
});

describe('colourfulness', () => {
  it('is 0 for a grey image', () => {
    const random = seededRandom(10);
    const grey = new Float32Array(300);
    for (let i = 0; i < grey.length; i += 3) grey.fill(random(), i, i + 3);
    expect(colourfulness(grey)).toBe(0);
  });

  it('follows the formula on the 0–255 scale', () => {
    // Half pure red, half pure green: rg = ±255, yb = 127.5 everywhere.
    const image = Float32Array.of(1, 0, 0, 0, 1, 0);
    expect(colourfulness(image)).toBeCloseTo(255 + 0.3 * 127.5, 9);
    // One flat colour: no spread, only the mean term.
    expect(colourfulness(Float32Array.of(1, 0, 0, 1, 0, 0))).toBeCloseTo(0.3 * Math.hypot(255, 127.5), 9);
  });

  it('ranks saturated above washed-out colour', () => {
    const vivid = noise(size, 11);
    const washed = vivid.map((v, i) => 0.5 * v + 0.5 * ((vivid[i - (i % 3)]! + vivid[i - (i % 3) + 1]! + vivid[i - (i % 3) + 2]!) / 3));
    const [a, b] = colourfulnessBatch(new Float32Array([...vivid, ...washed]), shape);
    expect(a).toBeGreaterThan(1.8 * (b as number));
  });
});

describe('maskedMse', () => {
  it('splits the error between the hole and the rest', () => {
    const target = noise(size, 12);
    const mask = squareMask(shape.height, shape.width, 6, 13);
    const output = target.map((v, i) => (mask[Math.floor(i / 3)] === 1 ? v + 0.2 : v + 0.1));
    const { inside, outside } = maskedMse(target, output, mask, 3);
    expect(inside).toBeCloseTo(0.04, 6);
    expect(outside).toBeCloseTo(0.01, 6);
  });

  it('says null for a region with no pixels', () => {
    const x = noise(12, 14);
    expect(maskedMse(x, x, new Uint8Array(4), 3)).toEqual({ inside: null, outside: 0 });
    expect(maskedMse(x, x, new Float32Array(4).fill(1), 3)).toEqual({ inside: 0, outside: null });
    expect(() => maskedMse(x, x, new Uint8Array(5), 3)).toThrow(/mask/);
  });
});
