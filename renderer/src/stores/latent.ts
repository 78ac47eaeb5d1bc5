import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import { labApi } from '../api/labApi.js';
import { lerp, slerp } from '../latent/geometry.js';
import { latentAt, loadExplorer, positionsAt, type DecodedImages, type RunExplorer, type SliderMode } from '../latent/explorer.js';
import { RunUmap, type RunUmapState } from '../latent/runUmap.js';

export type { DecodedImages, RunExplorer } from '../latent/explorer.js';

/** Above this latent size the sliders move along the codes' principal directions instead of single units. */
export const maxUnitSliders = 16;
const principalSliders = 8;
/** Side-by-side mode shows at most this many runs. */
export const maxExplored = 3;
const maxInFlight = 2;
/** Hover reconstructions kept per session of the view, so going back over a point costs no request. */
const keptReconstructions = 200;

/** How the scatter of codes with d > 2 is drawn. */
export type Projection = 'pca' | 'umap';

/** The last point clicked on a scatter, which the sliders were moved to. */
export interface PickedCode {
  runId: string;
  testIndex: number;
  /** Sliders that could not reach the code and stopped at their end. */
  clamped: number;
}

/**
 * The latent explorer: one run, or up to three side by side driven by the same sliders.
 * A slider holds a position in [0, 1] within each run's own range, so runs whose codes
 * live on different scales (a plain autoencoder's, a VAE's) are moved alike.
 */
export const useLatentStore = defineStore('latent', () => {
  const explorers = shallowRef<RunExplorer[]>([]);
  const positions = ref<number[]>([]);
  /** Bumped when any explorer's image or state changes; explorers are plain objects, not deep-reactive. */
  const version = ref(0);
  const error = ref<string | null>(null);
  const status = ref<'idle' | 'loading' | 'ready' | 'error'>('idle');
  const runIds = computed(() => explorers.value.map((e) => e.runId));
  const runId = computed(() => runIds.value[0] ?? null);
  const mode = computed<SliderMode>(() => (explorers.value.some((e) => e.latentSize > maxUnitSliders) ? 'directions' : 'units'));
  const usesDirections = computed(() => mode.value === 'directions');
  const sliderCount = computed(() => (usesDirections.value ? principalSliders : Math.max(0, ...explorers.value.map((e) => e.latentSize))));
  const projection = ref<Projection>('pca');
  const picked = ref<PickedCode | null>(null);
  /** Runs a link asked the explorer to open (the first is the main one); the view opens them when it shows. */
  const requested = ref<string[]>([]);
  // Per run; plain objects whose changes bump `version`, like the explorers.
  const umaps = new Map<string, RunUmap>();
  const reconstructions = new Map<string, Promise<DecodedImages | null>>();

  let loading = 0;
  /** Opens the given runs (the first is the main one), replacing what was open. */
  async function load(ids: string[]): Promise<void> {
    const ticket = ++loading;
    status.value = 'loading';
    const wanted = ids.slice(0, maxExplored);
    const loaded = await Promise.all(wanted.map((id) => loadExplorer(labApi(), id, principalSliders)));
    if (ticket !== loading) return;
    const opened: RunExplorer[] = [];
    for (const outcome of loaded) {
      if (!outcome.ok) {
        status.value = 'error';
        error.value = outcome.error;
        return;
      }
      opened.push(outcome.explorer);
    }
    // A run that stays open (a partner was added or dropped) keeps its layout; a finished run's codes do not change.
    const open = new Set(opened.map((e) => e.runId));
    for (const [id, umap] of umaps)
      if (!open.has(id)) {
        umap.dispose();
        umaps.delete(id);
      }
    picked.value = null;
    explorers.value = opened;
    const first = explorers.value[0];
    // Units start at the first run's code mean (as a position within its range); directions at the centre.
    positions.value = Array.from({ length: sliderCount.value }, (_, k) => {
      if (usesDirections.value || !first?.stats || k >= first.latentSize) return 0.5;
      const span = (first.stats.high[k] ?? 1) - (first.stats.low[k] ?? 0);
      return span > 0 ? Math.min(1, Math.max(0, ((first.stats.mean[k] ?? 0) - (first.stats.low[k] ?? 0)) / span)) : 0.5;
    });
    error.value = null;
    status.value = 'ready';
    version.value += 1;
    for (const explorer of explorers.value) void decodeLatest(explorer);
    if (projection.value === 'umap') showProjection('umap');
  }

  /** The latent vector the sliders point at, for one run. */
  function latentOf(explorer: RunExplorer): Float32Array<ArrayBuffer> {
    return latentAt(explorer, positions.value, mode.value);
  }

  // Per run, at most two decodes in flight, so a move made while one is out does not wait for it;
  // moves made while two are out collapse into the latest position, and a reply older than the
  // image on show is dropped.
  async function decodeLatest(explorer: RunExplorer): Promise<void> {
    if (explorer.inFlight >= maxInFlight) {
      explorer.stale = true;
      return;
    }
    explorer.inFlight += 1;
    explorer.stale = false;
    const sequence = ++explorer.sent;
    const requested = positions.value.slice();
    try {
      const result = await labApi().request('runs.decode', { id: explorer.runId, latents: latentOf(explorer), count: 1 });
      if (sequence > explorer.shown) {
        explorer.shown = sequence;
        if (result.ok) {
          explorer.decoded = { values: result.value.images, shape: result.value.shape };
          explorer.decodedAt = requested;
          explorer.decodes += 1;
          explorer.error = null;
        } else explorer.error = result.error.message;
        version.value += 1;
      }
    } finally {
      explorer.inFlight -= 1;
    }
    if (explorer.stale) void decodeLatest(explorer);
  }

  function setSlider(index: number, position: number): void {
    positions.value.splice(index, 1, Math.min(1, Math.max(0, position)));
    picked.value = null;
    moved();
  }

  function moved(): void {
    for (const explorer of explorers.value) void decodeLatest(explorer);
    placeMarkers();
  }

  /** Moves every slider to the code of one run's test image; sliders beyond that run's size stay. */
  function moveTo(explorer: RunExplorer, testIndex: number): void {
    const { positions: target, clamped } = positionsAt(explorer, explorer.codeAt(testIndex), mode.value);
    positions.value = positions.value.map((p, k) => target[k] ?? p);
    picked.value = { runId: explorer.runId, testIndex, clamped };
    moved();
  }

  /** Switches the scatters of d > 2 runs; a UMAP starts the first time it is asked for and goes on if PCA is chosen meanwhile. */
  function showProjection(wanted: Projection): void {
    projection.value = wanted;
    if (wanted === 'umap')
      for (const explorer of explorers.value)
        if (explorer.latentSize > 2 && !umaps.has(explorer.runId)) umaps.set(explorer.runId, new RunUmap(explorer, () => (version.value += 1)));
    placeMarkers();
    version.value += 1;
  }

  /** A copy of the run's UMAP state, so that a view reading it after each `version` sees a new value. */
  function umapOf(runId: string): RunUmapState | null {
    const state = umaps.get(runId)?.state;
    return state ? { ...state } : null;
  }

  function placeMarkers(): void {
    if (projection.value !== 'umap') return;
    for (const explorer of explorers.value) umaps.get(explorer.runId)?.place(latentOf(explorer));
  }

  /** One run's reconstruction of one test image, decoded from its code: no request returns a dataset's pixels by index. */
  function reconstructionOf(explorer: RunExplorer, testIndex: number): Promise<DecodedImages | null> {
    const key = `${explorer.runId}:${testIndex}`;
    let image = reconstructions.get(key);
    if (!image) {
      if (reconstructions.size >= keptReconstructions) reconstructions.delete(reconstructions.keys().next().value ?? '');
      image = labApi()
        .request('runs.decode', { id: explorer.runId, latents: explorer.codeAt(testIndex), count: 1 })
        .then((result) => (result.ok ? { values: result.value.images, shape: result.value.shape } : null));
      reconstructions.set(key, image);
    }
    return image;
  }

  /** What slider k means for a run: the latent value (units) or the distance in standard deviations (directions). */
  function sliderValue(explorer: RunExplorer, k: number): number | null {
    if (usesDirections.value) return -3 + 6 * (positions.value[k] ?? 0.5);
    return k < explorer.latentSize ? (latentOf(explorer)[k] ?? null) : null;
  }

  /** Each run's decodes along the path between the codes of two test images (the same images for every run). */
  async function interpolate(from: number, to: number, steps: number, method: 'linear' | 'spherical'): Promise<Array<DecodedImages | null>> {
    return Promise.all(
      explorers.value.map(async (explorer) => {
        const size = explorer.latentSize;
        // An index past the run's test split would read an empty code: there is nothing to decode.
        const count = explorer.codes.shape[0] ?? 0;
        if (![from, to].every((i) => Number.isInteger(i) && i >= 0 && i < count)) return null;
        const a = explorer.codeAt(from);
        const b = explorer.codeAt(to);
        const latents = new Float32Array(steps * size);
        for (let k = 0; k < steps; k += 1) latents.set((method === 'linear' ? lerp : slerp)(a, b, k / (steps - 1)), k * size);
        const result = await labApi().request('runs.decode', { id: explorer.runId, latents, count: steps });
        return result.ok ? { values: result.value.images, shape: result.value.shape } : null;
      }),
    );
  }

  /** For runs with d = 2: decodes over a regular grid spanning the codes' 1–99 % range (null for other runs). */
  async function manifold(side: number): Promise<Array<DecodedImages | null>> {
    return Promise.all(
      explorers.value.map(async (explorer) => {
        if (explorer.latentSize !== 2 || !explorer.stats) return null;
        const { low, high } = explorer.stats;
        const latents = new Float32Array(side * side * 2);
        for (let row = 0; row < side; row += 1)
          for (let column = 0; column < side; column += 1) {
            const x = (low[0] ?? -3) + ((high[0] ?? 3) - (low[0] ?? -3)) * (column / (side - 1));
            // Row 0 at the top is the largest second coordinate, as on a plot.
            const y = (high[1] ?? 3) - ((high[1] ?? 3) - (low[1] ?? -3)) * (row / (side - 1));
            latents.set([x, y], (row * side + column) * 2);
          }
        const result = await labApi().request('runs.decode', { id: explorer.runId, latents, count: side * side });
        return result.ok ? { values: result.value.images, shape: result.value.shape } : null;
      }),
    );
  }

  function request(ids: string[]): void {
    requested.value = ids.slice(0, maxExplored);
  }

  return {
    explorers, positions, version, error, status, runIds, runId, mode, usesDirections, sliderCount, projection, picked, requested,
    request, load, setSlider, moveTo, showProjection, umapOf, reconstructionOf, sliderValue, latentOf, interpolate, manifold,
  };
});
