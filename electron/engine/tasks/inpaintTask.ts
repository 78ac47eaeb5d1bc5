import type { InpaintParams } from '../../../shared/catalogue/tasks/inpaint.js';
import { applyMask, squareMask, strokeMask } from '../../../shared/imaging/masks.js';
import type { SampleShape } from '../model/types.js';
import type { EngineTask, TaskSamples } from './engineTask.js';

/** One sample's hole, drawn from its seed. */
export function holeOf(params: InpaintParams, height: number, width: number, seed: number): Uint8Array {
  return params.hole === 'square' ? squareMask(height, width, params.holeSize, seed) : strokeMask(height, width, { strokeWidth: params.strokeWidth, coverage: params.coverage }, seed);
}

/** Per pixel of the batch, 1 where removed: the samples' masks end to end. */
function joinedMasks(masks: readonly Uint8Array[], pixels: number): Uint8Array {
  const all = new Uint8Array(masks.length * pixels);
  masks.forEach((mask, k) => all.set(mask, k * pixels));
  return all;
}

export function inpaintTask(params: InpaintParams, dataChannels: number): EngineTask {
  return {
    channels: { input: dataChannels + 1, output: dataChannels },
    identity: false,
    samples(clean, count, [height, width, channels], seeds): TaskSamples {
      const masks = Array.from({ length: count }, (_, k) => holeOf(params, height, width, seeds[k] ?? k));
      const mask = joinedMasks(masks, height * width);
      // Removed pixels are 0 and the mask is the last channel: the model is told which pixels are missing.
      const input = applyMask(clean, mask, channels, 0);
      const samples: TaskSamples = { count, input, target: clean, masks };
      if (params.lossRegion !== 'hole') return samples;
      const weight = new Float32Array(clean.length);
      for (let p = 0; p < mask.length; p += 1) if (mask[p]) weight.fill(1, p * channels, (p + 1) * channels);
      return { ...samples, weight };
    },
    // What the user gets: the kept pixels as they were, the model's inside the hole.
    outputImages(output, samples, clean, [height, width, channels]: SampleShape) {
      const images = Float32Array.from(clean);
      const mask = joinedMasks(samples.masks ?? [], height * width);
      for (let p = 0; p < mask.length; p += 1) {
        if (!mask[p]) continue;
        for (let c = 0; c < channels; c += 1) images[p * channels + c] = output[p * channels + c] as number;
      }
      return images;
    },
    // The mask channel turned into alpha: 0 in the hole, so a viewer shows it as missing.
    inputImages(samples, [, , channels]) {
      const values = Float32Array.from(samples.input);
      for (let at = channels; at < values.length; at += channels + 1) values[at] = 1 - (values[at] as number);
      return { values, channels: channels + 1 };
    },
  };
}
