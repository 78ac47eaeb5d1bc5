import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { ComputeBackend } from '../../shared/domain/lab.js';

const require = createRequire(import.meta.url);

function packageDir(name: string): string | undefined {
  try {
    return dirname(require.resolve(`${name}/package.json`));
  } catch {
    return undefined;
  }
}

/**
 * Which compute backend the engine will get, found without loading TensorFlow (the
 * lab services never load it; only the engine process does).
 */
export function probeBackend(): ComputeBackend {
  const native = packageDir('@tensorflow/tfjs-node');
  if (native) {
    const lib = join(native, 'lib');
    const binding = existsSync(lib) ? readdirSync(lib).find((d) => existsSync(join(lib, d, 'tfjs_binding.node'))) : undefined;
    if (binding) return { name: 'tensorflow', detail: `native TensorFlow through @tensorflow/tfjs-node (${binding})` };
  }
  if (packageDir('@tensorflow/tfjs-backend-wasm')) {
    return { name: 'wasm', detail: 'WebAssembly fallback: native TensorFlow is not provisioned (run the README install command)' };
  }
  return { name: 'cpu', detail: 'plain JavaScript fallback: native TensorFlow is not provisioned (run the README install command)' };
}
