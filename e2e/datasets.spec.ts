import type { Page } from '@playwright/test';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { expect, test } from './labServer.js';

const artifacts = join(process.cwd(), 'e2e', 'artifacts');
const fashionDir = '/usr/share/datasets/fashion-mnist';

async function pngFile(seed: number): Promise<string> {
  const pixels = Buffer.alloc(20 * 20);
  for (let i = 0; i < pixels.length; i += 1) pixels[i] = (seed * 53 + i * 7) % 256;
  return (await sharp(pixels, { raw: { width: 20, height: 20, channels: 1 } }).toColourspace('b-w').png().toBuffer()).toString('base64');
}

/** Drops files on the window as a folder drop does: each File carries its path below the dropped folder. */
async function dropFiles(page: Page, files: Array<{ path: string; base64: string }>): Promise<void> {
  await page.evaluate((list) => {
    const transfer = new DataTransfer();
    for (const { path, base64 } of list) {
      const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      const file = new File([bytes], path.split('/').at(-1) ?? path, { type: 'image/png' });
      Object.defineProperty(file, 'webkitRelativePath', { value: path });
      transfer.items.add(file);
    }
    window.dispatchEvent(new DragEvent('dragenter', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    window.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
  }, files);
}

test('a dropped folder of PNGs in three class folders becomes a dataset, the corrupt file reported', async ({ page, lab }) => {
  await page.goto(lab.url);
  await expect(page.locator('.dataset-list [data-dataset-id="shapes"]')).toBeVisible();
  const files: Array<{ path: string; base64: string }> = [];
  let seed = 0;
  for (const cls of ['circle', 'square', 'triangle']) for (let i = 0; i < 5; i += 1) files.push({ path: `toy-shapes/${cls}/${i}.png`, base64: await pngFile(seed++) });
  files.push({ path: 'toy-shapes/square/corrupt.png', base64: Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from(' not really a png')]).toString('base64') });
  await dropFiles(page, files);

  const done = page.locator('.import[data-state="done"]');
  await expect(done).toContainText('Imported: 15 samples, 3 classes');
  await expect(done.locator('.skipped-file')).toHaveCount(1);
  await expect(done.locator('.skipped-file')).toContainText('toy-shapes/square/corrupt.png');
  await expect(done.locator('.skipped-file')).toContainText('corrupt PNG image: its header is damaged');

  const detail = page.locator('.detail[data-dataset-id="toy-shapes"]');
  await expect(detail).toHaveAttribute('data-state', 'ready');
  await expect(detail.locator('[data-fact="count"]')).toHaveText('15');
  await expect(detail.locator('[data-fact="shape"]')).toHaveText('20×20 px, grayscale');
  for (const cls of ['circle', 'square', 'triangle']) await expect(detail.locator(`.class-counts tr[data-class="${cls}"] .num`)).toHaveText('5');
  await expect(detail.locator('[data-testid="sample-grid"] canvas')).toHaveCount(15);
  await mkdir(artifacts, { recursive: true });
  await page.screenshot({ path: join(artifacts, 'datasets-dropped-folder.png') });

  // Deleting asks first; Keep leaves the dataset; Delete removes it from the list.
  await detail.getByRole('button', { name: 'Delete…' }).click();
  await expect(detail).toContainText('Delete “toy-shapes” from the workspace? Your original files are not touched.');
  await detail.getByRole('button', { name: 'Keep' }).click();
  await expect(detail.getByRole('button', { name: 'Delete…' })).toBeVisible();
  await expect(page.locator('.dataset-list [data-dataset-id="toy-shapes"]')).toBeVisible();
  await detail.getByRole('button', { name: 'Delete…' }).click();
  await detail.getByRole('button', { name: 'Delete', exact: true }).click();
  await expect(page.locator('.dataset-list [data-dataset-id="toy-shapes"]')).toHaveCount(0);
});

test("Fashion-MNIST's IDX files import as 60,000 + 10,000 samples in ten classes", async ({ page, lab }) => {
  test.skip(!existsSync(join(fashionDir, 'train-images-idx3-ubyte.gz')), `Fashion-MNIST is not installed at ${fashionDir} (apt-get install dataset-fashion-mnist)`);
  await page.goto(lab.url);
  await expect(page.locator('.dataset-list [data-dataset-id="shapes"]')).toBeVisible();
  await page.getByTestId('files-input').setInputFiles(['train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz', 't10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz'].map((f) => join(fashionDir, f)));
  await expect(page.locator('.import[data-state="done"]')).toContainText('Imported: 70,000 samples, 10 classes');
  const detail = page.locator('.detail[data-state="ready"]');
  await expect(detail.locator('[data-fact="count"]')).toHaveText('70,000');
  await expect(detail.locator('[data-fact="splits"]')).toContainText('test 10,000');
  await expect(detail.locator('[data-fact="classes"]')).toHaveText('10');
  await expect(detail.locator('.detail-title')).toHaveText('Fashion-MNIST');
  await expect(detail.locator('.class-counts tr[data-class="Ankle boot"] .num')).toHaveText('7,000');
  await expect(detail.locator('.class-counts tr')).toHaveCount(10);
  await expect(detail.locator('.class-counts tr').first().locator('.num')).toHaveText('7,000');
  await mkdir(artifacts, { recursive: true });
  await page.screenshot({ path: join(artifacts, 'datasets-view.png') });
});

test('a bad drop is reported and the lab keeps working', async ({ page, lab }) => {
  await page.goto(lab.url);
  await expect(page.locator('.dataset-list [data-dataset-id="shapes"]')).toBeVisible();
  await dropFiles(page, [{ path: 'notes.txt', base64: Buffer.from('hello').toString('base64') }]);
  await expect(page.locator('.import[data-state="failed"]')).toContainText('none of the files is an image, IDX, CSV, NPY or NPZ file');
  await page.getByRole('button', { name: 'Runs', exact: true }).click();
  await expect(page.locator('.runs-view')).toBeVisible();
  await page.keyboard.press('Alt+1');
  await expect(page.locator('.datasets-view')).toBeVisible();
  await page.keyboard.press('Alt+3');
  await expect(page.locator('.compare-view')).toContainText('Train at least two runs');
  await page.keyboard.press('Alt+5');
  await expect(page.locator('.empty-state[data-view="analyses"]')).toBeVisible();
  await page.getByRole('button', { name: 'Datasets', exact: true }).click();
  await page.locator('.dataset-list [data-dataset-id="shapes"]').click();
  await expect(page.locator('.detail[data-dataset-id="shapes"] [data-fact="count"]')).toHaveText('10,000');
});

test('the Datasets view follows a dark OS theme', async ({ page, lab }) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.goto(lab.url);
  await expect(page.locator('.detail[data-dataset-id="shapes"]')).toHaveAttribute('data-state', 'ready');
  const background = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
  expect(background).toBe('rgb(20, 23, 28)');
  await mkdir(artifacts, { recursive: true });
  await page.screenshot({ path: join(artifacts, 'datasets-dark.png') });
});

test('import options set beside the import buttons: a drop resized to 14×14 px, split and seeded as chosen', async ({ page, lab }) => {
  await page.goto(lab.url);
  await expect(page.locator('.dataset-list [data-dataset-id="shapes"]')).toBeVisible();
  const options = page.getByTestId('import-options');
  await options.locator('summary').click();
  await options.getByTestId('import-resize').check();
  await options.getByLabel('Width (px)').fill('14');
  await options.getByLabel('Height (px)').fill('14');
  await options.getByLabel('Colour').selectOption('grayscale');
  await options.getByLabel('Validation %').fill('20');
  await options.getByLabel('Test %').fill('20');
  await options.getByLabel('Split seed').fill('7');
  await expect(options.getByTestId('import-options-summary')).toHaveText('14×14 px · grayscale · pixels / 255 · split 60/20/20 · seed 7');

  // A value the lab cannot take holds the drop back and is named as the panel names it.
  await options.getByLabel('Split seed').fill('1.5');
  const files: Array<{ path: string; base64: string }> = [];
  for (const cls of ['a', 'b']) for (let i = 0; i < 5; i += 1) files.push({ path: `small/${cls}/${i}.png`, base64: await pngFile(i + (cls === 'a' ? 0 : 10)) });
  await dropFiles(page, files);
  await expect(options.getByTestId('import-option-problems')).toContainText('Split seed must be a whole number; 1.5 was given');
  await expect(page.locator('.import')).toHaveCount(0);

  await options.getByLabel('Split seed').fill('7');
  await dropFiles(page, files);
  await expect(page.locator('.import[data-state="done"]')).toContainText('Imported: 10 samples, 2 classes');
  const detail = page.locator('.detail[data-dataset-id="small"]');
  await expect(detail).toHaveAttribute('data-state', 'ready');
  await expect(detail.locator('[data-fact="shape"]')).toHaveText('14×14 px, grayscale');
  await expect(detail.locator('[data-fact="splits"]')).toHaveText('train 6 · validation 2 · test 2');
  await mkdir(artifacts, { recursive: true });
  await page.screenshot({ path: join(artifacts, 'datasets-import-options.png') });
});

test('a dataset whose bytes changed on disk is shown as damaged by the workspace check, and moved to quarantine', async ({ page, lab }) => {
  await page.goto(lab.url);
  await expect(page.locator('.dataset-list [data-dataset-id="shapes"]')).toBeVisible();
  // A few sample bytes in the middle of the file damaged, its header and length as they were.
  const file = join(lab.workspace, 'datasets', 'shapes', 'dataset.aeds');
  const bytes = await readFile(file);
  const at = Math.floor(bytes.length / 2);
  bytes.set(bytes.subarray(at, at + 16).map((b) => 255 - b), at);
  await writeFile(file, bytes);

  const check = page.getByRole('region', { name: 'Workspace check' });
  await check.getByTestId('workspace-check').click();
  await expect(check.getByTestId('workspace-check-result')).toHaveText('1 damaged item:');
  const damaged = page.locator('.dataset-list .damaged-item[data-damaged-id="shapes"]');
  await expect(damaged).toContainText('datasets/shapes');
  await expect(damaged).toContainText('dataset.aeds: the samples no longer match the content hash stored when the dataset was imported');
  await expect(damaged).toContainText('Import the original files again');
  await expect(page.locator('.dataset-list [data-dataset-id="shapes"]')).toHaveCount(0);
  await mkdir(artifacts, { recursive: true });
  await page.screenshot({ path: join(artifacts, 'datasets-damaged.png') });

  await check.getByTestId('workspace-repair').click();
  await expect(check.getByRole('status')).toContainText(/Moved 1 item to quarantine\/\d{8}-\d{6}/);
  await expect(damaged).toHaveCount(0);
  expect(existsSync(join(lab.workspace, 'datasets', 'shapes'))).toBe(false);
  const quarantined = await readdir(join(lab.workspace, 'quarantine'));
  expect(await readFile(join(lab.workspace, 'quarantine', quarantined[0] ?? '', 'datasets', 'shapes', 'dataset.aeds'))).toEqual(bytes);
});
