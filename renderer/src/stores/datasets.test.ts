import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import type { EventChannel, RequestChannel } from '../../../shared/contract/channels.js';
import type { LabApi } from '../../../shared/contract/client.js';
import type { DatasetSummary, ImportReport } from '../../../shared/domain/dataset.js';
import { setLabApi } from '../api/labApi.js';
import { useDatasetsStore } from './datasets.js';

const summary = (id: string): DatasetSummary => ({
  id, name: id.toUpperCase(), format: 'images', source: '/x', builtin: false, shape: [2, 2, 1], kind: 'image', dtype: 'uint8', scaling: 'unit',
  count: 4, splits: { train: 2, validation: 1, test: 1 }, classNames: ['a'], classCounts: [4], unlabeled: 0, factorNames: [], bytesOnDisk: 100, contentHash: id, createdAt: '2026-01-01',
});

/** A LabApi fake that records requests and lets the test fire events. */
class FakeLab implements LabApi {
  datasets = [summary('one'), summary('two')];
  requests: Array<[RequestChannel, unknown]> = [];
  listeners = new Map<EventChannel, Array<(p: never) => void>>();
  importResult: ImportReport | undefined;

  request: LabApi['request'] = (channel, payload) => {
    this.requests.push([channel, payload]);
    const reply = (value: unknown) => Promise.resolve({ ok: true, value } as never);
    if (channel === 'datasets.list') return reply([...this.datasets]);
    if (channel === 'datasets.preview') return reply({ datasetId: (payload as { id: string }).id, shape: [2, 2, 1], indices: Int32Array.of(0), labels: Int32Array.of(0), pixels: new Uint8Array(4) });
    if (channel === 'datasets.delete') {
      this.datasets = this.datasets.filter((d) => d.id !== (payload as { id: string }).id);
      return reply({ id: (payload as { id: string }).id });
    }
    return Promise.resolve({ ok: false, error: { code: 'internal', message: `unexpected ${channel}` } } as never);
  };

  on: LabApi['on'] = (channel, listener) => {
    this.listeners.set(channel, [...(this.listeners.get(channel) ?? []), listener as (p: never) => void]);
    return () => this.listeners.set(channel, (this.listeners.get(channel) ?? []).filter((l) => l !== listener));
  };

  emit(channel: EventChannel, payload: unknown): void {
    for (const l of this.listeners.get(channel) ?? []) l(payload as never);
  }

  importDropped: LabApi['importDropped'] = (importId) => {
    this.emit('datasets.importProgress', { importId, phase: 'decoding', done: 1, total: 2, message: 'half' });
    return Promise.resolve(this.importResult ? { ok: true, value: this.importResult } : { ok: false, error: { code: 'corrupt-file', message: 'x.png: broken' } });
  };
}

let fake: FakeLab;
beforeEach(() => {
  fake = new FakeLab();
  setLabApi(fake);
  setActivePinia(createPinia());
});

describe('datasets store', () => {
  it('loads the list and previews the first dataset', async () => {
    const store = useDatasetsStore();
    await store.refresh();
    expect(store.status).toBe('ready');
    expect(store.list.map((d) => d.id)).toEqual(['one', 'two']);
    expect(store.selectedId).toBe('one');
    expect(store.preview?.datasetId).toBe('one');
  });

  it('tracks an import from progress to its report and selects the new dataset', async () => {
    const store = useDatasetsStore();
    fake.datasets.push(summary('new'));
    fake.importResult = { dataset: summary('new'), skipped: [{ file: 'bad.png', reason: 'empty file (0 bytes)' }], notes: [] };
    await store.importDropped([], 'folder');
    const state = store.imports[0];
    expect(state?.progress).toMatchObject({ phase: 'decoding', done: 1 });
    expect(state?.report?.skipped).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 0));
    expect(store.selectedId).toBe('new');
  });

  it('keeps a failed import with its message', async () => {
    const store = useDatasetsStore();
    await store.importDropped([], 'x.png');
    expect(store.imports[0]?.error).toEqual({ code: 'corrupt-file', message: 'x.png: broken' });
  });

  it('shows imports started elsewhere (the File menu) from events alone', async () => {
    const store = useDatasetsStore();
    fake.emit('datasets.importProgress', { importId: 'menu-1', phase: 'reading', done: 0, total: 0, message: 'Looking' });
    fake.emit('datasets.importFinished', { importId: 'menu-1', result: { ok: false, error: { code: 'empty-input', message: 'nothing' } } });
    expect(store.imports.map((i) => [i.importId, i.error?.code])).toEqual([['menu-1', 'empty-input']]);
  });

  it('deletes, refreshes, and stops listening when disposed', async () => {
    const store = useDatasetsStore();
    await store.refresh();
    expect(await store.remove('one')).toBeNull();
    expect(store.list.map((d) => d.id)).toEqual(['two']);
    store.dispose();
    expect([...fake.listeners.values()].every((l) => l.length === 0)).toBe(true);
  });
});
