import { computed, ref, watch } from 'vue';
import type { RunSummary } from '../../../shared/domain/run.js';
import { useRunsStore } from '../stores/runs.js';
import { isTrained } from './anomaly/anomalySetup.js';
import { nextRunChoice } from './anomaly/runChoice.js';

/**
 * The runs an analysis panel scores, of one dataset at a time: the trained runs, the dataset
 * chosen (the selected run's, where a recipe or the run page sent the user), and the runs chosen.
 * A recipe that opens the panel hands its runs over (`handOff`): the panel opens on their
 * dataset and they are chosen as they finish training; a new hand-off starts the choice afresh.
 */
export function useRunChoice(handOff: () => readonly string[], options: { max: number; prefer?: (run: RunSummary, candidates: readonly RunSummary[]) => boolean }) {
  const runs = useRunsStore();
  const trained = computed(() => runs.list.filter(isTrained));
  const datasetIds = computed(() => [...new Set(trained.value.map((r) => r.config.datasetId))]);
  const datasetId = ref('');
  const chosen = ref<string[]>([]);
  const candidates = computed(() => trained.value.filter((r) => r.config.datasetId === datasetId.value));

  watch(
    datasetIds,
    (ids) => {
      if (ids.includes(datasetId.value)) return;
      const selected = trained.value.find((r) => r.id === runs.selectedId);
      datasetId.value = selected?.config.datasetId ?? ids[0] ?? '';
    },
    { immediate: true },
  );
  let handedIn = new Set<string>();
  watch(handOff, () => {
    handedIn = new Set();
    chosen.value = [];
  });
  watch(
    () => trained.value.find((r) => handOff().includes(r.id))?.config.datasetId,
    (id) => {
      if (id) datasetId.value = id;
    },
    { immediate: true },
  );
  watch(
    [candidates, handOff],
    ([list, ids]) => {
      const prefer = options.prefer;
      const next = nextRunChoice({ candidates: list, chosen: chosen.value, handOff: ids, handedIn, selectedId: runs.selectedId, max: options.max, ...(prefer ? { prefer: (run: RunSummary) => prefer(run, list) } : {}) });
      handedIn = next.handedIn;
      chosen.value = next.chosen;
    },
    { immediate: true },
  );
  return { trained, datasetIds, datasetId, chosen, candidates };
}
