import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunFolder } from '../format/runs/runFolder.js';
import { projectRoot } from '../lab/appInfo.js';
import { generateShapes } from '../lab/datasets/builtin/shapes.js';
import { Lab } from '../lab/lab.js';
import { tempDir } from '../lab/testing/fixtures.js';
import { cli, lastJson } from './testing/cliProcess.js';

const python = join(projectRoot(), '.venv', 'bin', 'python');
const hasOnnxRuntime = ((): boolean => {
  if (!existsSync(python)) return false;
  try {
    execFileSync(python, ['-c', 'import onnxruntime'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/** Runs `model` in onnxruntime on `values` (its batch first, reshaped to the model's input): its first output, flat. */
function onnxRuntime(model: string, values: Float32Array, batch: number): number[] {
  const script = [
    'import json, sys',
    'import numpy as np',
    'import onnxruntime as ort',
    'session = ort.InferenceSession(sys.argv[1], providers=["CPUExecutionProvider"])',
    'meta = session.get_inputs()[0]',
    'x = np.array(json.load(sys.stdin), dtype=np.float32).reshape([int(sys.argv[2]), *meta.shape[1:]])',
    'print(json.dumps(session.run(None, {meta.name: x})[0].astype(np.float64).ravel().tolist()))',
  ].join('\n');
  return JSON.parse(execFileSync(python, ['-c', script, model, String(batch)], { input: JSON.stringify(Array.from(values)) }).toString()) as number[];
}

const largestDifference = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i += 1) worst = Math.max(worst, Math.abs((a[i] ?? NaN) - (b[i] ?? NaN)));
  return worst;
};

describe('aelab export --onnx, end to end', () => {
  let dir: string;
  let ws: string;
  let runId: string;
  beforeAll(async () => {
    dir = await tempDir('aelab-export-');
    ws = join(dir, 'ws');
    await Lab.open({ workspace: ws, host: 'cli', fashionMnistDir: '' }).datasets.save(generateShapes({ count: 600, size: 16, seed: 3 }), 'Small shapes', { id: 'small' });
    const trained = await cli(['--workspace', ws, '--json', 'train', '--dataset', 'small', '--name', 'tiny AE', '--arch', 'dense', '--latent', '4', '--epochs', '1', '--batch', '32']);
    expect(trained.code, trained.stderr).toBe(0);
    runId = (lastJson(trained.stdout) as { runId: string }).runId;
  }, 120_000);
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes the encoder, the decoder and their README into a new folder, and says what it wrote', async () => {
    const out = join(dir, 'made', 'onnx');
    const exported = await cli(['--workspace', ws, 'export', '--run', 'tiny AE', '--onnx', out]);
    expect(exported.code, exported.stderr).toBe(0);
    expect((await readdir(out)).sort()).toEqual(['README.md', 'decoder.onnx', 'encoder.onnx']);
    const lines = exported.stdout.trim().split('\n');
    expect(lines[0]).toBe(`Exported run ${runId} ('tiny AE') as ONNX (opset 17) to ${out}:`);
    expect(lines.slice(1, 4).map((l) => l.replace(/ {2}\(.*\)$/, ''))).toEqual(['encoder.onnx', 'decoder.onnx', 'README.md'].map((name) => `  ${join(out, name)}`));
    const readme = await readFile(join(out, 'README.md'), 'utf8');
    expect(readme).toContain('tiny AE');
    expect(readme).toContain(runId);
    // A ModelProto opens with its IR version (field 1, varint): 8.
    expect([...(await readFile(join(out, 'encoder.onnx'))).subarray(0, 2)]).toEqual([0x08, 0x08]);
  }, 120_000);

  it.skipIf(!hasOnnxRuntime)(`gives onnxruntime the lab's own code and reconstruction of the same images to 1e-5${hasOnnxRuntime ? '' : ` (skipped: no ${python} with onnxruntime)`}`, async () => {
    const out = join(dir, 'parity');
    expect((await cli(['--workspace', ws, 'export', '--run', runId, '--onnx', out])).code).toBe(0);
    const lab = Lab.open({ workspace: ws, host: 'cli', fashionMnistDir: '' });
    try {
      const indices = Int32Array.from([0, 7, 42, 599]);
      const images = await lab.call('runs.reconstruct', { id: runId, indices });
      const codes = await lab.call('runs.encode', { id: runId, indices });
      const onnxCodes = onnxRuntime(join(out, 'encoder.onnx'), images.originals, indices.length);
      expect(largestDifference(onnxCodes, codes.codes)).toBeLessThan(1e-5);
      const onnxImages = onnxRuntime(join(out, 'decoder.onnx'), codes.codes, indices.length);
      expect(largestDifference(onnxImages, images.reconstructions)).toBeLessThan(1e-5);
    } finally {
      lab.shutdown();
    }
  }, 120_000);

  it('refuses a folder that holds one of its files, naming it, unless --force; --json gives what it wrote', async () => {
    const out = join(dir, 'users');
    await mkdir(out, { recursive: true });
    await writeFile(join(out, 'README.md'), 'my notes\n');
    await writeFile(join(out, 'other.txt'), 'kept\n');
    const refused = await cli(['--workspace', ws, 'export', '--run', runId, '--onnx', out]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`error invalid-option: --onnx: '${join(out, 'README.md')}' exists already; choose another folder, or give --force to replace it`);
    expect(await readFile(join(out, 'README.md'), 'utf8')).toBe('my notes\n');
    expect((await readdir(out)).sort()).toEqual(['README.md', 'other.txt']);

    const forced = await cli(['--workspace', ws, '--json', 'export', '--run', runId, '--onnx', out, '--force']);
    expect(forced.code, forced.stderr).toBe(0);
    const value = lastJson(forced.stdout) as { runId: string; opset: number; dir: string; files: { name: string; path: string; bytes: number }[] };
    expect(value).toMatchObject({ runId, opset: 17, dir: out });
    expect(value.files.map((f) => f.name)).toEqual(['encoder.onnx', 'decoder.onnx', 'README.md']);
    for (const file of value.files) expect((await readFile(file.path)).byteLength).toBe(file.bytes);
    expect(await readFile(join(out, 'other.txt'), 'utf8')).toBe('kept\n');

    const again = await cli(['--workspace', ws, 'export', '--run', runId, '--onnx', out]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`--onnx: '${join(out, 'encoder.onnx')}' exists already (and decoder.onnx, README.md); choose another folder, or give --force to replace them`);
  }, 120_000);

  it('refuses a run with no trained model, and one that is not there, writing nothing', async () => {
    // A run cancelled before its first epoch: config and state, no checkpoint.
    const trained = new RunFolder(ws, runId);
    const untrainedId = '20200101000000-abcdef';
    const state = await trained.readState();
    await new RunFolder(ws, untrainedId).create({ ...(await trained.readConfig()), name: 'never trained' }, { ...state, status: 'cancelled', epoch: 0, finishedAt: null });
    const out = join(dir, 'untrained');
    const untrained = await cli(['--workspace', ws, 'export', '--run', 'never trained', '--onnx', out]);
    expect(untrained.code).toBe(1);
    expect(untrained.stderr).toContain(`error not-found: run ${untrainedId} ('never trained') has no trained model to export yet (it is cancelled); train it first`);
    expect(existsSync(out)).toBe(false);

    const unknown = await cli(['--workspace', ws, '--json', 'export', '--run', 'nope', '--onnx', out]);
    expect(unknown.code).toBe(1);
    expect(lastJson(unknown.stdout)).toMatchObject({ error: { code: 'not-found', message: expect.stringMatching(/^--run: no run 'nope' in this workspace/) } });
    const noDir = await cli(['--workspace', ws, 'export', '--run', runId]);
    expect(noDir.code).toBe(1);
    expect(noDir.stderr).toContain('--onnx DIR is needed');
    expect(existsSync(out)).toBe(false);
  }, 120_000);
});
