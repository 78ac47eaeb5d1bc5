import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { computePca } from '../analyses/pca/pcaCompute.js';
import { loadBackend, type BackendName } from '../backend.js';
import { loadTrainingData } from '../runs/loadTrainingData.js';
import { chooseIntraOpThreads } from '../threads.js';

/**
 * The engine's PCA of a dataset, timed in its own process (one engine per process): the
 * full computation and its phases, printed as one JSON line.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      backend: { type: 'string' },
      // The lab's dataset file, as an import writes it.
      dataset: { type: 'string' },
      components: { type: 'string', default: '256' },
      method: { type: 'string' },
    },
  });
  if (!values.dataset) throw new Error('--dataset FILE (a dataset.aeds) is required');
  if (values.method !== undefined && values.method !== 'exact' && values.method !== 'randomized') throw new Error(`--method is exact or randomized, not ${values.method}`);
  // The covariance's products are large: every core helps.
  chooseIntraOpThreads(availableParallelism());
  const { tf, backend } = await loadBackend(values.backend as BackendName | undefined);
  const loadStart = performance.now();
  const { data } = await loadTrainingData(values.dataset);
  const loadSeconds = (performance.now() - loadStart) / 1000;
  const before = tf.memory().numTensors;
  const result = await computePca(tf, data, { maxComponents: Number(values.components), ...(values.method ? { method: values.method } : {}) });
  const k = result.componentCount;
  process.stdout.write(
    `${JSON.stringify({
      backend: backend.name,
      method: result.method,
      dimension: result.dimension,
      components: k,
      eigenvalues: result.eigenvalues.length,
      trainCount: result.trainCount,
      testCount: result.testCount,
      evaluatedOn: result.evaluatedOn,
      seconds: result.seconds.total,
      phases: { covariance: result.seconds.covariance, decomposition: result.seconds.decomposition, evaluation: result.seconds.evaluation },
      loadSeconds,
      explainedVarianceRatio: result.explainedVarianceRatio[k - 1] ?? 0,
      testMse: result.testMse[k],
      ...(result.errorBound ? { errorBound: result.errorBound.eigenvalue } : {}),
      tensorsLeft: tf.memory().numTensors - before,
      peakRssBytes: process.resourceUsage().maxRSS * 1024,
    })}\n`,
  );
}

main().catch((cause: unknown) => {
  process.stdout.write(`${JSON.stringify({ error: (cause as Error).message.split('\n')[0] })}\n`);
  process.exitCode = 1;
});
