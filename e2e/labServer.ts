import { test as base } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export interface LabServer {
  url: string;
  workspace: string;
}

/** The real browser host (`aelab serve`) on a temporary workspace, one per test. */
export const test = base.extend<{ lab: LabServer }>({
  // Playwright reads a fixture's dependencies from its destructuring pattern; this one has none.
  // eslint-disable-next-line no-empty-pattern
  lab: async ({}, use) => {
    const workspace = await mkdtemp(join(tmpdir(), 'aelab-e2e-'));
    // Fashion-MNIST is not pre-registered so that the tests import it themselves.
    const child: ChildProcess = spawn(process.execPath, ['scripts/aelab.mjs', '--workspace', workspace, '--json', 'serve'], {
      env: { ...process.env, AELAB_FASHION_MNIST_DIR: '' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const url = await new Promise<string>((resolve, reject) => {
      const lines = createInterface({ input: child.stdout! });
      lines.once('line', (line) => {
        const parsed = JSON.parse(line) as { url?: string; error?: { message: string } };
        if (parsed.url) resolve(parsed.url);
        else reject(new Error(parsed.error?.message ?? line));
      });
      child.once('exit', (code) => reject(new Error(`aelab serve exited with ${code}`)));
    });
    await use({ url, workspace });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
    await rm(workspace, { recursive: true, force: true });
  },
});

export { expect } from '@playwright/test';
