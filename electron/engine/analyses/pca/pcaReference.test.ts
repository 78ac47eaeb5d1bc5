import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { loadBackend } from '../../backend.js';
import type { TrainingData } from '../../training/trainingData.js';
import { missingPythonModule, referencePython as python } from '../../testing/referencePython.js';
import { computePca } from './pcaCompute.js';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const fashionMnist = process.env.AELAB_FASHION_MNIST_DIR ?? '/usr/share/datasets/fashion-mnist';
const imageFiles = ['train-images-idx3-ubyte.gz', 't10k-images-idx3-ubyte.gz'] as const;
const ks = [1, 2, 4, 8, 16, 32, 64, 128, 256];

const missing =
  missingPythonModule('numpy') ??
  (!imageFiles.every((f) => existsSync(join(fashionMnist, f)))
    ? `no Fashion-MNIST at ${fashionMnist} (apt-get install dataset-fashion-mnist)`
    : null);

/** The images of an IDX3 file: a 16-byte header (magic, count, rows, columns), then the pixels. */
function readImages(file: string): { pixels: Uint8Array; count: number; rows: number; columns: number } {
  const bytes = gunzipSync(readFileSync(file));
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0) !== 0x803) throw new Error(`${file} is not an IDX file of unsigned bytes in 3 dimensions`);
  const [count, rows, columns] = [view.getUint32(4), view.getUint32(8), view.getUint32(12)];
  return { pixels: bytes.subarray(16, 16 + count * rows * columns), count, rows, columns };
}

/** Fashion-MNIST as the lab trains on it: train = the 60,000 train images, test = the 10,000 t10k images, x/255. */
function fashionMnistData(): TrainingData {
  const [train, test] = imageFiles.map((f) => readImages(join(fashionMnist, f))) as [ReturnType<typeof readImages>, ReturnType<typeof readImages>];
  const samples = new Uint8Array(train.pixels.length + test.pixels.length);
  samples.set(train.pixels);
  samples.set(test.pixels, train.pixels.length);
  const range = (from: number, to: number): Int32Array => Int32Array.from({ length: to - from }, (_, i) => from + i);
  return {
    samples,
    shape: [train.rows, train.columns, 1],
    offset: 0,
    factor: 1 / 255,
    labels: new Int32Array(train.count + test.count),
    train: range(0, train.count),
    validation: new Int32Array(0),
    test: range(train.count, train.count + test.count),
  };
}

interface Reference {
  eigenvalues: number[];
  totalVariance: number;
  explainedVarianceRatio: Record<string, number>;
  testMse: Record<string, number>;
}

const relative = (a: number, b: number): number => Math.abs(a - b) / Math.abs(b);

describe('PCA of Fashion-MNIST against numpy in float64', () => {
  if (missing) {
    it.skip(`agrees to 1e-4 in eigenvalues, explained variance and test MSE (skipped: ${missing})`, () => undefined);
    return;
  }
  it('agrees to 1e-4 in eigenvalues, explained variance and test MSE at k = 1, 2, 4, …, 256', { timeout: 300_000 }, async () => {
    const script = join(root, 'scripts', 'bench', 'pca_reference.py');
    const referenceRun = promisify(execFile)(python, [script, '--data', fashionMnist, '--no-sklearn'], { maxBuffer: 1 << 24 });
    const { tf } = await loadBackend();
    const result = await computePca(tf, fashionMnistData());
    const reference = JSON.parse((await referenceRun).stdout) as Reference;

    expect(result.method).toBe('exact');
    expect(result.evaluatedOn).toBe('test');
    expect(result.testCount).toBe(10_000);
    expect(result.componentCount).toBe(256);
    expect(result.eigenvalues).toHaveLength(784);
    expect(relative(result.totalVariance, reference.totalVariance)).toBeLessThan(1e-4);
    reference.eigenvalues.forEach((value, i) => expect(relative(result.eigenvalues[i] ?? 0, value)).toBeLessThan(1e-4));
    expect(relative(result.testMse[0] ?? 0, reference.testMse['0'] ?? NaN)).toBeLessThan(1e-4);
    for (const k of ks) {
      expect(relative(result.explainedVarianceRatio[k - 1] ?? 0, reference.explainedVarianceRatio[String(k)] ?? NaN)).toBeLessThan(1e-4);
      expect(relative(result.testMse[k] ?? 0, reference.testMse[String(k)] ?? NaN)).toBeLessThan(1e-4);
    }
  });
});
