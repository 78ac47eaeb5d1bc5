import { describe, expect, it } from 'vitest';
import type { RequestChannel } from '../../../shared/contract/channels.js';
import { FakeLab, fail, ok, useFakeLab } from '../testing/fakeLab.js';
import { maxCompared, useCompareStore } from './compare.js';

/** Runs r1…r9 with 3-D codes; r9 is gone (deleted elsewhere). */
class CompareLab extends FakeLab {
  protected answer(channel: RequestChannel, payload: unknown) {
    const p = payload as { id: string; from?: string };
    if (p.id === 'r9') return fail('not-found', 'no run r9');
    if (channel === 'runs.get') return ok({ run: { id: p.id, name: p.id }, metrics: [], evaluation: null, panel: null });
    if (channel === 'runs.codes') {
      const n = 50;
      const codes = Float32Array.from({ length: n * 3 }, (_, i) => Math.sin(i * 1.7) * (i % 3 === 0 ? 5 : 1));
      return ok({ codes, shape: [n, 3], indices: new Int32Array(n), labels: new Int32Array(n), classNames: ['a'] });
    }
    if (channel === 'runs.sample') return ok({ images: new Float32Array(6 * 4).fill(p.from === 'prior' ? 0 : 1), shape: [6, 2, 2, 1], latentSize: 3 });
    return undefined;
  }
}

const lab = useFakeLab(() => new CompareLab());

describe('compare store', () => {
  it('loads each chosen run once with its scatter and both kinds of samples', async () => {
    const store = useCompareStore();
    await store.toggle('r1');
    await store.toggle('r2');
    expect(store.compared.map((c) => c.details.run.id)).toEqual(['r1', 'r2']);
    const [first] = store.compared;
    expect(first?.scatter?.method).toBe('PCA of the 3-dimensional codes (first two components)');
    expect(first?.scatter?.points).toHaveLength(100);
    expect(first?.samples.prior?.images[0]).toBe(0);
    expect(first?.samples.fitted?.images[0]).toBe(1);
    expect(lab().calls.filter(([c, p]) => c === 'runs.get' && (p as { id: string }).id === 'r1')).toHaveLength(1);
  });

  it('keeps at most six runs, dropping the earliest chosen', async () => {
    const store = useCompareStore();
    for (let i = 1; i <= maxCompared + 1; i += 1) await store.toggle(`r${i}`);
    expect(store.chosen).toEqual(['r2', 'r3', 'r4', 'r5', 'r6', 'r7']);
    await store.toggle('r4');
    expect(store.compared.map((c) => c.details.run.id)).toEqual(['r2', 'r3', 'r5', 'r6', 'r7']);
  });

  it('says which run a seventh pick dropped, and says nothing for a pick that drops none', async () => {
    const store = useCompareStore();
    for (let i = 1; i <= maxCompared; i += 1) await store.toggle(`r${i}`);
    expect(store.dropped).toBeNull();
    await store.toggle('r7');
    expect(store.dropped).toBe('r1');
    await store.toggle('r7');
    expect(store.dropped).toBeNull();
  });

  it('is loading from the pick until every chosen run has come', async () => {
    const store = useCompareStore();
    await store.toggle('r1');
    const pending = store.toggle('r2');
    expect(store.status).toBe('loading');
    expect(store.compared.map((c) => c.details.run.id)).toEqual(['r1']);
    await pending;
    expect(store.status).toBe('ready');
    expect(store.compared.map((c) => c.details.run.id)).toEqual(['r1', 'r2']);
  });

  it('compares the runs a link names, once each and at most six', async () => {
    const store = useCompareStore();
    await store.choose(['r1', 'r2', 'r1', 'r3', 'r4', 'r5', 'r6', 'r7']);
    expect(store.chosen).toEqual(['r1', 'r2', 'r3', 'r4', 'r5', 'r6']);
    expect(store.compared).toHaveLength(6);
    expect(store.dropped).toBeNull();
  });

  it('leaves out a run the lab no longer has, and forgets one deleted', async () => {
    const store = useCompareStore();
    await store.toggle('r1');
    await store.toggle('r9');
    expect(store.compared.map((c) => c.details.run.id)).toEqual(['r1']);
    store.forget('r1');
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(store.chosen).toEqual(['r9']);
  });
});
