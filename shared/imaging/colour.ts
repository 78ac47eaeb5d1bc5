/**
 * Colour transforms on whole images or batches: any Float32Array of pixels with 3 channels
 * interleaved (HWC, or N×H×W×C), RGB values being gamma-encoded sRGB in [0, 1].
 */

/**
 * ITU-R BT.601 luma weights: Y′ = 0.299 R′ + 0.587 G′ + 0.114 B′, applied to the gamma-encoded
 * values as BT.601 defines it (and as PIL's and OpenCV's greyscale conversions do), so the lab's
 * greyscale input is the greyscale a photo editor shows.
 */
export const LUMA_RED = 0.299;
export const LUMA_GREEN = 0.587;
export const LUMA_BLUE = 0.114;

/** The CIE constants as exact rationals (CIE 15:2004), so L* is continuous where the cube root meets the line. */
export const LAB_EPSILON = 216 / 24389;
export const LAB_KAPPA = 24389 / 27;

/** Linear sRGB → CIE XYZ (IEC 61966-2-1 primaries, D65). */
const RGB_TO_XYZ = [
  0.4124564, 0.3575761, 0.1804375,
  0.2126729, 0.7151522, 0.072175,
  0.0193339, 0.119192, 0.9503041,
] as const;

/**
 * The D65 white taken as the matrix's image of RGB white (0.95047, 1.00000, 1.08883 to five
 * digits): white then maps to a* = b* = 0 exactly instead of to within the rounding of the matrix.
 */
export const D65_WHITE = [
  RGB_TO_XYZ[0] + RGB_TO_XYZ[1] + RGB_TO_XYZ[2],
  RGB_TO_XYZ[3] + RGB_TO_XYZ[4] + RGB_TO_XYZ[5],
  RGB_TO_XYZ[6] + RGB_TO_XYZ[7] + RGB_TO_XYZ[8],
] as const;

/** The exact inverse of RGB_TO_XYZ, so RGB → Lab → RGB round-trips to floating-point error. */
const XYZ_TO_RGB = invert3(RGB_TO_XYZ);

function invert3(m: readonly number[]): number[] {
  const [a, b, c, d, e, f, g, h, i] = m as [number, number, number, number, number, number, number, number, number];
  const det = a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g);
  return [
    (e * i - f * h) / det, (c * h - b * i) / det, (b * f - c * e) / det,
    (f * g - d * i) / det, (a * i - c * g) / det, (c * d - a * f) / det,
    (d * h - e * g) / det, (b * g - a * h) / det, (a * e - b * d) / det,
  ];
}

/** The sRGB transfer curve (IEC 61966-2-1), encoded → linear. */
export function srgbToLinear(value: number): number {
  return value <= 0.04045 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
}

/** Linear → encoded; the inverse of srgbToLinear. */
export function linearToSrgb(value: number): number {
  return value <= 0.0031308 ? value * 12.92 : 1.055 * value ** (1 / 2.4) - 0.055;
}

const labF = (t: number): number => (t > LAB_EPSILON ? Math.cbrt(t) : (LAB_KAPPA * t + 16) / 116);
const labFInverse = (f: number): number => {
  const cube = f * f * f;
  return cube > LAB_EPSILON ? cube : (116 * f - 16) / LAB_KAPPA;
};

function checkChannels(values: Float32Array, channels: number, what: string): void {
  if (values.length % channels !== 0) throw new Error(`${what}: ${values.length} values are not a whole number of ${channels}-channel pixels`);
}

/** BT.601 luma of every RGB pixel: N×H×W×3 → N×H×W×1. */
export function luminance(rgb: Float32Array): Float32Array {
  checkChannels(rgb, 3, 'luminance');
  const out = new Float32Array(rgb.length / 3);
  for (let p = 0, i = 0; p < out.length; p += 1, i += 3) {
    out[p] = LUMA_RED * (rgb[i] as number) + LUMA_GREEN * (rgb[i + 1] as number) + LUMA_BLUE * (rgb[i + 2] as number);
  }
  return out;
}

/** sRGB in [0, 1] → CIE 1976 L*a*b* (L in [0, 100], a and b roughly in [−128, 127]), pixel by pixel. */
export function rgbToLab(rgb: Float32Array): Float32Array {
  checkChannels(rgb, 3, 'rgbToLab');
  const m = RGB_TO_XYZ;
  const [xn, yn, zn] = D65_WHITE;
  const out = new Float32Array(rgb.length);
  for (let i = 0; i < rgb.length; i += 3) {
    const r = srgbToLinear(rgb[i] as number);
    const g = srgbToLinear(rgb[i + 1] as number);
    const b = srgbToLinear(rgb[i + 2] as number);
    const fx = labF((m[0] * r + m[1] * g + m[2] * b) / xn);
    const fy = labF((m[3] * r + m[4] * g + m[5] * b) / yn);
    const fz = labF((m[6] * r + m[7] * g + m[8] * b) / zn);
    out[i] = 116 * fy - 16;
    out[i + 1] = 500 * (fx - fy);
    out[i + 2] = 200 * (fy - fz);
  }
  return out;
}

/**
 * CIE L*a*b* → sRGB. Lab colours outside the sRGB gamut (a model's predicted ab often are) are
 * clipped to [0, 1] unless `clip` is false.
 */
export function labToRgb(lab: Float32Array, clip = true): Float32Array {
  checkChannels(lab, 3, 'labToRgb');
  const m = XYZ_TO_RGB as [number, number, number, number, number, number, number, number, number];
  const [xn, yn, zn] = D65_WHITE;
  const out = new Float32Array(lab.length);
  const encode = (linear: number): number => {
    const v = linearToSrgb(linear);
    return clip ? Math.min(1, Math.max(0, v)) : v;
  };
  for (let i = 0; i < lab.length; i += 3) {
    const l = lab[i] as number;
    const fy = (l + 16) / 116;
    const x = xn * labFInverse(fy + (lab[i + 1] as number) / 500);
    // Below κε the cube root's branch does not apply to L itself: Y = L/κ.
    const y = yn * (l > LAB_KAPPA * LAB_EPSILON ? fy * fy * fy : l / LAB_KAPPA);
    const z = zn * labFInverse(fy - (lab[i + 2] as number) / 200);
    out[i] = encode(m[0] * x + m[1] * y + m[2] * z);
    out[i + 1] = encode(m[3] * x + m[4] * y + m[5] * z);
    out[i + 2] = encode(m[6] * x + m[7] * y + m[8] * z);
  }
  return out;
}

/** Lab pixels → the L plane (N×H×W×1) and the ab planes (N×H×W×2). */
export function splitLab(lab: Float32Array): { l: Float32Array; ab: Float32Array } {
  checkChannels(lab, 3, 'splitLab');
  const pixels = lab.length / 3;
  const l = new Float32Array(pixels);
  const ab = new Float32Array(pixels * 2);
  for (let p = 0; p < pixels; p += 1) {
    l[p] = lab[3 * p] as number;
    ab[2 * p] = lab[3 * p + 1] as number;
    ab[2 * p + 1] = lab[3 * p + 2] as number;
  }
  return { l, ab };
}

/** The inverse of splitLab: L (one channel) and ab (two channels) → Lab pixels. */
export function joinLab(l: Float32Array, ab: Float32Array): Float32Array {
  if (ab.length !== 2 * l.length) throw new Error(`joinLab: ${l.length} L values need ${2 * l.length} ab values, not ${ab.length}`);
  const lab = new Float32Array(l.length * 3);
  for (let p = 0; p < l.length; p += 1) {
    lab[3 * p] = l[p] as number;
    lab[3 * p + 1] = ab[2 * p] as number;
    lab[3 * p + 2] = ab[2 * p + 1] as number;
  }
  return lab;
}

/**
 * What the lab trains on: L/100 in [0, 1] (an input like any greyscale image) and a/128, b/128 in
 * about [−1, 1]. 128 rather than the gamut's true extent (sRGB reaches a ∈ [−86, 98],
 * b ∈ [−108, 95]) is the convention of the colorization literature (Zhang et al. 2016), keeps the
 * scale symmetric and leaves every sRGB colour inside (−1, 1), so a tanh output can reach them all.
 */
export const LAB_L_SCALE = 100;
export const LAB_AB_SCALE = 128;

/** Lab pixels → normalised Lab pixels (L/100, a/128, b/128). */
export function normaliseLab(lab: Float32Array): Float32Array {
  checkChannels(lab, 3, 'normaliseLab');
  const out = new Float32Array(lab.length);
  for (let i = 0; i < lab.length; i += 3) {
    out[i] = (lab[i] as number) / LAB_L_SCALE;
    out[i + 1] = (lab[i + 1] as number) / LAB_AB_SCALE;
    out[i + 2] = (lab[i + 2] as number) / LAB_AB_SCALE;
  }
  return out;
}

/** The inverse of normaliseLab. */
export function denormaliseLab(normalised: Float32Array): Float32Array {
  checkChannels(normalised, 3, 'denormaliseLab');
  const out = new Float32Array(normalised.length);
  for (let i = 0; i < normalised.length; i += 3) {
    out[i] = (normalised[i] as number) * LAB_L_SCALE;
    out[i + 1] = (normalised[i + 1] as number) * LAB_AB_SCALE;
    out[i + 2] = (normalised[i + 2] as number) * LAB_AB_SCALE;
  }
  return out;
}
