import type * as TF from '@tensorflow/tfjs';
import type { DiagnosticModule } from './context.js';
import { diagnosticBatch } from './context.js';

/** Noise is reconstructed "nearly as well" when its error is under this many times the test error. */
export const copyRatioThreshold = 2;
export const copyNoiseImages = 2000;

const sizeOf = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

export const copyCheck: DiagnosticModule<'copyCheck'> = {
  // Only an unregularised code at least as wide as its input is free to learn the identity.
  applies: ({ run }) => run.task.identity && !run.objective.regularised && sizeOf(run.model.latentShape) >= sizeOf(run.model.inputShape),
  async compute({ tf, run, config, test, testMse, inputRange }) {
    const { model, objective } = run;
    const [low, high] = inputRange[1] > inputRange[0] ? inputRange : [0, 1];
    const count = Math.max(1, Math.min(copyNoiseImages, test.length));
    let squared = 0;
    for (let start = 0, chunk = 0; start < count; start += diagnosticBatch, chunk += 1) {
      const size = Math.min(diagnosticBatch, count - start);
      const error = tf.tidy(() => {
        const noise = tf.randomUniform([size, ...model.inputShape], low, high, 'float32', config.seed + chunk);
        const reconstructed = model.decoder.predict(objective.encode(tf, model, noise, config.latentDim)) as TF.Tensor;
        return tf.sum(tf.squaredDifference(reconstructed, noise));
      });
      squared += (await error.data())[0] ?? 0;
      error.dispose();
    }
    const noiseMse = squared / (count * sizeOf(model.inputShape));
    const ratio = noiseMse / Math.max(testMse, 1e-12);
    return {
      noiseImages: count,
      noiseSeed: config.seed,
      noiseLow: low,
      noiseHigh: high,
      codeSize: sizeOf(model.latentShape),
      inputSize: sizeOf(model.inputShape),
      testMse,
      noiseMse,
      ratio,
      ratioThreshold: copyRatioThreshold,
      copies: ratio < copyRatioThreshold,
    };
  },
};
