import { describe, expect, it } from 'vitest';
import { seededRandom } from '../random.js';
import {
  D65_WHITE,
  LAB_AB_SCALE,
  denormaliseLab,
  joinLab,
  labToRgb,
  linearToSrgb,
  luminance,
  normaliseLab,
  rgbToLab,
  splitLab,
  srgbToLinear,
} from './colour.js';

function randomColours(count: number, seed: number): Float32Array {
  const random = seededRandom(seed);
  return Float32Array.from({ length: count * 3 }, () => random());
}

describe('luminance', () => {
  it('weighs pure red, green and blue by BT.601 and keeps grey', () => {
    const y = luminance(Float32Array.of(1, 0, 0, 0, 1, 0, 0, 0, 1, 0.5, 0.5, 0.5, 1, 1, 1));
    expect(Array.from(y).map((v) => Number(v.toFixed(6)))).toEqual([0.299, 0.587, 0.114, 0.5, 1]);
  });

  it('refuses a length that is not whole RGB pixels', () => {
    expect(() => luminance(new Float32Array(4))).toThrow(/3-channel/);
  });
});

describe('sRGB ↔ CIE Lab', () => {
  it('round-trips many random colours to 1e-5', () => {
    const rgb = randomColours(20_000, 7);
    const back = labToRgb(rgbToLab(rgb), false);
    let worst = 0;
    for (let i = 0; i < rgb.length; i += 1) worst = Math.max(worst, Math.abs((back[i] as number) - (rgb[i] as number)));
    expect(worst).toBeLessThan(1e-5);
  });

  it('round-trips the dark colours on the linear branch of both curves', () => {
    const rgb = Float32Array.from({ length: 300 }, (_, i) => (i % 97) / 97 / 50);
    const back = labToRgb(rgbToLab(rgb), false);
    for (let i = 0; i < rgb.length; i += 1) expect(back[i]).toBeCloseTo(rgb[i] as number, 6);
  });

  it('gives the known values of white, black and sRGB red, green and blue', () => {
    const lab = rgbToLab(Float32Array.of(1, 1, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1));
    const at = (p: number): number[] => Array.from(lab.subarray(3 * p, 3 * p + 3));
    expect(at(0)[0]).toBeCloseTo(100, 4);
    expect(Math.abs(at(0)[1] as number)).toBeLessThan(1e-4);
    expect(Math.abs(at(0)[2] as number)).toBeLessThan(1e-4);
    expect(at(1)).toEqual([0, 0, 0]);
    // Published values (Lindbloom's calculator, sRGB D65).
    const expected = [[53.2408, 80.0925, 67.2032], [87.7347, -86.1827, 83.1793], [32.2970, 79.1875, -107.8602]];
    expected.forEach((colour, k) => colour.forEach((v, c) => expect(at(k + 2)[c]).toBeCloseTo(v, 2)));
  });

  it('takes D65 as its white point', () => {
    expect(D65_WHITE.map((v) => Number(v.toFixed(5)))).toEqual([0.95047, 1, 1.08883]);
  });

  it('gives grey images a = b = 0 and an L that grows with the grey level', () => {
    const levels = Array.from({ length: 64 }, (_, i) => i / 63);
    const lab = rgbToLab(Float32Array.from(levels.flatMap((v) => [v, v, v])));
    for (let p = 0; p < levels.length; p += 1) {
      expect(Math.abs(lab[3 * p + 1] as number)).toBeLessThan(1e-4);
      expect(Math.abs(lab[3 * p + 2] as number)).toBeLessThan(1e-4);
      if (p > 0) expect(lab[3 * p]).toBeGreaterThan(lab[3 * (p - 1)] as number);
    }
  });

  it('clips Lab colours outside the sRGB gamut unless told not to', () => {
    const vivid = Float32Array.of(50, 127, -127);
    const clipped = labToRgb(vivid);
    for (const v of clipped) expect(v >= 0 && v <= 1).toBe(true);
    expect(Array.from(labToRgb(vivid, false)).some((v) => v < 0 || v > 1)).toBe(true);
  });

  it('uses the sRGB companding curve, inverted exactly', () => {
    expect(srgbToLinear(0.5)).toBeCloseTo(0.21404, 5);
    expect(srgbToLinear(0.04)).toBeCloseTo(0.04 / 12.92, 12);
    for (const v of [0, 0.001, 0.2, 0.7, 1]) expect(linearToSrgb(srgbToLinear(v))).toBeCloseTo(v, 12);
    // The standard's rounded knee (0.04045 and 0.0031308) leaves a step of 3e-8 there.
    expect(linearToSrgb(srgbToLinear(0.04045))).toBeCloseTo(0.04045, 7);
  });

  it('works on a batch the same as on its images one by one', () => {
    const batch = randomColours(2 * 4 * 4, 3);
    const whole = rgbToLab(batch);
    const second = rgbToLab(batch.slice(48));
    expect(Array.from(whole.subarray(48))).toEqual(Array.from(second));
  });
});

describe('L/ab split and normalisation', () => {
  it('splits Lab into L and ab and joins them back unchanged', () => {
    const lab = rgbToLab(randomColours(50, 11));
    const { l, ab } = splitLab(lab);
    expect(l.length).toBe(50);
    expect(ab.length).toBe(100);
    expect(l[3]).toBe(lab[9]);
    expect(ab[7]).toBe(lab[11]);
    expect(Array.from(joinLab(l, ab))).toEqual(Array.from(lab));
    expect(() => joinLab(l, ab.subarray(2))).toThrow(/ab values/);
  });

  it('maps L to [0, 1] and every sRGB colour’s a, b inside (−1, 1), and back', () => {
    const lab = rgbToLab(randomColours(20_000, 5));
    const normalised = normaliseLab(lab);
    let [lowest, highest, widest] = [Infinity, -Infinity, 0];
    for (let i = 0; i < normalised.length; i += 3) {
      lowest = Math.min(lowest, normalised[i] as number);
      highest = Math.max(highest, normalised[i] as number);
      widest = Math.max(widest, Math.abs(normalised[i + 1] as number), Math.abs(normalised[i + 2] as number));
    }
    expect(lowest).toBeGreaterThanOrEqual(0);
    expect(highest).toBeLessThanOrEqual(1 + 1e-6);
    expect(widest).toBeGreaterThan(0.5);
    expect(widest).toBeLessThan(1);
    expect(normaliseLab(Float32Array.of(100, -128, 64))).toEqual(Float32Array.of(1, -1, 64 / LAB_AB_SCALE));
    const back = denormaliseLab(normalised);
    let worst = 0;
    for (let i = 0; i < lab.length; i += 1) worst = Math.max(worst, Math.abs((back[i] as number) - (lab[i] as number)));
    expect(worst).toBeLessThan(1e-4);
  });
});
