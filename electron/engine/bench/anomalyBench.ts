import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { validateRunConfig } from '../../../shared/catalogue/runConfig.js';
import { scoreSamples, scoringBatch } from '../analyses/anomaly/sampleScores.js';
import { scoredSplit } from '../analyses/anomaly/scoredSamples.js';
import { loadBackend, type BackendName } from '../backend.js';
import { createAutoencoder } from '../model/createAutoencoder.js';
import { inUnitRange, loadTrainingData } from '../runs/loadTrainingData.js';
import { chooseIntraOpThreads } from '../threads.js';

/** The lab's aim: the Fashion-MNIST test set scored within this, on the 2-core reference machine. */
const targetSeconds = 2;

/**
 * The anomaly analysis's scoring of a dataset's test split (Fashion-MNIST: 10,000 images) by
 * the lab's convolutional autoencoder with its default settings, freshly initialised from its
 * seed — the work per image does not depend on the weights. Times what the analysis times:
 * batches built from the stored bytes, encoded, decoded, MSE and BCE per sample read back.
 * Printed as one JSON line.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      backend: { type: 'string' },
      // The lab's dataset file, as an import writes it.
      dataset: { type: 'string' },
      batch: { type: 'string', default: String(scoringBatch) },
    },
  });
  if (!values.dataset) throw new Error('--dataset FILE (a dataset.aeds) is required');
  // The analysis engine's own choice: every core.
  chooseIntraOpThreads(availableParallelism());
  const { tf, backend } = await loadBackend(values.backend as BackendName | undefined);
  const { data, header } = await loadTrainingData(values.dataset);
  const unitRange = inUnitRange(header);
  const traits = { shape: header.shape, kind: header.kind, unitRange };
  const validated = validateRunConfig({ datasetId: 'bench', architecture: 'conv', objective: 'plain', reconstructionLoss: unitRange ? 'bce' : 'mse' }, traits);
  if (!validated.ok) throw new Error(validated.errors.join('; '));
  const { model, objective } = createAutoencoder(tf, validated.config, traits);
  const scoring = { model, objective, latentDim: validated.config.latentDim, reconstructionLoss: validated.config.reconstructionLoss };
  const segments = [{ data, indices: scoredSplit({ id: 'bench', classNames: header.classNames, data, scaling: header.transform.scaling }) }];
  const options = { unitRange, monteCarloSamples: 1, seed: 0, batchSize: Number(values.batch) };
  // Warm-up: kernels are created on the first batch.
  await scoreSamples(tf, scoring, [{ data, indices: segments[0]?.indices.subarray(0, 512) ?? new Int32Array(0) }], options);
  const before = tf.memory().numTensors;
  const start = performance.now();
  const scores = await scoreSamples(tf, scoring, segments, options);
  const seconds = (performance.now() - start) / 1000;
  const images = segments[0]?.indices.length ?? 0;
  const mse = scores.mse ?? new Float32Array(0);
  process.stdout.write(
    `${JSON.stringify({
      backend: backend.name,
      model: `conv ${JSON.stringify(validated.config.architectureParams)}, d=${validated.config.latentDim}, freshly initialised`,
      scores: Object.keys(scores),
      images,
      batch: options.batchSize,
      seconds,
      imagesPerSecond: images / seconds,
      targetSeconds,
      ratioToTarget: targetSeconds / seconds,
      meanMse: mse.reduce((a, b) => a + b, 0) / Math.max(1, mse.length),
      tensorsLeft: tf.memory().numTensors - before,
    })}\n`,
  );
  model.encoder.dispose();
  model.decoder.dispose();
}

main().catch((cause: unknown) => {
  process.stdout.write(`${JSON.stringify({ error: (cause as Error).message.split('\n')[0] })}\n`);
  process.exitCode = 1;
});
