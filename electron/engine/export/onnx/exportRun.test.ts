import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as TF from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateRunConfig, type RunConfigInput } from '../../../../shared/catalogue/runConfig.js';
import { RunFolder } from '../../../format/runs/runFolder.js';
import { loadBackend, type LoadedBackend, type Tfjs } from '../../backend.js';
import { createAutoencoder } from '../../model/createAutoencoder.js';
import type { Autoencoder, ObjectiveModule } from '../../model/types.js';
import { loadCheckpointModels } from '../../runs/modelService.js';
import { objectiveModules } from '../../model/objectives/objectives.js';
import { referencePython } from '../../testing/referencePython.js';
import { smallShapes } from '../../testing/smallData.js';
import { trainShapesRun, writeShapesDataset } from '../../testing/workspaceRuns.js';
import { batchTensor } from '../../training/trainingData.js';
import { Trainer } from '../../training/trainer.js';
import { exportRunOnnx, type OnnxExport } from './exportRun.js';
import { deviation, noOnnxRuntime, runInOnnxRuntime, type RuntimeAnswer } from './onnxRuntimeReference.js';

let backend: LoadedBackend;
let tf: Tfjs;
let dir: string;
beforeAll(async () => {
  backend = await loadBackend();
  tf = backend.tf;
  dir = mkdtempSync(join(tmpdir(), 'aelab-onnx-export-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const data = smallShapes();
const traits = { shape: data.shape, kind: 'image' as const, unitRange: true };
/** The fixed panel: the first 16 validation images. */
const panel = Array.from(data.validation.subarray(0, 16));

const families: Record<string, Partial<RunConfigInput>> = {
  'dense plain': { architecture: 'dense', objective: 'plain', architectureParams: { hiddenWidths: [48, 24], activation: 'elu', codeActivation: 'tanh' }, reconstructionLoss: 'bce' },
  'dense variational': { architecture: 'dense', objective: 'variational', architectureParams: { hiddenWidths: [48] }, reconstructionLoss: 'bce' },
  'linear plain': { architecture: 'linear', objective: 'plain', reconstructionLoss: 'mse' },
  'conv plain (strided, transposed, vector code)': { architecture: 'conv', objective: 'plain', architectureParams: { channels: [8, 16] }, reconstructionLoss: 'bce' },
  'conv variational (pooled, upsampled, vector code)': { architecture: 'conv', objective: 'variational', architectureParams: { channels: [8, 16], downsample: 'pool', upsample: 'upsample', activation: 'tanh' }, reconstructionLoss: 'bce' },
  'conv denoising (map code)': { architecture: 'conv', objective: 'denoising', architectureParams: { channels: [8], bottleneck: 'map', upsample: 'upsample' }, reconstructionLoss: 'mse' },
};

/** What the lab's engine computes on the panel: the code (μ and log σ² for a VAE) and the reconstruction of it. */
function engineOutputs(model: Autoencoder, objective: ObjectiveModule, latentDim: number, x: TF.Tensor): { heads: Float32Array[]; code: TF.Tensor; reconstruction: Float32Array } {
  const heads = tf.tidy(() => (objective.posterior ? objective.posterior(tf, model, x, latentDim) : [objective.encode(tf, model, x, latentDim)]).map((h) => h.dataSync() as Float32Array));
  const code = tf.tidy(() => objective.encode(tf, model, x, latentDim));
  const reconstruction = tf.tidy(() => (model.decoder.predict(code) as TF.Tensor).dataSync() as Float32Array);
  return { heads, code, reconstruction };
}

/** onnxruntime on the panel: the encoder's outputs, and the decoder on the lab's code. */
function runtimeOutputs(exported: OnnxExport, x: TF.Tensor, code: TF.Tensor): [RuntimeAnswer, RuntimeAnswer] {
  const values = (t: TF.Tensor) => ({ values: t.dataSync() as Float32Array, shape: t.shape });
  const [encoder, decoder] = runInOnnxRuntime(dir, [
    { model: exported.files.encoder, feeds: { x: values(x) } },
    { model: exported.files.decoder, feeds: { code: values(code) } },
  ]);
  return [encoder as RuntimeAnswer, decoder as RuntimeAnswer];
}

const skip = noOnnxRuntime();
const skipped = skip ? ` (skipped: ${skip})` : '';

describe('a run of each family in onnxruntime', () => {
  const figures: string[] = [];
  afterAll(() => {
    if (process.env.ONNX_REPORT) console.log(figures.join('\n'));
  });
  for (const [family, settings] of Object.entries(families)) {
    it.skipIf(skip !== null)(`${family}: gives the lab's code and reconstruction to 1e-5${skipped}`, async () => {
      const validated = validateRunConfig({ datasetId: 'shapes', latentDim: 6, learningRate: 3e-3, batchSize: 32, epochs: 1, seed: 5, ...settings } as RunConfigInput, traits);
      if (!validated.ok) throw new Error(validated.errors.join('; '));
      const { config } = validated;
      const run = createAutoencoder(tf, config, traits);
      // One epoch, so that biases are trained away from their zero start.
      const trainer = new Trainer(tf, run, config, data);
      await trainer.train();
      trainer.dispose();
      const objective = objectiveModules[config.objective];
      const out = join(dir, family.replace(/\W+/g, '-'));
      const exported = await exportRunOnnx(tf, { encoder: run.model.encoder, decoder: run.model.decoder, ...(objective.posterior ? { posteriorHeads: config.latentDim } : {}), title: family }, out);
      const x = batchTensor(tf, data, panel, run.model.inputShape);
      const lab = engineOutputs(run.model, objective, config.latentDim, x);
      const [encoder, decoder] = runtimeOutputs(exported, x, lab.code);

      const headNames = objective.posterior ? ['mu', 'log_var'] : ['code'];
      expect(encoder.inputs).toEqual([{ name: 'x', shape: ['batch', ...run.model.inputShape] }]);
      expect(encoder.outputs.map((o) => o.name)).toEqual(headNames);
      expect(decoder.inputs).toEqual([{ name: 'code', shape: ['batch', ...run.model.latentShape] }]);
      expect(decoder.outputs.map((o) => [o.name, o.shape])).toEqual([['reconstruction', ['batch', ...run.model.inputShape]]]);
      const codeDeviation = Math.max(...encoder.outputs.map((o, k) => deviation(o.value.values, lab.heads[k] as Float32Array)));
      const reconstructionDeviation = deviation(decoder.outputs[0]?.value.values ?? new Float32Array(0), lab.reconstruction);
      figures.push(`${family}: code ${codeDeviation.toExponential(2)}, reconstruction ${reconstructionDeviation.toExponential(2)}`);
      expect(codeDeviation).toBeLessThan(1e-5);
      expect(reconstructionDeviation).toBeLessThan(1e-5);
      // The reconstruction is not trivially equal: it differs from the input it reconstructs.
      expect(deviation(lab.reconstruction, x.dataSync() as Float32Array)).toBeGreaterThan(1e-2);

      const readme = readFileSync(exported.files.readme, 'utf8');
      expect(readme).toContain('opset 17');
      for (const name of [...headNames, 'x', 'reconstruction']) expect(readme).toContain(`\`${name}\``);
      expect(readme).toContain(`[batch, ${run.model.inputShape.join(', ')}]`);
      // On data in [0, 1] the reconstruction is a sigmoid's output, except the linear autoencoder's.
      expect(readme).toContain(`Values: ${config.architecture === 'linear' ? 'any real value' : '[0, 1]'}.`);
      tf.dispose([x, lab.code]);
      run.model.encoder.dispose();
      run.model.decoder.dispose();
    });
  }
});

describe('a stored run', () => {
  it.skipIf(skip !== null)(`exports its best checkpoint, giving what the loaded models give${skipped}`, async () => {
    const workspace = join(dir, 'workspace');
    const shapes = await writeShapesDataset(workspace, 'shapes', { count: 200, size: 16, seed: 4 });
    const runId = await trainShapesRun(backend, workspace, shapes, {
      datasetId: 'shapes',
      architecture: 'conv',
      architectureParams: { channels: [4, 8] },
      objective: 'variational',
      latentDim: 4,
      reconstructionLoss: 'bce',
      batchSize: 32,
      learningRate: 3e-3,
      seed: 2,
      epochs: 1,
    });
    const out = join(dir, 'stored');
    const before = tf.memory().numTensors;
    const exported = await exportRunOnnx(tf, { workspace, runId }, out);
    // The models it loaded are freed.
    expect(tf.memory().numTensors).toBe(before);
    for (const file of ['encoder.onnx', 'decoder.onnx', 'README.md']) expect(existsSync(join(out, file))).toBe(true);
    const readme = readFileSync(exported.files.readme, 'utf8');
    expect(readme).toContain(`run ${runId}`);
    expect(readme).toContain('in [0, 1] (unit scaling)');
    // The README's Python example runs as written beside the files.
    const example = /```python\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
    expect(example).toContain('ort.InferenceSession');
    const printed = execFileSync(referencePython, ['-c', `${example}\nprint(reconstruction.shape, mu.shape, log_var.shape)`], { cwd: out }).toString();
    expect(printed.trim()).toBe('(8, 16, 16, 1) (8, 4) (8, 4)');
    expect(exported.encoder.outputs.map((o) => [o.name, o.shape])).toEqual([
      ['mu', ['batch', 4]],
      ['log_var', ['batch', 4]],
    ]);

    const { encoder, decoder } = await loadCheckpointModels(tf, new RunFolder(workspace, runId));
    const model: Autoencoder = { encoder, decoder, inputShape: [16, 16, 1], latentShape: [4] };
    const x = tf.tidy(() => tf.div(tf.tensor(shapes.samples.slice(0, 8 * 256), [8, 16, 16, 1], 'float32'), 255));
    const lab = engineOutputs(model, objectiveModules.variational, 4, x);
    const [onnxEncoder, onnxDecoder] = runtimeOutputs(exported, x, lab.code);
    onnxEncoder.outputs.forEach((o, k) => expect(deviation(o.value.values, lab.heads[k] as Float32Array)).toBeLessThan(1e-5));
    expect(deviation(onnxDecoder.outputs[0]?.value.values ?? new Float32Array(0), lab.reconstruction)).toBeLessThan(1e-5);
    tf.dispose([x, lab.code]);
    encoder.dispose();
    decoder.dispose();
  });
});
