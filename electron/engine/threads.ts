import { availableParallelism } from 'node:os';
import { architectures } from '../../shared/catalogue/architectures.js';
import { resolveParams } from '../../shared/catalogue/params.js';
import type { RunConfig } from '../../shared/catalogue/runConfig.js';
import { architectureModules } from './model/architectures/index.js';

/**
 * Below this many floats in a batch's largest activation, TensorFlow's element-wise kernels
 * run faster on the calling thread than handed to a pool: on a 2-core machine the hand-off
 * costs ~150 µs per op, more than the work (a 200,000-float multiply: 183 µs on two threads,
 * 43 µs on one), and a small training step has over a hundred such ops. Matrix products and
 * convolutions of that size run single-threaded in oneDNN either way. Measured with the
 * throughput benchmark: dense autoencoder, batch 128: 11.3k → 16.6k samples/s; conv, batch 128:
 * 9.0k → 10.1k; conv, batch 512 (1.6 M floats): 14.2k on two threads, 11.0k on one.
 */
export const singleThreadBelow = 1_000_000;

/** The largest per-sample activation of a model, in floats: what one element-wise op of its step touches. */
export function largestActivation(config: Pick<RunConfig, 'architecture' | 'architectureParams' | 'latentDim'>, shape: readonly [number, number, number]): number {
  const resolved = resolveParams(architectures[config.architecture].params, config.architectureParams, `architecture '${config.architecture}'`);
  if ('error' in resolved) throw new Error(resolved.error);
  return architectureModules[config.architecture].largestActivation(resolved.values, config.latentDim, shape);
}

/** TensorFlow's intra-op threads for a step of this size. */
export function intraOpThreadsFor(batchSize: number, activation: number): number {
  return batchSize * activation < singleThreadBelow ? 1 : Math.max(1, availableParallelism());
}

/**
 * Sets TF_NUM_INTRAOP_THREADS for the native backend, which reads it once when it loads;
 * a value the user set is left alone.
 */
export function chooseIntraOpThreads(threads: number): void {
  process.env.TF_NUM_INTRAOP_THREADS ??= String(threads);
}
