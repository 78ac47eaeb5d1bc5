import { _electron as electron, expect, test } from '@playwright/test';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The Electron binary, if the electron package's download ever ran on this machine. */
function electronBinary(): string | undefined {
  const pathFile = join(process.cwd(), 'node_modules', 'electron', 'path.txt');
  if (!existsSync(pathFile)) return undefined;
  const binary = join(process.cwd(), 'node_modules', 'electron', 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : undefined;
}

const binary = electronBinary();

test('the Electron app opens on the Datasets view over the same lab services', async () => {
  test.skip(!binary, 'no Electron binary on this machine: the electron package downloads it in an install script, which is not run here; the browser host tests cover the same renderer and lab services');
  const workspace = await mkdtemp(join(tmpdir(), 'aelab-electron-'));
  try {
    const app = await electron.launch({ executablePath: binary, args: ['dist/electron/main/main.js', '--workspace', workspace], env: { ...process.env, AELAB_FASHION_MNIST_DIR: '' } });
    const window = await app.firstWindow();
    await expect(window.locator('.dataset-list [data-dataset-id="shapes"]')).toBeVisible();
    expect(await window.evaluate(() => typeof (window as unknown as { require?: unknown }).require)).toBe('undefined');
    await app.close();
  } finally {
    await rm(workspace, { recursive: true, force: true });
  }
});
