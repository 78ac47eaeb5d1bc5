import { beforeAll, describe, expect, it } from 'vitest';
import { architectureIds, type ArchitectureId } from '../../../shared/catalogue/architectures.js';
import { objectiveIds, type ObjectiveId } from '../../../shared/catalogue/objectives.js';
import { validateRunConfig, type RunConfigInput } from '../../../shared/catalogue/runConfig.js';
import { loadBackend, type Tfjs } from '../backend.js';
import { smallShapes } from '../testing/smallData.js';
import { NonFiniteLossError, Trainer } from '../training/trainer.js';
import { createAutoencoder } from './createAutoencoder.js';

let tf: Tfjs;
beforeAll(async () => {
  tf = (await loadBackend()).tf;
});

const data = smallShapes();
const traits = { shape: data.shape, kind: 'image' as const, unitRange: true };

/** Small models of each architecture, and the loss each trains with. */
const architectureSettings: Record<ArchitectureId, Pick<RunConfigInput, 'architectureParams' | 'reconstructionLoss'>> = {
  dense: { architectureParams: { hiddenWidths: [64], codeActivation: 'linear' }, reconstructionLoss: 'bce' },
  linear: { architectureParams: {}, reconstructionLoss: 'mse' },
  conv: { architectureParams: { channels: [8, 16] }, reconstructionLoss: 'bce' },
};

/** The sparse objective takes the KL penalty on the dense architecture's sigmoid code, and L1 elsewhere. */
const sparseOn: Partial<Record<ArchitectureId, Pick<RunConfigInput, 'architectureParams' | 'objectiveParams'>>> = {
  dense: { architectureParams: { hiddenWidths: [64], codeActivation: 'sigmoid' }, objectiveParams: { penalty: 'kl' } },
};
const objectiveSettings: Partial<Record<ObjectiveId, (architecture: ArchitectureId) => Pick<RunConfigInput, 'architectureParams' | 'objectiveParams'>>> = {
  sparse: (architecture) => sparseOn[architecture] ?? { objectiveParams: { penalty: 'l1' } },
};

function configFor(architecture: ArchitectureId, objective: ObjectiveId): RunConfigInput {
  return {
    datasetId: 'shapes',
    architecture,
    objective,
    latentDim: 6,
    ...architectureSettings[architecture],
    ...objectiveSettings[objective]?.(architecture),
    learningRate: 3e-3,
    batchSize: 32,
    epochs: 6,
    seed: 3,
  };
}

describe('every architecture × objective lowers its loss on small data', () => {
  for (const architecture of architectureIds) {
    for (const objective of objectiveIds) {
      it(`${architecture} × ${objective}`, async () => {
        const validated = validateRunConfig(configFor(architecture, objective), traits);
        if (!validated.ok) throw new Error(validated.errors.join('; '));
        const run = createAutoencoder(tf, validated.config, traits);
        const trainer = new Trainer(tf, run, validated.config, data);
        // On the native backend every objective but the contractive one trains with a compiled step.
        expect(trainer.compiledSteps).toBe(tf.getBackend() === 'tensorflow' && objective !== 'contractive');
        const before = await trainer.evaluate(data.train);
        const live: number[] = [];
        const result = await trainer.train({ onEpoch: () => void live.push(tf.memory().numTensors) });
        const after = await trainer.evaluate(data.train);
        expect(result.status).toBe('completed');
        expect(after?.reconstruction).toBeLessThan((before?.reconstruction ?? 0) * 0.9);
        // No tensor outlives an epoch: the count is the same at the end of every epoch.
        expect(new Set(live.slice(1)).size).toBe(1);
        trainer.dispose();
        run.model.encoder.dispose();
        run.model.decoder.dispose();
      });
    }
  }
});

describe('training stops on a non-finite loss', () => {
  it('names the epoch, the batch and the loss component', async () => {
    const validated = validateRunConfig({ ...configFor('linear', 'plain'), optimizer: 'sgd', learningRate: 5, momentum: 0.99 }, traits);
    if (!validated.ok) throw new Error(validated.errors.join('; '));
    const run = createAutoencoder(tf, validated.config, traits);
    const trainer = new Trainer(tf, run, validated.config, data);
    const error = await trainer.train().then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(NonFiniteLossError);
    const nan = error as NonFiniteLossError;
    expect(nan.message).toMatch(/^The (total|reconstruction) loss became (NaN|Infinity|-Infinity) at epoch \d+, batch \d+: training stopped/);
    expect(nan.epoch).toBeGreaterThanOrEqual(1);
    trainer.dispose();
  });
});

describe('the dry forward pass', () => {
  it('refuses a model that cannot take the data, before any training', async () => {
    const { dryForwardPass } = await import('../runs/runTraining.js');
    const validated = validateRunConfig(configFor('dense', 'plain'), { ...traits, shape: [4, 4, 1] });
    if (!validated.ok) throw new Error(validated.errors.join('; '));
    const run = createAutoencoder(tf, validated.config, { ...traits, shape: [4, 4, 1] });
    expect(() => dryForwardPass({ tf, backend: { name: 'cpu', detail: '' } }, run, { ...validated.config, name: 'x' }, data)).toThrow();
    const fits = createAutoencoder(tf, validated.config, traits);
    expect(() => dryForwardPass({ tf, backend: { name: 'cpu', detail: '' } }, fits, { ...validated.config, name: 'x' }, data)).not.toThrow();
  });
});
