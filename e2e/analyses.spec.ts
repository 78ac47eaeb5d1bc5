import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, test } from './labServer.js';
import { openNewRunForm } from './newRunForm.js';

const artifacts = join(process.cwd(), 'e2e', 'artifacts');

test('the bottleneck recipe trains as one sweep and ends on its results: error against d with PCA-k, and the reconstruction grid', async ({ page, lab }) => {
  // Three conv runs of one epoch each and the dataset's PCA, on one engine slot.
  test.setTimeout(420_000);
  const form = await openNewRunForm(page, lab.url);
  await form.getByTestId('preset-choice').selectOption({ label: 'Bottleneck size: conv AE with d = 2, 4, 32' });
  await form.getByRole('button', { name: 'Load' }).click();
  await expect(form.locator('.variant')).toHaveCount(3);
  await expect(form.locator('.sweep-group-note')).toHaveAttribute('data-state', 'sweep');

  // The members are linked: one epoch set on the first is every member's.
  const first = form.locator('[data-variant="1"]');
  await first.locator('summary').click();
  await first.getByLabel('Epochs').fill('1');
  await expect(form.locator('[data-variant="3"] summary')).toContainText('Training: 1 epochs');
  await expect(form.locator('[data-variant="3"]').getByLabel('Latent size d')).toHaveValue('32');
  await form.getByRole('button', { name: 'Queue a sweep of 3 runs' }).click();

  // Queued, the recipe opens where its answer will be.
  await expect(page.locator('.analyses-view')).toHaveAttribute('data-panel', 'sweep');
  const sweep = page.locator('.job-list .job-row[data-kind="sweep"]');
  await expect(sweep).toHaveCount(1);
  await expect(page.locator('.job-list .job-row[data-kind="train"][data-depth="1"]')).toHaveCount(3);
  await expect(sweep).toHaveAttribute('data-state', 'done', { timeout: 360_000 });

  const chart = page.getByTestId('sweep-chart');
  await expect(chart).toHaveAttribute('data-member-points', '3');
  await expect(chart).toHaveAttribute('data-lines', '1');
  // PCA with k = d at every k from 2 to 32, on the same axes.
  await expect(chart).toHaveAttribute('data-pca-points', '31', { timeout: 120_000 });
  await expect(chart.locator('canvas')).toBeVisible();

  const grid = page.getByTestId('sweep-grid');
  await expect(grid).toHaveAttribute('data-members', '3');
  await expect(grid).toHaveAttribute('data-rows', '3');
  await expect(grid.getByTestId('sweep-grid-originals')).toHaveCount(1);
  const rows = grid.getByTestId('sweep-grid-row');
  await expect(rows).toHaveCount(3);
  await expect(rows.locator('.strip-label')).toHaveText(['d = 2', 'd = 4', 'd = 32']);
  await expect(page.locator('.sweep-table tbody tr')).toHaveCount(3);

  // The chart as a PNG and the table as CSV, one row per member.
  const png = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export chart (PNG)' }).click();
  expect((await png).suggestedFilename()).toMatch(/^sweep-.+\.png$/);
  const csv = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export table (CSV)' }).click();
  const table = await readFile((await (await csv).path()) ?? '', 'utf8');
  expect(table.trim().split('\n')).toHaveLength(4);
  expect(table.split('\n')[0]).toBe('latentDim,run,status,test_mse,psnr,pca_k,pca_test_mse');

  await mkdir(artifacts, { recursive: true });
  await chart.scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(artifacts, 'analyses-sweep.png') });
  await grid.scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(artifacts, 'analyses-sweep-grid.png') });

  // The PCA the sweep was read against is there for the dataset, computed once.
  await page.locator('.tab[data-panel="pca"]').click();
  await expect(page.locator('.pca-panel')).toHaveAttribute('data-state', 'ready');
  await expect(page.getByTestId('pca-method')).toContainText('training samples');
  await page.screenshot({ path: join(artifacts, 'analyses-pca.png') });
});

test('a sparse and a variational run show the diagnostics that apply, each saying what it was computed on', async ({ page, lab }) => {
  test.setTimeout(300_000);
  const form = await openNewRunForm(page, lab.url);
  const first = form.locator('[data-variant="1"]');
  await first.locator('summary').click();
  await first.getByLabel('Epochs').fill('1');
  await first.getByLabel('Latent size d').fill('8');
  await first.getByLabel('Objective').selectOption('sparse');
  await form.getByRole('button', { name: 'Add variant' }).click();
  await form.locator('[data-variant="2"]').getByLabel('Objective').selectOption('variational');
  await form.getByRole('button', { name: 'Queue 2 runs' }).click();
  await expect(page.locator('.run-item[data-status="completed"]')).toHaveCount(2, { timeout: 240_000 });
  await mkdir(artifacts, { recursive: true });

  const detail = page.locator('.run-detail[data-status="completed"]');
  for (const [name, expected] of [
    ['dense sparse d=8', ['codeActivations', 'jacobianNorms']],
    ['dense variational d=8', ['codeActivations', 'posterior']],
  ] as const) {
    await page.locator('.run-item', { hasText: name }).click();
    const diagnostics = detail.getByTestId('diagnostics');
    await expect(diagnostics).toBeVisible({ timeout: 30_000 });
    for (const id of expected) await expect(diagnostics.locator(`[data-diagnostic="${id}"]`)).toBeVisible();
    // Every diagnostic names the test images it was computed on.
    await expect(diagnostics.locator('[data-diagnostic="codeActivations"]')).toContainText('test images');
    await expect(detail.locator('.pca-baseline')).toHaveAttribute('data-state', /ready|none/);
    await diagnostics.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(artifacts, `diagnostics-${name.split(' ')[1]}.png`) });
  }

  // Evaluated again as a job: it shows in the job list, and the page keeps its diagnostics.
  await page.locator('.run-item', { hasText: 'dense sparse d=8' }).click();
  await detail.locator('.evaluate-again').getByRole('button', { name: 'Evaluate again' }).click();
  await page.keyboard.press('Alt+5');
  await expect(page.locator('.job-list .job-row[data-kind="analysis"]', { hasText: 'Evaluation of dense sparse d=8' })).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
  await page.keyboard.press('Alt+2');
  await expect(detail.getByTestId('diagnostics').locator('[data-diagnostic="jacobianNorms"]')).toBeVisible();
});
