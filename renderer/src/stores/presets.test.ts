import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import type { LabApi } from '../../../shared/contract/client.js';
import type { Preset } from '../../../shared/domain/preset.js';
import { setLabApi } from '../api/labApi.js';
import { usePresetsStore } from './presets.js';

/** Keeps saved configurations in memory, with the lab's rules: same name replaces, built-ins stay. */
class FakeLab implements LabApi {
  saved: Preset[] = [];
  readonly builtIn: Preset = { id: 'lecture-x', name: 'Lecture', description: '', builtIn: true, variants: [] };
  request: LabApi['request'] = (channel, payload) => {
    const ok = (value: unknown) => Promise.resolve({ ok: true, value } as never);
    const fail = (message: string) => Promise.resolve({ ok: false, error: { code: 'invalid-request', message } } as never);
    const p = payload as { name: string; description: string; variants: never[]; id: string };
    if (channel === 'presets.list') return ok([this.builtIn, ...this.saved]);
    if (channel === 'presets.save') {
      const preset: Preset = { id: `saved-${p.name.toLowerCase()}`, name: p.name, description: p.description, builtIn: false, variants: p.variants };
      this.saved = [...this.saved.filter((s) => s.id !== preset.id), preset];
      return ok(preset);
    }
    if (channel === 'presets.delete') {
      if (p.id === this.builtIn.id) return fail('built-in configurations cannot be deleted');
      this.saved = this.saved.filter((s) => s.id !== p.id);
      return ok({ id: p.id });
    }
    return fail(`unexpected ${channel}`);
  };
  on: LabApi['on'] = () => () => undefined;
  importDropped: LabApi['importDropped'] = () => Promise.resolve({ ok: false, error: { code: 'internal', message: 'unused' } });
}

let fake: FakeLab;
beforeEach(() => {
  fake = new FakeLab();
  setLabApi(fake);
  setActivePinia(createPinia());
});

describe('presets store', () => {
  it('saves, lists after saving, and deletes', async () => {
    const store = usePresetsStore();
    await store.refresh();
    expect(store.list.map((p) => p.id)).toEqual(['lecture-x']);
    const saved = await store.save('Sweep', 'three sizes', [{ architecture: 'dense', objective: 'plain' }]);
    expect(saved?.id).toBe('saved-sweep');
    expect(store.list.map((p) => p.id)).toEqual(['lecture-x', 'saved-sweep']);
    await store.remove('saved-sweep');
    expect(store.list.map((p) => p.id)).toEqual(['lecture-x']);
  });

  it('keeps the lab’s refusal as the error and the list as it was', async () => {
    const store = usePresetsStore();
    await store.refresh();
    await store.remove('lecture-x');
    expect(store.error).toBe('built-in configurations cannot be deleted');
    expect(store.list).toHaveLength(1);
  });
});
