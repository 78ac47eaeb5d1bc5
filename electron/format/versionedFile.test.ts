import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { LabError } from '../../shared/result.js';
import { defineFormat, parseVersioned, readVersioned, readVersionedIfPresent, writeVersioned } from './versionedFile.js';

const format = defineFormat('test record', 2, z.object({ name: z.string(), sizes: z.array(z.number().int()) }));

const refusal = (fn: () => unknown): LabError => {
  try {
    fn();
  } catch (cause) {
    return cause as LabError;
  }
  throw new Error('expected a refusal');
};

describe('versioned files', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'aelab-versioned-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('writes the version first and reads the content back without it', async () => {
    const file = join(dir, 'record.json');
    await writeVersioned(format, file, { name: 'a', sizes: [1, 2] });
    expect(Object.keys(JSON.parse(await readFile(file, 'utf8')) as object)[0]).toBe('formatVersion');
    expect(await readVersioned(format, file)).toEqual({ name: 'a', sizes: [1, 2] });
  });

  it('names the file and the field that is wrong', () => {
    const error = refusal(() => parseVersioned(format, '/w/record.json', JSON.stringify({ formatVersion: 2, name: 'a', sizes: [1, 'x'] })));
    expect(error.code).toBe('corrupt-file');
    expect(error.message).toMatch(/^\/w\/record\.json: field 'sizes\.1' of the test record: /);
  });

  it('refuses a newer version, and an older one it has no reader for, by name', () => {
    const newer = refusal(() => parseVersioned(format, '/w/r.json', JSON.stringify({ formatVersion: 3, name: 'a', sizes: [] })));
    expect(newer.code).toBe('unsupported-format');
    expect(newer.message).toBe('/w/r.json: the test record has format version 3, newer than this lab reads (2); open it with a newer Autoencoder Lab');
    const older = refusal(() => parseVersioned(format, '/w/r.json', JSON.stringify({ formatVersion: 1, name: 'a', sizes: [] })));
    expect(older.message).toBe('/w/r.json: the test record has format version 1, older than this lab reads (2)');
  });

  it('reads a file written before versions were stamped as version 1', () => {
    const v1 = defineFormat('old record', 1, z.object({ name: z.string() }));
    expect(parseVersioned(v1, '/w/r.json', '{"name":"kept"}')).toEqual({ name: 'kept' });
  });

  it('says a file is not JSON, or not an object, or has a version that is not a whole number', () => {
    expect(refusal(() => parseVersioned(format, '/w/r.json', '{"name":')).message).toMatch(/^\/w\/r\.json: the test record is not valid JSON/);
    expect(refusal(() => parseVersioned(format, '/w/r.json', '[1]')).message).toBe('/w/r.json: the test record is not a JSON object');
    expect(refusal(() => parseVersioned(format, '/w/r.json', '{"formatVersion":"2"}')).message).toBe(`/w/r.json: field 'formatVersion' of the test record is "2", not a whole number`);
  });

  it('tells a missing file from a damaged one', async () => {
    expect(await readVersionedIfPresent(format, join(dir, 'absent.json'))).toBeNull();
    await writeFile(join(dir, 'bad.json'), 'not json');
    await expect(readVersionedIfPresent(format, join(dir, 'bad.json'))).rejects.toThrow(/bad\.json: the test record is not valid JSON/);
  });
});

describe('the workspace files through their formats', () => {
  it('names a run state written by a newer lab instead of misreading it', async () => {
    const { RunFolder } = await import('./runs/runFolder.js');
    const workspace = await mkdtemp(join(tmpdir(), 'aelab-runfolder-'));
    try {
      const folder = new RunFolder(workspace, '20260101000000-abcdef');
      await folder.create(
        { datasetId: 'd', name: 'r', architecture: 'dense', architectureParams: {}, objective: 'plain', objectiveParams: {}, latentDim: 2, reconstructionLoss: 'mse', optimizer: 'adam', learningRate: 0.001, momentum: 0.9, batchSize: 8, epochs: 1, earlyStoppingPatience: 0, seed: 1 } as never,
        { status: 'queued', epoch: 0, epochs: 1, backend: null, error: null, createdAt: 'now', startedAt: null, finishedAt: null, samplesPerSecond: null, engineRssBytes: null },
      );
      expect((await folder.readState()).status).toBe('queued');
      const stamped = JSON.parse(await readFile(folder.stateFile, 'utf8')) as Record<string, unknown>;
      await writeFile(folder.stateFile, JSON.stringify({ ...stamped, formatVersion: 7 }));
      await expect(folder.readState()).rejects.toMatchObject({ code: 'unsupported-format', message: `${folder.stateFile}: the run state has format version 7, newer than this lab reads (1); open it with a newer Autoencoder Lab` });
      await writeFile(folder.stateFile, JSON.stringify({ ...stamped, epoch: -1 }));
      await expect(folder.readState()).rejects.toMatchObject({ code: 'corrupt-file', message: expect.stringContaining("field 'epoch' of the run state") as unknown });
    } finally {
      await rm(workspace, { recursive: true, force: true });
    }
  });

  it('reads metrics lines of any age, skips only a last line cut short, and names a damaged line', async () => {
    const { RunFolder } = await import('./runs/runFolder.js');
    const workspace = await mkdtemp(join(tmpdir(), 'aelab-metrics-'));
    try {
      const folder = new RunFolder(workspace, 'r');
      await import('node:fs/promises').then((fs) => fs.mkdir(folder.dir, { recursive: true }));
      const line = { epoch: 1, train: { total: 0.5 }, validation: null, seconds: 1, samplesPerSecond: 10 };
      // An unstamped line (written before versions) and a stamped one, then a line a crash cut short.
      await writeFile(folder.metricsFile, `${JSON.stringify(line)}\n{"formatVersion":1,${JSON.stringify({ ...line, epoch: 2 }).slice(1)}\n{"formatVersion":1,"epo`);
      expect((await folder.readMetrics()).map((m) => m.epoch)).toEqual([1, 2]);
      await writeFile(folder.metricsFile, `${JSON.stringify({ ...line, epoch: 'one' })}\n${JSON.stringify(line)}\n`);
      await expect(folder.readMetrics()).rejects.toThrow(`${folder.metricsFile} line 1: field 'epoch' of the epoch metrics line`);
    } finally {
      await rm(workspace, { recursive: true, force: true });
    }
  });
});
