import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { LabInfo } from '../../../shared/domain/lab.js';
import { labApi } from '../api/labApi.js';
import type { ViewId } from '../views/registry.js';

/** The lab as a whole: its info (version, workspace, backend), which view is open, and whether the new-run form is. */
export const useLabStore = defineStore('lab', () => {
  const info = ref<LabInfo | null>(null);
  const error = ref<string | null>(null);
  const view = ref<ViewId>('datasets');
  /** The new-run form, shown in the Runs view in place of the run page. */
  const composing = ref(false);

  async function load(): Promise<void> {
    const result = await labApi().request('lab.info', {});
    if (result.ok) {
      info.value = result.value;
      error.value = null;
    } else error.value = result.error.message;
  }

  function open(id: ViewId): void {
    view.value = id;
  }

  /** Opens the new-run form, from whichever view is open (Ctrl+N). */
  function composeRuns(): void {
    view.value = 'runs';
    composing.value = true;
  }

  function closeComposer(): void {
    composing.value = false;
  }

  return { info, error, view, composing, load, open, composeRuns, closeComposer };
});
