import { ref, type Ref } from 'vue';
import type { Result } from '../../../shared/result.js';

/** A list the lab keeps, as a store holds it: the items, whether they are loaded, and why not. */
export interface Listed<T> {
  list: Ref<T[]>;
  status: Ref<'idle' | 'loading' | 'ready' | 'error'>;
  error: Ref<string | null>;
  /** Fetches the list again; answers whether it came. */
  load(): Promise<boolean>;
}

export function listedState<T>(fetch: () => Promise<Result<T[]>>): Listed<T> {
  const list = ref<T[]>([]) as Ref<T[]>;
  const status = ref<'idle' | 'loading' | 'ready' | 'error'>('idle');
  const error = ref<string | null>(null);
  async function load(): Promise<boolean> {
    // Only the first load shows as loading; later ones keep the list on screen.
    if (list.value.length === 0) status.value = 'loading';
    const result = await fetch();
    if (!result.ok) {
      status.value = 'error';
      error.value = result.error.message;
      return false;
    }
    list.value = result.value;
    status.value = 'ready';
    error.value = null;
    return true;
  }
  return { list, status, error, load };
}
