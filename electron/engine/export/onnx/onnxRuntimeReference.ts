import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { missingPythonModule, referencePython } from '../../testing/referencePython.js';

/** Why the onnxruntime checks cannot run here, or null when they can. */
export const noOnnxRuntime = (): string | null => missingPythonModule('onnxruntime');

export interface Values {
  values: Float32Array;
  shape: number[];
}

/** What onnxruntime reports of one model: its declared inputs and outputs and what it computed. */
export interface RuntimeAnswer {
  inputs: { name: string; shape: (number | string)[] }[];
  outputs: { name: string; shape: (number | string)[]; value: Values }[];
}

const script = [
  'import json, sys',
  'import numpy as np',
  'import onnxruntime as ort',
  'jobs = json.load(open(sys.argv[1]))',
  'answers = []',
  'for job in jobs:',
  '    options = ort.SessionOptions()',
  '    options.log_severity_level = 3',
  '    session = ort.InferenceSession(job["model"], options, providers=["CPUExecutionProvider"])',
  '    feeds = {name: np.fromfile(f["file"], dtype="<f4").reshape(f["shape"]) for name, f in job["feeds"].items()}',
  '    values = session.run(None, feeds)',
  '    dims = lambda meta: [d if isinstance(d, int) else str(d) for d in meta.shape]',
  '    outputs = []',
  '    for k, (meta, value) in enumerate(zip(session.get_outputs(), values)):',
  '        path = job["model"] + f".out{k}.f32"',
  '        np.ascontiguousarray(value, dtype="<f4").tofile(path)',
  '        outputs.append({"name": meta.name, "shape": dims(meta), "valueShape": list(value.shape), "file": path})',
  '    answers.append({"inputs": [{"name": i.name, "shape": dims(i)} for i in session.get_inputs()], "outputs": outputs})',
  'print(json.dumps(answers))',
].join('\n');

/** Runs each model file in onnxruntime on its feeds, all in one Python process; files go beside the models. */
export function runInOnnxRuntime(dir: string, jobs: { model: string; feeds: Record<string, Values> }[]): RuntimeAnswer[] {
  const spec = jobs.map((job, j) => ({
    model: job.model,
    feeds: Object.fromEntries(
      Object.entries(job.feeds).map(([name, feed], k) => {
        const file = join(dir, `feed-${j}-${k}.f32`);
        writeFileSync(file, Buffer.from(feed.values.buffer, feed.values.byteOffset, feed.values.byteLength));
        return [name, { file, shape: feed.shape }];
      }),
    ),
  }));
  const specFile = join(dir, 'jobs.json');
  writeFileSync(specFile, JSON.stringify(spec));
  const answers = JSON.parse(execFileSync(referencePython, ['-c', script, specFile], { maxBuffer: 1 << 26 }).toString()) as {
    inputs: RuntimeAnswer['inputs'];
    outputs: { name: string; shape: (number | string)[]; valueShape: number[]; file: string }[];
  }[];
  return answers.map((a) => ({
    inputs: a.inputs,
    outputs: a.outputs.map((o) => {
      const bytes = readFileSync(o.file);
      return { name: o.name, shape: o.shape, value: { values: new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)), shape: o.valueShape } };
    }),
  }));
}

/** The largest difference of `actual` from `expected`, absolute below 1 and relative above: what the 1e-5 bound is on. */
export function deviation(actual: Float32Array, expected: Float32Array): number {
  if (actual.length !== expected.length) return Infinity;
  let worst = 0;
  for (let i = 0; i < actual.length; i += 1) {
    const e = expected[i] as number;
    const d = Math.abs((actual[i] as number) - e) / Math.max(1, Math.abs(e));
    if (Number.isNaN(d)) return Infinity;
    if (d > worst) worst = d;
  }
  return worst;
}
