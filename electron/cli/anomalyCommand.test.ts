import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnomalyResult, AnomalyRunResult } from '../../shared/analyses/anomaly/anomalySpec.js';
import type { DatasetSummary } from '../../shared/domain/dataset.js';
import { splitCode } from '../format/datasets/datasetData.js';
import { generateShapes } from '../lab/datasets/builtin/shapes.js';
import { Lab } from '../lab/lab.js';
import { tempDir } from '../lab/testing/fixtures.js';
import { anomalyMode, oneClassClasses, oneClassSweepSpec, oneClassTable, oneClassText, parseAnomaliesFlag, refuseInapplicableFlags, resolveAnomalies, runsJson, runsText } from './anomalyCommand.js';
import { parseCli } from './args.js';
import { cli, lastJson } from './testing/cliProcess.js';
import { configFromArgs, resolveClasses } from './train.js';

const fashion = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];
const dataset = (classNames: string[], id = 'fashion-mnist'): DatasetSummary => ({
  id, name: id, format: 'idx', source: '', builtin: true, shape: [28, 28, 1], kind: 'image', dtype: 'uint8', scaling: 'unit', count: 100,
  splits: { train: 80, validation: 10, test: 10 }, classNames, classCounts: classNames.map(() => 10), unlabeled: 0, factorNames: [], bytesOnDisk: 0, contentHash: '', createdAt: '',
});

describe('class lists', () => {
  it('takes numbers and names, names first, ignoring case where that is unique', () => {
    expect(resolveClasses('0,2,5', fashion, '--normal-classes', 'fashion-mnist')).toEqual([0, 2, 5]);
    expect(resolveClasses('T-shirt/top, trouser', fashion, '--normal-classes', 'fashion-mnist')).toEqual([0, 1]);
    // A folder dataset whose classes are named by numbers: the name wins.
    expect(resolveClasses('7', ['3', '7'], '--normal-classes', 'digits')).toEqual([1]);
    expect(resolveClasses('0', ['3', '7'], '--normal-classes', 'digits')).toEqual([0]);
  });

  it('names an unknown class and lists the valid ones; refuses repeats, an empty list and an unlabelled dataset', () => {
    expect(() => resolveClasses('Trouser,Hat', fashion, '--normal-classes', 'fashion-mnist')).toThrow(
      "--normal-classes: 'Hat' is not a class of dataset 'fashion-mnist'; its classes are 0 T-shirt/top, 1 Trouser, 2 Pullover, 3 Dress, 4 Coat, 5 Sandal, 6 Shirt, 7 Sneaker, 8 Bag, 9 Ankle boot",
    );
    expect(() => resolveClasses('10', fashion, '--normal-classes', 'fashion-mnist')).toThrow("'10' is not a class of dataset 'fashion-mnist'");
    expect(() => resolveClasses('1,Trouser', fashion, '--normal-classes', 'fashion-mnist')).toThrow("--normal-classes: class 'Trouser' is given twice");
    expect(() => resolveClasses(' , ', fashion, '--one-class', 'fashion-mnist')).toThrow('--one-class: no classes given');
    expect(() => resolveClasses('0', [], '--normal-classes', 'vectors')).toThrow("--normal-classes: dataset 'vectors' has no classes (it is unlabelled)");
  });

  it('puts --normal-classes in the run configuration: names with the dataset, numbers without it', () => {
    const values = (text: string) => parseCli(['train', '--dataset', 'fashion-mnist', '--normal-classes', text]).values;
    expect(configFromArgs(values('Trouser,Bag'), fashion).normalClasses).toEqual([1, 8]);
    expect(configFromArgs(values('3,4')).normalClasses).toEqual([3, 4]);
    expect(configFromArgs(parseCli(['train', '--dataset', 'x']).values)).not.toHaveProperty('normalClasses');
    expect(() => configFromArgs(values('Trouser'))).toThrow('--normal-classes: give class numbers here');
  });
});

describe('aelab anomaly arguments', () => {
  it('reads --anomalies as other classes, chosen classes or another dataset, names resolved in the dataset they belong to', () => {
    expect(parseAnomaliesFlag(undefined)).toEqual({ from: 'other-classes' });
    expect(parseAnomaliesFlag('other')).toEqual({ from: 'other-classes' });
    expect(parseAnomaliesFlag('classes:3,4')).toEqual({ from: 'classes', classes: '3,4' });
    expect(parseAnomaliesFlag('dataset:shapes')).toEqual({ from: 'dataset', datasetId: 'shapes' });
    expect(parseAnomaliesFlag('dataset:shapes:star,cross')).toEqual({ from: 'dataset', datasetId: 'shapes', classes: 'star,cross' });
    for (const bad of ['others', 'classes:', 'dataset:', 'dataset:a:b:c']) expect(() => parseAnomaliesFlag(bad)).toThrow(`--anomalies: '${bad}' is not one of other, classes:LIST`);
    const shapes = dataset(['square', 'ellipse', 'triangle', 'cross', 'star'], 'shapes');
    expect(resolveAnomalies(parseAnomaliesFlag('classes:Coat,9'), dataset(fashion), undefined)).toEqual({ from: 'classes', classes: [4, 9] });
    expect(resolveAnomalies(parseAnomaliesFlag('dataset:shapes:star,0'), dataset(fashion), shapes)).toEqual({ from: 'dataset', datasetId: 'shapes', classes: [4, 0] });
    expect(() => resolveAnomalies(parseAnomaliesFlag('dataset:nope'), dataset(fashion), undefined)).toThrow("--anomalies: no dataset 'nope' in this workspace");
  });

  it('refuses an empty class list after --anomalies dataset:ID:', () => {
    for (const bad of ['dataset:shapes:', 'dataset:shapes: ']) expect(() => parseAnomaliesFlag(bad)).toThrow(`--anomalies: '${bad}' has an empty class list after the dataset; give classes (dataset:shapes:3,4) or leave the list out for every class (dataset:shapes)`);
  });

  it('refuses every flag the mode would ignore, naming the flag and the mode', () => {
    const check = (argv: string[]): void => {
      const { positionals, values } = parseCli(['anomaly', ...argv]);
      refuseInapplicableFlags(anomalyMode(positionals, values), positionals, values);
    };
    const sweep = 'does not apply to aelab anomaly --sweep JOB, which scores the runs that sweep trained';
    expect(() => check(['--sweep', 'J', '--anomalies', 'other'])).toThrow(`--anomalies ${sweep}`);
    expect(() => check(['--sweep', 'J', '--dataset', 'small'])).toThrow(`--dataset ${sweep}`);
    expect(() => check(['--sweep', 'J', '--one-class', 'all'])).toThrow(`--one-class ${sweep}`);
    expect(() => check(['--sweep', 'J', '--epochs', '3'])).toThrow(`--epochs ${sweep}`);
    expect(() => check(['--sweep', 'J', 'RUN1'])).toThrow("--sweep JOB scores that sweep; it takes no RUN ids ('RUN1' was given)");
    const runs = 'does not apply to aelab anomaly RUN…, which scores runs already trained';
    expect(() => check(['RUN1', '--dataset', 'small'])).toThrow(`--dataset ${runs}; to score against another dataset give --anomalies dataset:ID`);
    expect(() => check(['RUN1', '--one-class', 'all'])).toThrow(`--one-class ${runs}; to train new models give it with --dataset`);
    for (const flag of ['--arch', '--latent', '--lr', '--seed', '--normal-classes', '--param']) expect(() => check(['RUN1', flag, '1'])).toThrow(`${flag} ${runs}`);
    expect(() => check(['--dataset', 'small', '--one-class', 'all', '--anomalies', 'other'])).toThrow('--anomalies does not apply to aelab anomaly --dataset ID --one-class, which scores each model against every other class of its dataset');
    expect(() => check(['--dataset', 'small', '--one-class', 'all', '--k', '3'])).toThrow('--k does not apply to aelab anomaly --dataset ID --one-class');
    // What each mode does take passes, global flags and unset boolean defaults included.
    check(['--json', '--sweep', 'J', '--no-pca', '--mc-samples', '4']);
    check(['RUN1', 'RUN2', '--anomalies', 'dataset:shapes:star', '--no-pca', '--workspace', 'ws']);
    check(['--dataset', 'small', '--one-class', 'all', '--arch', 'conv', '--epochs', '2', '--seed', '1', '--name', 'b', '--mc-samples', '3']);
    expect(() => check(['--one-class', 'all'])).toThrow('anomaly needs RUN ids to score, --dataset ID --one-class all|LIST');
  });

  it('gives the one-class benchmark every class or the chosen ones, and says why a dataset cannot have one', () => {
    expect(oneClassClasses('all', dataset(fashion))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(oneClassClasses('0,Dress,7', dataset(fashion))).toEqual([0, 3, 7]);
    expect(() => oneClassClasses('Hat', dataset(fashion))).toThrow("--one-class: 'Hat' is not a class of dataset 'fashion-mnist'; its classes are 0 T-shirt/top");
    expect(() => oneClassClasses(undefined, dataset(fashion))).toThrow('--one-class all|LIST is needed with --dataset');
    expect(() => oneClassClasses('all', dataset(['only'], 'single'))).toThrow("--one-class: dataset 'single' has one class only ('only'), so a model trained on it would have no anomalies to find");
    expect(() => oneClassClasses('all', dataset([], 'vectors'))).toThrow("--one-class: dataset 'vectors' has no classes (it is unlabelled)");
  });

  it('makes one sweep over single normal classes from the train flags', () => {
    const values = parseCli(['anomaly', '--dataset', 'fashion-mnist', '--one-class', 'all', '--arch', 'conv', '--objective', 'variational', '--epochs', '10', '--latent', '32', '--param', 'channels=8,16']).values;
    const spec = oneClassSweepSpec(values, [0, 3, 7]);
    expect(spec.axes).toEqual([{ field: 'normalClasses', values: [[0], [3], [7]] }]);
    expect(spec.base).toEqual({ ...configFromArgs(values), architectureParams: { channels: [8, 16] }, objectiveParams: {} });
    expect(spec.base).toMatchObject({ datasetId: 'fashion-mnist', architecture: 'conv', objective: 'variational', epochs: 10, latentDim: 32 });
    expect(Object.values(spec.base)).not.toContain(undefined);
    const withNormal = parseCli(['anomaly', '--dataset', 'x', '--one-class', 'all', '--normal-classes', '1']).values;
    expect(() => oneClassSweepSpec(withNormal, [0])).toThrow('--normal-classes does not go with --one-class');
  });
});

const series = (score: 'mse' | 'bce' | 'negativeElbo' | 'reconstructionProbability', auroc: number, ap: number) => ({ score, values: [], auroc, averagePrecision: ap });
const runResult = (c: number, auroc: number, pcaAuroc: number): AnomalyRunResult => ({
  runId: `2026010100000${c}-abcdef`, name: `normalClasses=${c} · dense variational`, architecture: 'dense', objective: 'variational', latentDim: 8, normalClasses: [c],
  truth: [], normalCount: 100 + c, anomalyCount: 900 - c, primary: 'negativeElbo',
  scores: [series('mse', auroc - 0.05, 0.5), series('negativeElbo', auroc, 0.61234)], pca: { ...series('mse', pcaAuroc, 0.4), k: 8 },
});
const result: AnomalyResult = {
  datasetId: 'fashion-mnist', anomalies: { from: 'other-classes' }, classNames: fashion, anomalyClassNames: null,
  samples: { source: [], index: [], label: [] }, runs: [runResult(0, 0.9, 0.8), runResult(3, 0.8, 0.7), runResult(8, 0.7, 0.75)], seconds: 1,
};

describe('aelab anomaly output', () => {
  it('tabulates the one-class benchmark: a row per class with PCA beside it, and the mean', () => {
    const table = oneClassTable(result);
    expect(table.rows.map((r) => [r.className, r.auroc, r.pcaAuroc, r.normalCount, r.anomalyCount])).toEqual([
      ['T-shirt/top', 0.9, 0.8, 100, 900],
      ['Dress', 0.8, 0.7, 103, 897],
      ['Bag', 0.7, 0.75, 108, 892],
    ]);
    expect(table.mean.auroc).toBeCloseTo(0.8, 12);
    expect(table.mean.pcaAuroc).toBeCloseTo(0.75, 12);
    const lines = oneClassText(table).split('\n');
    expect(lines[0]).toBe('One-class AUROC on fashion-mnist: each model trained on one class, scored on the whole test split by negative ELBO; PCA-8 fitted on the same class beside it');
    expect(lines[1]).toMatch(/^normal class +AUROC +PCA-8 AUROC +normal +anomalies$/);
    expect(lines[2]).toMatch(/^T-shirt\/top +0\.9000 +0\.8000 +100 +900$/);
    expect(lines[4]).toMatch(/^Bag +0\.7000 +0\.7500 +108 +892$/);
    expect(lines[5]).toMatch(/^mean +0\.8000 +0\.7500$/);
    expect(lines).toHaveLength(6);
  });

  it('keeps the columns apart for a PCA of any size', () => {
    const wide = oneClassTable({ ...result, runs: result.runs.map((r) => ({ ...r, pca: r.pca && { ...r.pca, k: 256 } })) });
    const lines = oneClassText(wide).split('\n');
    expect(lines[1]).toMatch(/^normal class +AUROC {2,}PCA-256 AUROC +normal +anomalies$/);
    expect(lines[2]).toMatch(/^T-shirt\/top +0\.9000 {2,}0\.8000 +100 +900$/);
  });

  it('shows a missing PCA as a dash and leaves it out of the mean', () => {
    const table = oneClassTable({ ...result, runs: result.runs.map((r) => ({ ...r, pca: null })) });
    expect(table.mean.pcaAuroc).toBeNull();
    expect(oneClassText(table).split('\n').at(-1)).toMatch(/^mean +0\.8000 +— *$/);
  });

  it('shows each scored run: its normal classes, the counts, every score with PCA-k after them', () => {
    const text = runsText({ ...result, runs: [result.runs[0] as AnomalyRunResult], anomalies: { from: 'classes', classes: [3, 4] } });
    expect(text.split('\n')).toEqual([
      'run 20260101000000-abcdef (normalClasses=0 · dense variational): dense variational d=8',
      '  normal: T-shirt/top; anomalies: classes Dress, Coat',
      '  test samples: 100 normal, 900 anomalous',
      expect.stringMatching(/^ {2}score +AUROC +AP$/),
      expect.stringMatching(/^ {2}reconstruction error \(MSE\) +0\.8500 +0\.5000$/),
      expect.stringMatching(/^ {2}negative ELBO \(primary\) +0\.9000 +0\.6123$/),
      expect.stringMatching(/^ {2}PCA-8 reconstruction error \(MSE\) +0\.8000 +0\.4000$/),
    ]);
    const json = runsJson(result, 'job1') as { runs: Array<Record<string, unknown>> };
    expect(json.runs[0]).toMatchObject({ normalClasses: [0], primary: 'negativeElbo', scores: [{ score: 'mse', auroc: 0.85 }, { score: 'negativeElbo', auroc: 0.9 }], pca: { k: 8, auroc: 0.8 } });
    expect(JSON.stringify(json)).not.toContain('values');
  });
});

describe('aelab anomaly, end to end', () => {
  let dir: string;
  let ws: string;
  beforeAll(async () => {
    dir = await tempDir('aelab-anomaly-');
    ws = join(dir, 'ws');
    // A small Shapes set: five classes, quick to train on.
    await Lab.open({ workspace: ws, host: 'cli', fashionMnistDir: '' }).datasets.save(generateShapes({ count: 600, size: 16, seed: 2 }), 'Small shapes', { id: 'small' });
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('trains one model per class as one sweep, prints the per-class table with PCA and the mean, and scores the sweep again as JSON', async () => {
    const trained = await cli(['--workspace', ws, 'anomaly', '--dataset', 'small', '--one-class', 'square,triangle', '--arch', 'dense', '--latent', '2', '--epochs', '1', '--batch', '32']);
    expect(trained.stderr).not.toMatch(/error/);
    expect(trained.code).toBe(0);
    const lines = trained.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^One-class AUROC on small: .* by reconstruction error \(MSE\); PCA-2 fitted on the same class beside it$/);
    expect(lines[1]).toMatch(/^normal class +AUROC +PCA-2 AUROC +normal +anomalies$/);
    expect(lines[2]).toMatch(/^square +[01]\.\d{4} +[01]\.\d{4} +\d+ +\d+$/);
    expect(lines[3]).toMatch(/^triangle +[01]\.\d{4} +[01]\.\d{4} +\d+ +\d+$/);
    expect(lines[4]).toMatch(/^mean +[01]\.\d{4} +[01]\.\d{4} *$/);
    expect(lines).toHaveLength(5);

    const sweepId = /sweep (\d{14}-[0-9a-f]{6}):/.exec(trained.stderr)?.[1] ?? '';
    expect(sweepId).not.toBe('');
    const scored = await cli(['--workspace', ws, '--json', 'anomaly', '--sweep', sweepId, '--no-pca']);
    expect(scored.code).toBe(0);
    const table = lastJson(scored.stdout) as ReturnType<typeof oneClassTable> & { sweepId: string; untrained: unknown[] };
    expect(table).toMatchObject({ sweepId, datasetId: 'small', primary: 'mse', untrained: [], mean: { pcaAuroc: null } });
    expect(table.rows.map((r) => [r.className, r.classes, r.pcaAuroc])).toEqual([['square', [0], null], ['triangle', [2], null]]);
    // Each model is scored on the whole test split: its class's test samples are normal, every other one an anomaly.
    const data = generateShapes({ count: 600, size: 16, seed: 2 });
    const testLabels = Array.from(data.labels).filter((_, i) => data.splits[i] === splitCode.test);
    for (const row of table.rows) {
      const normal = testLabels.filter((label) => label === row.classes?.[0]).length;
      expect([row.normalCount, row.anomalyCount]).toEqual([normal, testLabels.length - normal]);
      expect(row.auroc).toBeGreaterThanOrEqual(0);
      expect(row.auroc).toBeLessThanOrEqual(1);
    }
    expect(table.mean.auroc).toBeCloseTo(((table.rows[0]?.auroc ?? 0) + (table.rows[1]?.auroc ?? 0)) / 2, 12);
  }, 300_000);

  it('refuses an unknown dataset and an unknown class with what there is, exit 1', async () => {
    const dataset = await cli(['--workspace', ws, 'anomaly', '--dataset', 'nope', '--one-class', 'all']);
    expect(dataset.code).toBe(1);
    expect(dataset.stderr).toMatch(/--dataset: no dataset 'nope' in this workspace; it has .*small/);
    const cls = await cli(['--workspace', ws, 'train', '--dataset', 'small', '--normal-classes', 'square,hexagon', '--epochs', '1']);
    expect(cls.code).toBe(1);
    expect(cls.stderr).toContain("--normal-classes: 'hexagon' is not a class of dataset 'small'; its classes are 0 square, 1 ellipse, 2 triangle, 3 cross, 4 star");
  }, 60_000);
});
