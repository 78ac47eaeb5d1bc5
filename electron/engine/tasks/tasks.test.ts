import { describe, expect, it } from 'vitest';
import { rgbToLab } from '../../../shared/imaging/colour.js';
import { validateRunConfig } from '../../../shared/catalogue/runConfig.js';
import { colorizeTask } from './colorizeTask.js';
import { evaluationSeeds } from './engineTask.js';
import { inpaintTask } from './inpaintTask.js';

const shape = [4, 4, 3] as const;
const image = Float32Array.from({ length: 2 * 4 * 4 * 3 }, (_, i) => ((i * 37) % 101) / 100);

describe('colorize', () => {
  it('gives L*/100 as input and a*b* scaled into [0, 1] as target, and its outputs back to the same RGB', () => {
    const task = colorizeTask({ colourSpace: 'lab' });
    const samples = task.samples(image, 2, shape, []);
    expect(samples.input.length).toBe(2 * 16);
    expect(samples.target.length).toBe(2 * 16 * 2);
    expect(samples.input[0]).toBeCloseTo((rgbToLab(image.subarray(0, 3))[0] ?? 0) / 100, 5);
    for (const v of samples.target) expect(v > 0 && v < 1).toBe(true);
    // The target given back as output is the original image.
    const back = task.outputImages(samples.target, samples, image, shape);
    back.forEach((v, i) => expect(v).toBeCloseTo(image[i] ?? 0, 3));
  });

  it('gives the BT.601 luma as input in the RGB form', () => {
    const samples = colorizeTask({ colourSpace: 'rgb' }).samples(image, 2, shape, []);
    expect(samples.input[0]).toBeCloseTo(0.299 * (image[0] ?? 0) + 0.587 * (image[1] ?? 0) + 0.114 * (image[2] ?? 0), 6);
    expect(samples.target).toBe(image);
  });

  it('is refused on grayscale images, with the reason', () => {
    const result = validateRunConfig({ datasetId: 'd', task: 'colorize', architecture: 'conv', objective: 'plain' }, { shape: [32, 32, 1], kind: 'image', unitRange: true });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[0]).toContain('colorization needs RGB images; this dataset\'s images have 1 channel (grayscale)');
  });
});

describe('inpaint', () => {
  const params = { hole: 'square', holeSize: 2, strokeWidth: 1, coverage: 0.1, lossRegion: 'hole' } as const;

  it('removes a square, appends the mask as a channel and weighs the hole only', () => {
    const samples = inpaintTask(params, 3).samples(image, 2, shape, evaluationSeeds([0, 1]));
    expect(samples.input.length).toBe(2 * 16 * 4);
    const mask = samples.masks?.[0] ?? new Uint8Array(0);
    expect(mask.reduce((a, b) => a + b, 0)).toBe(4);
    for (let p = 0; p < 16; p += 1) {
      expect(samples.input[p * 4 + 3]).toBe(mask[p]);
      if (mask[p]) expect(samples.input[p * 4]).toBe(0);
      else expect(samples.input[p * 4]).toBeCloseTo(image[p * 3] ?? 0, 6);
      expect(samples.weight?.[p * 3]).toBe(mask[p]);
    }
  });

  it('shows the kept pixels as they were and the output inside the hole', () => {
    const task = inpaintTask(params, 3);
    const samples = task.samples(image, 2, shape, evaluationSeeds([5, 6]));
    const output = new Float32Array(image.length).fill(0.5);
    const shown = task.outputImages(output, samples, image, shape);
    const mask = samples.masks?.[1] ?? new Uint8Array(0);
    for (let p = 0; p < 16; p += 1) expect(shown[48 + p * 3]).toBeCloseTo(mask[p] ? 0.5 : (image[48 + p * 3] ?? 0), 6);
    // The input as an image: alpha 0 in the hole.
    const input = task.inputImages(samples, shape);
    expect(input?.channels).toBe(4);
    for (let p = 0; p < 16; p += 1) expect(input?.values[64 + p * 4 + 3]).toBe(1 - (mask[p] ?? 0));
  });

  it('draws the same hole for a test sample every time, and another for another sample', () => {
    const task = inpaintTask(params, 3);
    const a = task.samples(image, 2, shape, evaluationSeeds([3, 4])).masks;
    const b = task.samples(image, 2, shape, evaluationSeeds([3, 4])).masks;
    expect(a).toEqual(b);
  });
});
