import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { RunConfigInput } from '../../../shared/catalogue/runConfig.js';
import type { ReplyOf } from '../../../shared/contract/labApi.js';
import type { RunProgress, RunSummary } from '../../../shared/domain/run.js';
import { labApi } from '../api/labApi.js';
import { listedState } from './listedState.js';

export type RunDetails = ReplyOf<'runs.get'>;

/** Runs: the queue and history, live progress, and the selected run's details (curves, panel, metrics). */
export const useRunsStore = defineStore('runs', () => {
  const { list, status, error, load } = listedState<RunSummary>(() => labApi().request('runs.list', {}));
  const progress = ref<Record<string, RunProgress>>({});
  const selectedId = ref<string | null>(null);
  const details = ref<RunDetails | null>(null);
  const actionError = ref<string | null>(null);
  const selected = computed(() => list.value.find((r) => r.id === selectedId.value) ?? null);
  let detailsPending = false;

  async function refresh(): Promise<void> {
    await load();
  }

  async function loadDetails(): Promise<void> {
    const id = selectedId.value;
    if (!id || detailsPending) return;
    detailsPending = true;
    try {
      const result = await labApi().request('runs.get', { id });
      if (selectedId.value === id) details.value = result.ok ? result.value : null;
    } finally {
      detailsPending = false;
    }
  }

  async function select(id: string): Promise<void> {
    selectedId.value = id;
    details.value = null;
    await loadDetails();
  }

  /** Queues every variant; returns the messages of those the lab refused (the rest are queued). */
  async function create(configs: RunConfigInput[]): Promise<string[]> {
    const problems: string[] = [];
    let firstId: string | null = null;
    for (const [i, config] of configs.entries()) {
      const result = await labApi().request('runs.create', { config: config as Record<string, unknown> });
      if (result.ok) firstId ??= result.value.id;
      else problems.push(`Variant ${i + 1}: ${result.error.message}`);
    }
    await refresh();
    if (firstId) await select(firstId);
    return problems;
  }

  async function act(action: 'runs.pause' | 'runs.resume' | 'runs.cancel' | 'runs.delete', id: string): Promise<void> {
    const result = await labApi().request(action, { id });
    actionError.value = result.ok ? null : result.error.message;
    if (action === 'runs.delete' && result.ok && selectedId.value === id) {
      selectedId.value = null;
      details.value = null;
    }
    await refresh();
  }

  const unsubscribe = [
    labApi().on('runs.progress', (p) => {
      progress.value = { ...progress.value, [p.runId]: p };
    }),
    labApi().on('runs.changed', ({ run }) => {
      const index = list.value.findIndex((r) => r.id === run.id);
      if (index >= 0) list.value.splice(index, 1, run);
      else list.value.unshift(run);
      if (run.id === selectedId.value) void loadDetails();
    }),
  ];

  function dispose(): void {
    for (const stop of unsubscribe) stop();
  }

  return { list, status, error, progress, selectedId, selected, details, actionError, refresh, select, create, act, dispose };
});
