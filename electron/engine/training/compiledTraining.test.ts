import { beforeAll, describe, expect, it } from 'vitest';
import type { ParamValues } from '../../../shared/catalogue/params.js';
import { validateRunConfig, type RunConfigInput } from '../../../shared/catalogue/runConfig.js';
import { loadBackend, type Tfjs } from '../backend.js';
import { createAutoencoder } from '../model/createAutoencoder.js';
import { smallShapes } from '../testing/smallData.js';
import { Trainer } from './trainer.js';

let tf: Tfjs;
beforeAll(async () => {
  tf = (await loadBackend()).tf;
});

const data = smallShapes();
const traits = { shape: data.shape, kind: 'image' as const, unitRange: true };

/** Every layer arrangement the catalogue can build, with the objectives a compiled step covers. */
const variants: Array<Partial<RunConfigInput> & { name: string }> = [];
const convActivations = ['relu', 'elu', 'tanh'];
for (const downsample of ['stride', 'pool'])
  for (const upsample of ['transpose', 'upsample'])
    for (const bottleneck of ['vector', 'map']) {
      const activation = convActivations[variants.length % convActivations.length] ?? 'relu';
      const architectureParams: ParamValues = { channels: [8, 16], downsample, upsample, bottleneck, activation };
      variants.push({ name: `conv ${downsample}/${upsample}/${bottleneck}/${activation}`, architecture: 'conv', architectureParams, objective: bottleneck === 'vector' ? 'variational' : 'plain', latentDim: bottleneck === 'map' ? 16 : 4 });
    }
for (const activation of ['relu', 'sigmoid', 'tanh', 'elu', 'linear'])
  variants.push({ name: `dense ${activation}, KL-sparse`, architecture: 'dense', architectureParams: { hiddenWidths: [32, 16], activation, codeActivation: 'sigmoid' }, objective: 'sparse', objectiveParams: { penalty: 'kl' }, latentDim: 4 });
variants.push({ name: 'dense without hidden layers', architecture: 'dense', architectureParams: { hiddenWidths: [] }, objective: 'plain', latentDim: 4 });
variants.push({ name: 'linear', architecture: 'linear', objective: 'plain', reconstructionLoss: 'mse', latentDim: 4 });
variants.push({ name: 'conv 5×5, salt-and-pepper denoising', architecture: 'conv', architectureParams: { channels: [4, 8], kernelSize: 5 }, objective: 'denoising', objectiveParams: { corruption: 'salt-and-pepper', level: 0.2 }, latentDim: 4 });

interface Trained {
  losses: number[];
  weights: Float32Array;
  compiled: boolean;
}

async function train(partial: Partial<RunConfigInput>, compiledSteps: boolean): Promise<Trained> {
  const validated = validateRunConfig({ datasetId: 'shapes', reconstructionLoss: 'bce', learningRate: 3e-3, batchSize: 32, epochs: 2, seed: 3, ...partial } as RunConfigInput, traits);
  if (!validated.ok) throw new Error(validated.errors.join('; '));
  const run = createAutoencoder(tf, validated.config, traits);
  const trainer = new Trainer(tf, run, validated.config, data, { compiledSteps });
  const result = await trainer.train();
  const losses = result.epochs.flatMap((e) => [...Object.values(e.train), ...Object.values(e.validation ?? {})]);
  const weights = Float32Array.from((await Promise.all(run.variables.map((v) => v.data()))).flatMap((d) => Array.from(d)));
  const compiled = trainer.compiledSteps;
  trainer.dispose();
  run.model.encoder.dispose();
  run.model.decoder.dispose();
  return { losses, weights, compiled };
}

// Compiled steps exist on the native backend only; elsewhere both runs train op by op and still agree.
describe('a compiled step trains every layer arrangement of the catalogue as the op-by-op step does', () => {
  for (const { name, ...partial } of variants) {
    it(`${name}: the same losses and weights after 2 epochs`, async () => {
      const compiled = await train(partial, true);
      const eager = await train(partial, false);
      expect(compiled.compiled).toBe(tf.getBackend() === 'tensorflow');
      expect(eager.compiled).toBe(false);
      // Every loss part of every epoch, train and validation, within float32 drift over ~80 steps.
      compiled.losses.forEach((loss, i) => expect(Math.abs(loss - (eager.losses[i] ?? NaN))).toBeLessThan(1e-3 * Math.max(1, Math.abs(eager.losses[i] ?? 0))));
      expect(compiled.weights.length).toBe(eager.weights.length);
      compiled.weights.forEach((w, i) => expect(Math.abs(w - (eager.weights[i] ?? NaN))).toBeLessThan(1e-3));
    });
  }
});
