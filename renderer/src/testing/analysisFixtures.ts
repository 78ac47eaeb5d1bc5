import type { PcaSummary } from '../../../shared/analyses/pca/pcaSpec.js';
import type { JobSummary } from '../../../shared/domain/job.js';
import type { RunSummary, TestMetrics } from '../../../shared/domain/run.js';

/** A dataset's PCA with `components` components: halving eigenvalues, MSE 0.1/(k+1). */
export const pcaSummary = (components = 4): PcaSummary => ({
  datasetId: 'shapes',
  contentHash: 'h',
  dimension: 1024,
  trainCount: 8000,
  testCount: 1000,
  evaluatedOn: 'test',
  method: 'exact',
  errorBound: null,
  components,
  totalVariance: 10,
  eigenvalues: Array.from({ length: components }, (_, i) => 4 / 2 ** i),
  explainedVarianceRatio: Array.from({ length: components }, (_, i) => 1 - 0.5 ** (i + 1)),
  testMse: Array.from({ length: components + 1 }, (_, k) => 0.1 / (k + 1)),
  seconds: 1.234,
  computedAt: '2026-01-01T00:00:00Z',
});

export const jobSummary = (id: string, rest: Partial<JobSummary> = {}): JobSummary => ({
  id,
  kind: 'train',
  title: id,
  status: 'queued',
  progress: null,
  error: null,
  createdAt: '2026-01-01T00:00:00Z',
  startedAt: null,
  finishedAt: null,
  runIds: [],
  parentId: null,
  analysis: null,
  ...rest,
});

export const runSummary = (id: string, config: Partial<RunSummary['config']> = {}, rest: Partial<RunSummary> = {}): RunSummary => ({
  id,
  name: id,
  status: 'completed',
  epoch: 1,
  epochs: 1,
  backend: null,
  error: null,
  createdAt: '2026-01-01',
  startedAt: null,
  finishedAt: null,
  samplesPerSecond: null,
  engineRssBytes: null,
  config: { datasetId: 'shapes', task: 'reconstruct', taskParams: {}, architecture: 'dense', objective: 'plain', architectureParams: {}, objectiveParams: {}, latentDim: 2, reconstructionLoss: 'mse', optimizer: 'adam', learningRate: 0.001, momentum: 0.9, batchSize: 8, epochs: 1, earlyStoppingPatience: 0, seed: 1, ...config },
  ...rest,
});

export const testMetrics = (mse: number): TestMetrics => ({
  mse,
  psnr: -10 * Math.log10(mse),
  bce: null,
  loss: { total: mse },
  perClassMse: [],
  elbo: null,
  klPerUnit: null,
  activeUnits: null,
  meanActivation: null,
  nearZeroShare: null,
  meanJacobianNorm: null,
  testSamples: 100,
});

type SweepResultsReply = import('../stores/sweeps.js').SweepResults;

/** A finished sweep's results: one member per point, with its test MSE (null: not evaluated). */
export function sweepResults(axes: SweepResultsReply['axes'], members: Array<{ point: Record<string, number | string | number[]>; mse: number | null; latentDim?: number }>, pca: PcaSummary | null = null): SweepResultsReply {
  return {
    job: jobSummary('s1', { kind: 'sweep', status: 'done' }),
    axes,
    members: members.map((m, i) => ({
      run: runSummary(`r${i + 1}`, { latentDim: m.latentDim ?? (typeof m.point.latentDim === 'number' ? m.point.latentDim : 2) }, { name: `sweep: r${i + 1}` }),
      point: m.point,
      evaluation: m.mse === null ? null : testMetrics(m.mse),
    })),
    pca,
  };
}
