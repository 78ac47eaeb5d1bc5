import { effectScope, watch } from 'vue';
import type { RunSummary } from '../../shared/domain/run.js';
import { useCompareStore } from './stores/compare.js';
import { useDatasetsStore } from './stores/datasets.js';
import { useLabStore } from './stores/lab.js';
import { useLatentStore } from './stores/latent.js';
import { useRunsStore } from './stores/runs.js';
import { readUrlState, writeUrlState, type UrlHost, type UrlState } from './urlState.js';
import type { ViewId } from './views/registry.js';

const trained = (run: RunSummary): boolean => run.status === 'completed' || run.status === 'early-stopped';

/**
 * Keeps the URL's hash and the stores in step: what the hash names is applied once the lists it
 * refers to have loaded (an id the workspace no longer has is skipped without a word), and every
 * later change of view, selection or choice is written back. Answers a function that stops it.
 */
export function syncUrlState(host: UrlHost, viewIds: readonly string[], onHashChange?: (listener: () => void) => () => void): () => void {
  const lab = useLabStore();
  const datasets = useDatasetsStore();
  const runs = useRunsStore();
  const compare = useCompareStore();
  const latent = useLatentStore();
  /** What the URL asks for and has not been applied yet. */
  let wanted: UrlState = {};

  const applyDatasets = (): void => {
    const id = wanted.dataset;
    if (id === undefined || datasets.status !== 'ready') return;
    wanted = { ...wanted, dataset: undefined };
    if (datasets.selectedId !== id && datasets.list.some((d) => d.id === id)) void datasets.select(id);
  };

  const applyRuns = (): void => {
    if (runs.status !== 'ready' || (wanted.run === undefined && wanted.compare === undefined && wanted.latent === undefined)) return;
    const { run, compare: compared, latent: explored } = wanted;
    wanted = { ...wanted, run: undefined, compare: undefined, latent: undefined };
    const known = (id: string): boolean => runs.list.some((r) => r.id === id);
    const done = (id: string): boolean => runs.list.some((r) => r.id === id && trained(r));
    if (run !== undefined && known(run) && runs.selectedId !== run) void runs.select(run);
    const comparable = (compared ?? []).filter(done);
    if (comparable.length > 0 && comparable.join() !== compare.chosen.join()) void compare.choose(comparable);
    // The explorer's partners must share the main run's dataset; the view drops those that do not.
    const explorable = (explored ?? []).filter(done);
    if (explorable.length > 0) latent.request(explorable);
  };

  const apply = (): void => {
    wanted = readUrlState(host);
    if (wanted.view !== undefined && !viewIds.includes(wanted.view)) writeUrlState(host, { view: null });
    else if (wanted.view !== undefined && lab.view !== wanted.view) lab.open(wanted.view as ViewId);
    applyDatasets();
    applyRuns();
  };

  const scope = effectScope(true);
  scope.run(() => {
    watch(() => datasets.status, applyDatasets);
    watch(() => runs.status, applyRuns);
    watch(() => runs.list.length, applyRuns);
    watch(
      () => lab.view,
      (view) => writeUrlState(host, { view }),
    );
    watch(
      () => datasets.selectedId,
      (id) => writeUrlState(host, { dataset: id }),
    );
    watch(
      () => runs.selectedId,
      (id) => writeUrlState(host, { run: id }),
    );
    watch(
      () => compare.chosen.join(','),
      () => writeUrlState(host, { compare: compare.chosen }),
    );
    watch(
      () => latent.runIds.join(','),
      () => writeUrlState(host, { latent: latent.runIds }),
    );
  });
  apply();
  const stopListening = onHashChange?.(apply);
  return () => {
    scope.stop();
    stopListening?.();
  };
}
