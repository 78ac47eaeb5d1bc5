import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { robustnessSpecSchema } from '../../../../shared/analyses/robustness/robustnessSpec.js';
import { loadBackend, type LoadedBackend } from '../../backend.js';
import { createShapesRun, writeShapesDataset } from '../../testing/workspaceRuns.js';
import { robustnessAnalysis } from './robustnessAnalysis.js';

let backend: LoadedBackend;
let workspace: string;

beforeAll(async () => {
  backend = await loadBackend();
  workspace = await mkdtemp(join(tmpdir(), 'aelab-robustness-'));
});
afterAll(() => rm(workspace, { recursive: true, force: true }));

describe('robustness curves', () => {
  it('refuse runs tested on different samples: trained on different normal classes', async () => {
    const data = await writeShapesDataset(workspace, 'shapes', { count: 100, size: 8, seed: 1 });
    const base = { datasetId: 'shapes', architecture: 'dense', objective: 'denoising', latentDim: 2, epochs: 1 } as const;
    const squares = await createShapesRun(workspace, data, { ...base, name: 'squares', normalClasses: [0] });
    const every = await createShapesRun(workspace, data, { ...base, name: 'every shape' });
    const context = { tf: backend.tf, workspace, jobId: 'test', progress: () => undefined };
    await expect(robustnessAnalysis.run(context, robustnessSpecSchema.parse({ runIds: [squares, every] }))).rejects.toThrow(
      "Run 'every shape' was trained on every class, run 'squares' on classes 0: a robustness curve compares runs tested on the same samples",
    );
  });
});
