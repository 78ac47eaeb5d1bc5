import { describe, expect, it } from 'vitest';
import type { DatasetSummary } from '../../../../shared/domain/dataset.js';
import type { RunSummary } from '../../../../shared/domain/run.js';
import { configGroups } from './configRows.js';

const config: RunSummary['config'] = {
  datasetId: 'shapes',
  task: 'reconstruct',
  taskParams: {},
  architecture: 'dense',
  architectureParams: { hiddenWidths: [256, 64], activation: 'relu', codeActivation: 'linear' },
  objective: 'variational',
  objectiveParams: { beta: 4 },
  latentDim: 8,
  reconstructionLoss: 'bce',
  optimizer: 'adam',
  learningRate: 0.001,
  momentum: 0.9,
  batchSize: 128,
  epochs: 20,
  earlyStoppingPatience: 0,
  seed: 42,
};

const shapes = { id: 'shapes', name: 'Shapes', count: 10000, shape: [28, 28, 1] } as DatasetSummary;
const table = (groups: ReturnType<typeof configGroups>) => groups.map((g) => [g.label, g.rows.map((r) => [r.label, r.value])]);

describe('the run configuration as a table', () => {
  it('groups the fields under the form’s labels, choices by name and counts with units', () => {
    expect(table(configGroups(config, shapes))).toEqual([
      ['Data', [['Dataset', 'Shapes (10,000 samples, 28×28 px, grayscale)']]],
      [
        'Architecture',
        [
          ['Architecture', 'Dense (MLP)'],
          ['Hidden widths', '256, 64'],
          ['Hidden activation', 'relu'],
          ['Code activation', 'linear'],
          ['Latent size d', '8 units'],
        ],
      ],
      ['Objective', [['Objective', 'Variational'], ['β', '4'], ['Reconstruction loss', 'binary cross-entropy (Bernoulli decoder)']]],
      [
        'Optimisation',
        [
          ['Optimizer', 'Adam'],
          ['Learning rate', '0.001'],
          ['Batch size', '128 samples'],
          ['Epochs', '20'],
          ['Early-stopping patience', 'off'],
          ['Seed', '42'],
        ],
      ],
    ]);
  });

  it('names the normal classes of a run trained on some classes only, by the dataset’s class names', () => {
    const fashion = { id: 'fashion-mnist', name: 'Fashion-MNIST', count: 70000, shape: [28, 28, 1], classNames: ['T-shirt', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'] } as DatasetSummary;
    const data = (groups: ReturnType<typeof configGroups>) => groups.find((g) => g.group === 'data')?.rows.map((r) => [r.field, r.label, r.value]);
    expect(data(configGroups({ ...config, datasetId: 'fashion-mnist', normalClasses: [8, 5] }, fashion))).toEqual([
      ['datasetId', 'Dataset', 'Fashion-MNIST (70,000 samples, 28×28 px, grayscale)'],
      ['normalClasses', 'Normal classes', 'Bag, Sandal'],
    ]);
    expect(data(configGroups({ ...config, normalClasses: [3] }))?.[1]).toEqual(['normalClasses', 'Normal classes', 'class 3']);
    expect(data(configGroups(config, shapes))).toHaveLength(1);
  });

  it('shows momentum for SGD, a patience in epochs, the dataset id when the dataset is gone, and a parameter the catalogue lost', () => {
    const groups = configGroups({ ...config, optimizer: 'sgd', momentum: 0.95, earlyStoppingPatience: 5, objective: 'plain', objectiveParams: { legacy: 1 } });
    const rows = Object.fromEntries(groups.flatMap((g) => g.rows.map((r) => [r.label, r.value])));
    expect(rows.Dataset).toBe('shapes');
    expect(rows.Optimizer).toBe('SGD with momentum');
    expect(rows.Momentum).toBe('0.95');
    expect(rows['Early-stopping patience']).toBe('after 5 epochs without a better validation loss');
    expect(rows.legacy).toBe('1');
    expect(groups.flatMap((g) => g.rows).find((r) => r.label === 'Hidden widths')?.help).toContain('decoder mirrors them');
  });
});
