import type * as TF from '@tensorflow/tfjs';
import type { Tfjs } from '../../backend.js';
import type { TrainingData } from '../../training/trainingData.js';
import { dot, orthonormalise } from './linearAlgebra.js';
import { symmetricEigen } from './symmetricEigen.js';

export type PcaMethod = 'exact' | 'randomized';

export interface PcaOptions {
  /** At most this many components (default 256); fewer where the dimension or the train split is smaller. */
  maxComponents?: number;
  onProgress?: (done: number, total: number) => void;
  /** Default: exact up to `exactDimensionLimit` dimensions, randomized above. */
  method?: PcaMethod;
  /** Randomized method: subspace iterations after the first product (default 4). */
  powerIterations?: number;
  /** Randomized method: seed of the Gaussian test matrix. */
  seed?: number;
}

export interface PcaErrorBound {
  /** max_j ‖C·v_j − λ_j·v_j‖ over the returned components (C the covariance). */
  eigenvalue: number;
  text: string;
}

export interface PcaResult {
  method: PcaMethod;
  /** D = h·w·c */
  dimension: number;
  trainCount: number;
  /** Samples of the split testMse was measured on. */
  testCount: number;
  evaluatedOn: 'test' | 'validation';
  /** The train split's mean, model-input scale. */
  mean: Float32Array;
  /** K */
  componentCount: number;
  /** K unit vectors of length D, row-major, by descending variance; each one's largest-|value| entry is positive. */
  components: Float32Array;
  /** All D covariance eigenvalues, descending, for the exact method; the top K for the randomized one. */
  eigenvalues: Float64Array;
  /** Trace of the covariance: the train split's total variance. */
  totalVariance: number;
  /** [k−1]: share of the total variance in the first k components, k = 1..K. */
  explainedVarianceRatio: Float64Array;
  /** [k]: mean squared error per element, model-input scale, of reconstructing the evaluated split from the mean and the first k components, k = 0..K. */
  testMse: Float64Array;
  /** The randomized method's stated accuracy; null for the exact one. */
  errorBound: PcaErrorBound | null;
  /** Wall time of the phases: the data passes (covariance or sketch), the eigen-decomposition, the reconstruction errors. */
  seconds: { covariance: number; decomposition: number; evaluation: number; total: number };
}

/** Above this the exact method's O(D³) float64 eigen-decomposition would take minutes, so the default is randomized. */
export const exactDimensionLimit = 2048;
const defaultComponents = 256;
/** Integer products of pixels shifted to −128..127 are at most 2^14, so 1024 rows sum exactly (≤ 2^24) in float32. */
const integerChunkRows = 1024;
const oversampling = 10;

/**
 * Principal component analysis of the train split: mean-centred, images flattened. The
 * exact method forms the covariance chunk by chunk with native matrix products summed in
 * float64 and decomposes it in float64; the randomized one (Halko, Martinsson & Tropp 2011)
 * runs a few subspace iterations of the covariance on a Gaussian block and reports the
 * residual norms of what it returns. Either way the reconstruction error of every k is
 * measured exactly on the test split (or validation where there is none).
 */
export async function computePca(tf: Tfjs, data: TrainingData, options: PcaOptions = {}): Promise<PcaResult> {
  const started = performance.now();
  const dimension = data.shape[0] * data.shape[1] * data.shape[2];
  const train = data.train;
  const trainCount = train.length;
  if (trainCount === 0) throw new Error('PCA needs at least one training sample');
  const requested = options.maxComponents ?? defaultComponents;
  if (!Number.isInteger(requested) || requested < 0) throw new Error(`maxComponents must be a whole number ≥ 0, not ${requested}`);
  const componentCount = Math.min(requested, dimension, trainCount);
  const method = options.method ?? (dimension <= exactDimensionLimit ? 'exact' : 'randomized');
  const evaluatedOn = data.test.length > 0 ? 'test' : 'validation';
  const evaluated = evaluatedOn === 'test' ? data.test : data.validation;

  const passes = method === 'exact' ? 1 : (options.powerIterations ?? 4) + 2;
  const trainChunks = Math.ceil(trainCount / chunkRows(data, dimension, method));
  const evaluationChunks = Math.ceil(evaluated.length / chunkRows(data, dimension, 'randomized'));
  const total = passes * trainChunks + 1 + evaluationChunks;
  let done = 0;
  const tick = async (): Promise<void> => {
    done += 1;
    options.onProgress?.(done, total);
    // Lets the engine answer its protocol between chunks.
    await new Promise<void>((resolve) => setImmediate(resolve));
  };

  let decomposition: Decomposition;
  let covarianceSeconds: number;
  let decompositionSeconds: number;
  if (method === 'exact') {
    const moments = await exactCovariance(tf, data, dimension, tick);
    covarianceSeconds = (performance.now() - started) / 1000;
    const start = performance.now();
    const eigen = symmetricEigen(moments.covariance, dimension, componentCount);
    decomposition = { mean: moments.mean, values: eigen.values, vectors: eigen.vectors, totalVariance: moments.trace, errorBound: null };
    decompositionSeconds = (performance.now() - start) / 1000;
    await tick();
  } else {
    const sketch = await randomizedEigen(tf, data, dimension, componentCount, options, tick);
    decomposition = sketch.decomposition;
    covarianceSeconds = sketch.passSeconds;
    decompositionSeconds = (performance.now() - started) / 1000 - sketch.passSeconds;
    await tick();
  }
  const { mean, vectors, totalVariance } = decomposition;
  // A covariance has no negative eigenvalues; those below zero are rounding.
  const eigenvalues = decomposition.values.map((v) => Math.max(0, v));
  fixSigns(vectors, componentCount, dimension);

  const evaluationStart = performance.now();
  const testMse = await reconstructionErrors(tf, data, evaluated, mean, vectors, componentCount, dimension, tick);
  const evaluationSeconds = (performance.now() - evaluationStart) / 1000;

  const explainedVarianceRatio = new Float64Array(componentCount);
  let captured = 0;
  for (let k = 0; k < componentCount; k += 1) {
    captured += eigenvalues[k] ?? 0;
    explainedVarianceRatio[k] = totalVariance > 0 ? captured / totalVariance : 0;
  }
  return {
    method,
    dimension,
    trainCount,
    testCount: evaluated.length,
    evaluatedOn,
    mean: Float32Array.from(mean),
    componentCount,
    components: Float32Array.from(vectors),
    eigenvalues,
    totalVariance,
    explainedVarianceRatio,
    testMse,
    errorBound: decomposition.errorBound,
    seconds: { covariance: covarianceSeconds, decomposition: decompositionSeconds, evaluation: evaluationSeconds, total: (performance.now() - started) / 1000 },
  };
}

interface Decomposition {
  /** Model-input scale, float64. */
  mean: Float64Array;
  values: Float64Array;
  /** K×D, unit rows. */
  vectors: Float64Array;
  totalVariance: number;
  errorBound: PcaErrorBound | null;
}

type Tick = () => Promise<void>;

function chunkRows(data: TrainingData, dimension: number, method: PcaMethod): number {
  if (method === 'exact' && data.samples instanceof Uint8Array) return integerChunkRows;
  // About 16 MB of float32 per chunk.
  return Math.max(64, Math.min(4096, Math.floor(2 ** 22 / Math.max(1, dimension))));
}

/** The train split's mean at model-input scale, in float64. */
function meanOf(data: TrainingData, indices: Int32Array, dimension: number): Float64Array {
  const sums = new Float64Array(dimension);
  const { samples } = data;
  for (const index of indices) {
    const base = index * dimension;
    for (let i = 0; i < dimension; i += 1) sums[i] = (sums[i] ?? 0) + (samples[base + i] ?? 0);
  }
  return sums.map((s) => (s / indices.length - data.offset) * data.factor);
}

/** Rows `indices[start..start+rows)` at model-input scale minus `mean`, as float32 for TensorFlow; returns their squared norms in float64. */
function centredRows(data: TrainingData, indices: Int32Array, start: number, rows: number, mean: Float64Array, out: Float32Array): Float64Array {
  const dimension = mean.length;
  const { samples, offset, factor } = data;
  const norms = new Float64Array(rows);
  for (let r = 0; r < rows; r += 1) {
    const base = (indices[start + r] ?? 0) * dimension;
    const row = r * dimension;
    let norm = 0;
    for (let i = 0; i < dimension; i += 1) {
      const v = ((samples[base + i] ?? 0) - offset) * factor - (mean[i] ?? 0);
      out[row + i] = v;
      norm += v * v;
    }
    norms[r] = norm;
  }
  return norms;
}

/** Adds the TensorFlow result `product` into `into` and frees it. */
async function accumulate(product: TF.Tensor, into: Float64Array): Promise<void> {
  try {
    const values = await product.data();
    for (let i = 0; i < into.length; i += 1) into[i] = (into[i] ?? 0) + (values[i] ?? 0);
  } finally {
    product.dispose();
  }
}

/** XᵀX for the rows in `chunk` (rows×D), summed into `scatter` in float64. */
async function addGram(tf: Tfjs, chunk: Float32Array, rows: number, dimension: number, scatter: Float64Array): Promise<void> {
  await accumulate(
    tf.tidy(() => {
      const x = tf.tensor2d(chunk.subarray(0, rows * dimension), [rows, dimension]);
      return tf.matMul(x, x, true, false);
    }),
    scatter,
  );
}

/**
 * The train covariance (D×D, row-major, float64) and mean. Stored bytes are summed as
 * integers shifted by 128, which float32 products add exactly in chunks of 1024 rows, so the
 * covariance is exact up to float64 rounding; float samples are centred on their float64
 * mean first and summed in float32 a chunk at a time.
 */
async function exactCovariance(tf: Tfjs, data: TrainingData, dimension: number, tick: Tick): Promise<{ covariance: Float64Array; mean: Float64Array; trace: number }> {
  const { train, samples, offset, factor } = data;
  const n = train.length;
  const rowsPerChunk = chunkRows(data, dimension, 'exact');
  const chunk = new Float32Array(rowsPerChunk * dimension);
  const scatter = new Float64Array(dimension * dimension);
  const divisor = Math.max(1, n - 1);
  let mean: Float64Array;
  if (samples instanceof Uint8Array) {
    const sums = new Float64Array(dimension);
    for (let start = 0; start < n; start += rowsPerChunk) {
      const rows = Math.min(rowsPerChunk, n - start);
      for (let r = 0; r < rows; r += 1) {
        const base = (train[start + r] ?? 0) * dimension;
        const row = r * dimension;
        for (let i = 0; i < dimension; i += 1) {
          const y = (samples[base + i] ?? 0) - 128;
          chunk[row + i] = y;
          sums[i] = (sums[i] ?? 0) + y;
        }
      }
      await addGram(tf, chunk, rows, dimension, scatter);
      await tick();
    }
    // Σ(y−ȳ)(y−ȳ)ᵀ = Σyyᵀ − (Σy)(Σy)ᵀ/n, scaled to model input.
    const scale = (factor * factor) / divisor;
    for (let i = 0; i < dimension; i += 1) {
      const si = sums[i] ?? 0;
      for (let j = 0; j < dimension; j += 1) scatter[i * dimension + j] = ((scatter[i * dimension + j] ?? 0) - (si * (sums[j] ?? 0)) / n) * scale;
    }
    mean = sums.map((s) => (s / n + 128 - offset) * factor);
  } else {
    mean = meanOf(data, train, dimension);
    for (let start = 0; start < n; start += rowsPerChunk) {
      const rows = Math.min(rowsPerChunk, n - start);
      centredRows(data, train, start, rows, mean, chunk);
      await addGram(tf, chunk, rows, dimension, scatter);
      await tick();
    }
    for (let i = 0; i < scatter.length; i += 1) scatter[i] = (scatter[i] ?? 0) / divisor;
  }
  let trace = 0;
  for (let i = 0; i < dimension; i += 1) trace += scatter[i * dimension + i] ?? 0;
  return { covariance: scatter, mean, trace };
}

/** Deterministic standard normal values (mulberry32 and Box–Muller). */
function gaussian(seed: number): () => number {
  let state = seed >>> 0;
  const uniform = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) + 0.5) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
}

/** An orthonormal basis of `width` vectors spanning `vectors` and, where they fall short, random directions. */
function orthonormalBlock(vectors: Float64Array, width: number, dimension: number, random: () => number): Float64Array {
  let { basis, rank } = orthonormalise(vectors, width, dimension);
  // A covariance of rank below the block width (few samples, constant pixels) leaves the sketch short.
  for (let attempt = 0; rank < width && attempt < 10; attempt += 1) {
    const padded = new Float64Array(width * dimension);
    padded.set(basis);
    for (let i = rank * dimension; i < padded.length; i += 1) padded[i] = random();
    ({ basis, rank } = orthonormalise(padded, width, dimension));
  }
  if (rank < width) throw new Error('randomized PCA: could not complete an orthonormal block');
  return basis;
}

/**
 * The randomized method: Y = C·Ω for a Gaussian Ω of K + 10 columns, `powerIterations`
 * rounds of Q = orth(Y), Y = C·Q, then Rayleigh–Ritz on the final Q. Each C·Q is one pass
 * over the train split (X_cᵀ·(X_c·Q), chunk by chunk). The residuals ‖C·v − λ·v‖ come from
 * the last product at no extra pass: each λ is within its residual of an eigenvalue of C.
 */
async function randomizedEigen(tf: Tfjs, data: TrainingData, dimension: number, count: number, options: PcaOptions, tick: Tick): Promise<{ decomposition: Decomposition; passSeconds: number }> {
  const { train } = data;
  const n = train.length;
  const width = Math.min(count + oversampling, dimension);
  const random = gaussian(options.seed ?? 1);
  const mean = meanOf(data, train, dimension);
  const rowsPerChunk = chunkRows(data, dimension, 'randomized');
  const chunk = new Float32Array(rowsPerChunk * dimension);
  const divisor = Math.max(1, n - 1);
  let traceSum = 0;
  let passSeconds = 0;
  const applyCovariance = async (block: Float64Array, measureTrace: boolean): Promise<Float64Array> => {
    const start = performance.now();
    const product = new Float64Array(width * dimension);
    const q = tf.tensor2d(Float32Array.from(block), [width, dimension]);
    try {
      for (let begin = 0; begin < n; begin += rowsPerChunk) {
        const rows = Math.min(rowsPerChunk, n - begin);
        const norms = centredRows(data, train, begin, rows, mean, chunk);
        if (measureTrace) for (const v of norms) traceSum += v;
        await accumulate(
          tf.tidy(() => {
            const x = tf.tensor2d(chunk.subarray(0, rows * dimension), [rows, dimension]);
            return tf.matMul(tf.matMul(x, q, false, true), x, true, false);
          }),
          product,
        );
        await tick();
      }
    } finally {
      q.dispose();
    }
    for (let i = 0; i < product.length; i += 1) product[i] = (product[i] ?? 0) / divisor;
    passSeconds += (performance.now() - start) / 1000;
    return product;
  };

  const omega = Float64Array.from({ length: width * dimension }, random);
  let y = await applyCovariance(omega, true);
  for (let round = 0; round < (options.powerIterations ?? 4); round += 1) y = await applyCovariance(orthonormalBlock(y, width, dimension, random), false);
  const q = orthonormalBlock(y, width, dimension, random);
  const cq = await applyCovariance(q, false);

  // B = Qᵀ·C·Q, symmetrised against rounding, and its eigenvectors U: V = Q·U.
  const b = new Float64Array(width * width);
  for (let i = 0; i < width; i += 1) {
    for (let j = 0; j <= i; j += 1) {
      const v = (dot(q, i * dimension, cq, j * dimension, dimension) + dot(q, j * dimension, cq, i * dimension, dimension)) / 2;
      b[i * width + j] = v;
      b[j * width + i] = v;
    }
  }
  const small = symmetricEigen(b, width, count);
  const values = small.values.slice(0, count);
  const vectors = new Float64Array(count * dimension);
  let worst = 0;
  const residual = new Float64Array(dimension);
  for (let j = 0; j < count; j += 1) {
    residual.fill(0);
    const row = j * dimension;
    for (let i = 0; i < width; i += 1) {
      const u = small.vectors[j * width + i] ?? 0;
      if (u === 0) continue;
      for (let k = 0; k < dimension; k += 1) {
        vectors[row + k] = (vectors[row + k] ?? 0) + u * (q[i * dimension + k] ?? 0);
        residual[k] = (residual[k] ?? 0) + u * (cq[i * dimension + k] ?? 0);
      }
    }
    const lambda = values[j] ?? 0;
    let norm = 0;
    for (let k = 0; k < dimension; k += 1) {
      const r = (residual[k] ?? 0) - lambda * (vectors[row + k] ?? 0);
      norm += r * r;
    }
    worst = Math.max(worst, Math.sqrt(norm));
  }
  const totalVariance = traceSum / divisor;
  const relative = (values[0] ?? 0) > 0 ? worst / (values[0] ?? 1) : 0;
  const text =
    `randomized: ${width}-column Gaussian sketch, ${options.powerIterations ?? 4} subspace iterations; ` +
    `each of the ${count} eigenvalues is within ${worst.toExponential(2)} (${relative.toExponential(2)} of the largest) of an eigenvalue of the covariance ` +
    `(max ‖C·v − λ·v‖, float32 products); their cumulative sums are lower bounds of the exact ones`;
  return { decomposition: { mean, values, vectors, totalVariance, errorBound: { eigenvalue: worst, text } }, passSeconds };
}

/** Each component's largest-|value| entry positive (the first such entry on ties), so results do not depend on the solver's signs. */
function fixSigns(vectors: Float64Array, count: number, dimension: number): void {
  for (let j = 0; j < count; j += 1) {
    const row = j * dimension;
    let at = row;
    for (let k = row; k < row + dimension; k += 1) if (Math.abs(vectors[k] ?? 0) > Math.abs(vectors[at] ?? 0)) at = k;
    if ((vectors[at] ?? 0) < 0) for (let k = row; k < row + dimension; k += 1) vectors[k] = -(vectors[k] ?? 0);
  }
}

/**
 * MSE per element of reconstructing `indices` from the mean and the first k components,
 * for k = 0..K: the samples are projected once, and since the components are orthonormal
 * ‖x_c − Σ_{i≤k} p_i·v_i‖² = ‖x_c‖² − Σ_{i≤k} p_i².
 */
async function reconstructionErrors(tf: Tfjs, data: TrainingData, indices: Int32Array, mean: Float64Array, vectors: Float64Array, count: number, dimension: number, tick: Tick): Promise<Float64Array> {
  const testMse = new Float64Array(count + 1);
  if (indices.length === 0) return testMse.fill(NaN);
  const rowsPerChunk = chunkRows(data, dimension, 'randomized');
  const chunk = new Float32Array(rowsPerChunk * dimension);
  const captured = new Float64Array(count);
  let energy = 0;
  const components = count > 0 ? tf.tensor2d(Float32Array.from(vectors), [count, dimension]) : null;
  try {
    for (let start = 0; start < indices.length; start += rowsPerChunk) {
      const rows = Math.min(rowsPerChunk, indices.length - start);
      for (const norm of centredRows(data, indices, start, rows, mean, chunk)) energy += norm;
      if (components) {
        const projections = tf.tidy(() => tf.matMul(tf.tensor2d(chunk.subarray(0, rows * dimension), [rows, dimension]), components, false, true));
        try {
          const p = await projections.data();
          for (let r = 0; r < rows; r += 1) {
            for (let k = 0; k < count; k += 1) {
              const v = p[r * count + k] ?? 0;
              captured[k] = (captured[k] ?? 0) + v * v;
            }
          }
        } finally {
          projections.dispose();
        }
      }
      await tick();
    }
  } finally {
    components?.dispose();
  }
  const elements = indices.length * dimension;
  let remaining = energy;
  testMse[0] = remaining / elements;
  for (let k = 0; k < count; k += 1) {
    remaining -= captured[k] ?? 0;
    testMse[k + 1] = Math.max(0, remaining) / elements;
  }
  return testMse;
}
