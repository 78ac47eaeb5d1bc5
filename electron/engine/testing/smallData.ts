import { generateShapes } from '../../lab/datasets/builtin/shapes.js';
import type { TrainingData } from '../training/trainingData.js';

/** A small, real dataset for the engine's tests: Shapes at 16×16, split 80/20. */
export function smallShapes(count = 240, size = 16): TrainingData {
  const data = generateShapes({ count, size, seed: 11 });
  const train: number[] = [];
  const validation: number[] = [];
  for (let i = 0; i < count; i += 1) (i % 5 === 0 ? validation : train).push(i);
  return {
    samples: data.samples,
    shape: data.shape,
    offset: 0,
    factor: 1 / 255,
    labels: data.labels,
    train: Int32Array.from(train),
    validation: Int32Array.from(validation),
    test: new Int32Array(0),
  };
}
