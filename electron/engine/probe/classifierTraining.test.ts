import type * as TF from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { validateRunConfig, type RunConfigInput } from '../../../shared/catalogue/runConfig.js';
import { loadBackend, type Tfjs } from '../backend.js';
import { createAutoencoder } from '../model/createAutoencoder.js';
import { smallShapes } from '../testing/smallData.js';
import { batchTensor } from '../training/trainingData.js';
import { ClassifierDiverged, predictClasses, trainClassifier, type ClassifierOptions } from './classifierTraining.js';
import { arraySet, blobs } from './testing.js';

let tf: Tfjs;
beforeAll(async () => {
  tf = (await loadBackend()).tf;
});

const environment = process.env.AELAB_COMPILED_STEPS;
afterEach(() => {
  if (environment === undefined) delete process.env.AELAB_COMPILED_STEPS;
  else process.env.AELAB_COMPILED_STEPS = environment;
});

const dimension = 8;
const classes = 3;
/** 3 Gaussian blobs in 8-D: 10 labelled points per class, 100 held-out ones per class from the same centres. */
const labelled = blobs({ classes, perClass: 10, dimension, separation: 2, seed: 3 });
const heldOut = blobs({ classes, perClass: 100, dimension, separation: 2, seed: 99 });

function options(partial: Partial<ClassifierOptions> = {}): ClassifierOptions {
  return {
    encoder: null,
    inputShape: [dimension],
    classes,
    head: { kind: 'softmax', hiddenUnits: 16 },
    train: arraySet(tf, labelled.values, [dimension], labelled.labels),
    validation: null,
    learningRate: 0.05,
    batchSize: 8,
    maxEpochs: 60,
    maxSteps: 10_000,
    patience: 5,
    seed: 7,
    ...partial,
  };
}

const weightsOf = async (model: TF.LayersModel): Promise<Float32Array> => Float32Array.from((await Promise.all(model.getWeights().map((w) => w.data()))).flatMap((d) => Array.from(d)));
const variablesOf = async (model: TF.LayersModel): Promise<Float32Array> => Float32Array.from((await Promise.all(model.trainableWeights.map((w) => w.read().data()))).flatMap((d) => Array.from(d)));

async function accuracy(model: TF.LayersModel, set: { values: Float32Array; labels: Int32Array }): Promise<number> {
  const predicted = await predictClasses(tf, model, arraySet(tf, set.values, [dimension], set.labels), 64);
  return predicted.filter((p, i) => p === set.labels[i]).length / set.labels.length;
}

/** Mean cross-entropy of a model's probabilities on a set. */
async function crossEntropy(model: TF.LayersModel, set: { values: Float32Array; labels: Int32Array }): Promise<number> {
  const p = tf.tidy(() => model.predict(tf.tensor2d(set.values, [set.labels.length, dimension])) as TF.Tensor);
  const probabilities = (await p.array()) as number[][];
  p.dispose();
  return -probabilities.reduce((sum, row, i) => sum + Math.log(row[set.labels[i] ?? 0] ?? NaN), 0) / set.labels.length;
}

/** A dense encoder of 8 inputs, its weights seeded: the same on every call. */
function encoder(units = 6): TF.Sequential {
  const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [dimension], units: 12, activation: 'relu' }), tf.layers.dense({ units })] });
  model.trainableWeights.forEach((w, i) => (w.read() as TF.Variable).assign(tf.tidy(() => tf.randomUniform(w.read().shape, -0.5, 0.5, 'float32', 50 + i))));
  return model;
}

describe('a classifier trained by minibatch Adam on softmax cross-entropy', () => {
  for (const head of ['softmax', 'mlp'] as const) {
    it(`learns 3 Gaussian blobs in 8-D from 30 labelled points: ≥ 95 % of 300 held-out points (${head} head, the budget ends it)`, async () => {
      const trained = await trainClassifier(tf, options({ head: { kind: head, hiddenUnits: 16 } }));
      expect(trained.stoppedBy).toBe('budget');
      expect(trained.epochs).toBe(60);
      expect(trained.steps).toBe(60 * 4);
      expect(trained.compiledStep).toBe(tf.getBackend() === 'tensorflow');
      expect(trained.fallbackReason).toBe(tf.getBackend() === 'tensorflow' ? null : `the ${tf.getBackend()} backend has no compiled steps`);
      expect(await accuracy(trained.model, heldOut)).toBeGreaterThanOrEqual(0.95);
      // The history's loss falls as it learns.
      const losses = trained.history?.map((h) => h.trainLoss) ?? [];
      expect(losses.at(-1)).toBeLessThan((losses[0] ?? 0) / 3);
      trained.model.dispose();
    });
  }

  it('stops on the validation loss after `patience` epochs without improvement and gives back the best epoch', async () => {
    // Noisy labels and a wide head: the validation loss turns up once the head learns the noise.
    const noisy = blobs({ classes, perClass: 10, dimension, separation: 0.8, seed: 5, flip: 0.3 });
    const validation = blobs({ classes, perClass: 5, dimension, separation: 0.8, seed: 6 });
    const trained = await trainClassifier(
      tf,
      options({ head: { kind: 'mlp', hiddenUnits: 64 }, train: arraySet(tf, noisy.values, [dimension], noisy.labels), validation: arraySet(tf, validation.values, [dimension], validation.labels), maxEpochs: 400, patience: 4, learningRate: 0.03 }),
    );
    expect(trained.stoppedBy).toBe('validation');
    const history = trained.history ?? [];
    const best = trained.bestEpoch ?? 0;
    expect(trained.epochs).toBeLessThan(400);
    expect(trained.epochs).toBe(best + 4);
    const bestLoss = history[best - 1]?.validationLoss ?? NaN;
    history.slice(best).forEach((h) => expect(h.validationLoss).toBeGreaterThanOrEqual(bestLoss));
    // The model holds the best epoch's weights, not the last epoch's.
    expect(Math.abs((await crossEntropy(trained.model, validation)) - bestLoss)).toBeLessThan(1e-5);
    expect(history.at(-1)?.validationLoss).toBeGreaterThan(bestLoss + 1e-4);
    trained.model.dispose();
  });

  it('is deterministic for a seed: the same seed gives bit-identical weights, another seed others (fine-tuning an encoder)', async () => {
    const run = async (seed: number) => {
      const model = encoder();
      const trained = await trainClassifier(tf, options({ seed, head: { kind: 'mlp', hiddenUnits: 8 }, maxEpochs: 5, encoder: { model, meanUnits: 3, learningRateFactor: 0.1 } }));
      const weights = await weightsOf(trained.model);
      trained.model.dispose();
      model.dispose();
      return weights;
    };
    const [a, b, other] = [await run(1), await run(1), await run(2)];
    expect(b).toEqual(a);
    expect(other).not.toEqual(a);
  });

  it("fine-tuning changes the encoder's weights, less with a smaller learning-rate factor; maxSteps ends training mid-epoch", async () => {
    const change = async (learningRateFactor: number) => {
      const model = encoder();
      const start = await variablesOf(model);
      const trained = await trainClassifier(tf, options({ maxSteps: 10, encoder: { model, meanUnits: null, learningRateFactor } }));
      expect(trained.steps).toBe(10);
      expect(trained.epochs).toBe(3);
      const end = await variablesOf(model);
      trained.model.dispose();
      model.dispose();
      return Math.sqrt(end.reduce((sum, v, i) => sum + (v - (start[i] ?? NaN)) ** 2, 0));
    };
    const [full, tenth] = [await change(1), await change(0.1)];
    expect(tenth).toBeGreaterThan(0);
    expect(full).toBeGreaterThan(3 * tenth);
  });

  it('frees every tensor it makes: training (with an encoder and validation) and prediction', async () => {
    const model = encoder();
    const validation = arraySet(tf, heldOut.values, [dimension], heldOut.labels);
    const before = tf.memory().numTensors;
    const trained = await trainClassifier(tf, options({ maxEpochs: 3, validation, encoder: { model, meanUnits: 3, learningRateFactor: 0.5 } }));
    const afterTraining = tf.memory().numTensors;
    // The returned model's own weights: encoder (μ layer of 3 units) and head, kernels and biases.
    expect(afterTraining - before).toBe(trained.model.weights.length);
    await predictClasses(tf, trained.model, validation, 7);
    expect(tf.memory().numTensors).toBe(afterTraining);
    trained.model.dispose();
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('trains op by op where compiled steps are turned off, says why, and follows the compiled losses', async () => {
    const compiled = await trainClassifier(tf, options({ maxEpochs: 4, head: { kind: 'mlp', hiddenUnits: 8 } }));
    process.env.AELAB_COMPILED_STEPS = '0';
    const eager = await trainClassifier(tf, options({ maxEpochs: 4, head: { kind: 'mlp', hiddenUnits: 8 } }));
    expect(eager.compiledStep).toBe(false);
    expect(eager.fallbackReason).toBe(tf.getBackend() === 'tensorflow' ? 'compiled steps are turned off (AELAB_COMPILED_STEPS=0)' : `the ${tf.getBackend()} backend has no compiled steps`);
    eager.history?.forEach((h, i) => expect(Math.abs(h.trainLoss - (compiled.history?.[i]?.trainLoss ?? NaN))).toBeLessThan(1e-4));
    const [a, b] = [await weightsOf(compiled.model), await weightsOf(eager.model)];
    a.forEach((w, i) => expect(Math.abs(w - (b[i] ?? NaN))).toBeLessThan(1e-4));
    [compiled, eager].forEach((t) => t.model.dispose());
  });

  it("stops at once when onEpoch cancels, and names a label outside the classes", async () => {
    const seen: number[] = [];
    const trained = await trainClassifier(tf, options({ onEpoch: async (epoch) => (seen.push(epoch), epoch === 2 ? 'cancel' : 'continue') }));
    expect(seen).toEqual([1, 2]);
    expect(trained.cancelled).toBe(true);
    expect(trained.epochs).toBe(2);
    trained.model.dispose();
    const before = tf.memory().numTensors;
    const wrong = Int32Array.from(labelled.labels, (l, i) => (i === 4 ? 3 : l));
    await expect(trainClassifier(tf, options({ train: arraySet(tf, labelled.values, [dimension], wrong) }))).rejects.toThrow('label 3 of training sample 4 is not one of the 3 classes (0 … 2)');
    expect(tf.memory().numTensors).toBe(before);
  });

  it('a non-finite loss is a ClassifierDiverged (what a job records per classifier), nothing left allocated', async () => {
    const before = tf.memory().numTensors;
    const poisoned = Float32Array.from(labelled.values, (v, i) => (i === 3 ? NaN : v));
    const training = trainClassifier(tf, options({ train: arraySet(tf, poisoned, [dimension], labelled.labels) }));
    await expect(training).rejects.toBeInstanceOf(ClassifierDiverged);
    await expect(training).rejects.toThrow(/^the classifier's training loss became NaN in epoch 1/);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe("fine-tuning the lab's own encoders on Shapes", () => {
  const data = smallShapes(120);
  const traits = { shape: data.shape, kind: 'image' as const, unitRange: true };
  const lab: Array<[string, Partial<RunConfigInput>]> = [
    ['a conv VAE (μ of 4 from the convolution spanning the map)', { architecture: 'conv', architectureParams: { channels: [4, 8] }, objective: 'variational', latentDim: 4 }],
    ['a dense autoencoder', { architecture: 'dense', architectureParams: { hiddenWidths: [16] }, objective: 'plain', latentDim: 4 }],
  ];
  for (const [name, partial] of lab) {
    it(`${name}: one compiled step per batch, the encoder moves, the model classifies from images`, async () => {
      const validated = validateRunConfig({ datasetId: 'shapes', reconstructionLoss: 'bce', learningRate: 1e-3, batchSize: 16, epochs: 1, seed: 3, ...partial } as RunConfigInput, traits);
      if (!validated.ok) throw new Error(validated.errors.join('; '));
      const run = createAutoencoder(tf, validated.config, traits);
      const { encoder, inputShape } = run.model;
      const set = (indices: Int32Array) => ({ labels: Int32Array.from(indices, (i) => data.labels[i] ?? 0), inputs: (rows: Int32Array) => batchTensor(tf, data, Array.from(rows, (r) => indices[r] ?? 0), inputShape) });
      const start = await variablesOf(encoder);
      const trained = await trainClassifier(tf, {
        ...options({ maxEpochs: 2, batchSize: 16, learningRate: 3e-3, head: { kind: 'mlp', hiddenUnits: 8 } }),
        classes: Math.max(...data.labels) + 1,
        encoder: { model: encoder, meanUnits: partial.objective === 'variational' ? 4 : null, learningRateFactor: 0.1 },
        inputShape,
        train: set(data.train),
        validation: set(data.validation),
      });
      expect(trained.compiledStep).toBe(tf.getBackend() === 'tensorflow');
      const end = await variablesOf(encoder);
      expect(end.some((v, i) => v !== start[i])).toBe(true);
      const predicted = await predictClasses(tf, trained.model, { count: data.test.length || data.validation.length, inputs: set(data.validation).inputs });
      expect(predicted.every((c) => c >= 0 && c <= Math.max(...data.labels))).toBe(true);
      trained.model.dispose();
      run.model.encoder.dispose();
      run.model.decoder.dispose();
    });
  }
});
