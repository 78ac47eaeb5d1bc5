import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, test } from './labServer.js';

const artifacts = join(process.cwd(), 'e2e', 'artifacts');

test('three variants queued on Shapes train to the end with curves and reconstructions', async ({ page, lab }) => {
  await page.goto(lab.url);
  await expect(page.locator('.dataset-list [data-dataset-id="shapes"]')).toBeVisible();
  await page.keyboard.press('Alt+2');
  await page.getByRole('button', { name: 'New runs…' }).click();
  const form = page.getByTestId('new-run-form');
  await form.locator('#run-dataset').selectOption('shapes');
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
});
