import { beforeAll, describe, expect, it } from 'vitest';
import { loadBackend, type Tfjs } from '../../backend.js';
import { copyCheck } from './copyCheck.js';
import { contextFor, denseStack, vectorData } from './knownModels.js';

let tf: Tfjs;
beforeAll(async () => {
  tf = (await loadBackend()).tf;
});

const eye = (n: number): number[][] => Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
const plain = { datasetId: 'd', architecture: 'linear', objective: 'plain', latentDim: 4 } as const;
const data = vectorData(Array.from({ length: 2000 }, (_, i) => [i % 2, 0.5, 0.25, 1]));

describe('the copy check', () => {
  it('an identity autoencoder reconstructs uniform noise exactly: it copies', async () => {
    const model = { encoder: denseStack(tf, 4, [{ kernel: eye(4) }]), decoder: denseStack(tf, 4, [{ kernel: eye(4) }]), inputShape: [4], latentShape: [4] };
    const context = contextFor(tf, model, plain, data, { testMse: 0.01 });
    expect(copyCheck.applies(context)).toBe(true);
    const result = await copyCheck.compute(context);
    expect(result).toMatchObject({ noiseImages: 2000, noiseLow: 0, noiseHigh: 1, codeSize: 4, inputSize: 4, ratioThreshold: 2, copies: true });
    expect(result.noiseMse).toBeCloseTo(0, 10);
  });

  it('a decoder that always draws 0.5 misses uniform noise by 1/12 per pixel: no copy', async () => {
    const zeros = eye(4).map((row) => row.map(() => 0));
    const model = { encoder: denseStack(tf, 4, [{ kernel: eye(4) }]), decoder: denseStack(tf, 4, [{ kernel: zeros, bias: [0.5, 0.5, 0.5, 0.5] }]), inputShape: [4], latentShape: [4] };
    const result = await copyCheck.compute(contextFor(tf, model, plain, data, { testMse: 0.01 }));
    // E[(u − ½)²] for u ~ U(0, 1); 8,000 draws put the mean within about ±0.002.
    expect(result.noiseMse).toBeCloseTo(1 / 12, 2);
    expect(result.ratio).toBeCloseTo(result.noiseMse / 0.01, 8);
    expect(result.copies).toBe(false);
  });

  it('applies only to an unregularised code at least as wide as the input', () => {
    const wide = { encoder: denseStack(tf, 4, [{ kernel: eye(4) }]), decoder: denseStack(tf, 4, [{ kernel: eye(4) }]), inputShape: [4], latentShape: [4] };
    const narrow = { ...wide, latentShape: [3] };
    expect(copyCheck.applies(contextFor(tf, wide, { ...plain, architecture: 'dense', objective: 'sparse' }, data))).toBe(false);
    expect(copyCheck.applies(contextFor(tf, narrow, plain, data))).toBe(false);
  });
});
