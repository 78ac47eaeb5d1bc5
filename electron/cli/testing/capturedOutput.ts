import { rm } from 'node:fs/promises';
import { afterEach, beforeEach, vi } from 'vitest';
import { tempDir } from '../../lab/testing/fixtures.js';

/** What the CLI printed in one test, and a temp folder for its workspace. */
export interface CapturedOutput {
  dir: string;
  out: string[];
  err: string[];
}

/**
 * Registers hooks that give each test a fresh temp folder and capture stdout and stderr
 * (the CLI's `main` writes there), without Fashion-MNIST so that only test data is listed.
 */
export function captureCliOutput(): CapturedOutput {
  const captured: CapturedOutput = { dir: '', out: [], err: [] };
  beforeEach(async () => {
    captured.dir = await tempDir();
    captured.out = [];
    captured.err = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => (captured.out.push(String(chunk)), true));
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => (captured.err.push(String(chunk)), true));
    process.env.AELAB_FASHION_MNIST_DIR = '';
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    delete process.env.AELAB_FASHION_MNIST_DIR;
    await rm(captured.dir, { recursive: true, force: true });
  });
  return captured;
}
