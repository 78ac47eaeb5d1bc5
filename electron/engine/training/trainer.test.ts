import { beforeAll, describe, expect, it } from 'vitest';
import { validateRunConfig, type RunConfigInput } from '../../../shared/catalogue/runConfig.js';
import { loadBackend, type Tfjs } from '../backend.js';
import { createAutoencoder } from '../model/createAutoencoder.js';
import { smallShapes } from '../testing/smallData.js';
import { Trainer, type BatchProgress } from './trainer.js';

let tf: Tfjs;
beforeAll(async () => {
  tf = (await loadBackend()).tf;
});

const data = smallShapes();
const traits = { shape: data.shape, kind: 'image' as const, unitRange: true };

function trainer(epochs: number): { trainer: Trainer; dispose: () => void } {
  const validated = validateRunConfig({ datasetId: 'shapes', architecture: 'dense', architectureParams: { hiddenWidths: [16] }, objective: 'plain', latentDim: 4, batchSize: 8, epochs, seed: 5 } as RunConfigInput, traits);
  if (!validated.ok) throw new Error(validated.errors.join('; '));
  const run = createAutoencoder(tf, validated.config, traits);
  const t = new Trainer(tf, run, validated.config, data);
  return {
    trainer: t,
    dispose: () => {
      t.dispose();
      run.model.encoder.dispose();
      run.model.decoder.dispose();
    },
  };
}

describe('trainer', () => {
  it('lets the process handle its events between batches, not only at the end', async () => {
    const { trainer: t, dispose } = trainer(1);
    let batchesSeen = 0;
    let firedAfter: number | undefined;
    // What a message from the lab is to the engine: an event the loop must get to while training.
    setImmediate(() => (firedAfter = batchesSeen));
    await t.train({ onBatch: () => (batchesSeen += 1) });
    dispose();
    expect(batchesSeen).toBe(24);
    expect(firedAfter).toBeLessThanOrEqual(1);
  });

  it('counts training time only: a pause is not in the epoch seconds, and the epoch figure is the last batch figure', async () => {
    const { trainer: t, dispose } = trainer(1);
    const progress: BatchProgress[] = [];
    let calls = 0;
    const started = performance.now();
    const { epochs } = await t.train({
      onBatch: (p) => progress.push(p),
      checkpoint: async () => {
        calls += 1;
        if (calls === 5) await new Promise((resolve) => setTimeout(resolve, 400));
        return 'continue';
      },
    });
    const wall = (performance.now() - started) / 1000;
    dispose();
    const [epoch] = epochs;
    expect(epoch?.seconds).toBeLessThan(wall - 0.35);
    expect(epoch?.samplesPerSecond).toBeCloseTo(progress.at(-1)?.samplesPerSecond ?? NaN, 6);
    // Before each of 24 batches and once after the last epoch.
    expect(calls).toBe(25);
  });

  it('smooths the total loss over recent batches for the curve within an epoch', async () => {
    const { trainer: t, dispose } = trainer(1);
    const progress: BatchProgress[] = [];
    await t.train({ onBatch: (p) => progress.push(p) });
    dispose();
    expect(progress[0]?.runningLoss).toBe(progress[0]?.loss.total);
    const [, second] = progress;
    expect(second?.runningLoss).toBeCloseTo((progress[0]?.loss.total ?? NaN) * 0.9 + (second?.loss.total ?? NaN) * 0.1, 9);
  });

  it('honours a cancel sent during the last epoch, before the evaluation', async () => {
    const { trainer: t, dispose } = trainer(2);
    let calls = 0;
    const outcome = await t.train({ checkpoint: () => Promise.resolve(++calls > 48 ? 'cancel' : 'continue') });
    dispose();
    expect(outcome.status).toBe('cancelled');
    expect(outcome.epochs.map((e) => e.epoch)).toEqual([1, 2]);
  });
});
