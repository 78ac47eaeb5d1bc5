import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type * as TF from '@tensorflow/tfjs';
import type { ComputeBackend } from '../../shared/domain/lab.js';
import { registerFastKernels } from './fastKernels.js';

export type Tfjs = typeof TF;
export type BackendName = ComputeBackend['name'];

export interface LoadedBackend {
  tf: Tfjs;
  backend: ComputeBackend;
}

const require = createRequire(import.meta.url);

async function loadNative(): Promise<LoadedBackend> {
  // TensorFlow's own start-up chatter would drown the lab's output.
  process.env.TF_CPP_MIN_LOG_LEVEL ??= '2';
  const tf = require('@tensorflow/tfjs-node') as Tfjs;
  await tf.ready();
  if (tf.getBackend() !== 'tensorflow') throw new Error(`tfjs-node loaded but the backend is '${tf.getBackend()}'`);
  registerFastKernels(tf);
  return { tf, backend: { name: 'tensorflow', detail: `native TensorFlow through @tensorflow/tfjs-node ${tf.version['tfjs-core'] ?? ''}`.trim() } };
}

async function loadWasm(): Promise<LoadedBackend> {
  const tf = require('@tensorflow/tfjs') as Tfjs;
  const wasm = require('@tensorflow/tfjs-backend-wasm') as { setWasmPaths(prefix: string): void };
  wasm.setWasmPaths(`${join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist')}/`);
  if (!(await tf.setBackend('wasm'))) throw new Error('the wasm backend did not initialise');
  return { tf, backend: { name: 'wasm', detail: 'WebAssembly fallback (native TensorFlow is not provisioned)' } };
}

async function loadCpu(): Promise<LoadedBackend> {
  const tf = require('@tensorflow/tfjs') as Tfjs;
  await tf.setBackend('cpu');
  return { tf, backend: { name: 'cpu', detail: 'plain JavaScript fallback (neither native TensorFlow nor wasm could load)' } };
}

const loaders: Record<BackendName, () => Promise<LoadedBackend>> = { tensorflow: loadNative, wasm: loadWasm, cpu: loadCpu };

/**
 * The engine's tfjs, loaded once per process: native TensorFlow where provisioned, else
 * wasm, else cpu. `only` pins one backend (benchmarks, tests) and fails if it cannot load.
 */
export async function loadBackend(only?: BackendName): Promise<LoadedBackend> {
  if (only) return loaders[only]();
  const reasons: string[] = [];
  for (const name of ['tensorflow', 'wasm', 'cpu'] as const) {
    try {
      const loaded = await loaders[name]();
      if (reasons.length > 0) loaded.backend.detail += ` — ${reasons.join('; ')}`;
      return loaded;
    } catch (cause) {
      reasons.push(`${name}: ${(cause as Error).message.split('\n')[0]}`);
    }
  }
  throw new Error(`no compute backend could load (${reasons.join('; ')})`);
}
