import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { labRequest } from './labRequest.js';
import { expect, test } from './labServer.js';

const shots = process.env.AELAB_ANOMALY_SHOTS ?? join(process.cwd(), 'e2e', 'artifacts');


const confusionOf = async (page: Page) => {
  const box = page.getByTestId('confusion');
  const read = async (name: string) => Number(await box.getAttribute(`data-${name}`));
  return { tp: await read('tp'), fp: await read('fp'), tn: await read('tn'), fn: await read('fn') };
};

test('anomaly workbench: runs trained on normal Shapes classes are scored, the threshold moves the confusion matrix and the ROC mark, the scores export as CSV', async ({ page, lab }) => {
  test.setTimeout(420_000);
  await page.setViewportSize({ width: 1400, height: 900 });
  await page.goto(lab.url);
  await expect(page.locator('.dataset-list [data-dataset-id="shapes"]')).toBeVisible();
  // Square, ellipse and triangle are normal; cross and star are the anomalies.
  const common = { datasetId: 'shapes', normalClasses: [0, 1, 2], architecture: 'dense', architectureParams: { hiddenWidths: [64] }, latentDim: 4, reconstructionLoss: 'bce', learningRate: 3e-3, batchSize: 32, epochs: 3, seed: 3 };
  for (const config of [
    { ...common, objective: 'plain', name: 'dense AE on square, ellipse, triangle' },
    { ...common, objective: 'variational', name: 'dense VAE on square, ellipse, triangle' },
  ]) {
    const created = await labRequest(page, 'runs.create', { config });
    expect(created.error?.message ?? '').toBe('');
  }
  await page.keyboard.press('Alt+2');
  await expect(page.locator('.run-item[data-status="completed"]')).toHaveCount(2, { timeout: 300_000 });

  await page.keyboard.press('Alt+5');
  await page.locator('.tab[data-panel="anomaly"]').click();
  const panel = page.locator('.anomaly-panel');
  // Both runs are chosen to start with, each listed with its normal classes.
  await expect(panel.locator('.run-choice input:checked')).toHaveCount(2);
  await expect(panel.locator('.run-choice')).toContainText('normal: square, ellipse, triangle');
  await expect(panel.locator('#anomaly-mc')).toBeVisible();
  await panel.getByRole('button', { name: 'Score 2 runs' }).click();
  await expect(panel).toHaveAttribute('data-state', 'ready', { timeout: 120_000 });

  const result = panel.getByTestId('anomaly-result');
  await expect(result).toHaveAttribute('data-runs', '2');
  const samples = Number(await result.getAttribute('data-samples'));
  expect(samples).toBeGreaterThan(100);
  // Two runs and the PCA they share (same normal classes, same k) on one ROC; the marker where the confusion matrix says.
  const roc = page.getByTestId('roc-chart');
  await expect(roc).toHaveAttribute('data-lines', '3');
  const markMatches = async () => {
    const { tp, fp, tn, fn } = await confusionOf(page);
    expect(tp + fn).toBeGreaterThan(0);
    expect(await roc.getAttribute('data-mark')).toBe(`${fp / (fp + tn)},${tp / (tp + fn)}`);
  };
  await markMatches();

  const slider = page.locator('#anomaly-threshold');
  const before = await confusionOf(page);
  await slider.fill('0');
  const everything = await confusionOf(page);
  expect(everything.fn).toBe(0);
  expect(everything.tn).toBe(0);
  expect(everything).not.toEqual(before);
  await markMatches();
  await slider.fill(String(Number(await slider.getAttribute('max'))));
  expect((await confusionOf(page)).tp + (await confusionOf(page)).fp).toBe(0);
  await expect(page.getByTestId('threshold-value')).toHaveText('above every score');

  // At most 5 % of the normal test samples called anomalous.
  await page.locator('#anomaly-rate').fill('5');
  await page.getByRole('button', { name: 'Pick by false-positive rate' }).click();
  const atRate = await confusionOf(page);
  expect(atRate.fp / (atRate.fp + atRate.tn)).toBeLessThanOrEqual(0.05);
  expect(atRate.tp).toBeGreaterThan(0);
  await markMatches();
  // Every slider position, end to end, keeps the confusion matrix and the marks on one operating point (its speed is measured by npm run bench).
  const max = Number(await slider.getAttribute('max'));
  for (const step of [0, Math.round(max / 4), Math.round(max / 2), max]) {
    await slider.fill(String(step));
    await markMatches();
  }
  await markMatches();
  await page.getByRole('button', { name: 'Pick by F1' }).click();
  await markMatches();

  // The galleries show reconstructions and error maps once they arrive.
  const galleries = page.getByTestId('anomaly-galleries');
  await expect(galleries.locator('[data-gallery="mostAnomalous"] .gallery-tile')).toHaveCount(8);
  await expect(galleries.locator('[data-gallery="mostAnomalous"] canvas')).toHaveCount(24);
  // At the F1 threshold, each miss scores below it and each false alarm at or above it.
  // (Tiles show three significant digits; the galleries follow the threshold once the slider rests.)
  const threshold = Number(await page.locator('#anomaly-threshold-typed').inputValue());
  await expect.poll(async () => Number(await galleries.getAttribute('data-threshold'))).toBeCloseTo(threshold, 4);
  const slack = Math.abs(threshold) * 0.01;
  for (const score of await galleries.locator('[data-gallery="missedAnomalies"] .tile-score').allTextContents()) expect(Number(score)).toBeLessThan(threshold + slack);
  for (const score of await galleries.locator('[data-gallery="falseAlarms"] .tile-score').allTextContents()) expect(Number(score)).toBeGreaterThan(threshold - slack);
  await expect(galleries).not.toHaveAttribute('data-loaded', '0');

  // The scores and labels of the selected run, one row per scored sample.
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export scores (CSV)' }).click();
  const csv = await readFile((await (await download).path()) ?? '', 'utf8');
  const lines = csv.trimEnd().split('\n');
  expect(lines[0]).toMatch(/^dataset,index,class,truth,mse(,bce)?.*,pca_k4_mse$/);
  expect(lines).toHaveLength(samples + 1);
  expect(lines.filter((l) => l.split(',')[3] === '1').length).toBe((await confusionOf(page)).tp + (await confusionOf(page)).fn);
  const png = page.waitForEvent('download');
  await page.locator('.figure-head', { hasText: 'ROC' }).getByRole('button', { name: 'PNG' }).click();
  expect((await png).suggestedFilename()).toMatch(/^anomaly-roc-.+\.png$/);

  // The VAE's own scores.
  await page.locator('#anomaly-run').selectOption({ label: 'dense VAE on square, ellipse, triangle' });
  await expect(page.locator('#anomaly-score option')).toContainText(['negative ELBO (primary)', 'reconstruction probability (Monte-Carlo)']);

  await mkdir(shots, { recursive: true });
  for (const [width, height] of [
    [1400, 900],
    [1000, 700],
  ] as const) {
    for (const scheme of ['light', 'dark'] as const) {
      await page.setViewportSize({ width, height });
      await page.emulateMedia({ colorScheme: scheme });
      await page.getByTestId('anomaly-workbench').scrollIntoViewIfNeeded();
      await page.getByTestId('threshold').evaluate((e) => e.scrollIntoView({ block: 'start' }));
      await page.screenshot({ path: join(shots, `anomaly-${width}x${height}-${scheme}-charts.png`) });
      await page.getByTestId('histogram-chart').evaluate((e) => e.scrollIntoView({ block: 'start' }));
      await page.screenshot({ path: join(shots, `anomaly-${width}x${height}-${scheme}-galleries.png`) });
      await page.locator('.anomaly-form').evaluate((e) => e.scrollIntoView({ block: 'start' }));
      await page.screenshot({ path: join(shots, `anomaly-${width}x${height}-${scheme}-setup.png`) });
    }
  }
});

test('one-class benchmark: a sweep of one normal class per run gives the per-class AUROC table with PCA and the mean; a row opens its run', async ({ page, lab }) => {
  test.setTimeout(360_000);
  await page.setViewportSize({ width: 1400, height: 900 });
  await page.goto(lab.url);
  await expect(page.locator('.dataset-list [data-dataset-id="shapes"]')).toBeVisible();
  const base = { datasetId: 'shapes', architecture: 'dense', architectureParams: { hiddenWidths: [64] }, objective: 'plain', latentDim: 4, reconstructionLoss: 'bce', learningRate: 3e-3, batchSize: 32, epochs: 1, seed: 3 };
  const sweep = await labRequest(page, 'sweeps.create', { spec: { name: 'one class', base, axes: [{ field: 'normalClasses', values: [[0], [1], [2]] }] } });
  expect(sweep.error?.message ?? '').toBe('');
  await page.keyboard.press('Alt+2');
  await expect(page.locator('.run-item[data-status="completed"]')).toHaveCount(3, { timeout: 300_000 });

  await page.keyboard.press('Alt+5');
  await page.locator('.tab[data-panel="anomaly"]').click();
  const panel = page.locator('.anomaly-panel');
  await panel.getByRole('button', { name: 'Score 3 runs' }).click();
  await expect(panel).toHaveAttribute('data-state', 'ready', { timeout: 120_000 });

  const table = page.getByTestId('one-class-table');
  await expect(table).toHaveAttribute('data-rows', '3');
  await expect(table.locator('tbody tr td:first-child')).toHaveText(['square', 'ellipse', 'triangle']);
  await expect(table.getByTestId('one-class-mean')).toHaveText(/^0\.\d{3}$/);
  // Each row has its run's AUROC and PCA's; a click opens that run in the workbench.
  await expect(table.locator('tbody tr').nth(1).locator('td').nth(2)).toHaveText(/^0\.\d{3}$|^1\.000$/);
  const triangle = table.locator('tbody tr').nth(2);
  await triangle.click();
  await expect(triangle).toHaveClass(/chosen/);
  await expect(page.getByTestId('anomaly-workbench')).toHaveAttribute('data-run-id', (await triangle.getAttribute('data-run-id')) ?? '');
  await expect(page.locator('.confusion')).toBeVisible();
  // Each run has its own PCA (other normal data): three dashed lines beside the three runs.
  await expect(page.getByTestId('roc-chart')).toHaveAttribute('data-lines', '6');

  await mkdir(shots, { recursive: true });
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.locator('.one-class').evaluate((e) => e.scrollIntoView({ block: 'start' }));
    await expect(page.getByTestId('anomaly-galleries')).not.toHaveAttribute('data-loaded', '0');
    await page.screenshot({ path: join(shots, `anomaly-one-class-1400x900-${scheme}.png`) });
  }
});
