import { beforeAll, describe, expect, it } from 'vitest';
import { loadBackend, type Tfjs } from '../../backend.js';
import { contextFor, denseStack, vectorData } from './knownModels.js';
import { posterior } from './posterior.js';

let tf: Tfjs;
beforeAll(async () => {
  tf = (await loadBackend()).tf;
});

const identity = [[1, 0], [0, 1]];
const vae = { datasetId: 'd', architecture: 'dense', objective: 'variational', latentDim: 2 } as const;

describe('the VAE posterior', () => {
  it('μ = x, log σ² = 0 on two images: KL ½μ² per unit, one active unit, a decoder that reads z', async () => {
    const encoder = denseStack(tf, 2, [{ kernel: [[1, 0, 0, 0], [0, 1, 0, 0]] }]);
    const model = { encoder, decoder: denseStack(tf, 2, [{ kernel: identity }]), inputShape: [2], latentShape: [2] };
    // Unit 0 sees μ = ±1 (KL ½, variance 1), unit 1 always 0 (KL 0, variance 0).
    const data = vectorData([[1, 0], [-1, 0]]);
    const context = contextFor(tf, model, vae, data, { codes: Float32Array.from([1, 0, -1, 0]), codeSize: 2, pixelVariance: 0.5 });
    expect(posterior.applies(context)).toBe(true);
    const result = await posterior.compute(context);
    expect(result.klPerUnit.map((v) => Number(v.toFixed(6)))).toEqual([0.5, 0]);
    expect(result.meanVariancePerUnit).toEqual([1, 0]);
    expect(result).toMatchObject({ testImages: 2, activeUnits: 1, collapsed: false, ignoresCode: false });
    // Each image decoded from the other's code: ((1 − (−1))² + 0²) / 2 pixels = 2.
    expect(result.shuffledCodeDifference).toBeCloseTo(2, 6);
  });

  it('a collapsed posterior (μ = 0, σ = 1 for every image) and a decoder that cannot tell codes apart', async () => {
    const encoder = denseStack(tf, 2, [{ kernel: [[0, 0, 0, 0], [0, 0, 0, 0]] }]);
    const model = { encoder, decoder: denseStack(tf, 2, [{ kernel: identity }]), inputShape: [2], latentShape: [2] };
    const context = contextFor(tf, model, vae, vectorData([[1, 0], [-1, 0], [0, 2]]), { codes: new Float32Array(6), codeSize: 2, pixelVariance: 0.5 });
    const result = await posterior.compute(context);
    expect(result.klPerUnit).toEqual([0, 0]);
    expect(result).toMatchObject({ activeUnits: 0, collapsed: true, shuffledCodeDifference: 0, ignoresCode: true });
  });

  it('does not apply to a deterministic encoder', () => {
    const model = { encoder: denseStack(tf, 2, [{ kernel: identity }]), decoder: denseStack(tf, 2, [{ kernel: identity }]), inputShape: [2], latentShape: [2] };
    expect(posterior.applies(contextFor(tf, model, { ...vae, objective: 'contractive' }, vectorData([[0, 0]])))).toBe(false);
  });
});
