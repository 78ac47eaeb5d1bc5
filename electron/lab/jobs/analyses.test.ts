import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EvaluationResult } from '../../../shared/analyses/evaluation/evaluationSpec.js';
import type { PrincipalAnglesResult } from '../../../shared/analyses/principalAngles/principalAnglesSpec.js';
import type { RobustnessResult } from '../../../shared/analyses/robustness/robustnessSpec.js';
import { generateShapes } from '../datasets/builtin/shapes.js';
import { Lab } from '../lab.js';
import { tempDir } from '../testing/fixtures.js';

let root: string;
let lab: Lab;
let linearRun: string;
let denoisingRun: string;

const train = async (config: Record<string, unknown>): Promise<string> => (await lab.call('runs.create', { config: { datasetId: 'small', batchSize: 32, seed: 5, ...config } })).id;

/** Runs an analysis to its end and returns its result, or throws its error. */
async function analyse(analysis: string, spec: Record<string, unknown>): Promise<Record<string, unknown>> {
  const job = await lab.call('analyses.run', { analysis, spec });
  const finished = await lab.analyses.wait(job.id);
  if (finished.status !== 'done') throw new Error(finished.error?.message ?? finished.status);
  const { result } = await lab.call('analyses.result', { id: job.id });
  if (!result) throw new Error('no result');
  return result;
}

beforeAll(async () => {
  root = await tempDir('aelab-analyses-');
  lab = Lab.open({ workspace: join(root, 'ws'), host: 'cli', fashionMnistDir: '' });
  await lab.datasets.save(generateShapes({ count: 1000, size: 12, seed: 8 }), 'Small shapes', { id: 'small' });
  linearRun = await train({ architecture: 'linear', objective: 'plain', latentDim: 2, reconstructionLoss: 'mse', epochs: 30, learningRate: 0.01 });
  denoisingRun = await train({ architecture: 'dense', objective: 'denoising', objectiveParams: { corruption: 'gaussian', level: 0.3 }, architectureParams: { hiddenWidths: [64] }, latentDim: 8, epochs: 3 });
  await lab.runs.idle();
}, 240_000);
afterAll(async () => {
  lab.shutdown();
  await rm(root, { recursive: true, force: true });
});

describe('analyses on trained runs', () => {
  it("measures a linear autoencoder's subspace against PCA's top-d", async () => {
    const result = (await analyse('principalAngles', { runId: linearRun })) as PrincipalAnglesResult;
    expect(result.latentDim).toBe(2);
    expect(result.anglesDegrees).toHaveLength(2);
    expect(result.anglesDegrees[0]).toBeLessThanOrEqual(result.anglesDegrees[1] ?? 0);
    // Two random directions in 144 dimensions sit near 90° from any plane; a trained linear AE lies close to PCA's.
    expect(result.anglesDegrees[1]).toBeLessThan(30);
    expect(result.errorGap).not.toBeNull();
    // No rank-2 linear map beats PCA-2 by more than the train/test difference.
    expect(result.errorGap ?? NaN).toBeGreaterThan(-0.05 * result.pcaTestMse);
  });

  it('refuses principal angles for a non-linear run, saying why', async () => {
    await expect(analyse('principalAngles', { runId: denoisingRun })).rejects.toThrow(/is a dense autoencoder; principal angles compare a linear autoencoder/);
  });

  it('evaluates a trained run again as a job, from the checkpoint its evaluation came from', async () => {
    const before = await lab.runs.evaluation(denoisingRun);
    const result = (await analyse('evaluation', { runId: denoisingRun })) as EvaluationResult;
    expect(result.checkpoint).toBe('best');
    expect(result.metrics.mse).toBeCloseTo(before?.mse ?? NaN, 6);
    expect((await lab.runs.evaluation(denoisingRun))?.mse).toBe(result.metrics.mse);
  });

  it('draws test error against corruption for each run, with PCA-k on the same noisy inputs', async () => {
    const levels = [0, 0.2, 0.5];
    const result = (await analyse('robustness', { runIds: [denoisingRun, linearRun], corruption: 'gaussian', levels, samples: 100_000 })) as RobustnessResult;
    expect(result.lines.map((l) => l.runId)).toEqual([denoisingRun, linearRun]);
    expect(result.pca.map((p) => p.k)).toEqual([2, 8]);
    for (const line of [...result.lines, ...result.pca]) {
      expect(line.mse).toHaveLength(3);
      expect(line.mse[2]).toBeGreaterThan(line.mse[0] ?? Infinity);
    }
    // At level 0 on the whole test split, PCA-k's error is the PCA curve's, computed another way.
    const pca = await lab.call('analyses.pca', { datasetId: 'small' });
    for (const line of result.pca) expect(line.mse[0]).toBeCloseTo(pca?.testMse[line.k] ?? NaN, 5);
    // And the linear run at level 0 is its own test MSE.
    const evaluation = await lab.runs.evaluation(linearRun);
    expect(result.lines[1]?.mse[0]).toBeCloseTo(evaluation?.mse ?? NaN, 5);
  });
});
