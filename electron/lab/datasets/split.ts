import { seededRandom, shuffledIndices } from '../../../shared/random.js';
import { splitCode } from '../../format/datasets/datasetData.js';

export interface SplitPlan {
  validationFraction: number;
  testFraction: number;
  seed: number;
}

/**
 * Assigns each sample to train, validation or test, reproducibly from the seed.
 * A test set the source defines (IDX t10k files, an NPZ's x_test) stays the test set.
 */
export function assignSplits(count: number, plan: SplitPlan, predefinedTest?: Uint8Array): Uint8Array {
  const splits = new Uint8Array(count);
  const order = shuffledIndices(count, seededRandom(plan.seed));
  if (predefinedTest) {
    const pool: number[] = [];
    for (const i of order) {
      if (predefinedTest[i] === 1) splits[i] = splitCode.test;
      else pool.push(i);
    }
    const validation = Math.round(pool.length * plan.validationFraction);
    for (let k = 0; k < validation; k += 1) splits[pool[k] as number] = splitCode.validation;
    return splits;
  }
  const test = Math.round(count * plan.testFraction);
  const validation = Math.round(count * plan.validationFraction);
  for (let k = 0; k < count; k += 1) {
    const i = order[k] as number;
    splits[i] = k < test ? splitCode.test : k < test + validation ? splitCode.validation : splitCode.train;
  }
  return splits;
}
