import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, test } from './labServer.js';
import { openNewRunForm } from './newRunForm.js';

const artifacts = join(process.cwd(), 'e2e', 'artifacts');

test('three variants queued on Shapes train to the end with curves and reconstructions', async ({ page, lab }) => {
  const form = await openNewRunForm(page, lab.url);
  const first = form.locator('[data-variant="1"]');
  await first.locator('summary').click();
  await first.getByLabel('Epochs').fill('2');
  await first.getByLabel('Latent size d').fill('8');
  await form.getByRole('button', { name: 'Add variant' }).click();
  await form.locator('[data-variant="2"]').getByLabel('Objective').selectOption('denoising');
  await form.getByRole('button', { name: 'Add variant' }).click();
  await form.locator('[data-variant="3"]').getByLabel('Objective').selectOption('variational');

  // An invalid value is explained before anything is sent.
  await form.locator('[data-variant="3"]').getByLabel('β').fill('-1');
  await expect(form.locator('[data-variant="3"] .problems')).toContainText('β (beta) must be between 0 and 100, not -1');
  await expect(form.getByRole('button', { name: 'Queue 3 runs' })).toBeDisabled();
  await form.locator('[data-variant="3"]').getByLabel('β').fill('1');
  // Kept to reuse: saved in the workspace, loaded again after training.
  await form.getByLabel('Save these variants as').fill('Three objectives');
  await form.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(form.locator('.preset-bar [role="status"]')).toHaveText("Saved 'Three objectives'");
  await form.getByRole('button', { name: 'Queue 3 runs' }).click();

  const items = page.locator('.run-item');
  await expect(items).toHaveCount(3);
  await expect(page.locator('.run-item[data-status="completed"]')).toHaveCount(3, { timeout: 150_000 });
  await items.last().click();
  const detail = page.locator('.run-detail[data-status="completed"]');
  await expect(detail.getByTestId('loss-chart')).toHaveAttribute('data-epochs', '2');
  await expect(detail.getByTestId('reconstruction-panel').locator('canvas')).toHaveCount(32);
  await expect(detail.locator('.metrics-table')).toContainText('PSNR');
  await mkdir(artifacts, { recursive: true });
  await page.screenshot({ path: join(artifacts, 'runs-view.png') });

  // The latent explorer, two runs side by side: one slider move repaints both decoded images with other pixels.
  await page.keyboard.press('Alt+4');
  await page.locator('#latent-run').selectOption({ label: 'dense variational d=8 (shapes)' });
  await page.locator('#latent-partner-1').selectOption({ label: 'dense plain d=8' });
  await expect(page.locator('.latent-view')).toHaveAttribute('data-runs', '2');
  const decoded = page.getByTestId('decoded-image');
  await expect(decoded).toHaveCount(2);
  await expect(decoded.locator('canvas')).toHaveCount(2);
  const pixels = () => decoded.locator('canvas').evaluateAll((all: HTMLCanvasElement[]) => all.map((c) => Array.from(c.getContext('2d')?.getImageData(0, 0, c.width, c.height).data ?? []).join(',')));
  for (const image of await decoded.all()) await expect(image).not.toHaveAttribute('data-decodes', '0');
  const before = await pixels();
  await page.locator('[data-slider="0"]').fill('1');
  for (const image of await decoded.all()) await expect(image).toHaveAttribute('data-position', /^1\.0000 /);
  await expect.poll(async () => (await pixels()).map((p, i) => p !== before[i])).toEqual([true, true]);
  await expect(page.getByTestId('interpolation-strip')).toHaveCount(2);
  await page.screenshot({ path: join(artifacts, 'latent-view.png') });

  // Compare: three columns of reconstructions of the same test images, and one overlaid chart.
  await page.keyboard.press('Alt+3');
  for (const box of await page.locator('.compare-choice input[type="checkbox"]').all()) await box.check();
  await expect(page.getByTestId('overlay-chart')).toHaveAttribute('data-series', '3');
  const columns = page.getByTestId('compare-columns').locator('.compare-column[data-run-id]');
  await expect(columns).toHaveCount(3);
  for (const column of await columns.all()) await expect(column.locator('canvas')).toHaveCount(16);
  await expect(page.locator('.compare-table td.best').first()).toBeVisible();
  // The error of each class, each run a column, class names from the dataset.
  await expect(page.getByTestId('compare-per-class').locator('tbody th')).toHaveText(['square', 'ellipse', 'triangle', 'cross', 'star']);
  await page.screenshot({ path: join(artifacts, 'compare-view.png') });
  // Random latents decoded for each run, from N(0, I) and from a Gaussian fitted to its codes.
  await expect(page.getByTestId('prior-samples')).toHaveCount(3);
  await expect(page.getByTestId('fitted-samples')).toHaveCount(3);
  await page.getByTestId('fitted-samples').first().scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(artifacts, 'compare-view-latent.png') });
});

test('a saved configuration and a lecture experiment load into the new-run form', async ({ page, lab }) => {
  const form = await openNewRunForm(page, lab.url, null);
  await form.locator('[data-variant="1"]').getByLabel('Objective').selectOption('contractive');
  await form.getByRole('button', { name: 'Add variant' }).click();
  await form.getByLabel('Save these variants as').fill('Two contractive');
  await form.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(form.locator('.preset-bar [role="status"]')).toHaveText("Saved 'Two contractive'");

  // After a reload the form starts afresh; the saved configuration comes back from the workspace.
  await page.reload();
  await page.keyboard.press('Alt+2');
  await page.getByRole('button', { name: 'New runs…' }).click();
  await expect(form.locator('.variant')).toHaveCount(1);
  await form.getByTestId('preset-choice').selectOption({ label: 'Two contractive (2)' });
  await form.getByRole('button', { name: 'Load' }).click();
  await expect(form.locator('.variant')).toHaveCount(2);
  await expect(form.locator('[data-variant="2"]').getByLabel('Objective')).toHaveValue('contractive');

  await form.getByTestId('preset-choice').selectOption({ label: 'Bottleneck size: conv AE with d = 2, 4, 32' });
  await expect(form.locator('.preset-description')).toContainText('reconstruction error falls');
  await form.getByRole('button', { name: 'Load' }).click();
  await expect(form.locator('.variant')).toHaveCount(3);
  await expect(form.locator('[data-variant="3"]').getByLabel('Architecture')).toHaveValue('conv');
  await expect(form.locator('[data-variant="3"]').getByLabel('Latent size d')).toHaveValue('32');
  await expect(form).toHaveAttribute('data-state', 'valid');
  await page.screenshot({ path: join(artifacts, 'new-runs-form.png'), fullPage: true });
});

test('the keyboard: Ctrl+N opens the form from any view, Escape closes it, Ctrl+Enter queues; a reload keeps the view and run', async ({ page, lab }) => {
  await page.goto(lab.url);
  await expect(page.locator('.dataset-list [data-dataset-id="shapes"]')).toBeVisible();
  await page.keyboard.press('Control+n');
  const form = page.getByTestId('new-run-form');
  await expect(form).toBeVisible();
  await expect(page.locator('.runs-view')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(form).toHaveCount(0);
  await page.keyboard.press('Alt+3');
  await expect(page.locator('.compare-view')).toBeVisible();
  await page.keyboard.press('Control+n');
  await expect(form).toBeVisible();
  await form.locator('#run-dataset').selectOption('shapes');
  const variant = form.locator('[data-variant="1"]');
  await variant.locator('summary').click();
  await variant.getByLabel('Epochs').fill('1');
  await variant.getByLabel('Latent size d').fill('4');
  // An invalid value is named in the form's words, and Ctrl+Enter sends nothing meanwhile.
  await variant.getByLabel('Epochs').fill('2.5');
  await expect(variant.locator('.problems')).toHaveText('Epochs must be a whole number; 2.5 was given');
  await page.keyboard.press('Control+Enter');
  await expect(form).toBeVisible();
  await variant.getByLabel('Epochs').fill('1');
  await page.keyboard.press('Control+Enter');
  await expect(form).toHaveCount(0);
  const detail = page.locator('.run-detail');
  await expect(page.locator('.run-item')).toHaveCount(1);
  const runId = await detail.getAttribute('data-run-id');
  expect(runId).toMatch(/^\d{14}-[0-9a-f]{6}$/);
  await expect.poll(() => new URL(page.url()).hash).toBe(`#view=runs&dataset=shapes&run=${runId}`);
  // The configuration as a table, grouped, in the form's words.
  const config = detail.getByTestId('run-config');
  await expect(config.locator('.config-caption')).toHaveText(['Data', 'Architecture', 'Objective', 'Optimisation']);
  await expect(config.locator('[data-field="latentDim"] td')).toHaveText('4 units');
  await expect(config.locator('[data-field="epochs"] td')).toHaveText('1');

  await page.reload();
  await expect(page.locator(`.run-detail[data-run-id="${runId}"]`)).toBeVisible();
  await expect(page.locator('.nav-item[data-view="runs"]')).toHaveAttribute('aria-current', 'page');
  expect(new URL(page.url()).searchParams.get('token')).not.toBeNull();

  // Once trained: the error of each class on the run page, and a test image past the test split is refused.
  await expect(page.locator('.run-detail[data-status="completed"]')).toBeVisible({ timeout: 120_000 });
  await expect(page.getByTestId('per-class-error').locator('tbody th')).toHaveText(['square', 'ellipse', 'triangle', 'cross', 'star']);
  await page.keyboard.press('Alt+4');
  await expect(page.locator('.latent-view')).toHaveAttribute('data-state', 'ready');
  await expect(page.getByTestId('interpolation-strip')).toHaveCount(1);
  await page.locator('#interp-to').fill('20000');
  await expect(page.locator('#interp-to-problem')).toContainText('There is no test image #20,000: the test split has');
  await expect(page.locator('#interp-to')).toHaveAttribute('aria-invalid', 'true');
  await expect.poll(() => new URL(page.url()).hash).toBe(`#view=latent&dataset=shapes&run=${runId}&latent=${runId}`);
});
