import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { ReplyOf } from '../../../shared/contract/labApi.js';
import { labApi } from '../api/labApi.js';
import { codeStatistics, lerp, principalDirections, slerp, type CodeStatistics } from '../latent/geometry.js';

export interface DecodedImages {
  values: Float32Array;
  /** [count, height, width, channels] */
  shape: number[];
}

/** Above this latent size the sliders move along the codes' principal directions instead of single units. */
export const maxUnitSliders = 16;
const principalSliders = 8;

/** The latent explorer: a run's codes, slider positions, and decodes that keep up with the slider. */
export const useLatentStore = defineStore('latent', () => {
  const runId = ref<string | null>(null);
  const codes = shallowRef<ReplyOf<'runs.codes'> | null>(null);
  const stats = shallowRef<CodeStatistics | null>(null);
  const directions = shallowRef<{ directions: Float32Array[]; deviations: number[] } | null>(null);
  const sliders = ref<number[]>([]);
  const decoded = shallowRef<DecodedImages | null>(null);
  const decodes = ref(0);
  const error = ref<string | null>(null);
  const status = ref<'idle' | 'loading' | 'ready' | 'error'>('idle');
  const latentSize = computed(() => codes.value?.shape[1] ?? 0);
  const usesDirections = computed(() => latentSize.value > maxUnitSliders);

  /** The latent vector the sliders point at. */
  const latent = computed(() => {
    const size = latentSize.value;
    if (!stats.value) return new Float32Array(size);
    if (!usesDirections.value) return Float32Array.from(sliders.value);
    const point = Float32Array.from(stats.value.mean);
    directions.value?.directions.forEach((direction, k) => {
      const amount = (sliders.value[k] ?? 0) * (directions.value?.deviations[k] ?? 0);
      for (let j = 0; j < size; j += 1) point[j] = (point[j] ?? 0) + amount * (direction[j] ?? 0);
    });
    return point;
  });

  const sliderRanges = computed(() =>
    usesDirections.value
      ? (directions.value?.directions ?? []).map(() => ({ min: -3, max: 3 }))
      : Array.from({ length: latentSize.value }, (_, j) => ({ min: stats.value?.low[j] ?? -3, max: stats.value?.high[j] ?? 3 })),
  );

  async function load(id: string): Promise<void> {
    runId.value = id;
    status.value = 'loading';
    decoded.value = null;
    const result = await labApi().request('runs.codes', { id });
    if (runId.value !== id) return;
    if (!result.ok) {
      status.value = 'error';
      error.value = result.error.message;
      return;
    }
    codes.value = result.value;
    const [count = 0, size = 0] = result.value.shape;
    stats.value = codeStatistics(result.value.codes, count, size);
    // Principal directions drive the sliders for large codes, and the scatter's projection for any code above 2-D.
    directions.value = size > 2 ? principalDirections(result.value.codes, Math.min(count, 3000), size, size > maxUnitSliders ? principalSliders : 2) : null;
    sliders.value = size > maxUnitSliders ? new Array<number>(principalSliders).fill(0) : Array.from(stats.value.mean);
    status.value = 'ready';
    error.value = null;
    void decodeLatest();
  }

  // At most one decode in flight; moves made meanwhile collapse into the latest position.
  let inFlight = false;
  let stale = false;
  async function decodeLatest(): Promise<void> {
    if (!runId.value) return;
    if (inFlight) {
      stale = true;
      return;
    }
    inFlight = true;
    try {
      do {
        stale = false;
        const result = await labApi().request('runs.decode', { id: runId.value, latents: latent.value, count: 1 });
        if (result.ok) {
          decoded.value = { values: result.value.images, shape: result.value.shape };
          decodes.value += 1;
        } else error.value = result.error.message;
      } while (stale);
    } finally {
      inFlight = false;
    }
  }

  function setSlider(index: number, value: number): void {
    sliders.value.splice(index, 1, value);
    void decodeLatest();
  }

  /** Code of the i-th test sample. */
  function codeAt(position: number): Float32Array {
    const size = latentSize.value;
    return codes.value ? codes.value.codes.slice(position * size, (position + 1) * size) : new Float32Array(size);
  }

  async function interpolate(from: number, to: number, steps: number, method: 'linear' | 'spherical'): Promise<DecodedImages | null> {
    if (!runId.value) return null;
    const a = codeAt(from);
    const b = codeAt(to);
    const size = latentSize.value;
    const latents = new Float32Array(steps * size);
    for (let k = 0; k < steps; k += 1) latents.set((method === 'linear' ? lerp : slerp)(a, b, k / (steps - 1)), k * size);
    const result = await labApi().request('runs.decode', { id: runId.value, latents, count: steps });
    return result.ok ? { values: result.value.images, shape: result.value.shape } : null;
  }

  /** For d = 2: decodes over a regular grid spanning the codes' 1–99 % range. */
  async function manifold(side: number): Promise<DecodedImages | null> {
    if (!runId.value || latentSize.value !== 2 || !stats.value) return null;
    const { low, high } = stats.value;
    const latents = new Float32Array(side * side * 2);
    for (let row = 0; row < side; row += 1)
      for (let column = 0; column < side; column += 1) {
        const x = (low[0] ?? -3) + ((high[0] ?? 3) - (low[0] ?? -3)) * (column / (side - 1));
        // Row 0 at the top is the largest second coordinate, as on a plot.
        const y = (high[1] ?? 3) - ((high[1] ?? 3) - (low[1] ?? -3)) * (row / (side - 1));
        latents.set([x, y], (row * side + column) * 2);
      }
    const result = await labApi().request('runs.decode', { id: runId.value, latents, count: side * side });
    return result.ok ? { values: result.value.images, shape: result.value.shape } : null;
  }

  return { runId, codes, stats, directions, sliders, sliderRanges, usesDirections, latentSize, latent, decoded, decodes, error, status, load, setSlider, interpolate, manifold, codeAt };
});
