import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { LabInfo } from '../../../shared/domain/lab.js';
import { labApi } from '../api/labApi.js';
import type { ViewId } from '../views/registry.js';

/** The lab as a whole: its info (version, workspace, backend) and which view is open. */
export const useLabStore = defineStore('lab', () => {
  const info = ref<LabInfo | null>(null);
  const error = ref<string | null>(null);
  const view = ref<ViewId>('datasets');

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

  return { info, error, view, load, open };
});
