import { defineTask } from '../taskDefinition.js';
import type { ValuesOf } from '../params.js';

/**
 * Input: the luminance Y = 0.299 R + 0.587 G + 0.114 B (ITU-R BT.601) of the sRGB values.
 * Target: the RGB image, or the a*b* channels of CIE L*a*b* (D65) with L* passed through from
 * the input, each scaled into [0, 1] so that a sigmoid output covers it.
 */
export const colorize = defineTask({
  label: 'Colorize',
  description: 'The model is given the luminance of a colour image (ITU-R BT.601 weights) and gives back its colour: RGB, or the a*b* channels of CIE Lab with the lightness passed through.',
  params: {
    colourSpace: {
      kind: 'choice',
      label: 'Predicts',
      description: "'lab': the a*b* channels of CIE Lab (D65), the image's lightness L* kept from the input; 'rgb': all three RGB channels from the luminance.",
      default: 'lab',
      options: ['lab', 'rgb'],
    },
  },
  channels: (params) => ({ input: 1, output: params.colourSpace === 'lab' ? 2 : 3 }),
  validate(_params, data) {
    if (data.kind !== 'image') return [`colorization needs colour images; this dataset's samples are vectors of ${data.shape[1]} features`];
    const channels = data.shape[2];
    if (channels !== 3) return [`colorization needs RGB images; this dataset's images have ${channels} channel${channels === 1 ? ' (grayscale)' : 's'} — import colour images, or use Colour Shapes`];
    if (!data.unitRange) return ['colorization reads the images as sRGB values in [0, 1]; this dataset is scaled outside that range — re-import it with unit or min–max scaling'];
    return [];
  },
});

export type ColorizeParams = ValuesOf<typeof colorize.params>;
