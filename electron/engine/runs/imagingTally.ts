import type { ImagingMetrics } from '../../../shared/domain/run.js';
import { colourfulnessBatch, maskedMse, psnrBatch, SSIM_RADIUS, ssimBatch, type ImageShape } from '../../../shared/imaging/metrics.js';
import type { SampleShape } from '../model/types.js';
import type { TaskSamples } from '../tasks/engineTask.js';

/** SSIM is a filter per channel in JavaScript: measured on the first images of the test split only. */
export const maxSsimImages = 2000;

/**
 * The image measures of a test pass, batch by batch: outputs as images (RGB for colorization,
 * the composite for inpainting) against the clean images, and the raw outputs' error inside and
 * outside the hole. Values are taken as lying in [0, 1] (the caller measures unit-range data only).
 */
export class ImagingTally {
  private readonly shape: ImageShape;
  private images = 0;
  private psnrSum = 0;
  private ssimSum = 0;
  private ssimImages = 0;
  private colourOut = 0;
  private colourTarget = 0;
  private inside = { sum: 0, n: 0 };
  private outside = { sum: 0, n: 0 };

  constructor(
    private readonly task: string,
    [height, width, channels]: SampleShape,
  ) {
    this.shape = { height, width, channels };
  }

  private get measuresSsim(): boolean {
    const taps = 2 * SSIM_RADIUS + 1;
    return this.shape.height >= taps && this.shape.width >= taps;
  }

  /** One batch: its outputs as images, the clean images, the task's samples and the raw outputs (the target's form). */
  add(images: Float32Array, clean: Float32Array, samples: TaskSamples, raw: Float32Array): void {
    const count = samples.count;
    const clipped = images.map((v) => Math.min(1, Math.max(0, v)));
    for (const value of psnrBatch(clean, clipped, this.shape)) this.psnrSum += Math.min(value, 100);
    const size = this.shape.height * this.shape.width * this.shape.channels;
    const forSsim = Math.min(count, maxSsimImages - this.ssimImages);
    if (this.measuresSsim && forSsim > 0) {
      for (const value of ssimBatch(clean.subarray(0, forSsim * size), clipped.subarray(0, forSsim * size), this.shape)) this.ssimSum += value;
      this.ssimImages += forSsim;
    }
    if (this.shape.channels === 3) {
      for (const value of colourfulnessBatch(clipped, this.shape)) this.colourOut += value;
      for (const value of colourfulnessBatch(clean, this.shape)) this.colourTarget += value;
    }
    if (samples.masks) {
      const pixels = this.shape.height * this.shape.width;
      samples.masks.forEach((mask, k) => {
        const region = maskedMse(clean.subarray(k * size, (k + 1) * size), raw.subarray(k * size, (k + 1) * size), mask, this.shape.channels);
        const removed = mask.reduce((a, b) => a + b, 0);
        // maskedMse gives means per element; they are summed back with their element counts.
        if (region.inside !== null) this.inside = { sum: this.inside.sum + region.inside * removed * this.shape.channels, n: this.inside.n + removed * this.shape.channels };
        if (region.outside !== null) this.outside = { sum: this.outside.sum + region.outside * (pixels - removed) * this.shape.channels, n: this.outside.n + (pixels - removed) * this.shape.channels };
      });
    }
    this.images += count;
  }

  result(): ImagingMetrics | null {
    if (this.images === 0) return null;
    const n = this.images;
    return {
      task: this.task,
      psnr: this.psnrSum / n,
      ssim: this.ssimImages > 0 ? this.ssimSum / this.ssimImages : null,
      colourfulness: this.shape.channels === 3 ? { output: this.colourOut / n, target: this.colourTarget / n } : null,
      hole: this.task === 'inpaint' ? { inside: this.inside.n > 0 ? this.inside.sum / this.inside.n : null, outside: this.outside.n > 0 ? this.outside.sum / this.outside.n : null } : null,
      images: n,
    };
  }
}
