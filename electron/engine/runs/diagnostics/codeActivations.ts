import type * as TF from '@tensorflow/tfjs';
import type { Diagnostics } from '../../../../shared/domain/run.js';
import { bernoulliKl } from '../../model/objectives/klSparsity.js';
import type { DiagnosticModule } from './context.js';
import { histogram, unitMeans } from './statistics.js';

export const activationBins = 40;
/** |h| under 1% of the code's bound (a sigmoid's: 0.01), or of the largest |h| seen, counts as near zero. */
export const nearZeroFraction = 0.01;

type CodeActivations = NonNullable<Diagnostics['codeActivations']>;

/** The histogram, near-zero share and unit means of codes laid out [samples × units]; the KL to a target is added by the caller. */
export function summariseActivations(codes: Float32Array, units: number, codeRange: readonly [number, number] | undefined): Omit<CodeActivations, 'target' | 'klToTargetPerUnit'> {
  let [low, high, largest] = [Infinity, -Infinity, 0];
  for (const v of codes) {
    if (v < low) low = v;
    if (v > high) high = v;
    largest = Math.max(largest, Math.abs(v));
  }
  if (codes.length === 0) [low, high] = [0, 1];
  // A constant code still gets a range its one bar can sit in.
  const [from, to] = codeRange ?? (high > low ? [low, high] : [low - 0.5, high + 0.5]);
  const bound = codeRange ? Math.max(Math.abs(codeRange[0]), Math.abs(codeRange[1])) : largest;
  const cutoff = nearZeroFraction * bound;
  let nearZero = 0;
  for (const v of codes) if (Math.abs(v) < cutoff) nearZero += 1;
  return {
    testImages: units > 0 ? Math.floor(codes.length / units) : 0,
    units,
    histogram: histogram(codes, from, to, activationBins),
    histogramRange: codeRange ? 'code bounds' : 'observed',
    nearZeroCutoff: cutoff,
    nearZeroFraction,
    nearZeroRelativeTo: codeRange ? 'code bound' : 'largest |h|',
    nearZeroShare: nearZero / Math.max(1, codes.length),
    meanPerUnit: unitMeans(codes, units),
  };
}

export const codeActivations: DiagnosticModule<'codeActivations'> = {
  // Cheap, and every code is worth seeing: computed for every run.
  applies: () => true,
  async compute({ tf, run, config, codes, codeSize }) {
    const summary = summariseActivations(codes, codeSize, run.model.codeRange);
    const target = run.objective.sparsity?.target(config.objectiveParams) ?? null;
    if (target === null) return { ...summary, target: null, klToTargetPerUnit: null };
    const kl = tf.tidy(() => bernoulliKl(tf, tf.tensor1d(summary.meanPerUnit), target) as TF.Tensor1D);
    const values = Array.from(await kl.data());
    kl.dispose();
    return { ...summary, target, klToTargetPerUnit: values };
  },
};
