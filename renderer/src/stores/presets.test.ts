import { describe, expect, it } from 'vitest';
import type { RequestChannel } from '../../../shared/contract/channels.js';
import type { Preset } from '../../../shared/domain/preset.js';
import { FakeLab, fail, ok, useFakeLab } from '../testing/fakeLab.js';
import { usePresetsStore } from './presets.js';

/** Keeps saved configurations in memory, with the lab's rules: same name replaces, built-ins stay. */
class PresetsLab extends FakeLab {
  saved: Preset[] = [];
  readonly builtIn: Preset = { id: 'lecture-x', name: 'Lecture', description: '', builtIn: true, variants: [] };

  protected answer(channel: RequestChannel, payload: unknown) {
    const p = payload as { name: string; description: string; variants: never[]; id: string };
    if (channel === 'presets.list') return ok([this.builtIn, ...this.saved]);
    if (channel === 'presets.save') {
      const preset: Preset = { id: `saved-${p.name.toLowerCase()}`, name: p.name, description: p.description, builtIn: false, variants: p.variants };
      this.saved = [...this.saved.filter((s) => s.id !== preset.id), preset];
      return ok(preset);
    }
    if (channel === 'presets.delete') {
      if (p.id === this.builtIn.id) return fail('invalid-request', 'built-in configurations cannot be deleted');
      this.saved = this.saved.filter((s) => s.id !== p.id);
      return ok({ id: p.id });
    }
    return undefined;
  }
}

useFakeLab(() => new PresetsLab());

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
