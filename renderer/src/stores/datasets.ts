import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { DroppedItem } from '../../../shared/contract/client.js';
import type { EventOf } from '../../../shared/contract/labApi.js';
import type { DatasetPreview, DatasetSummary, ImportOptionsInput, ImportProgress, ImportReport } from '../../../shared/domain/dataset.js';
import type { DamagedItem } from '../../../shared/domain/workspaceHealth.js';
import type { LabErrorData } from '../../../shared/result.js';
import { labApi } from '../api/labApi.js';
import { listedState } from './listedState.js';

export interface ImportState {
  importId: string;
  label: string;
  progress: ImportProgress | null;
  report: ImportReport | null;
  error: LabErrorData | null;
  /** Set while a cancel the user asked for is on its way. */
  cancelling?: boolean;
}

let importCounter = 0;
const newImportId = (): string => `import-${Date.now().toString(36)}-${(importCounter++).toString(36)}`;

/** Datasets: the list, imports under way and finished, the selected dataset and its preview. */
export const useDatasetsStore = defineStore('datasets', () => {
  const { list, status, error, load } = listedState<DatasetSummary>(() => labApi().request('datasets.list', {}));
  const imports = ref<ImportState[]>([]);
  const selectedId = ref<string | null>(null);
  /** Datasets (and the built-ins ledger) the lab cannot read: listed with what is wrong, never hidden. */
  const damaged = ref<DamagedItem[]>([]);
  const preview = ref<DatasetPreview | null>(null);
  const previewError = ref<string | null>(null);
  const selected = computed(() => list.value.find((d) => d.id === selectedId.value) ?? null);

  async function loadDamaged(): Promise<void> {
    const result = await labApi().request('workspace.check', {});
    if (result.ok) damaged.value = result.value.damaged.filter((item) => item.kind === 'dataset' || item.path === 'builtins.json');
  }

  async function refresh(): Promise<void> {
    const [loaded] = await Promise.all([load(), loadDamaged()]);
    if (!loaded) return;
    if (selectedId.value === null || !list.value.some((d) => d.id === selectedId.value)) {
      const first = list.value[0];
      if (first) await select(first.id);
      else {
        selectedId.value = null;
        preview.value = null;
      }
    }
  }

  async function select(id: string): Promise<void> {
    selectedId.value = id;
    previewError.value = null;
    const result = await labApi().request('datasets.preview', { id, count: 64 });
    if (selectedId.value !== id) return;
    if (result.ok) preview.value = result.value;
    else {
      preview.value = null;
      previewError.value = result.error.message;
    }
  }

  function stateFor(importId: string, label = 'Import'): ImportState {
    let state = imports.value.find((i) => i.importId === importId);
    if (!state) {
      state = { importId, label, progress: null, report: null, error: null };
      imports.value.unshift(state);
      state = imports.value[0] as ImportState;
    }
    return state;
  }

  async function importDropped(items: DroppedItem[], label: string, options?: ImportOptionsInput): Promise<void> {
    const importId = newImportId();
    const state = stateFor(importId, label);
    const result = await labApi().importDropped(importId, items, options);
    finish(state, result.ok ? { ok: true, value: result.value } : { ok: false, error: result.error });
  }

  function finish(state: ImportState, result: EventOf<'datasets.importFinished'>['result']): void {
    if (result.ok) {
      state.report = result.value;
      state.error = null;
      void refresh().then(() => select(result.value.dataset.id));
    } else {
      state.error = result.error;
      state.report = null;
    }
  }

  /** Asks the lab to stop an import under way; it then finishes as a 'cancelled' error. */
  async function cancelImport(importId: string): Promise<void> {
    const state = imports.value.find((i) => i.importId === importId);
    if (state) state.cancelling = true;
    const result = await labApi().request('datasets.cancelImport', { importId });
    if (state && (!result.ok || !result.value.cancelled)) state.cancelling = false;
  }

  function dismissImport(importId: string): void {
    imports.value = imports.value.filter((i) => i.importId !== importId);
  }

  async function rename(id: string, name: string): Promise<string | null> {
    const result = await labApi().request('datasets.rename', { id, name });
    if (!result.ok) return result.error.message;
    await refresh();
    return null;
  }

  async function remove(id: string): Promise<string | null> {
    const result = await labApi().request('datasets.delete', { id });
    if (!result.ok) return result.error.message;
    if (selectedId.value === id) selectedId.value = null;
    await refresh();
    return null;
  }

  const unsubscribe = [
    labApi().on('datasets.importProgress', (progress) => {
      stateFor(progress.importId).progress = progress;
    }),
    labApi().on('datasets.importFinished', ({ importId, result }) => {
      const state = stateFor(importId);
      if (!state.report && !state.error) finish(state, result);
    }),
    labApi().on('datasets.changed', () => void refresh()),
  ];

  function dispose(): void {
    for (const stop of unsubscribe) stop();
  }

  return { list, damaged, status, error, imports, selectedId, selected, preview, previewError, refresh, select, importDropped, cancelImport, dismissImport, rename, remove, dispose };
});
