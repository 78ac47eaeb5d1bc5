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
variants.push({ name: 'dense, SGD with momentum', architecture: 'dense', architectureParams: { hiddenWidths: [32] }, objective: 'plain', optimizer: 'sgd', learningRate: 0.05, momentum: 0.9, latentDim: 4 });
variants.push({ name: 'conv, RMSprop, variational', architecture: 'conv', architectureParams: { channels: [8, 16] }, objective: 'variational', optimizer: 'rmsprop', learningRate: 1e-3, momentum: 0.5, latentDim: 4 });
variants.push({ name: 'conv 5×5, salt-and-pepper denoising', architecture: 'conv', architectureParams: { channels: [4, 8], kernelSize: 5 }, objective: 'denoising', objectiveParams: { corruption: 'salt-and-pepper', level: 0.2 }, latentDim: 4 });

interface Trained {
  losses: number[];
  weights: Float32Array;
  compiled: boolean;
}

/** Trains 2 epochs; with `switchAfterEpoch1`, epoch 2 runs in a fresh trainer of the other kind, resumed from epoch 1's weights and optimizer state. */
async function train(partial: Partial<RunConfigInput>, compiledSteps: boolean, switchAfterEpoch1 = false): Promise<Trained> {
  const validated = validateRunConfig({ datasetId: 'shapes', reconstructionLoss: 'bce', learningRate: 3e-3, batchSize: 32, epochs: 2, seed: 3, ...partial } as RunConfigInput, traits);
  if (!validated.ok) throw new Error(validated.errors.join('; '));
  const run = createAutoencoder(tf, validated.config, traits);
  // Batches draw from (seed, epoch, batch) only: a trainer told of one epoch trains epoch 1 exactly as one told of two.
  let trainer = new Trainer(tf, run, switchAfterEpoch1 ? { ...validated.config, epochs: 1 } : validated.config, data, { compiledSteps });
  const epochs = switchAfterEpoch1 ? (await trainer.train()).epochs : [];
  if (switchAfterEpoch1) {
    const state = await trainer.state();
    trainer.dispose();
    trainer = new Trainer(tf, run, validated.config, data, { compiledSteps: !compiledSteps });
    await trainer.restore(state);
  }
  const result = await trainer.train({}, epochs.length);
  const losses = [...epochs, ...result.epochs].flatMap((e) => [...Object.values(e.train), ...Object.values(e.validation ?? {})]);
  const weights = Float32Array.from((await Promise.all(run.variables.map((v) => v.data()))).flatMap((d) => Array.from(d)));
  const compiled = switchAfterEpoch1 ? compiledSteps : trainer.compiledSteps;
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

describe('a checkpoint of either kind of step resumes in the other', () => {
  // One run per optimizer: Adam (the linear one), SGD with momentum, RMSprop.
  const resumable = variants.filter((v) => ['linear', 'dense, SGD with momentum', 'conv, RMSprop, variational'].includes(v.name));
  for (const { name, ...partial } of resumable) {
    it(`${name}: compiled → op by op and op by op → compiled take the uninterrupted run's steps`, async () => {
      const reference = await train(partial, true);
      for (const startCompiled of [true, false]) {
        const switched = await train(partial, startCompiled, true);
        switched.weights.forEach((w, i) => expect(Math.abs(w - (reference.weights[i] ?? NaN))).toBeLessThan(1e-3));
      }
    });
  }
});
