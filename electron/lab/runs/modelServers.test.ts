import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateShapes } from '../datasets/builtin/shapes.js';
import { Lab } from '../lab.js';
import { tempDir } from '../testing/fixtures.js';

let workspace: string;
let lab: Lab;
let runId: string;

beforeAll(async () => {
  workspace = await tempDir('aelab-models-');
  lab = Lab.open({ workspace: join(workspace, 'ws'), host: 'cli', fashionMnistDir: '' });
  await lab.datasets.save(generateShapes({ count: 800, size: 16, seed: 2 }), 'Small', { id: 'small' });
  const run = await lab.call('runs.create', {
    config: { datasetId: 'small', architecture: 'dense', objective: 'variational', latentDim: 2, epochs: 2, batchSize: 32, reconstructionLoss: 'bce', seed: 4 },
  });
  runId = run.id;
  await lab.runs.idle();
});

afterAll(async () => {
  lab.models.closeAll();
  await rm(workspace, { recursive: true, force: true });
});

describe('trained models on demand', () => {
  it('decodes latent vectors into images, different latents into different images', async () => {
    const reply = await lab.call('runs.decode', { id: runId, latents: Float32Array.from([0, 0, 2.5, -2.5]), count: 2 });
    expect(reply.shape).toEqual([2, 16, 16, 1]);
    expect(reply.latentSize).toBe(2);
    const [first, second] = [reply.images.subarray(0, 256), reply.images.subarray(256)];
    expect(first.every((v) => v >= 0 && v <= 1)).toBe(true);
    expect(first.some((v, i) => Math.abs(v - (second[i] ?? 0)) > 0.01)).toBe(true);
  });

  it('encodes dataset samples to codes of the latent size', async () => {
    const reply = await lab.call('runs.encode', { id: runId, indices: Int32Array.from([0, 1, 2]) });
    expect(reply.shape).toEqual([3, 2]);
    expect(reply.codes.length).toBe(6);
  });

  it('samples from the prior and from a Gaussian fitted to the codes, reproducibly by seed', async () => {
    const a = await lab.call('runs.sample', { id: runId, count: 3, seed: 5, from: 'prior' });
    const b = await lab.call('runs.sample', { id: runId, count: 3, seed: 5, from: 'prior' });
    expect(a.images).toEqual(b.images);
    const fitted = await lab.call('runs.sample', { id: runId, count: 3, seed: 5, from: 'fitted' });
    expect(fitted.shape).toEqual([3, 16, 16, 1]);
  });

  it('refuses latents of the wrong size with a message', async () => {
    await expect(lab.call('runs.decode', { id: runId, latents: new Float32Array(3), count: 2 })).rejects.toThrow('decode needs 2 × 2 latent values, got 3');
  });
});
