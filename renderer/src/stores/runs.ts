import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { RunConfigInput } from '../../../shared/catalogue/runConfig.js';
import type { ReplyOf } from '../../../shared/contract/labApi.js';
import type { RunProgress, RunSummary } from '../../../shared/domain/run.js';
import type { DamagedItem } from '../../../shared/domain/workspaceHealth.js';
import { labApi } from '../api/labApi.js';
import { listedState } from './listedState.js';

export type RunDetails = ReplyOf<'runs.get'>;
export type RunSection = 'diagnostics';

/** One point of the within-epoch loss curve: where in training (epochs, fractional) and the running loss then. */
export interface BatchLoss {
  epoch: number;
  loss: number;
}

/** Enough points for a smooth curve over a long run; older ones are thinned out past this. */
const batchCurveLimit = 2000;

/** Every other point of the older half: the curve keeps its shape and its newest detail. */
function thinned(points: BatchLoss[]): BatchLoss[] {
  const half = Math.floor(points.length / 2);
  return [...points.slice(0, half).filter((_, i) => i % 2 === 0), ...points.slice(half)];
}

/** Runs: the queue and history, live progress, and the selected run's details (curves, panel, metrics). */
export const useRunsStore = defineStore('runs', () => {
  const { list, status, error, load } = listedState<RunSummary>(() => labApi().request('runs.list', {}));
  const progress = ref<Record<string, RunProgress>>({});
  /** The running loss as progress reported it, per run, since this page was opened: the curve before any epoch has ended. */
  const batchCurves = ref<Record<string, BatchLoss[]>>({});
  const selectedId = ref<string | null>(null);
  const details = ref<RunDetails | null>(null);
  const actionError = ref<string | null>(null);
  const section = ref<RunSection | null>(null);
  const selected = computed(() => list.value.find((r) => r.id === selectedId.value) ?? null);
  let detailsPending = false;

  /** Run folders the lab cannot read: listed with what is wrong, never hidden. */
  const damaged = ref<DamagedItem[]>([]);

  async function refresh(): Promise<void> {
    const [, check] = await Promise.all([load(), labApi().request('workspace.check', {})]);
    if (check.ok) damaged.value = check.value.damaged.filter((item) => item.kind === 'run');
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
      const point = { epoch: p.epoch - 1 + p.batch / Math.max(1, p.batches), loss: p.runningLoss ?? p.loss.total ?? NaN };
      // A run trained again from its checkpoint goes back in epochs: the curve from there on is the new one.
      const curve = [...(batchCurves.value[p.runId] ?? []).filter((q) => q.epoch < point.epoch), point];
      if (Number.isFinite(point.loss)) batchCurves.value = { ...batchCurves.value, [p.runId]: curve.length > batchCurveLimit ? thinned(curve) : curve };
    }),
    labApi().on('runs.changed', ({ run }) => {
      const index = list.value.findIndex((r) => r.id === run.id);
      if (index >= 0) list.value.splice(index, 1, run);
      else list.value.unshift(run);
      if (run.id === selectedId.value) void loadDetails();
    }),
  ];

  /**
   * The run's one samples/s figure: the live one while it trains (over the epoch so far) or
   * before an epoch has ended, else its last epoch's — the same measure (training time only),
   * so the list and the run page agree.
   */
  function samplesPerSecond(run: RunSummary): number | null {
    const live = progress.value[run.id];
    return live && (run.status === 'running' || run.samplesPerSecond === null) ? live.samplesPerSecond : run.samplesPerSecond;
  }

  function dispose(): void {
    for (const stop of unsubscribe) stop();
  }

  return { list, damaged, status, error, progress, batchCurves, samplesPerSecond, selectedId, selected, details, actionError, section, refresh, select, queue, create, openSection, act, dispose };
});
