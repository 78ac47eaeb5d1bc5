import { describe, expect, it } from 'vitest';
import type { RequestChannel } from '../../../shared/contract/channels.js';
import type { LabApi } from '../../../shared/contract/client.js';
import type { DatasetSummary, ImportReport } from '../../../shared/domain/dataset.js';
import type { DamagedItem } from '../../../shared/domain/workspaceHealth.js';
import { FakeLab, healthyWorkspace, ok, useFakeLab } from '../testing/fakeLab.js';
import { useDatasetsStore } from './datasets.js';

const summary = (id: string): DatasetSummary => ({
  id, name: id.toUpperCase(), format: 'images', source: '/x', builtin: false, shape: [2, 2, 1], kind: 'image', dtype: 'uint8', scaling: 'unit',
  count: 4, splits: { train: 2, validation: 1, test: 1 }, classNames: ['a'], classCounts: [4], unlabeled: 0, factorNames: [], bytesOnDisk: 100, contentHash: id, createdAt: '2026-01-01',
});

/** The lab's datasets, and an import that reports progress before its result. */
class DatasetsLab extends FakeLab {
  datasets = [summary('one'), summary('two')];
  importResult: ImportReport | undefined;
  damaged: DamagedItem[] = [];

  protected answer(channel: RequestChannel, payload: unknown) {
    const id = (payload as { id?: string }).id ?? '';
    if (channel === 'datasets.list') return ok([...this.datasets]);
    if (channel === 'workspace.check') return ok({ ...healthyWorkspace, damaged: this.damaged });
    if (channel === 'datasets.preview') return ok({ datasetId: id, shape: [2, 2, 1], indices: Int32Array.of(0), labels: Int32Array.of(0), pixels: new Uint8Array(4) });
    if (channel === 'datasets.delete') {
      this.datasets = this.datasets.filter((d) => d.id !== id);
      return ok({ id });
    }
    return undefined;
  }

  override importDropped: LabApi['importDropped'] = (importId) => {
    this.emit('datasets.importProgress', { importId, phase: 'decoding', done: 1, total: 2, message: 'half' });
    return Promise.resolve(this.importResult ? { ok: true, value: this.importResult } : { ok: false, error: { code: 'corrupt-file', message: 'x.png: broken' } });
  };
}

const lab = useFakeLab(() => new DatasetsLab());

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
    lab().datasets.push(summary('new'));
    lab().importResult = { dataset: summary('new'), skipped: [{ file: 'bad.png', reason: 'empty file (0 bytes)' }], notes: [] };
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
    lab().emit('datasets.importProgress', { importId: 'menu-1', phase: 'reading', done: 0, total: 0, message: 'Looking' });
    lab().emit('datasets.importFinished', { importId: 'menu-1', result: { ok: false, error: { code: 'empty-input', message: 'nothing' } } });
    expect(store.imports.map((i) => [i.importId, i.error?.code])).toEqual([['menu-1', 'empty-input']]);
  });

  it('deletes, refreshes, and stops listening when disposed', async () => {
    const store = useDatasetsStore();
    await store.refresh();
    expect(await store.remove('one')).toBeNull();
    expect(store.list.map((d) => d.id)).toEqual(['two']);
    store.dispose();
    expect([...lab().listeners.values()].every((l) => l.length === 0)).toBe(true);
  });

  it('lists damaged datasets (and a damaged built-ins ledger) beside the healthy ones', async () => {
    const store = useDatasetsStore();
    const dataset: DamagedItem = { kind: 'dataset', id: 'bad', path: 'datasets/bad', problem: 'datasets/bad/meta.json: the dataset meta is not valid JSON', remedy: 'move it to quarantine' };
    const ledger: DamagedItem = { kind: 'file', id: 'builtins.json', path: 'builtins.json', problem: 'builtins.json: not valid JSON', remedy: 'fix it' };
    lab().damaged = [dataset, { ...dataset, kind: 'run', id: 'r', path: 'runs/r' }, ledger];
    await store.refresh();
    expect(store.list.map((d) => d.id)).toEqual(['one', 'two']);
    expect(store.damaged).toEqual([dataset, ledger]);
  });
});
