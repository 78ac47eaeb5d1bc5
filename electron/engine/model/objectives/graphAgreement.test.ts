import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type * as TF from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadBackend, type Tfjs } from '../../backend.js';
import { FunctionBuilder, type Ref } from '../../graph/functionDef.js';
import { binaryCrossEntropy, binaryCrossEntropyOps, probabilityClip } from '../reconstruction.js';
import { gaussianKl, gaussianKlOps, gaussianKlPerUnit, reparameterise, reparameteriseOps } from './gaussianPosterior.js';
import { bernoulliKl, klSparsity, klSparsityOps } from './klSparsity.js';
import { l1Activity, l1ActivityOps } from './sparse.js';

const require = createRequire(import.meta.url);
const native = existsSync(join(dirname(require.resolve('@tensorflow/tfjs-node/package.json')), 'lib', 'napi-v8', 'tfjs_binding.node'));

let tf: Tfjs;
beforeAll(async () => {
  if (native) tf = (await loadBackend('tensorflow')).tf;
});

interface NodeBackend {
  binding: { addFunctionDef(serialized: Uint8Array): void };
  executeMultipleOutputs(name: string, attrs: unknown[], inputs: TF.Tensor[], outputs: number): TF.Tensor[];
}

let functions = 0;
/** Emits ops with `emit` into a function of these inputs, registers it with TensorFlow and runs it once. */
function runGraph(inputs: TF.Tensor[], emit: (g: FunctionBuilder, args: Ref[]) => Ref[]): TF.Tensor[] {
  const g = new FunctionBuilder(`aelab_maths_${process.pid}_${(functions += 1)}`);
  const args = inputs.map((_, i) => g.input(`x${i}`, 'float'));
  const outputs = emit(g, args);
  outputs.forEach((ref, i) => g.output(`y${i}`, ref));
  const backend = tf.backend() as unknown as NodeBackend;
  backend.binding.addFunctionDef(g.serialize());
  return backend.executeMultipleOutputs(g.name, [], inputs, outputs.length);
}

async function expectSame(graph: TF.Tensor, eager: TF.Tensor, tolerance = 1e-6): Promise<void> {
  expect(graph.shape).toEqual(eager.shape);
  const [a, b] = [await graph.data(), await eager.data()];
  a.forEach((v, i) => expect(Math.abs(v - (b[i] ?? NaN))).toBeLessThanOrEqual(tolerance * Math.max(1, Math.abs(b[i] ?? 0))));
}

// The compiled training step writes each term as graph ops; these are the eager functions evaluation uses, op for op.
describe.skipIf(!native)('each term has one formula: its graph ops equal the eager function', () => {
  it('binary cross-entropy, with the clip at 1e-7 (saturated outputs included)', async () => {
    const y = tf.tensor2d([[0, 1e-9, 0.3, 1], [0.5, 1 - 1e-9, 0.9, 0.01]]);
    const target = tf.tensor2d([[0, 1, 0.2, 1], [1, 0, 0.5, 0]]);
    const [graph] = runGraph([y, target], (g, [a, b]) => [binaryCrossEntropyOps(g, a as Ref, b as Ref).loss]);
    await expectSame(graph as TF.Tensor, binaryCrossEntropy(tf, y, target));
    // p = 0 against target 1 costs −log(1e-7), not infinity.
    expect((await binaryCrossEntropy(tf, tf.tensor1d([0]), tf.tensor1d([1])).data())[0]).toBeCloseTo(-Math.log(probabilityClip), 3);
  });

  it('the Gaussian KL to N(0, I), per sample', async () => {
    const mean = tf.tensor2d([[0.3, -1.2, 0.8], [0, 2, -0.1]]);
    const logVariance = tf.tensor2d([[-0.5, 0.4, -1.5], [0, 1, -3]]);
    const [perSample, variance] = runGraph([mean, logVariance], (g, [m, v]) => {
      const ops = gaussianKlOps(g, m as Ref, v as Ref);
      return [ops.perSample, ops.variance];
    });
    await expectSame(perSample as TF.Tensor, gaussianKl(tf, mean, logVariance));
    await expectSame(variance as TF.Tensor, tf.exp(logVariance));
    // Per unit, one unit by hand: ½(0.3² + e^−0.5 − 1 + 0.5).
    expect((await gaussianKlPerUnit(tf, mean, logVariance).data())[0]).toBeCloseTo(0.5 * (0.09 + Math.exp(-0.5) - 1 + 0.5), 6);
  });

  it('the reparameterised sample z = μ + σ·ε', async () => {
    const mean = tf.tensor2d([[0.3, -1.2], [0, 2]]);
    const logVariance = tf.tensor2d([[-0.5, 0.4], [0, -3]]);
    const noise = tf.tensor2d([[1, -0.5], [2, 0.25]]);
    const [z] = runGraph([mean, logVariance, noise], (g, [m, v, e]) => [reparameteriseOps(g, m as Ref, v as Ref, e as Ref).z]);
    await expectSame(z as TF.Tensor, reparameterise(tf, mean, logVariance, noise));
  });

  it('the KL sparsity penalty Σ KL(ρ ‖ ρ̂ⱼ), a never-firing unit clipped at 1e-6', async () => {
    const code = tf.tensor2d([[0.1, 0, 0.9], [0.3, 0, 0.5], [0.02, 0, 0.7]]);
    const [penalty] = runGraph([code], (g, [c]) => [klSparsityOps(g, c as Ref, 0.05).penalty]);
    await expectSame(penalty as TF.Tensor, klSparsity(tf, code, 0.05), 1e-5);
    await expectSame(tf.sum(bernoulliKl(tf, tf.mean(code, 0), 0.05)), klSparsity(tf, code, 0.05));
  });

  it('the L1 activity penalty', async () => {
    const code = tf.tensor2d([[0.1, -2, 0], [3, 0.5, -0.25]]);
    const [penalty] = runGraph([code], (g, [c]) => [l1ActivityOps(g, c as Ref).penalty]);
    await expectSame(penalty as TF.Tensor, l1Activity(tf, code));
  });
});
