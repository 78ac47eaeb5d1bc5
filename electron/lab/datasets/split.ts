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

/**
 * The splits of samples cut from source items (`items[i]` the item of sample i, numbered from
 * 0): items are split as samples are, and every sample of an item takes its item's split, so
 * train and test never share a photograph (overlapping patches would share pixels).
 */
export function assignItemSplits(items: Int32Array, plan: SplitPlan): Uint8Array {
  const count = items.reduce((most, item) => Math.max(most, item + 1), 0);
  const itemSplits = assignSplits(count, plan);
  return Uint8Array.from(items, (item) => itemSplits[item] ?? splitCode.train);
}
