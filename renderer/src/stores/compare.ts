import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import type { ReplyOf } from '../../../shared/contract/labApi.js';
import { labApi } from '../api/labApi.js';

export interface ComparedRun {
  details: ReplyOf<'runs.get'>;
  codes: ReplyOf<'runs.codes'> | null;
  samples: ReplyOf<'runs.sample'> | null;
}

export const maxCompared = 6;

/** The comparison: 2–6 chosen runs with their curves, panel reconstructions, codes and prior samples. */
export const useCompareStore = defineStore('compare', () => {
  const chosen = ref<string[]>([]);
  const compared = shallowRef<ComparedRun[]>([]);
  const status = ref<'idle' | 'loading' | 'ready'>('idle');

  async function loadRun(id: string): Promise<ComparedRun | null> {
    const api = labApi();
    const details = await api.request('runs.get', { id });
    if (!details.ok) return null;
    const [codes, samples] = await Promise.all([api.request('runs.codes', { id }), api.request('runs.sample', { id, count: 8, seed: 7, from: 'prior' })]);
    return { details: details.value, codes: codes.ok ? codes.value : null, samples: samples.ok ? samples.value : null };
  }

  async function toggle(id: string): Promise<void> {
    chosen.value = chosen.value.includes(id) ? chosen.value.filter((c) => c !== id) : [...chosen.value, id].slice(-maxCompared);
    status.value = 'loading';
    const loaded = await Promise.all(chosen.value.map(loadRun));
    compared.value = loaded.filter((r): r is ComparedRun => r !== null);
    status.value = 'ready';
  }

  return { chosen, compared, status, toggle };
});
