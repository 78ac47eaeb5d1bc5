/**
 * Image-quality measures of outputs against targets. Images are Float32Array HWC with values in
 * [0, 1]; a batch is N of them back to back (N×H×W×C). Sums run in float64.
 */

export interface ImageShape {
  height: number;
  width: number;
  channels: number;
}

function imageCount(target: Float32Array, output: Float32Array, shape: ImageShape, what: string): number {
  const size = shape.height * shape.width * shape.channels;
  if (target.length !== output.length) throw new Error(`${what}: the target has ${target.length} values and the output ${output.length}`);
  if (size === 0 || target.length % size !== 0) {
    throw new Error(`${what}: ${target.length} values are not whole ${shape.height}×${shape.width}×${shape.channels} images`);
  }
  return target.length / size;
}

/** Mean squared error over every value. */
export function mse(target: Float32Array, output: Float32Array): number {
  if (target.length !== output.length) throw new Error(`mse: the target has ${target.length} values and the output ${output.length}`);
  let sum = 0;
  for (let i = 0; i < target.length; i += 1) {
    const d = (target[i] as number) - (output[i] as number);
    sum += d * d;
  }
  return sum / target.length;
}

/** Peak signal-to-noise ratio in dB for a data range of 1: 10·log10(1 / MSE); Infinity for identical images. */
export function psnr(target: Float32Array, output: Float32Array): number {
  return 10 * Math.log10(1 / mse(target, output));
}

/** PSNR of each image of a batch (the figure usually reported is their mean, not the PSNR of the pooled MSE). */
export function psnrBatch(target: Float32Array, output: Float32Array, shape: ImageShape): Float64Array {
  const count = imageCount(target, output, shape, 'psnrBatch');
  const size = target.length / count;
  return Float64Array.from({ length: count }, (_, n) => psnr(target.subarray(n * size, (n + 1) * size), output.subarray(n * size, (n + 1) * size)));
}

/** Wang et al. 2004's constants: an 11×11 Gaussian window of σ = 1.5, K1 = 0.01, K2 = 0.03, L = 1. */
export const SSIM_SIGMA = 1.5;
export const SSIM_K1 = 0.01;
export const SSIM_K2 = 0.03;
/** scipy's radius for truncate = 3.5 (what scikit-image uses): int(3.5·1.5 + 0.5) = 5, an 11-tap window. */
export const SSIM_RADIUS = 5;

const ssimWindow = ((): Float64Array => {
  const taps = Float64Array.from({ length: 2 * SSIM_RADIUS + 1 }, (_, i) => Math.exp(-0.5 * ((i - SSIM_RADIUS) / SSIM_SIGMA) ** 2));
  const total = taps.reduce((s, v) => s + v, 0);
  return taps.map((v) => v / total);
})();

/**
 * SSIM of each image of a batch, as Wang et al. 2004 define it and as scikit-image computes it
 * with gaussian_weights=True, sigma=1.5, use_sample_covariance=False, data_range=1: the SSIM map
 * from Gaussian-weighted local means, variances (population) and covariance, averaged over the
 * positions where the window lies wholly inside the image, then over the channels. The window is
 * separable, so each channel is filtered along rows and then columns, in buffers made once per call.
 */
export function ssimBatch(target: Float32Array, output: Float32Array, shape: ImageShape): Float64Array {
  const count = imageCount(target, output, shape, 'ssimBatch');
  const { height, width, channels } = shape;
  const taps = ssimWindow.length;
  if (height < taps || width < taps) throw new Error(`ssimBatch: a ${height}×${width} image is smaller than the ${taps}×${taps} window`);
  const validWidth = width - taps + 1;
  const validHeight = height - taps + 1;
  const c1 = SSIM_K1 ** 2;
  const c2 = SSIM_K2 ** 2;
  const x = new Float64Array(height * width);
  const y = new Float64Array(height * width);
  // Row-filtered x, y, x², y², xy: height × validWidth each.
  const rows = Array.from({ length: 5 }, () => new Float64Array(height * validWidth)) as [Float64Array, Float64Array, Float64Array, Float64Array, Float64Array];
  const [hx, hy, hxx, hyy, hxy] = rows;
  const w = ssimWindow;
  const result = new Float64Array(count);
  const imageSize = height * width * channels;
  for (let n = 0; n < count; n += 1) {
    let total = 0;
    for (let c = 0; c < channels; c += 1) {
      for (let p = 0, i = n * imageSize + c; p < height * width; p += 1, i += channels) {
        x[p] = target[i] as number;
        y[p] = output[i] as number;
      }
      for (let r = 0; r < height; r += 1) {
        for (let col = 0; col < validWidth; col += 1) {
          let sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
          for (let k = 0, p = r * width + col; k < taps; k += 1, p += 1) {
            const wk = w[k] as number;
            const a = x[p] as number;
            const b = y[p] as number;
            sx += wk * a;
            sy += wk * b;
            sxx += wk * a * a;
            syy += wk * b * b;
            sxy += wk * a * b;
          }
          const o = r * validWidth + col;
          hx[o] = sx;
          hy[o] = sy;
          hxx[o] = sxx;
          hyy[o] = syy;
          hxy[o] = sxy;
        }
      }
      let sum = 0;
      for (let r = 0; r < validHeight; r += 1) {
        for (let col = 0; col < validWidth; col += 1) {
          let ux = 0, uy = 0, uxx = 0, uyy = 0, uxy = 0;
          for (let k = 0, o = r * validWidth + col; k < taps; k += 1, o += validWidth) {
            const wk = w[k] as number;
            ux += wk * (hx[o] as number);
            uy += wk * (hy[o] as number);
            uxx += wk * (hxx[o] as number);
            uyy += wk * (hyy[o] as number);
            uxy += wk * (hxy[o] as number);
          }
          const vx = uxx - ux * ux;
          const vy = uyy - uy * uy;
          const vxy = uxy - ux * uy;
          sum += ((2 * ux * uy + c1) * (2 * vxy + c2)) / ((ux * ux + uy * uy + c1) * (vx + vy + c2));
        }
      }
      total += sum / (validHeight * validWidth);
    }
    result[n] = total / channels;
  }
  return result;
}

/** SSIM of one image (see ssimBatch). */
export function ssim(target: Float32Array, output: Float32Array, shape: ImageShape): number {
  const values = ssimBatch(target, output, shape);
  if (values.length !== 1) throw new Error(`ssim: ${values.length} images given where one was expected; use ssimBatch`);
  return values[0] as number;
}

/**
 * Colourfulness of Hasler & Süsstrunk 2003 of one RGB image: rg = R − G, yb = ½(R + G) − B,
 * M = √(σrg² + σyb²) + 0.3·√(μrg² + μyb²), with population standard deviations, on the paper's
 * 0–255 scale (so its published anchors apply: ≈ 33 "moderately", ≈ 59 "quite", ≈ 82 "highly"
 * colourful). A grey image scores 0.
 */
export function colourfulness(rgb: Float32Array): number {
  if (rgb.length % 3 !== 0 || rgb.length === 0) throw new Error(`colourfulness: ${rgb.length} values are not RGB pixels`);
  const pixels = rgb.length / 3;
  let [mrg, myb] = [0, 0];
  for (let i = 0; i < rgb.length; i += 3) {
    const [r, g, b] = [rgb[i] as number, rgb[i + 1] as number, rgb[i + 2] as number];
    mrg += r - g;
    myb += 0.5 * (r + g) - b;
  }
  mrg /= pixels;
  myb /= pixels;
  // Two passes, so a nearly grey image's variance does not come out of a cancellation.
  let [vrg, vyb] = [0, 0];
  for (let i = 0; i < rgb.length; i += 3) {
    const [r, g, b] = [rgb[i] as number, rgb[i + 1] as number, rgb[i + 2] as number];
    const drg = r - g - mrg;
    const dyb = 0.5 * (r + g) - b - myb;
    vrg += drg * drg;
    vyb += dyb * dyb;
  }
  return 255 * (Math.sqrt((vrg + vyb) / pixels) + 0.3 * Math.sqrt(mrg * mrg + myb * myb));
}

/** Colourfulness of each image of an RGB batch. */
export function colourfulnessBatch(images: Float32Array, shape: ImageShape): Float64Array {
  if (shape.channels !== 3) throw new Error(`colourfulnessBatch: images of ${shape.channels} channels are not RGB`);
  const count = imageCount(images, images, shape, 'colourfulnessBatch');
  const size = images.length / count;
  return Float64Array.from({ length: count }, (_, n) => colourfulness(images.subarray(n * size, (n + 1) * size)));
}

/**
 * Mean squared error inside the hole (mask 1) and outside it (mask 0), over all channels; null for
 * a region with no pixels. The mask is H×W per image (N×H×W for a batch), as masks.ts draws it.
 */
export function maskedMse(target: Float32Array, output: Float32Array, mask: Uint8Array | Float32Array, channels: number): { inside: number | null; outside: number | null } {
  if (target.length !== output.length || target.length !== mask.length * channels) {
    throw new Error(`maskedMse: ${target.length} and ${output.length} values do not match a mask of ${mask.length} pixels of ${channels} channels`);
  }
  let [inside, outside, insidePixels] = [0, 0, 0];
  for (let p = 0; p < mask.length; p += 1) {
    let sum = 0;
    for (let i = p * channels; i < (p + 1) * channels; i += 1) {
      const d = (target[i] as number) - (output[i] as number);
      sum += d * d;
    }
    if ((mask[p] as number) > 0.5) {
      inside += sum;
      insidePixels += 1;
    } else {
      outside += sum;
    }
  }
  const outsidePixels = mask.length - insidePixels;
  return {
    inside: insidePixels === 0 ? null : inside / (insidePixels * channels),
    outside: outsidePixels === 0 ? null : outside / (outsidePixels * channels),
  };
}
