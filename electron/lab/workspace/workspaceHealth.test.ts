import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { requestSchemas } from '../../../shared/contract/labApi.js';
import { encodeDataset } from '../../format/datasets/binaryFormat.js';
import { hashContent } from '../../format/datasets/contentHash.js';
import { RunFolder } from '../../format/runs/runFolder.js';
import { Lab } from '../lab.js';
import { png, tempDir, writeFiles } from '../testing/fixtures.js';

let dir: string;
let ws: string;
beforeEach(async () => {
  dir = await tempDir('aelab-health-');
  ws = join(dir, 'ws');
  // The built-ins are not what these tests are about: the ledger says they were made (and deleted) already.
  await writeFiles(ws, { 'builtins.json': '{"formatVersion":1,"shapes":true,"colourShapes":true}' });
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const noEngine = () => {
  throw new Error('no engine may start in this test');
};
const open = () => Lab.open({ workspace: ws, host: 'cli', fashionMnistDir: '', launchEngine: noEngine });

async function importTiny(lab: Lab, name: string, seed: number): Promise<string> {
  await writeFiles(dir, { [`${name}/a/1.png`]: await png(8, 8, seed), [`${name}/b/2.png`]: await png(8, 8, seed + 1), [`${name}/a/3.png`]: await png(8, 8, seed + 2) });
  return (await lab.call('datasets.importPaths', { importId: name, paths: [join(dir, name)] })).dataset.id;
}

/** A run folder as `runs.create` writes it, without queueing it (no engine starts). */
async function makeRun(lab: Lab, datasetId: string, id: string): Promise<RunFolder> {
  const config = await lab.runs.check({ datasetId, architecture: 'dense', objective: 'plain', latentDim: 2, epochs: 2 });
  const folder = new RunFolder(ws, id);
  await folder.create({ ...config, name: `run ${id}` }, {
    status: 'completed', epoch: 2, epochs: 2, backend: 'cpu', error: null, createdAt: '2026-01-01T00:00:00.000Z', startedAt: null, finishedAt: null, samplesPerSecond: null, engineRssBytes: null,
  });
  return folder;
}

/** Every file of the workspace with the hash of its bytes: what a repair may move but never lose. */
async function snapshot(root: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    files.set(relative(root, path).split(sep).join('/'), createHash('sha256').update(await readFile(path)).digest('hex'));
  }
  return files;
}

const runA = '20260101000000-aaaaaa';
const runB = '20260101000001-bbbbbb';

describe('damaged items', () => {
  it('lists runs with a garbage state.json or config.json as damaged, naming the file; the other runs are listed', async () => {
    const lab = open();
    const datasetId = await importTiny(lab, 'tiny', 1);
    const good = await makeRun(lab, datasetId, runA);
    const bad = await makeRun(lab, datasetId, runB);
    const third = await makeRun(lab, datasetId, '20260101000002-cccccc');
    await writeFile(bad.stateFile, 'not json at all');
    await writeFile(third.configFile, '{"formatVersion":1,"name":7}');
    const runs = await lab.call('runs.list', {});
    expect(runs.map((r) => r.id)).toEqual([good.id]);
    expect(requestSchemas['runs.list'].reply.safeParse(runs).success).toBe(true);
    const { damaged } = await lab.call('workspace.check', {});
    expect(damaged).toEqual([
      expect.objectContaining({ kind: 'run', id: runB, path: `runs/${runB}`, problem: expect.stringMatching(new RegExp(`^runs/${runB}/state\\.json: the run state is not valid JSON`)) }),
      expect.objectContaining({ kind: 'run', id: third.id, problem: expect.stringMatching(/config\.json: field '.*' of the run configuration/) }),
    ]);
    await expect(lab.call('runs.get', { id: runB })).rejects.toMatchObject({ code: 'corrupt-file', message: expect.stringMatching(/state\.json: the run state is not valid JSON/) });
    // A missing file is named too, not "No run with id".
    await rm(good.stateFile);
    await expect(lab.call('runs.get', { id: runA })).rejects.toMatchObject({ code: 'corrupt-file', message: expect.stringMatching(/state\.json is missing$/) });
  });

  it('keeps datasets.list whole when one dataset fails the contract, and shows that one as damaged', async () => {
    const lab = open();
    const good = await importTiny(lab, 'good', 1);
    // A fractional width, as a reader that did not check shapes once stored.
    const data = {
      format: 'npy' as const, source: 'x.npy', kind: 'vector' as const, shape: [1, 2.5, 1] as [number, number, number], samples: new Float32Array(5), labels: Int32Array.of(-1, -1),
      classNames: [], splits: Uint8Array.of(0, 0), transform: { scaling: 'none' as const, offset: 0, factor: 1 },
    };
    await writeFiles(ws, { 'datasets/fractional/dataset.aeds': Buffer.concat(encodeDataset(data, hashContent(data), '2026-01-01T00:00:00.000Z')), 'datasets/fractional/meta.json': '{"formatVersion":1,"name":"Fractional","builtin":false}' });
    const list = await open().call('datasets.list', {});
    expect(requestSchemas['datasets.list'].reply.safeParse(list).success).toBe(true);
    expect(list.map((d) => d.id)).toEqual([good]);
    const { damaged } = await open().call('workspace.check', {});
    expect(damaged).toEqual([expect.objectContaining({ kind: 'dataset', id: 'fractional', problem: expect.stringMatching(/^datasets\/fractional\/dataset\.aeds: field 'shape\.1' of the header/) })]);
  });

  it('refuses to train on a dataset whose bytes changed since the import, and lists it as damaged', async () => {
    const lab = open();
    const datasetId = await importTiny(lab, 'tiny', 1);
    const file = join(ws, 'datasets', datasetId, 'dataset.aeds');
    const bytes = await readFile(file);
    // A few sample bytes in the middle flipped; the header, its hash and the length are as they were.
    const at = bytes.length - 200;
    bytes.set(bytes.subarray(at, at + 8).map((b) => 255 - b), at);
    await writeFile(file, bytes);
    const config = { datasetId, architecture: 'dense', objective: 'plain', latentDim: 2, epochs: 1 };
    await expect(open().call('runs.create', { config })).rejects.toMatchObject({
      code: 'corrupt-file',
      message: expect.stringMatching(new RegExp(`datasets/${datasetId}/dataset\\.aeds: the samples no longer match the content hash stored when the dataset was imported`)),
    });
    expect(existsSync(join(ws, 'runs')) ? await readdir(join(ws, 'runs')) : []).toEqual([]);
    // A fresh lab finds it when asked to verify content (aelab check does).
    const check = await open().call('workspace.check', { verifyContent: true });
    expect(check.contentVerified).toBe(true);
    expect(check.damaged.map((d) => [d.kind, d.id])).toEqual([['dataset', datasetId]]);
  });

  it('says when metrics.jsonl was cut mid-line, and names a damaged line in the middle by its number', async () => {
    const lab = open();
    const datasetId = await importTiny(lab, 'tiny', 1);
    const run = await makeRun(lab, datasetId, runA);
    const line = (epoch: number) => JSON.stringify({ formatVersion: 1, epoch, train: { total: 0.5, reconstruction: 0.5 }, validation: null, seconds: 1, samplesPerSecond: 10 });
    await writeFile(run.metricsFile, `${line(1)}\n${line(2)}\n${line(3).slice(0, 40)}`);
    const details = await lab.call('runs.get', { id: runA });
    expect(details.metrics.map((m) => m.epoch)).toEqual([1, 2]);
    expect(details.metricsNotice).toMatch(new RegExp(`^runs/${runA}/metrics\\.jsonl: line 3, the last, was cut short`));
    await writeFile(run.metricsFile, `${line(1)}\n${line(2).slice(0, 30)}\n${line(3)}\n`);
    await expect(lab.call('runs.get', { id: runA })).rejects.toMatchObject({ code: 'corrupt-file', message: expect.stringMatching(/metrics\.jsonl line 2: the epoch metrics line is not valid JSON/) });
    await writeFile(run.metricsFile, `${line(1)}\n`);
    expect((await lab.call('runs.get', { id: runA })).metricsNotice).toBeNull();
  });

  it('lists a garbage builtins.json by name, keeps the datasets listed, and makes no built-in meanwhile', async () => {
    const lab = open();
    const datasetId = await importTiny(lab, 'tiny', 1);
    await writeFile(join(ws, 'builtins.json'), '{"shapes": tru');
    const fresh = open();
    expect((await fresh.call('datasets.list', {})).map((d) => d.id)).toEqual([datasetId]);
    const { damaged } = await fresh.call('workspace.check', {});
    expect(damaged).toEqual([
      { kind: 'file', id: 'builtins.json', path: 'builtins.json', problem: expect.stringMatching(/^builtins\.json: the built-in datasets ledger is not valid JSON/), remedy: expect.stringMatching(/quarantine/) },
    ]);
    expect(await readFile(join(ws, 'builtins.json'), 'utf8')).toBe('{"shapes": tru');
  });
});

describe('leftovers and repair', () => {
  it('removes leftovers of a killed import, run creation, delete and write when the lab opens, and nothing else', async () => {
    const lab = open();
    const datasetId = await importTiny(lab, 'tiny', 1);
    const run = await makeRun(lab, datasetId, runA);
    const kept = await snapshot(ws);
    const leftovers = {
      'datasets/.importing-0123456789ab/.dataset.aeds.0123456789ab.tmp': 'half a dataset',
      'datasets/half/.dataset.aeds.0a1b2c3d4e5f.tmp': 'what an older lab left',
      'datasets/.deleted-old-1a2b3c4d/dataset.aeds': 'a dataset being deleted',
      [`runs/.deleted-${runB}/state.json`]: '{}',
      [`runs/.creating-${runB}/config.json`]: '{}',
      [`runs/${runA}/.state.json.abcdef012345.tmp`]: '{"status":',
      '.presets.json.00112233aabb.tmp': '{',
    };
    await writeFiles(ws, leftovers);
    // Old enough to be leftovers; a fresh one could be another process's work in progress.
    const old = new Date(Date.now() - 10 * 60_000);
    for (const path of [...Object.keys(leftovers), 'datasets/.importing-0123456789ab', 'datasets/half', 'datasets/.deleted-old-1a2b3c4d', `runs/.deleted-${runB}`, `runs/.creating-${runB}`]) await utimes(join(ws, path), old, old);
    await writeFiles(ws, { [`runs/${runA}/.metrics.jsonl.ffffffffffff.tmp`]: 'being written right now' });
    const check = await open().call('workspace.check', {});
    expect(check.cleanedAtStart.map((l) => [l.kind, l.path])).toEqual([
      ['write', '.presets.json.00112233aabb.tmp'],
      ['delete', 'datasets/.deleted-old-1a2b3c4d'],
      ['import', 'datasets/.importing-0123456789ab'],
      ['import', 'datasets/half'],
      ['create', `runs/.creating-${runB}`],
      ['delete', `runs/.deleted-${runB}`],
      ['write', `runs/${runA}/.state.json.abcdef012345.tmp`],
    ]);
    const after = await snapshot(ws);
    after.delete(`runs/${runA}/.metrics.jsonl.ffffffffffff.tmp`);
    expect(after).toEqual(kept);
    expect(existsSync(join(ws, `runs/${runA}/.metrics.jsonl.ffffffffffff.tmp`))).toBe(true);
    expect(check.damaged).toEqual([]);
    expect((await open().call('runs.get', { id: run.id })).run.status).toBe('completed');
  });

  it('moves damaged items to quarantine and deletes nothing', async () => {
    const lab = open();
    const good = await importTiny(lab, 'good', 1);
    const bad = await importTiny(lab, 'bad', 5);
    await makeRun(lab, good, runA);
    const damagedRun = await makeRun(lab, good, runB);
    await writeFile(join(ws, 'datasets', bad, 'meta.json'), 'garbage');
    await writeFile(damagedRun.configFile, '');
    await writeFile(join(ws, 'builtins.json'), '[');
    const before = await snapshot(ws);
    const fresh = open();
    expect((await fresh.call('workspace.check', {})).damaged.map((d) => d.path)).toEqual([`datasets/${bad}`, `runs/${runB}`, 'builtins.json']);
    const report = await fresh.call('workspace.repair', {});
    expect(report.moved.map((d) => d.path)).toEqual([`datasets/${bad}`, `runs/${runB}`, 'builtins.json']);
    expect(report.failed).toEqual([]);
    expect(report.after.damaged).toEqual([]);
    expect(report.quarantine).toMatch(/^quarantine\/\d{8}-\d{6}$/);
    const q = report.quarantine ?? '';
    const after = await snapshot(ws);
    // Every file is still there, byte for byte: where it was, or under the same path in the quarantine folder.
    for (const [path, hash] of before) expect(after.get(path) ?? after.get(`${q}/${path}`), path).toBe(hash);
    expect(after.get(`datasets/${bad}/meta.json`)).toBeUndefined();
    const record = JSON.parse(await readFile(join(ws, q, 'quarantine.json'), 'utf8')) as { formatVersion: number; items: Array<{ path: string; problem: string }> };
    expect(record.formatVersion).toBe(1);
    expect(record.items.map((i) => i.path)).toEqual([`datasets/${bad}`, `runs/${runB}`, 'builtins.json']);
    // The healthy items are untouched and still listed; the quarantine is not read as part of the workspace.
    // (With builtins.json gone the lab would make the built-ins again; the ledger is put back to keep this test small.)
    await writeFile(join(ws, 'builtins.json'), '{"formatVersion":1,"shapes":true,"colourShapes":true}');
    expect((await open().call('datasets.list', {})).map((d) => d.id)).toContain(good);
    expect((await open().call('runs.list', {})).map((r) => r.id)).toEqual([runA]);
    expect((await stat(join(ws, 'quarantine'))).isDirectory()).toBe(true);
  });

  it('answers a repair of a healthy workspace with nothing moved', async () => {
    await mkdir(ws, { recursive: true });
    const report = await open().call('workspace.repair', {});
    expect(report).toMatchObject({ quarantine: null, moved: [], failed: [] });
    expect(existsSync(join(ws, 'quarantine'))).toBe(false);
  });
});
