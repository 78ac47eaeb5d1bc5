import { spawn } from 'node:child_process';

/**
 * Runs a benchmark process and reads the JSON object on its last line of output. A process
 * that cannot start or prints no JSON gives `failed(message)` with its last line of stderr.
 */
export function runJsonLine<T>(command: string, args: string[], failed: (error: string) => T): Promise<T> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2' } });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', (cause) => resolve(failed(cause.message)));
    child.on('close', () => {
      try {
        resolve(JSON.parse(out.trim().split('\n').at(-1) ?? '') as T);
      } catch {
        resolve(failed((err.trim().split('\n').at(-1) ?? '') || 'no output'));
      }
    });
  });
}
