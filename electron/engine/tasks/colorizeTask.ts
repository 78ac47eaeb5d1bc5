import type { ColorizeParams } from '../../../shared/catalogue/tasks/colorize.js';
import { LAB_AB_SCALE, LAB_L_SCALE, joinLab, labToRgb, luminance, rgbToLab, splitLab } from '../../../shared/imaging/colour.js';
import type { EngineTask, TaskSamples } from './engineTask.js';

/** a* and b* over 128 lie in (−1, 1); the model's sigmoid output covers (0, 1): target = (ab / 128 + 1) / 2. */
const abToTarget = (ab: Float32Array): Float32Array => ab.map((v) => (v / LAB_AB_SCALE + 1) / 2);
const targetToAb = (target: Float32Array): Float32Array => target.map((v) => (v * 2 - 1) * LAB_AB_SCALE);

/** Grey pixels (one channel) as RGB pixels of the same value. */
export function greyToRgb(grey: Float32Array): Float32Array {
  const rgb = new Float32Array(grey.length * 3);
  for (let p = 0; p < grey.length; p += 1) rgb.fill(grey[p] as number, 3 * p, 3 * p + 3);
  return rgb;
}

/**
 * The model's input for an image (RGB, or grey: one channel), as training made it: L* over 100 for
 * the Lab form (a grey image's L* is that of its grey), the BT.601 luma for the RGB form.
 */
export function colorizeInput(params: ColorizeParams, pixels: Float32Array, channels: 1 | 3): Float32Array {
  if (params.colourSpace === 'rgb') return channels === 3 ? luminance(pixels) : Float32Array.from(pixels);
  const { l } = splitLab(rgbToLab(channels === 3 ? pixels : greyToRgb(pixels)));
  return l.map((v) => v / LAB_L_SCALE);
}

/** The colour images that outputs stand for, given the inputs they were made from. */
export function colorizeOutput(params: ColorizeParams, output: Float32Array, input: Float32Array): Float32Array {
  if (params.colourSpace === 'rgb') return output.map((v) => Math.min(1, Math.max(0, v)));
  return labToRgb(joinLab(input.map((v) => v * LAB_L_SCALE), targetToAb(output)));
}

export function colorizeTask(params: ColorizeParams): EngineTask {
  const lab = params.colourSpace === 'lab';
  return {
    channels: { input: 1, output: lab ? 2 : 3 },
    identity: false,
    samples(clean, count): TaskSamples {
      if (!lab) return { count, input: luminance(clean), target: clean };
      const { l, ab } = splitLab(rgbToLab(clean));
      return { count, input: l.map((v) => v / LAB_L_SCALE), target: abToTarget(ab) };
    },
    outputImages: (output, samples) => colorizeOutput(params, output, samples.input),
    inputImages: (samples) => ({ values: samples.input, channels: 1 }),
  };
}
