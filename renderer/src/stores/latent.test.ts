import { describe, expect, it, vi } from 'vitest';
import type { RequestChannel } from '../../../shared/contract/channels.js';
import type { Result } from '../../../shared/result.js';
import { FakeLab, ok, useFakeLab } from '../testing/fakeLab.js';
import { useLatentStore } from './latent.js';

/** 'wide' runs: 60 four-dimensional codes in three clusters, labelled by cluster. */
function wideCodes(): { codes: Float32Array; labels: Int32Array } {
  const codes = Float32Array.from({ length: 60 * 4 }, (_, i) => 5 * (Math.floor(i / 4) % 3) * (i % 4 === Math.floor(i / 4) % 3 ? 1 : 0) + 0.2 * Math.sin(i * 1.7));
  return { codes, labels: Int32Array.from({ length: 60 }, (_, i) => i % 3) };
}

/** Two runs with 2-D codes on different scales: 'plain' spans ±50, 'vae' ±2; and 4-D 'wide' runs. Decodes answer the latent as pixels. */
class LatentLab extends FakeLab {
  decodes: Array<{ id: string; latents: number[] }> = [];
  private releases: Array<() => void> = [];
  hold = false;
  protected answer(channel: RequestChannel, payload: unknown): Result<unknown> | Promise<Result<unknown>> | undefined {
    const p = payload as { id: string; latents: Float32Array; count: number };
    if (channel === 'runs.codes' && p.id.startsWith('wide')) {
      const { codes, labels } = wideCodes();
      return ok({ codes, shape: [60, 4], indices: Int32Array.from({ length: 60 }, (_, i) => i), labels, classNames: ['a', 'b', 'c'] });
    }
    if (channel === 'runs.codes') {
      const scale = p.id.startsWith('plain') ? 50 : 2;
      const n = 101;
      const codes = Float32Array.from({ length: n * 2 }, (_, i) => (i % 2 === 0 ? 1 : -1) * scale * (Math.floor(i / 2) / 50 - 1));
      return ok({ codes, shape: [n, 2], indices: Int32Array.from({ length: n }, (_, i) => i), labels: new Int32Array(n), classNames: ['a'] });
    }
    if (channel === 'runs.decode') {
      this.decodes.push({ id: p.id, latents: [...p.latents] });
      const reply = { images: Float32Array.from(p.latents), shape: [p.count, 1, p.latents.length / p.count, 1], latentSize: p.latents.length / p.count };
      if (!this.hold) return ok(reply);
      return new Promise((resolve) => this.releases.push(() => resolve(ok(reply))));
    }
    return undefined;
  }
  release(): void {
    for (const r of this.releases.splice(0)) r();
  }
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
const lab = useFakeLab(() => new LatentLab());

describe('latent store', () => {
  it('drives two runs with one slider, each within its own code range', async () => {
    const store = useLatentStore();
    await store.load(['plain-1', 'vae-1']);
    expect(store.explorers.map((e) => e.runId)).toEqual(['plain-1', 'vae-1']);
    expect(store.sliderCount).toBe(2);
    store.setSlider(0, 1);
    await settle();
    const last = (id: string) => lab().decodes.filter((d) => d.id === id).at(-1)?.latents ?? [];
    // The 99th percentile of each run's first unit: ~+49 for the plain run, ~+1.96 for the VAE.
    expect(last('plain-1')[0]).toBeCloseTo(49, 0);
    expect(last('vae-1')[0]).toBeCloseTo(1.96, 1);
    expect(store.sliderValue(store.explorers[1]!, 0)).toBeCloseTo(1.96, 1);
    expect(store.explorers[0]?.decodedAt).toEqual(store.positions);
  });

  it('keeps two decodes out at most and ends on the latest position, never an older one', async () => {
    const store = useLatentStore();
    await store.load(['vae-1']);
    await settle();
    lab().decodes = [];
    lab().hold = true;
    store.setSlider(0, 0.1);
    store.setSlider(0, 0.2);
    store.setSlider(0, 0.3);
    store.setSlider(0, 0.4);
    expect(lab().decodes).toHaveLength(2);
    lab().release();
    await settle();
    // 0.3 was never sent: 0.4 replaced it while two were out.
    expect(lab().decodes).toHaveLength(3);
    expect(store.explorers[0]?.decodedAt[0]).toBe(0.2);
    lab().release();
    await settle();
    expect(store.explorers[0]?.decodedAt[0]).toBe(0.4);
    const stats = store.explorers[0]!.stats;
    const at = (p: number) => ((stats.low[0] ?? 0) + ((stats.high[0] ?? 0) - (stats.low[0] ?? 0)) * p).toFixed(4);
    expect(lab().decodes.map((d) => d.latents[0]?.toFixed(4))).toEqual([at(0.1), at(0.2), at(0.4)]);
  });

  it('drops a reply that comes back after a newer one', async () => {
    const store = useLatentStore();
    await store.load(['vae-1']);
    await settle();
    const replies: Array<() => void> = [];
    const request = lab().request;
    lab().request = (channel, payload) => new Promise((resolve) => replies.push(() => void request(channel, payload).then(resolve)));
    store.setSlider(0, 0.25);
    store.setSlider(0, 0.75);
    replies[1]?.();
    await settle();
    replies[0]?.();
    await settle();
    expect(store.explorers[0]?.decodedAt[0]).toBe(0.75);
  });

  it('interpolates between the same two test images in every run', async () => {
    const store = useLatentStore();
    await store.load(['plain-1', 'vae-1']);
    const strips = await store.interpolate(0, 100, 3, 'linear');
    expect(strips.map((s) => s?.shape[0])).toEqual([3, 3]);
    // End points are the codes of test images 0 and 100: (−50, 50) → (50, −50) for the plain run.
    expect([...(strips[0]?.values.subarray(0, 2) ?? [])]).toEqual([-50, 50]);
    expect([...(strips[1]?.values.subarray(4, 6) ?? [])]).toEqual([2, -2]);
  });

  it('keeps the first error and shows nothing half-loaded', async () => {
    const store = useLatentStore();
    lab().request = () => Promise.resolve({ ok: false, error: { code: 'not-found', message: 'run x has no test codes yet (it is training)' } } as never);
    await store.load(['x']);
    expect(store.status).toBe('error');
    expect(store.error).toBe('run x has no test codes yet (it is training)');
    expect(store.explorers).toEqual([]);
  });

  it('moves the sliders to a clicked test code and decodes it', async () => {
    const store = useLatentStore();
    await store.load(['wide-1']);
    await settle();
    const explorer = store.explorers[0]!;
    store.moveTo(explorer, 7);
    await settle();
    expect(store.picked).toEqual({ runId: 'wide-1', testIndex: 7, clamped: 0 });
    const code = [...explorer.codeAt(7)];
    lab().decodes.at(-1)?.latents.forEach((v, k) => expect(v).toBeCloseTo(code[k] ?? NaN, 4));
    store.setSlider(0, 0.5);
    expect(store.picked).toBeNull();
  });

  it('shows a hovered point as the run’s reconstruction of that test image, asked for once', async () => {
    const store = useLatentStore();
    await store.load(['wide-1']);
    const explorer = store.explorers[0]!;
    const image = await store.reconstructionOf(explorer, 3);
    expect([...(image?.values ?? [])]).toEqual([...explorer.codeAt(3)]);
    const asked = lab().decodes.length;
    await store.reconstructionOf(explorer, 3);
    expect(lab().decodes).toHaveLength(asked);
  });

  it('lays out d > 2 codes by UMAP on request, and marks the sliders in it', async () => {
    const store = useLatentStore();
    await store.load(['wide-1', 'vae-1']);
    store.showProjection('umap');
    expect(store.umapOf('vae-1')).toBeNull();
    expect(store.umapOf('wide-1')?.status).toBe('computing');
    await vi.waitFor(() => expect(store.umapOf('wide-1')?.marker).not.toBeNull(), { timeout: 30_000, interval: 50 });
    const state = store.umapOf('wide-1')!;
    expect(state.points).toHaveLength(120);
    expect(state.sample).toHaveLength(60);
    const before = state.marker;
    store.moveTo(store.explorers[0]!, 10);
    await vi.waitFor(() => expect(store.umapOf('wide-1')?.marker).not.toEqual(before), { timeout: 10_000, interval: 20 });
    // Back to PCA and a new run: the old layout is dropped.
    store.showProjection('pca');
    await store.load(['vae-1']);
    expect(store.umapOf('wide-1')).toBeNull();
  });
});
