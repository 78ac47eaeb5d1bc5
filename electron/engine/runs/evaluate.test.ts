import { beforeAll, describe, expect, it } from 'vitest';
import { validateRunConfig, type RunConfigInput } from '../../../shared/catalogue/runConfig.js';
import { testMetricsSchema } from '../../../shared/domain/run.js';
import { loadBackend, type Tfjs } from '../backend.js';
import { createAutoencoder } from '../model/createAutoencoder.js';
import { smallShapes } from '../testing/smallData.js';
import { Trainer } from '../training/trainer.js';
import { evaluate } from './evaluate.js';

let tf: Tfjs;
beforeAll(async () => {
  tf = (await loadBackend()).tf;
});

const data = smallShapes();
const traits = { shape: data.shape, kind: 'image' as const, unitRange: true };

async function evaluated(partial: Partial<RunConfigInput>) {
  const validated = validateRunConfig({ datasetId: 'shapes', architecture: 'dense', objective: 'plain', latentDim: 4, epochs: 1, batchSize: 32, reconstructionLoss: 'bce', ...partial } as RunConfigInput, traits);
  if (!validated.ok) throw new Error(validated.errors.join('; '));
  const run = createAutoencoder(tf, validated.config, traits);
  const trainer = new Trainer(tf, run, validated.config, data);
  await trainer.train();
  const before = tf.memory().numTensors;
  const { metrics } = await evaluate(tf, run, trainer, validated.config, data, true);
  // Evaluation and every diagnostic free what they make.
  expect(tf.memory().numTensors).toBe(before);
  trainer.dispose();
  run.model.encoder.dispose();
  run.model.decoder.dispose();
  // What the engine writes, the lab reads back.
  expect(testMetricsSchema.parse(JSON.parse(JSON.stringify(metrics)))).toEqual(metrics);
  return metrics;
}

describe('evaluation records the diagnostics that apply to the run, on the test split', () => {
  it('a KL-sparse run: code activations against ρ, and the Jacobian over the split', async () => {
    const m = await evaluated({ objective: 'sparse', architectureParams: { hiddenWidths: [32], codeActivation: 'sigmoid' }, objectiveParams: { penalty: 'kl', target: 0.1 } });
    const activations = m.diagnostics?.codeActivations;
    expect(activations).toMatchObject({ testImages: 48, units: 4, histogramRange: 'code bounds', nearZeroCutoff: 0.01, target: 0.1 });
    expect(activations?.histogram).toMatchObject({ low: 0, high: 1 });
    expect(activations?.histogram.counts.reduce((a, b) => a + b, 0)).toBe(48 * 4);
    expect(activations?.klToTargetPerUnit).toHaveLength(4);
    expect(m.diagnostics?.jacobianNorms).toMatchObject({ testImages: 48, codeUnits: 4 });
    expect(m.meanJacobianNorm).toBeCloseTo(m.diagnostics?.jacobianNorms?.meanSquaredNorm ?? NaN, 10);
    expect(m.diagnostics?.posterior).toBeUndefined();
    expect(m.diagnostics?.copyCheck).toBeUndefined();
    expect(m.nearZeroShare).not.toBeNull();
  });

  it('a VAE: KL per unit, active units and the collapse checks; no Jacobian', async () => {
    const m = await evaluated({ objective: 'variational', architectureParams: { hiddenWidths: [32] } });
    const posterior = m.diagnostics?.posterior;
    expect(posterior).toMatchObject({ testImages: 48, activeVarianceThreshold: 0.01, collapseKlThreshold: 0.01, ignoresCodeFraction: 0.01 });
    expect(posterior?.klPerUnit).toEqual(m.klPerUnit);
    expect(posterior?.activeUnits).toBe(m.activeUnits);
    expect(m.diagnostics?.jacobianNorms).toBeUndefined();
    expect(m.diagnostics?.codeActivations?.histogramRange).toBe('observed');
    expect(m.meanJacobianNorm).toBeNull();
  });

  it('an overcomplete plain run: the copy check against uniform noise', async () => {
    const m = await evaluated({ latentDim: 256, architectureParams: { hiddenWidths: [256] } });
    const copy = m.diagnostics?.copyCheck;
    expect(copy).toMatchObject({ noiseImages: 48, noiseSeed: 42, codeSize: 256, inputSize: 256, ratioThreshold: 2 });
    expect(copy?.testMse).toBeCloseTo(m.mse, 10);
    expect(copy?.ratio).toBeCloseTo((copy?.noiseMse ?? NaN) / m.mse, 6);
  });

  it('an undercomplete plain run has no copy check', async () => {
    const m = await evaluated({});
    expect(m.diagnostics?.copyCheck).toBeUndefined();
    expect(m.nearZeroShare).toBeNull();
  });
});
