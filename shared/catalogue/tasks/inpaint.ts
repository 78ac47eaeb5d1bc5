import { defineTask } from '../taskDefinition.js';
import type { ValuesOf } from '../params.js';

/**
 * Input: the image with a region removed (set to 0) and the mask (1 where removed) as one
 * more channel. Target: the whole image. The loss counts the removed region only, unless asked otherwise.
 */
export const inpaint = defineTask({
  label: 'Inpaint',
  description: 'The model is given the image with a region removed, and the mask of that region as an extra channel, and gives back the whole image.',
  params: {
    hole: { kind: 'choice', label: 'Removed region', description: "'square': one square of the chosen side at a random place; 'strokes': random brush strokes.", default: 'square', options: ['square', 'strokes'] },
    holeSize: { kind: 'number', label: 'Square side', description: 'Side of the removed square, in pixels.', default: 10, min: 1, max: 512, integer: true },
    strokeWidth: { kind: 'number', label: 'Stroke width', description: 'Thickness of each stroke, in pixels.', default: 3, min: 1, max: 64, integer: true },
    coverage: { kind: 'number', label: 'Stroke coverage', description: 'Share of the image the strokes remove, roughly.', default: 0.15, min: 0.01, max: 0.9 },
    lossRegion: { kind: 'choice', label: 'Loss counts', description: "'hole': only the removed pixels count in the loss; 'image': every pixel does.", default: 'hole', options: ['hole', 'image'] },
  },
  channels: (_params, channels) => ({ input: channels + 1, output: channels }),
  validate(params, data) {
    if (data.kind !== 'image') return [`inpainting needs images; this dataset's samples are vectors of ${data.shape[1]} features`];
    const [height, width] = data.shape;
    if (params.hole === 'square' && params.holeSize > Math.min(height, width)) {
      return [`a removed square of side ${params.holeSize} does not fit these ${width}×${height} images — choose a side of at most ${Math.min(height, width)}`];
    }
    if (params.hole === 'strokes' && params.strokeWidth > Math.min(height, width) / 2) return [`strokes ${params.strokeWidth} pixels wide are too thick for ${width}×${height} images`];
    return [];
  },
});

export type InpaintParams = ValuesOf<typeof inpaint.params>;
