import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { LabInfo } from '../../../shared/domain/lab.js';
import { labApi } from '../api/labApi.js';

export const views = ['datasets', 'runs', 'compare', 'latent', 'analyses'] as const;
export type ViewName = (typeof views)[number];

/** The lab as a whole: its info (version, workspace, backend) and which view is open. */
export const useLabStore = defineStore('lab', () => {
  const info = ref<LabInfo | null>(null);
  const error = ref<string | null>(null);
  const view = ref<ViewName>('datasets');

  async function load(): Promise<void> {
    const result = await labApi().request('lab.info', {});
    if (result.ok) {
      info.value = result.value;
      error.value = null;
    } else error.value = result.error.message;
  }

  function open(name: ViewName): void {
    view.value = name;
  }

  return { info, error, view, load, open };
});
