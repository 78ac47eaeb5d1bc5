import { beforeAll, describe, expect, it } from 'vitest';
import { loadBackend, type Tfjs } from '../../backend.js';
import { codeActivations, summariseActivations } from './codeActivations.js';
import { contextFor, denseStack, vectorData } from './knownModels.js';

let tf: Tfjs;
beforeAll(async () => {
  tf = (await loadBackend()).tf;
});

describe('code activations', () => {
  it('a sigmoid code: 40 bins over [0, 1], near zero below 0.01, each unit’s mean', () => {
    // Three samples of two units.
    const codes = Float32Array.from([0.005, 0.91, 0.02, 0.61, 0.001, 0.31]);
    const summary = summariseActivations(codes, 2, [0, 1]);
    const counts = new Array<number>(40).fill(0);
    // Bins of 0.025: 0.005, 0.02 and 0.001 in the first; 0.31, 0.61 and 0.91 in bins 12, 24 and 36.
    [counts[0], counts[12], counts[24], counts[36]] = [3, 1, 1, 1];
    expect(summary.histogram).toEqual({ low: 0, high: 1, counts });
    expect(summary).toMatchObject({ testImages: 3, units: 2, histogramRange: 'code bounds', nearZeroCutoff: 0.01, nearZeroRelativeTo: 'code bound' });
    expect(summary.nearZeroShare).toBeCloseTo(2 / 6, 12);
    expect(summary.meanPerUnit[0]).toBeCloseTo(0.026 / 3, 7);
    expect(summary.meanPerUnit[1]).toBeCloseTo(0.61, 7);
  });

  it('an unbounded code: the observed range, near zero below 1% of the largest |h|', () => {
    const summary = summariseActivations(Float32Array.from([-2, 0.01, 4, 0.03]), 1, undefined);
    expect(summary).toMatchObject({ histogramRange: 'observed', nearZeroRelativeTo: 'largest |h|' });
    expect(summary.histogram).toMatchObject({ low: -2, high: 4 });
    expect(summary.nearZeroCutoff).toBeCloseTo(0.04, 12);
    expect(summary.nearZeroShare).toBe(0.5);
  });

  it("a KL-sparse run: each unit's KL(ρ ‖ ρ̂) from its test-set mean", async () => {
    // Unit 0 rests at ρ on average (0, 0.1), unit 1 fires at 0.3.
    const codes = Float32Array.from([0, 0.3, 0.1, 0.3]);
    const model = { encoder: denseStack(tf, 2, [{ kernel: [[1, 0], [0, 1]] }]), decoder: denseStack(tf, 2, [{ kernel: [[1, 0], [0, 1]] }]), inputShape: [2], latentShape: [2], codeRange: [0, 1] as const };
    const context = contextFor(tf, model, { datasetId: 'd', architecture: 'dense', objective: 'sparse', architectureParams: { codeActivation: 'sigmoid' }, objectiveParams: { penalty: 'kl', target: 0.05 }, latentDim: 2 }, vectorData([[0, 0], [0, 0]]), { codes, codeSize: 2 });
    const result = await codeActivations.compute(context);
    expect(result.target).toBe(0.05);
    expect(result.klToTargetPerUnit?.[0]).toBeCloseTo(0, 6);
    expect(result.klToTargetPerUnit?.[1]).toBeCloseTo(0.05 * Math.log(0.05 / 0.3) + 0.95 * Math.log(0.95 / 0.7), 6);
    // The L1 penalty has no target.
    const l1 = contextFor(tf, model, { datasetId: 'd', architecture: 'dense', objective: 'sparse', latentDim: 2 }, vectorData([[0, 0], [0, 0]]), { codes, codeSize: 2 });
    expect((await codeActivations.compute(l1)).klToTargetPerUnit).toBeNull();
  });
});
