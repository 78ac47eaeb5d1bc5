import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { RunConfigInput } from '../../../shared/catalogue/runConfig.js';
import type { ReplyOf } from '../../../shared/contract/labApi.js';
import type { RunProgress, RunSummary } from '../../../shared/domain/run.js';
import { labApi } from '../api/labApi.js';
import { listedState } from './listedState.js';

export type RunDetails = ReplyOf<'runs.get'>;
export type RunSection = 'diagnostics';

/** Runs: the queue and history, live progress, and the selected run's details (curves, panel, metrics). */
export const useRunsStore = defineStore('runs', () => {
  const { list, status, error, load } = listedState<RunSummary>(() => labApi().request('runs.list', {}));
  const progress = ref<Record<string, RunProgress>>({});
  const selectedId = ref<string | null>(null);
  const details = ref<RunDetails | null>(null);
  const actionError = ref<string | null>(null);
  const section = ref<RunSection | null>(null);
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

  /** Queues each configuration; answers the ids queued and, under each one's label, why the lab refused the others. Selects the first queued. */
  async function queue(configs: Array<{ label: string; config: RunConfigInput }>): Promise<{ runIds: string[]; problems: string[] }> {
    const problems: string[] = [];
    const runIds: string[] = [];
    for (const { label, config } of configs) {
      const result = await labApi().request('runs.create', { config: config as Record<string, unknown> });
      if (result.ok) runIds.push(result.value.id);
      else problems.push(`${label}: ${result.error.message}`);
    }
    await refresh();
    if (runIds[0]) await select(runIds[0]);
    return { runIds, problems };
  }

  /** Queues every variant; returns the messages of those the lab refused (the rest are queued). */
  async function create(configs: RunConfigInput[]): Promise<string[]> {
    return (await queue(configs.map((config, i) => ({ label: `Variant ${i + 1}`, config })))).problems;
  }

  /** The part of the run page to bring into view once it is there (a recipe's diagnostics). */
  function openSection(name: RunSection | null): void {
    section.value = name;
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

  return { list, status, error, progress, selectedId, selected, details, actionError, section, refresh, select, queue, create, openSection, act, dispose };
});
