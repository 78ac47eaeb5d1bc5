import { parseArgs } from 'node:util';
import type * as TF from '@tensorflow/tfjs';
import { loadTrainingData } from '../runs/loadTrainingData.js';
import { loadBackend, type BackendName } from '../backend.js';
import { CompiledStep } from '../graph/compiledStep.js';
import { FlatAdam } from '../training/flatAdam.js';
import { chooseIntraOpThreads, intraOpThreadsFor } from '../threads.js';
import { benchLargestActivation, buildAutoencoder, type BenchModel } from './benchModels.js';

/**
 * One backend, one model, in its own process (one engine per process): training and
 * encoding throughput on Fashion-MNIST, printed as one JSON line.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      backend: { type: 'string' },
      model: { type: 'string', default: 'dense' },
      // The lab's dataset file of Fashion-MNIST, as an import writes it.
      dataset: { type: 'string' },
      batches: { type: 'string', default: '150' },
      batch: { type: 'string', default: '128' },
      epochs: { type: 'string', default: '0' },
    },
  });
  const kind = values.model as BenchModel;
  const batchSize = Number(values.batch);
  // The thread count the lab's engine would choose for this step.
  const intraOpThreads = intraOpThreadsFor(batchSize, benchLargestActivation[kind]);
  chooseIntraOpThreads(intraOpThreads);
  const { tf, backend } = await loadBackend(values.backend as BackendName | undefined);
  if (!values.dataset) throw new Error('--dataset FILE (a dataset.aeds) is required');
  const { data } = await loadTrainingData(values.dataset);
  const model = buildAutoencoder(tf, kind);
  const sampleSize = model.inputShape.reduce((a, b) => a * b, 1);
  const count = Math.floor(data.samples.length / sampleSize);
  const pixels = data.samples;
  const { offset, factor } = data;
  // Batches are made from the uint8 images as they are needed: the float copy of the whole
  // set would double the engine's memory for no speed (a batch is a 400 KB copy).
  const batchOf = (start: number, size: number): TF.Tensor => {
    const floats = new Float32Array(size * sampleSize);
    const bytes = pixels.subarray(start * sampleSize, (start + size) * sampleSize);
    for (let i = 0; i < floats.length; i += 1) floats[i] = ((bytes[i] ?? 0) - offset) * factor;
    return tf.tensor(floats, [size, ...model.inputShape]);
  };
  const variables = [...model.encoder.trainableWeights, ...model.decoder.trainableWeights].map((w) => w.read() as TF.Variable);
  const optimizer = new FlatAdam(tf, variables, { learningRate: 1e-3 });

  // The lab's own step: compiled into one TensorFlow function where the model allows it.
  const compiled = CompiledStep.create(tf, [model.encoder, model.decoder], variables, { loss: 'mse', code: { kind: 'none' } }, optimizer);
  const step = (start: number): void => {
    const x = batchOf(start, batchSize);
    if (compiled) {
      tf.dispose(compiled.run(x, x).parts);
      x.dispose();
      return;
    }
    optimizer.minimize(() => tf.losses.meanSquaredError(x, model.decoder.apply(model.encoder.apply(x, { training: true }), { training: true }) as TF.Tensor) as TF.Scalar);
    x.dispose();
  };

  const batchesPerEpoch = Math.floor(count / batchSize);
  const epochs = Number(values.epochs);
  const timedBatches = epochs > 0 ? epochs * batchesPerEpoch : Number(values.batches);
  // Warm-up creates kernels and optimizer slots; slow backends get a short one.
  const warmUp = Math.min(10, Math.max(1, Math.round(timedBatches / 10)));
  for (let b = 0; b < warmUp; b += 1) step((b % batchesPerEpoch) * batchSize);
  // Wait for queued work so that warm-up does not leak into the timed part.
  await tf.tidy(() => model.encoder.getWeights()[0]?.sum() ?? tf.scalar(0)).data();

  const tensorsPerEpoch: number[] = [];
  const start = performance.now();
  for (let b = 0; b < timedBatches; b += 1) {
    step((b % batchesPerEpoch) * batchSize);
    if ((b + 1) % batchesPerEpoch === 0) tensorsPerEpoch.push(tf.memory().numTensors);
  }
  compiled?.publish();
  const loss = tf.tidy(() => {
    const x = batchOf(0, 512);
    return tf.losses.meanSquaredError(x, model.decoder.predict(model.encoder.predict(x) as TF.Tensor) as TF.Tensor);
  });
  const finalLoss = (await loss.data())[0];
  loss.dispose();
  const trainSeconds = (performance.now() - start) / 1000;

  const encodeCount = Math.min(10_000, count);
  // The first prediction at a new batch size sets up its kernels; that is not throughput.
  tf.dispose(tf.tidy(() => model.encoder.predict(batchOf(0, 1000), { batchSize: 1000 })));
  const encodeStart = performance.now();
  const codes = tf.tidy(() => model.encoder.predict(batchOf(0, encodeCount), { batchSize: 1000 }) as TF.Tensor);
  await codes.data();
  const encodeSeconds = (performance.now() - encodeStart) / 1000;
  codes.dispose();

  process.stdout.write(
    `${JSON.stringify({
      backend: backend.name,
      model: kind,
      batchSize,
      batches: timedBatches,
      ...(backend.name === 'tensorflow' ? { intraOpThreads: Number(process.env.TF_NUM_INTRAOP_THREADS) } : {}),
      trainSamplesPerSecond: (timedBatches * batchSize) / trainSeconds,
      encodeSamplesPerSecond: encodeCount / encodeSeconds,
      finalLoss,
      compiledStep: compiled !== null,
      tensorsPerEpoch,
      peakRssBytes: process.resourceUsage().maxRSS * 1024,
    })}\n`,
  );
}

main().catch((cause: unknown) => {
  process.stdout.write(`${JSON.stringify({ error: (cause as Error).message.split('\n')[0] })}\n`);
  process.exitCode = 1;
});
