import { expect, type Locator, type Page } from '@playwright/test';

/** Opens the lab, waits for its built-in Shapes, and opens the new-run form (on Shapes unless `dataset` is null). */
export async function openNewRunForm(page: Page, url: string, dataset: string | null = 'shapes'): Promise<Locator> {
  await page.goto(url);
  await expect(page.locator('.dataset-list [data-dataset-id="shapes"]')).toBeVisible();
  await page.keyboard.press('Alt+2');
  await page.getByRole('button', { name: 'New runs…' }).click();
  const form = page.getByTestId('new-run-form');
  if (dataset) await form.locator('#run-dataset').selectOption(dataset);
  return form;
}
