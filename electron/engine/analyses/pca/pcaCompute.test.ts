import { seededRandom } from '../../../../shared/random.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadBackend, type Tfjs } from '../../backend.js';
import { randomOrthonormalBasis } from '../../testing/randomBasis.js';
import { smallShapes } from '../../testing/smallData.js';
import type { TrainingData } from '../../training/trainingData.js';
import { computePca, exactDimensionLimit } from './pcaCompute.js';
import { principalAngles } from './principalAngles.js';
import { symmetricEigen } from './symmetricEigen.js';

let tf: Tfjs;
beforeAll(async () => {
  tf = (await loadBackend()).tf;
});

const range = (from: number, to: number): Int32Array => Int32Array.from({ length: to - from }, (_, i) => from + i);

const seeded = seededRandom;

function relative(a: number, b: number): number {
  return Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);
}

/**
 * Axis-aligned data: train = mean ± amplitude_i·e_i for each axis i, so the covariance is
 * diag(2·amplitude_i²/(N−1)) exactly; one test sample mean + t has k-component residual Σ_{i>k} t_i².
 */
function axisAligned(dtype: 'uint8' | 'float32'): { data: TrainingData; variances: number[]; test: number[]; order: number[] } {
  const shape = [2, 3, 1] as const;
  const dimension = 6;
  const amplitudes = [3, 7, 1, 5, 2, 4];
  const centre = [100, 80, 120, 90, 60, 110];
  const test = [5, -3, 8, 1, -6, 2];
  const samples = dtype === 'uint8' ? new Uint8Array((2 * dimension + 1) * dimension) : new Float32Array((2 * dimension + 1) * dimension);
  for (let i = 0; i < dimension; i += 1) {
    for (let sign = 0; sign < 2; sign += 1) {
      const row = (2 * i + sign) * dimension;
      for (let k = 0; k < dimension; k += 1) samples[row + k] = (centre[k] ?? 0) + (k === i ? (sign === 0 ? 1 : -1) * (amplitudes[i] ?? 0) : 0);
    }
  }
  for (let k = 0; k < dimension; k += 1) samples[2 * dimension * dimension + k] = (centre[k] ?? 0) + (test[k] ?? 0);
  const offset = 50;
  const factor = 1 / 64;
  const n = 2 * dimension;
  const variances = amplitudes.map((a) => (2 * (a * factor) ** 2) / (n - 1));
  const order = variances.map((_, i) => i).sort((a, b) => (variances[b] ?? 0) - (variances[a] ?? 0));
  return {
    data: { samples, shape, offset, factor, labels: new Int32Array(n + 1), train: range(0, n), validation: new Int32Array(0), test: Int32Array.of(n) },
    variances,
    test: test.map((t) => t * factor),
    order,
  };
}

describe('computePca', () => {
  for (const dtype of ['uint8', 'float32'] as const) {
    it(`recovers known variances, axes and test errors (${dtype} samples)`, async () => {
      const { data, variances, test, order } = axisAligned(dtype);
      const result = await computePca(tf, data);
      expect(result.method).toBe('exact');
      expect(result.dimension).toBe(6);
      expect(result.componentCount).toBe(6);
      expect(result.evaluatedOn).toBe('test');
      expect(result.testCount).toBe(1);
      expect(result.eigenvalues).toHaveLength(6);
      order.forEach((axis, k) => {
        expect(relative(result.eigenvalues[k] ?? 0, variances[axis] ?? 0)).toBeLessThan(1e-12);
        // The component is +e_axis: its largest entry is positive.
        for (let i = 0; i < 6; i += 1) expect(result.components[k * 6 + i]).toBeCloseTo(i === axis ? 1 : 0, 6);
      });
      const total = variances.reduce((a, b) => a + b, 0);
      expect(relative(result.totalVariance, total)).toBeLessThan(1e-12);
      let residual = test.reduce((s, t) => s + t * t, 0);
      order.forEach((axis, k) => {
        expect(relative(result.testMse[k] ?? 0, residual / 6)).toBeLessThan(1e-6);
        residual -= (test[axis] ?? 0) ** 2;
        expect(relative(result.explainedVarianceRatio[k] ?? 0, order.slice(0, k + 1).reduce((s, a) => s + (variances[a] ?? 0), 0) / total)).toBeLessThan(1e-12);
      });
      expect(result.testMse[6]).toBeLessThan(1e-9);
      for (let i = 0; i < 6; i += 1) expect(result.mean[i]).toBeCloseTo((([100, 80, 120, 90, 60, 110][i] ?? 0) - 50) / 64, 6);
    });
  }

  it('finds data on a known plane: two eigenvalues, the plane, and no error left for test points on it', async () => {
    const dimension = 12;
    const random = seeded(5);
    // An orthonormal pair u, v spanning the plane.
    const u = Array.from({ length: dimension }, () => random() - 0.5);
    const v = Array.from({ length: dimension }, () => random() - 0.5);
    const nu = Math.hypot(...u);
    u.forEach((x, i) => (u[i] = x / nu));
    const uv = u.reduce((s, x, i) => s + x * (v[i] ?? 0), 0);
    v.forEach((x, i) => (v[i] = x - uv * (u[i] ?? 0)));
    const nv = Math.hypot(...v);
    v.forEach((x, i) => (v[i] = x / nv));
    const count = 400;
    const samples = new Float32Array(count * dimension);
    for (let n = 0; n < count; n += 1) {
      const a = 3 * Math.cos((2 * Math.PI * n) / 100);
      const b = Math.sin((2 * Math.PI * n) / 100);
      for (let i = 0; i < dimension; i += 1) samples[n * dimension + i] = 0.5 + a * (u[i] ?? 0) + b * (v[i] ?? 0);
    }
    const data: TrainingData = { samples, shape: [3, 4, 1], offset: 0, factor: 1, labels: new Int32Array(count), train: range(0, 300), validation: new Int32Array(0), test: range(300, 400) };
    const result = await computePca(tf, data, { maxComponents: 4 });
    // Over whole periods: var = 9/2 and 1/2 (population), times n/(n−1).
    expect(relative(result.eigenvalues[0] ?? 0, (4.5 * 300) / 299)).toBeLessThan(1e-5);
    expect(relative(result.eigenvalues[1] ?? 0, (0.5 * 300) / 299)).toBeLessThan(1e-5);
    // Float samples are summed in float32 a chunk at a time: off the plane is left what that rounds to.
    expect(result.eigenvalues[2]).toBeLessThan(1e-6 * (result.eigenvalues[0] ?? 0));
    expect(result.explainedVarianceRatio[1]).toBeCloseTo(1, 6);
    const angles = principalAngles(result.components.subarray(0, 2 * dimension), Float64Array.from([...u, ...v]), dimension, 2, 2);
    expect(Math.max(...angles)).toBeLessThan(1e-3);
    expect(result.testMse[0]).toBeCloseTo(5 / dimension, 4);
    // What float32 projections leave of points exactly on the plane.
    expect(result.testMse[2]).toBeLessThan(1e-5 * (result.testMse[0] ?? 0));
  });

  it('agrees with an independent Jacobi eigen-solver and explicit reconstructions on real images', async () => {
    const data = smallShapes(240, 12);
    const dimension = 144;
    const result = await computePca(tf, data, { maxComponents: 40 });
    expect(result.evaluatedOn).toBe('validation');
    expect(result.testCount).toBe(data.validation.length);
    const reference = referencePca(data, dimension);
    const largest = reference.values[0] ?? 1;
    reference.values.forEach((value, k) => expect(Math.abs((result.eigenvalues[k] ?? 0) - value)).toBeLessThan(1e-10 * largest));
    for (let k = 0; k < 40; k += 1) if ((reference.values[k] ?? 0) > 1e-6 * largest) expect(relative(result.eigenvalues[k] ?? 0, reference.values[k] ?? 0)).toBeLessThan(1e-8);
    for (const k of [0, 1, 2, 5, 10, 20, 40]) {
      const expected = reference.reconstructionMse(data.validation, k);
      expect(relative(result.testMse[k] ?? 0, expected)).toBeLessThan(1e-4);
    }
    // The subspaces agree wherever the spectrum has a gap.
    for (const k of [1, 3, 10]) {
      const angles = principalAngles(result.components.subarray(0, k * dimension), reference.vectors.subarray(0, k * dimension), dimension, k, k);
      expect(Math.max(...angles)).toBeLessThan(0.01);
    }
  });

  it('frees every tensor it makes, exact and randomized, and reports its progress to the end', async () => {
    const data = smallShapes(120, 8);
    const before = tf.memory().numTensors;
    const seen: [number, number][] = [];
    await computePca(tf, data, { onProgress: (done, total) => seen.push([done, total]) });
    await computePca(tf, data, { method: 'randomized', maxComponents: 5 });
    expect(tf.memory().numTensors).toBe(before);
    expect(seen.length).toBeGreaterThan(1);
    expect(seen.at(-1)?.[0]).toBe(seen.at(-1)?.[1]);
    seen.forEach(([done], i) => expect(done).toBe(i + 1));
  });

  it('with no components: the mean alone, and all eigenvalues still', async () => {
    const data = smallShapes(100, 8);
    const result = await computePca(tf, data, { maxComponents: 0 });
    expect(result.componentCount).toBe(0);
    expect(result.components).toHaveLength(0);
    expect(result.explainedVarianceRatio).toHaveLength(0);
    expect(result.testMse).toHaveLength(1);
    expect(result.eigenvalues).toHaveLength(64);
    const reference = referencePca(data, 64);
    expect(relative(result.testMse[0] ?? 0, reference.reconstructionMse(data.validation, 0))).toBeLessThan(1e-12);
  });

  it('with every component (k = D): nothing left to reconstruct and all the variance explained', async () => {
    const data = smallShapes(200, 8);
    const result = await computePca(tf, data, { maxComponents: 10_000 });
    expect(result.componentCount).toBe(64);
    expect(result.testMse).toHaveLength(65);
    expect(result.testMse[64]).toBeLessThan(1e-6 * (result.testMse[0] ?? 0));
    expect(result.explainedVarianceRatio[63]).toBeCloseTo(1, 10);
    for (let k = 1; k < 65; k += 1) expect(result.testMse[k]).toBeLessThanOrEqual((result.testMse[k - 1] ?? 0) + 1e-12);
  });

  it('caps the components at the train count', async () => {
    const data = smallShapes(20, 8);
    const result = await computePca(tf, data);
    expect(result.componentCount).toBe(data.train.length);
    expect(result.eigenvalues).toHaveLength(64);
  });

  it('randomized matches exact closely where the spectrum decays, and states a bound that holds', async () => {
    const dimension = 64;
    const count = 600;
    const random = seeded(9);
    // A random orthonormal basis with variances 2^−i along it.
    const basis = randomOrthonormalBasis(dimension, random);
    const samples = new Float32Array(count * dimension);
    for (let n = 0; n < count; n += 1) {
      for (let i = 0; i < dimension; i += 1) {
        const coefficient = (random() * 2 - 1) * Math.sqrt(3) * 2 ** (-i / 2);
        for (let k = 0; k < dimension; k += 1) samples[n * dimension + k] = (samples[n * dimension + k] ?? 0) + coefficient * (basis[i * dimension + k] ?? 0);
      }
    }
    const data: TrainingData = { samples, shape: [8, 8, 1], offset: 0, factor: 1, labels: new Int32Array(count), train: range(0, 500), validation: new Int32Array(0), test: range(500, 600) };
    const exact = await computePca(tf, data, { maxComponents: 8 });
    const sketch = await computePca(tf, data, { maxComponents: 8, method: 'randomized' });
    expect(sketch.method).toBe('randomized');
    expect(sketch.eigenvalues).toHaveLength(8);
    expect(sketch.errorBound?.text).toMatch(/within/);
    const bound = sketch.errorBound?.eigenvalue ?? Infinity;
    for (let k = 0; k < 8; k += 1) {
      expect(relative(sketch.eigenvalues[k] ?? 0, exact.eigenvalues[k] ?? 0)).toBeLessThan(1e-4);
      // Stated: each Ritz value lies within the bound of an eigenvalue (here: its own).
      expect(Math.abs((sketch.eigenvalues[k] ?? 0) - (exact.eigenvalues[k] ?? 0))).toBeLessThanOrEqual(bound + 1e-6 * (exact.eigenvalues[0] ?? 1));
      expect(relative(sketch.testMse[k + 1] ?? 0, exact.testMse[k + 1] ?? 0)).toBeLessThan(1e-3);
    }
    expect(relative(sketch.totalVariance, exact.totalVariance)).toBeLessThan(1e-5);
    expect(Math.max(...principalAngles(sketch.components, exact.components, dimension, 8, 8))).toBeLessThan(0.5);
    expect(exact.errorBound).toBeNull();
  });

  it('goes randomized above the exact limit, and there matches the eigenvalues of the small Gram matrix', async () => {
    const dimension = exactDimensionLimit + 16;
    const count = 30;
    const random = seeded(21);
    const samples = Uint8Array.from({ length: (count + 5) * dimension }, () => Math.floor(random() * 256));
    const data: TrainingData = { samples, shape: [dimension, 1, 1], offset: 0, factor: 1 / 255, labels: new Int32Array(count + 5), train: range(0, count), validation: range(count, count + 5), test: new Int32Array(0) };
    const result = await computePca(tf, data);
    expect(result.method).toBe('randomized');
    expect(result.evaluatedOn).toBe('validation');
    expect(result.componentCount).toBe(count);
    // XᵀX and XXᵀ share their non-zero eigenvalues: the N×N problem is the reference.
    const centred = Array.from({ length: count }, (_, n) => Array.from({ length: dimension }, (_, i) => (samples[n * dimension + i] ?? 0) / 255));
    const mean = Array.from({ length: dimension }, (_, i) => centred.reduce((s, row) => s + (row[i] ?? 0), 0) / count);
    centred.forEach((row) => row.forEach((v, i) => (row[i] = v - (mean[i] ?? 0))));
    const gram = new Float64Array(count * count);
    for (let a = 0; a < count; a += 1) for (let b = 0; b < count; b += 1) gram[a * count + b] = (centred[a] ?? []).reduce((s, v, i) => s + v * (centred[b]?.[i] ?? 0), 0) / (count - 1);
    const reference = symmetricEigen(gram, count).values;
    for (let k = 0; k < count - 1; k += 1) expect(relative(result.eigenvalues[k] ?? 0, reference[k] ?? 0)).toBeLessThan(1e-5);
    expect(result.eigenvalues[count - 1]).toBeLessThan(1e-5 * (reference[0] ?? 1));
    expect(result.errorBound?.eigenvalue).toBeLessThan(1e-4 * (reference[0] ?? 1));
  });

  it('refuses a dataset with no training samples', async () => {
    const data = { ...smallShapes(20, 8), train: new Int32Array(0) };
    await expect(computePca(tf, data)).rejects.toThrow(/training sample/);
  });
});

/** PCA the plain way, nothing shared with the code under test: float64 covariance and cyclic Jacobi rotations. */
function referencePca(data: TrainingData, dimension: number) {
  const input = (index: number, i: number): number => ((data.samples[index * dimension + i] ?? 0) - data.offset) * data.factor;
  const mean = new Float64Array(dimension);
  for (const index of data.train) for (let i = 0; i < dimension; i += 1) mean[i] = (mean[i] ?? 0) + input(index, i) / data.train.length;
  const a = new Float64Array(dimension * dimension);
  for (const index of data.train) {
    for (let i = 0; i < dimension; i += 1) {
      const xi = input(index, i) - (mean[i] ?? 0);
      for (let j = 0; j < dimension; j += 1) a[i * dimension + j] = (a[i * dimension + j] ?? 0) + (xi * (input(index, j) - (mean[j] ?? 0))) / (data.train.length - 1);
    }
  }
  const { values, vectors } = jacobiEigen(a, dimension);
  const reconstructionMse = (indices: Int32Array, k: number): number => {
    let sum = 0;
    for (const index of indices) {
      const x = Array.from({ length: dimension }, (_, i) => input(index, i) - (mean[i] ?? 0));
      const r = [...x];
      for (let c = 0; c < k; c += 1) {
        let p = 0;
        for (let i = 0; i < dimension; i += 1) p += (x[i] ?? 0) * (vectors[c * dimension + i] ?? 0);
        for (let i = 0; i < dimension; i += 1) r[i] = (r[i] ?? 0) - p * (vectors[c * dimension + i] ?? 0);
      }
      sum += r.reduce((s, v) => s + v * v, 0);
    }
    return sum / (indices.length * dimension);
  };
  return { values, vectors, reconstructionMse };
}

/** Cyclic Jacobi: rotate away each off-diagonal entry until none is left; eigenvectors as rows, descending. */
function jacobiEigen(matrix: Float64Array, n: number): { values: number[]; vectors: Float64Array } {
  const a = Float64Array.from(matrix);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i += 1) v[i * n + i] = 1;
  for (let sweep = 0; sweep < 100; sweep += 1) {
    let off = 0;
    for (let p = 0; p < n; p += 1) for (let q = p + 1; q < n; q += 1) off += (a[p * n + q] ?? 0) ** 2;
    if (off < 1e-30) break;
    for (let p = 0; p < n - 1; p += 1) {
      for (let q = p + 1; q < n; q += 1) {
        const apq = a[p * n + q] ?? 0;
        if (Math.abs(apq) < 1e-300) continue;
        const theta = ((a[q * n + q] ?? 0) - (a[p * n + p] ?? 0)) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k += 1) {
          const akp = a[k * n + p] ?? 0;
          const akq = a[k * n + q] ?? 0;
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k += 1) {
          const apk = a[p * n + k] ?? 0;
          const aqk = a[q * n + k] ?? 0;
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k += 1) {
          const vp = v[p * n + k] ?? 0;
          const vq = v[q * n + k] ?? 0;
          v[p * n + k] = c * vp - s * vq;
          v[q * n + k] = s * vp + c * vq;
        }
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => (a[y * n + y] ?? 0) - (a[x * n + x] ?? 0));
  const vectors = new Float64Array(n * n);
  order.forEach((from, to) => vectors.set(v.subarray(from * n, from * n + n), to * n));
  return { values: order.map((i) => a[i * n + i] ?? 0), vectors };
}
