import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClassifierInfo } from '../../../shared/analyses/probe/classifierInfo.js';
import { classifierInfoFile, classifierInfoFormat, JobFolder } from '../../format/jobs/jobFolder.js';
import { writeVersioned } from '../../format/versionedFile.js';
import type { EngineLauncher } from '../runs/runSupervisor.js';
import { tempDir } from '../testing/fixtures.js';
import { AnalysisJobs } from './analysisJobs.js';
import { EngineSlots } from './engineSlots.js';

let workspace: string;
const noEngine: EngineLauncher = () => {
  throw new Error('no engine starts in this test');
};
const info: ClassifierInfo = { jobId: 'job', lineId: 'pixels', kind: 'pixels', label: 'raw pixels', runId: null, labelsPerClass: 5, draw: 0, datasetId: 'shapes', classNames: ['a', 'b'], inputShape: [4, 4, 1], inputScaling: { offset: 0, factor: 1 / 255 }, testAccuracy: 0.5 };

beforeAll(async () => {
  workspace = await tempDir('aelab-analysis-jobs-');
  const folder = new JobFolder(workspace, 'job');
  await folder.create({ kind: 'analysis', title: 'Probe', createdAt: new Date().toISOString(), analysis: 'probe', spec: {}, runIds: [] });
  await folder.updateState({ status: 'done' });
  const dir = folder.classifierDir('pixels', 5);
  await mkdir(dir, { recursive: true });
  await writeVersioned(classifierInfoFormat, join(dir, classifierInfoFile), info);
  await writeFile(join(dir, 'model.json'), '{}');
});
afterAll(async () => {
  await rm(workspace, { recursive: true, force: true });
});

describe("a probe job's kept classifier", () => {
  it('missing its weights beside classifier.json: a corrupt-file error naming the folder and the file, not a bare ENOENT', async () => {
    const jobs = new AnalysisJobs(workspace, new EngineSlots(), noEngine, () => undefined, true);
    const dir = new JobFolder(workspace, 'job').classifierDir('pixels', 5);
    const refused = jobs.classifier('job', 'pixels', 5);
    await expect(refused).rejects.toMatchObject({ code: 'corrupt-file' });
    await expect(refused).rejects.toThrow(`${dir}: the kept classifier of line 'pixels' at 5 labels per class lacks weights.bin beside classifier.json; run the probe again to keep it anew`);
  });
});
