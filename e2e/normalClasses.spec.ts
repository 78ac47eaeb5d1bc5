import { expect, test } from './labServer.js';
import { openNewRunForm } from './newRunForm.js';

test('a run trained on some classes of Shapes only: chosen in the form, kept in a saved configuration, named on the run page and in the list', async ({ page, lab }) => {
  const form = await openNewRunForm(page, lab.url);
  const trainOn = form.getByTestId('normal-data');
  await trainOn.getByLabel('only these classes (normal data)').check();
  const picker = trainOn.getByTestId('class-picker');
  await expect(picker.locator('summary')).toContainText('Choose the normal classes');
  await expect(form.locator('[data-variant="1"] .problems')).toHaveText('Normal classes must have at least 1 entry; 0 were given');
  await picker.getByLabel('square').check();
  await picker.getByLabel('star').check();
  await expect(picker.locator('summary')).toContainText('square, star · 2 of 5 classes');
  await expect(trainOn).toContainText('The others (ellipse, triangle, cross) are never seen in training');

  // One model per class is the one-class sweep; choosing the classes again leaves one run.
  await trainOn.getByLabel('one model per class').check();
  await expect(form.getByRole('button', { name: 'Queue a sweep of 5 runs' })).toBeEnabled();
  await trainOn.getByLabel('only these classes (normal data)').check();
  await picker.getByLabel('square').check();
  await picker.getByLabel('star').check();

  await form.getByLabel('Save these variants as').fill('Square and star');
  await form.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(form.locator('.preset-bar [role="status"]')).toHaveText("Saved 'Square and star'");
  await trainOn.getByLabel('all classes').check();
  await expect(trainOn.getByTestId('class-picker')).toHaveCount(0);
  await form.locator('#preset-choice').selectOption({ label: 'Square and star (1)' });
  await form.getByRole('button', { name: 'Load' }).click();
  await expect(picker.locator('input:checked')).toHaveCount(2);
  await expect(picker.locator('summary')).toContainText('square, star');

  const variant = form.locator('[data-variant="1"]');
  await variant.locator('summary').click();
  await variant.getByLabel('Epochs').fill('1');
  await form.getByRole('button', { name: 'Queue 1 run' }).click();
  await expect(form).toHaveCount(0);

  await expect(page.getByTestId('run-normal-classes')).toHaveText('normal: square, star');
  const config = page.locator('.run-detail').getByTestId('run-config');
  await expect(config.locator('[data-field="normalClasses"] th')).toHaveText('Normal classes');
  await expect(config.locator('[data-field="normalClasses"] td')).toHaveText('square, star');
});

test('the anomaly recipe loads on Shapes with three normal classes and opens the anomaly workbench when queued', async ({ page, lab }) => {
  const form = await openNewRunForm(page, lab.url, null);
  await form.locator('#preset-choice').selectOption('lecture-anomaly-detection');
  await form.getByRole('button', { name: 'Load' }).click();
  await expect(form.locator('#run-dataset')).toHaveValue('shapes');
  await expect(form.getByTestId('class-picker').locator('summary')).toContainText('square, ellipse, triangle');
  await form.getByRole('button', { name: 'Queue 2 runs' }).click();
  await expect(page.locator('.analyses-view')).toHaveAttribute('data-panel', 'anomaly');
});
