import type { TaskChannels } from '../../../shared/catalogue/taskDefinition.js';
import type { SampleShape } from '../model/types.js';

/** A batch as the task makes it from clean samples: every array in image layout, N×H×W×C, model scale. */
export interface TaskSamples {
  count: number;
  /** What the model is given (N×H×W×input channels). */
  input: Float32Array;
  /** What it must give back (N×H×W×output channels). */
  target: Float32Array;
  /** Per target element, how much it counts in the loss; absent: every element counts once. */
  weight?: Float32Array;
  /** Inpainting: per sample, H×W, 1 where the image was removed. */
  masks?: Uint8Array[];
}

/**
 * How a run's task turns clean samples into the model's input and target, and the model's
 * outputs back into images of the samples' kind (what the panel, the metrics and apply show).
 */
export interface EngineTask {
  channels: TaskChannels;
  /** Input and target are the samples themselves: the trainer takes them as they are. */
  identity: boolean;
  /** `seeds`: one per sample, for what the task draws for it (a hole). */
  samples(clean: Float32Array, count: number, shape: SampleShape, seeds: ArrayLike<number>): TaskSamples;
  /** The outputs (the target's form) as images of the samples' channels: RGB from L* and a*b*, the holed input with the output inside the hole. */
  outputImages(output: Float32Array, samples: TaskSamples, clean: Float32Array, shape: SampleShape): Float32Array;
  /** What the model was given, as images to show, where that is not the target: a luminance; the holed image with an alpha channel (0 in the hole). */
  inputImages(samples: TaskSamples, shape: SampleShape): { values: Float32Array; channels: number } | null;
}

/**
 * The seed of a test sample's draw (its hole): from its dataset index alone, so every run of a
 * dataset with the same task is measured on the same holes and Compare compares like with like.
 */
export function evaluationSeed(index: number): number {
  return (Math.imul(index + 1, 2654435761) ^ 0x6a09e667) >>> 0;
}

export const evaluationSeeds = (indices: ArrayLike<number>): Uint32Array => Uint32Array.from(Array.from(indices, evaluationSeed));
