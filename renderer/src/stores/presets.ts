import { defineStore } from 'pinia';
import type { Preset, PresetVariant } from '../../../shared/domain/preset.js';
import { labApi } from '../api/labApi.js';
import { listedState } from './listedState.js';

/** Run configurations to reuse: the lecture's experiments and the ones the user saved. */
export const usePresetsStore = defineStore('presets', () => {
  const { list, error, load } = listedState<Preset>(() => labApi().request('presets.list', {}));

  async function refresh(): Promise<void> {
    await load();
  }

  /** Saves (or replaces, under the same name) and answers the saved configuration, or null with `error` set. */
  async function save(name: string, description: string, variants: PresetVariant[]): Promise<Preset | null> {
    const result = await labApi().request('presets.save', { name, description, variants });
    if (!result.ok) {
      error.value = result.error.message;
      return null;
    }
    error.value = null;
    await refresh();
    return result.value;
  }

  async function remove(id: string): Promise<void> {
    const result = await labApi().request('presets.delete', { id });
    if (!result.ok) error.value = result.error.message;
    else await refresh();
  }

  return { list, error, refresh, save, remove };
});
