import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { splitCode } from '../../format/datasets/datasetData.js';
import { RunFolder } from '../../format/runs/runFolder.js';
import { loadBackend, type LoadedBackend } from '../backend.js';
import { createShapesRun, trainInProcess, writeShapesDataset } from '../testing/workspaceRuns.js';

let backend: LoadedBackend;
let workspace: string;

beforeAll(async () => {
  backend = await loadBackend();
  workspace = await mkdtemp(join(tmpdir(), 'aelab-normal-'));
});
afterAll(() => rm(workspace, { recursive: true, force: true }));

describe('a run on normal classes', () => {
  it('whose classes have no training samples fails with the reason recorded, not as an engine crash a resume repeats', async () => {
    // Every star (class 4) in validation or test: the class exists, but there is nothing of it to train on.
    const data = await writeShapesDataset(workspace, 'no-train-stars', { count: 200, size: 8, seed: 2 }, false, (d) => ({
      ...d,
      splits: d.splits.map((split, i) => (d.labels[i] === 4 && split === splitCode.train ? splitCode.test : split)),
    }));
    const id = await createShapesRun(workspace, data, { datasetId: 'no-train-stars', architecture: 'dense', objective: 'plain', latentDim: 2, epochs: 1, normalClasses: [4] });
    const state = await trainInProcess(backend, workspace, id);
    expect(state.status).toBe('failed');
    expect(state.error).toBe('Training could not start: Normal classes 4 have no samples in the training split');
    expect((await new RunFolder(workspace, id).readState()).status).toBe('failed');
  });
});
