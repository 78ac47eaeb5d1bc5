import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import type { ReplyOf } from '../../../shared/contract/labApi.js';
import { labApi } from '../api/labApi.js';
import { scatterOf } from '../latent/explorer.js';
import { principalDirectionsOffThread } from '../latent/principalOffThread.js';

export interface ComparedRun {
  details: ReplyOf<'runs.get'>;
  codes: ReplyOf<'runs.codes'> | null;
  /** The test codes in 2-D, with how they were projected. */
  scatter: { points: Float32Array; method: string } | null;
  /** Decodes of random latents: from N(0, I), and from a Gaussian fitted to the run's codes. */
  samples: { prior: ReplyOf<'runs.sample'> | null; fitted: ReplyOf<'runs.sample'> | null };
}

export const maxCompared = 6;
const sampleCount = 6;

/** The comparison: 2–6 chosen runs with their curves, panel reconstructions, codes and samples. */
export const useCompareStore = defineStore('compare', () => {
  const chosen = ref<string[]>([]);
  const compared = shallowRef<ComparedRun[]>([]);
  const status = ref<'idle' | 'loading' | 'ready'>('idle');
  /** The run the last pick pushed out of the comparison, if it did. */
  const dropped = ref<string | null>(null);
  // A finished run does not change, so each is fetched once per session of the view.
  const cache = new Map<string, Promise<ComparedRun | null>>();

  async function fetchRun(id: string): Promise<ComparedRun | null> {
    const api = labApi();
    const details = await api.request('runs.get', { id });
    if (!details.ok) return null;
    const [codes, prior, fitted] = await Promise.all([
      api.request('runs.codes', { id }),
      api.request('runs.sample', { id, count: sampleCount, seed: 7, from: 'prior' }),
      api.request('runs.sample', { id, count: sampleCount, seed: 7, from: 'fitted' }),
    ]);
    let scatter: ComparedRun['scatter'] = null;
    if (codes.ok) {
      const [n = 0, d = 0] = codes.value.shape;
      const directions = d > 2 ? await principalDirectionsOffThread(codes.value.codes, Math.min(n, 3000), d, 2) : null;
      scatter = scatterOf({ codes: codes.value, directions });
    }
    return { details: details.value, codes: codes.ok ? codes.value : null, scatter, samples: { prior: prior.ok ? prior.value : null, fitted: fitted.ok ? fitted.value : null } };
  }

  function loadRun(id: string): Promise<ComparedRun | null> {
    let run = cache.get(id);
    if (!run) {
      run = fetchRun(id);
      cache.set(id, run);
      // A failed fetch is tried again next time rather than remembered.
      void run.then((r) => (r === null ? cache.delete(id) : undefined));
    }
    return run;
  }

  async function show(ids: string[]): Promise<void> {
    chosen.value = ids;
    status.value = 'loading';
    const wanted = chosen.value.slice();
    const loaded = await Promise.all(wanted.map(loadRun));
    if (wanted.join() !== chosen.value.join()) return;
    compared.value = loaded.filter((r): r is ComparedRun => r !== null);
    status.value = 'ready';
  }

  /** Adds a run, or takes it out; a seventh pick drops the earliest chosen, and `dropped` says which. */
  async function toggle(id: string): Promise<void> {
    const next = chosen.value.includes(id) ? chosen.value.filter((c) => c !== id) : [...chosen.value, id];
    dropped.value = next.length > maxCompared ? (next[0] ?? null) : null;
    await show(next.slice(-maxCompared));
  }

  /** Compares these runs (a link's), replacing the choice. */
  async function choose(ids: string[]): Promise<void> {
    dropped.value = null;
    await show([...new Set(ids)].slice(0, maxCompared));
  }

  /** A deleted run leaves the comparison. */
  function forget(id: string): void {
    cache.delete(id);
    if (dropped.value === id) dropped.value = null;
    if (chosen.value.includes(id)) void toggle(id);
  }

  return { chosen, compared, status, dropped, toggle, choose, forget };
});
