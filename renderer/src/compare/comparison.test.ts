import { describe, expect, it } from 'vitest';
import type { RunSummary, TestMetrics } from '../../../shared/domain/run.js';
import { pcaSummary } from '../testing/analysisFixtures.js';
import { configDiff, metricRows, metricsCsv, pcaBaselineRow, perClassRows } from './comparison.js';

const metrics = (mse: number, elbo: number | null): TestMetrics => ({
  mse, psnr: 10 * Math.log10(1 / mse), bce: null, loss: { total: mse * 784 }, perClassMse: [], elbo, klPerUnit: null, activeUnits: null,
  meanActivation: null, nearZeroShare: null, meanJacobianNorm: null, testSamples: 10,
});

const run = (objective: RunSummary['config']['objective'], beta?: number): RunSummary => ({
  id: objective, name: objective, status: 'completed', epoch: 1, epochs: 1, backend: 'tensorflow', error: null, createdAt: '', startedAt: null, finishedAt: null, samplesPerSecond: 1, engineRssBytes: null,
  config: { datasetId: 'shapes', task: 'reconstruct', taskParams: {}, architecture: 'dense', objective, architectureParams: { hiddenWidths: [256] }, objectiveParams: beta === undefined ? {} : { beta }, latentDim: 8, reconstructionLoss: 'bce', optimizer: 'adam', learningRate: 0.001, momentum: 0.9, batchSize: 128, epochs: 10, earlyStoppingPatience: 0, seed: 42 },
});

describe('comparison', () => {
  it('marks the best value of each row, lower or higher as the metric wants', () => {
    const table = metricRows([metrics(0.02, null), metrics(0.01, -90), null]);
    const mse = table.find((r) => r.name.startsWith('Test MSE'));
    expect(mse?.best).toBe(1);
    expect(table.find((r) => r.name.startsWith('PSNR'))?.best).toBe(1);
    // A row with one value has nothing to be best against.
    expect(table.find((r) => r.name.startsWith('ELBO'))?.best).toBeNull();
  });

  it('lists the per-class error by class name, the lowest of each class marked', () => {
    const rows = perClassRows([
      { perClassMse: [0.02, 0.05, null], classNames: ['circle', 'square', 'triangle'] },
      { perClassMse: [0.03, 0.01, 0.04], classNames: ['circle', 'square', 'triangle'] },
      null,
    ]);
    expect(rows.map((r) => [r.name, r.values, r.best])).toEqual([
      ['circle', [0.02, 0.03, null], 0],
      ['square', [0.05, 0.01, null], 1],
      // A class with no test image in one run has nothing to be best against.
      ['triangle', [null, 0.04, null], null],
    ]);
    // Runs on datasets with other classes meet on the names they share; unnamed classes are numbered.
    expect(perClassRows([{ perClassMse: [0.1, 0.2], classNames: ['cat'] }, { perClassMse: [0.3], classNames: ['dog'] }]).map((r) => [r.name, r.values])).toEqual([
      ['cat', [0.1, null]],
      ['class 1', [0.2, null]],
      ['dog', [null, 0.3]],
    ]);
  });

  it('lists only the configuration fields that differ', () => {
    expect(configDiff([run('plain'), run('variational', 4)])).toEqual([
      { field: 'objective', values: ['plain', 'variational'] },
      { field: 'objective.beta', values: ['—', '4'] },
    ]);
  });

  it('exports the table as CSV', () => {
    const csv = metricsCsv(['a "plain"', 'b'], metricRows([metrics(0.5, null), metrics(0.25, null)]));
    expect(csv.split('\n')[0]).toBe('"metric","a ""plain""","b"');
    expect(csv).toContain('"Test MSE (per pixel)",0.5,0.25');
  });

  it('holds each run against PCA of its dataset with k = its latent size, clamped to the components kept', () => {
    const other = { ...run('plain'), config: { ...run('plain').config, datasetId: 'other' } };
    const row = pcaBaselineRow([run('plain'), { ...run('variational'), config: { ...run('variational').config, latentDim: 2 } }, other], { shapes: pcaSummary(4), other: null });
    // k = 8 is more than the 4 components kept: the error of all 4.
    expect(row.values).toEqual([0.02, 0.1 / 3, null]);
    expect(row.best).toBeNull();
    expect(metricsCsv(['a', 'b', 'c'], [row]).split('\n')[1]).toBe(`"PCA with k = d (test MSE)",0.02,${0.1 / 3},`);
  });

  it('holds no run trained on normal classes only against PCA of every class', () => {
    const normal = { ...run('plain'), config: { ...run('plain').config, normalClasses: [0, 2] } };
    expect(pcaBaselineRow([run('plain'), normal], { shapes: pcaSummary(4) }).values).toEqual([0.02, null]);
  });
});
