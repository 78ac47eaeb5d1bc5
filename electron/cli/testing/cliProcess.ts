import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { projectRoot } from '../../lab/appInfo.js';

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliProcess {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  done: Promise<CliResult>;
}

/** `aelab ARGS…` as a user runs it: its own process, from the checkout. */
export function startCli(args: string[], env: NodeJS.ProcessEnv = {}): CliProcess {
  const child = spawn(process.execPath, [join(projectRoot(), 'scripts', 'aelab.mjs'), ...args], {
    cwd: projectRoot(),
    env: { ...process.env, AELAB_FASHION_MNIST_DIR: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += String(d)));
  child.stderr?.on('data', (d: Buffer) => (stderr += String(d)));
  const done = new Promise<CliResult>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { child, stdout: () => stdout, stderr: () => stderr, done };
}

export const cli = (args: string[], env?: NodeJS.ProcessEnv): Promise<CliResult> => startCli(args, env).done;

/** The last JSON line a `--json` command printed. */
export const lastJson = (stdout: string): unknown => JSON.parse(stdout.trim().split('\n').at(-1) ?? 'null');

export async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A small vector dataset as a CSV: 400 rows of 4 values and a label; fast to train on. */
export const vectorsCsv = (): string =>
  `x,y,z,w,label\n${Array.from({ length: 400 }, (_, i) => `${(i % 7) / 7},${(i % 5) / 5},${(i % 3) / 3},${(i % 11) / 11},${i % 2 === 0 ? 'a' : 'b'}`).join('\n')}\n`;
