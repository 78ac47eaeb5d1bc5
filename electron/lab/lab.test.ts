import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventChannel } from '../../shared/contract/channels.js';
import { Lab } from './lab.js';
import { png, tempDir, writeFiles } from './testing/fixtures.js';

let dir: string;
beforeEach(async () => {
  dir = await tempDir();
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const open = () => Lab.open({ workspace: join(dir, 'ws'), host: 'cli', fashionMnistDir: '' });

describe('Lab', () => {
  it('refuses unknown channels and invalid payloads as data, not exceptions', async () => {
    const lab = open();
    expect(await lab.dispatch('datasets.explode', {})).toEqual({ ok: false, error: { code: 'invalid-request', message: "Unknown request 'datasets.explode'" } });
    expect(await lab.dispatch('datasets.importPaths', { importId: 'a', paths: [] })).toMatchObject({ ok: false, error: { code: 'invalid-request', message: 'datasets.importPaths: paths must have at least 1 entry; 0 were given' } });
    expect(await lab.dispatch('runs.sample', { id: '20240101000000-abcdef', count: 2.5 })).toMatchObject({ ok: false, error: { message: 'runs.sample: count must be a whole number; 2.5 was given' } });
    expect(await lab.dispatch('runs.get', { id: 'r1' })).toMatchObject({ ok: false, error: { message: "runs.get: id is not a run id; 'r1' was given" } });
    expect(await lab.dispatch('datasets.delete', { id: '../../etc' })).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
  });

  it('creates Shapes and Colour Shapes once; a deleted built-in stays deleted', async () => {
    const lab = open();
    expect((await lab.call('datasets.list', {})).map((d) => d.id)).toEqual(['shapes', 'colour-shapes']);
    await lab.call('datasets.delete', { id: 'shapes' });
    await lab.call('datasets.delete', { id: 'colour-shapes' });
    expect(await open().call('datasets.list', {})).toEqual([]);
  });

  it('imports with progress and a finished event, and reports a duplicate', async () => {
    await writeFiles(dir, { 'set/a/1.png': await png(8, 8, 1), 'set/b/2.png': await png(8, 8, 2) });
    const lab = open();
    const events: Array<[EventChannel, unknown]> = [];
    lab.on((channel, payload) => events.push([channel, payload]));
    const report = await lab.call('datasets.importPaths', { importId: 'i1', paths: [join(dir, 'set')] });
    expect(report.dataset).toMatchObject({ name: 'set', count: 2, classNames: ['a', 'b'] });
    const phases = events.filter(([c]) => c === 'datasets.importProgress').map(([, p]) => (p as { phase: string }).phase);
    expect(phases[0]).toBe('reading');
    expect(phases.at(-1)).toBe('done');
    expect(events.find(([c]) => c === 'datasets.importFinished')?.[1]).toMatchObject({ importId: 'i1', result: { ok: true } });
    const again = await lab.call('datasets.importPaths', { importId: 'i2', paths: [join(dir, 'set')], options: { name: 'copy' } });
    expect(again.duplicateOf).toBe(report.dataset.id);
    expect(again.notes[0]).toMatch(/already in the workspace as 'set'/);
  });

  it('keeps running after a failed import and says why in the finished event', async () => {
    const lab = open();
    const finished: unknown[] = [];
    lab.on((channel, payload) => channel === 'datasets.importFinished' && finished.push(payload));
    const result = await lab.dispatch('datasets.importPaths', { importId: 'x', paths: [join(dir, 'nope')] });
    expect(result).toMatchObject({ ok: false, error: { code: 'not-found' } });
    expect(finished[0]).toMatchObject({ importId: 'x', result: { ok: false, error: { code: 'not-found' } } });
    expect(await lab.dispatch('lab.info', {})).toMatchObject({ ok: true });
  });
});
