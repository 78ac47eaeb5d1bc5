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
