import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { labRequest } from './labRequest.js';
import { expect, test } from './labServer.js';

const shots = process.env.AELAB_PROBE_SHOTS ?? join(process.cwd(), 'e2e', 'artifacts');


const shapes = ['square', 'ellipse', 'triangle', 'cross', 'star'];

/**
 * Where the learning curve's Chart.js instance (carried by its canvas) drew things, in page
 * coordinates: each legend entry's box centre, each mean point as `label@count`, and the labels
 * of the datasets shown. Runs in the page.
 */
function chartLayout(canvas: HTMLCanvasElement) {
  type Box = { left: number; top: number; width: number; height: number };
  type Curve = {
    data: { datasets: Array<{ label?: string; data: Array<{ x: number; y: number }> }> };
    getDatasetMeta: (i: number) => { data: Array<{ x: number; y: number }> };
    isDatasetVisible: (i: number) => boolean;
    legend?: { legendItems?: Array<{ text: string }>; legendHitBoxes?: Box[] };
  };
  const curve = (canvas as HTMLCanvasElement & { chart?: Curve }).chart;
  if (!curve) return null;
  const box = canvas.getBoundingClientRect();
  const at = (x: number, y: number) => ({ x: box.left + x, y: box.top + y });
  const items = curve.legend?.legendItems ?? [];
  const hits = curve.legend?.legendHitBoxes ?? [];
  const entries = Object.fromEntries(items.flatMap((item, i) => {
    const hit = hits[i];
    return hit ? [[item.text, at(hit.left + hit.width / 2, hit.top + hit.height / 2)] as const] : [];
  }));
  const band = (label: string | undefined) => /\((low|high)\)$/.test(label ?? '');
  const points = Object.fromEntries(curve.data.datasets.flatMap((set, i) => (band(set.label) ? [] : curve.getDatasetMeta(i).data.map((el, j) => [`${set.label ?? ''}@${set.data[j]?.x ?? ''}`, at(el.x, el.y)] as const))));
  const visible = curve.data.datasets.flatMap((set, i) => (curve.isDatasetVisible(i) && !band(set.label) ? [set.label ?? ''] : []));
  return { legend: items.map((item) => item.text), entries, points, visible };
}

test('pretrained encoders: a Shapes run probed at 1 and 5 labels per class against pixels and PCA; a point opens its confusion matrix; the curve and a classifier download', async ({ page, lab }) => {
  test.setTimeout(420_000);
  await page.setViewportSize({ width: 1400, height: 900 });
  await page.goto(lab.url);
  await expect(page.locator('.dataset-list [data-dataset-id="shapes"]')).toBeVisible();
  const config = { datasetId: 'shapes', architecture: 'dense', architectureParams: { hiddenWidths: [64] }, objective: 'plain', latentDim: 8, reconstructionLoss: 'bce', learningRate: 3e-3, batchSize: 32, epochs: 2, seed: 3, name: 'dense AE d=8' };
  const created = await labRequest(page, 'runs.create', { config });
  expect(created.error?.message ?? '').toBe('');
  await page.keyboard.press('Alt+2');
  await expect(page.locator('.run-item[data-status="completed"]')).toHaveCount(1, { timeout: 300_000 });

  await page.keyboard.press('Alt+5');
  await page.locator('.tab[data-panel="probe"]').click();
  const panel = page.locator('.probe-panel');
  const form = panel.getByTestId('probe-form');
  // The only trained run is chosen to start with.
  await expect(form.locator('.run-choice input:checked')).toHaveCount(1);

  // A count that is not one is named next to its field, and holds the probe back.
  const runButton = form.getByRole('button', { name: 'Run probe on 1 run' });
  await form.locator('#probe-labels').fill('1, 0, 5');
  await expect(form.locator('#probe-labels-help')).toHaveText("Labels per class: '0' is not a count of labels per class (a whole number ≥ 1, or all)");
  await expect(runButton).toBeDisabled();
  await form.locator('#probe-labels').fill('1, 5');
  await form.locator('#probe-draws').fill('2');
  await form.getByTestId('probe-mode-finetune').uncheck();
  await form.getByTestId('probe-knn').uncheck();
  await form.getByTestId('probe-baseline-scratch').uncheck();
  await form.locator('.probe-advanced summary').click();
  await form.locator('#probe-maxSteps').fill('abc');
  await expect(form.locator('.probe-advanced')).toContainText("Max steps: 'abc' is not a number");
  // Few labels make one step an epoch: a larger rate than the default lets the heads learn within this small budget.
  await form.locator('#probe-maxSteps').fill('300');
  await form.locator('#probe-maxEpochs').fill('200');
  await form.locator('#probe-learningRate').fill('0.05');
  await expect(runButton).toBeEnabled();
  await runButton.click();
  await expect(panel).toHaveAttribute('data-state', 'ready', { timeout: 240_000 });

  // Frozen codes, pixels and PCA with the run's k: three lines, each in the legend.
  const chart = page.getByTestId('learning-curve');
  await expect(chart).toHaveAttribute('data-lines', '3');
  const legend = ((await chart.getAttribute('data-legend')) ?? '').split('|');
  expect(legend).toHaveLength(3);
  expect(legend.some((l) => /frozen/i.test(l))).toBe(true);
  expect(legend.some((l) => /pixels/i.test(l))).toBe(true);
  expect(legend.some((l) => /PCA/.test(l) && /8/.test(l))).toBe(true);
  await expect(page.getByTestId('validation-rule')).toContainText('the test split is never drawn');
  await expect(page.getByTestId('probe-winners').locator('tbody tr')).toHaveCount(2);

  // The selector opens a point: the confusion matrix with the class names, and the per-class accuracy.
  const point = page.getByTestId('probe-point');
  const pixels = await page.locator('#probe-line option', { hasText: /pixels/i }).getAttribute('value');
  await page.locator('#probe-line').selectOption(pixels ?? '');
  await page.locator('#probe-count').selectOption('5');
  await expect(point).toHaveAttribute('data-line-id', pixels ?? '');
  await expect(point).toHaveAttribute('data-count', '5');
  await expect(chart).toHaveAttribute('data-selected', `${pixels}@5`);
  const matrix = page.getByTestId('class-confusion');
  await expect(matrix).toHaveAttribute('data-classes', '5');
  await expect(matrix.locator('th.true-class')).toHaveText(shapes);
  await expect(page.getByTestId('per-class-accuracy').locator('tbody tr td:first-child')).toHaveText(shapes);
  // Summed over both draws: every test sample twice.
  const cells = (await matrix.locator('tbody td').allTextContents()).map((t) => Number(t.replace(/,/g, '')));
  expect(cells).toHaveLength(25);
  const summed = cells.reduce((a, b) => a + b, 0);
  await page.locator('#probe-draw').selectOption('1');
  await expect(point).toHaveAttribute('data-draw', '1');
  const one = (await matrix.locator('tbody td').allTextContents()).map((t) => Number(t.replace(/,/g, ''))).reduce((a, b) => a + b, 0);
  expect(summed).toBe(2 * one);
  await expect(page.getByTestId('point-accuracy')).toHaveText(/^\d+\.\d %$/);
  // A click on a point of the chart opens it. Where Chart.js drew each point and legend entry comes from the chart itself;
  // lines near chance lie on top of each other, so the legend first hides every entry but the run's frozen line.
  await chart.scrollIntoViewIfNeeded();
  const layout = await chart.locator('canvas').evaluate(chartLayout);
  expect(layout?.legend[0] ?? '').toMatch(/frozen/);
  const kept = layout?.legend[0] ?? '';
  const hidden = (layout?.legend ?? []).filter((text) => text !== kept && !text.startsWith('chance'));
  expect(hidden).toHaveLength(3);
  for (const text of hidden) {
    // Asked again each time: an entry's box is where the legend has it now.
    const entry = (await chart.locator('canvas').evaluate(chartLayout))?.entries[text];
    await page.mouse.click(entry?.x ?? 0, entry?.y ?? 0);
    await expect.poll(async () => (await chart.locator('canvas').evaluate(chartLayout))?.visible).not.toContain(text);
  }
  expect((await chart.locator('canvas').evaluate(chartLayout))?.visible).toEqual([kept, expect.stringMatching(/^chance/)]);
  const frozenAt5 = layout?.points[`${kept}@5`];
  await page.mouse.click(frozenAt5?.x ?? 0, frozenAt5?.y ?? 0);
  const frozenLine = await page.locator('#probe-line option', { hasText: /frozen/i }).getAttribute('value');
  await expect(chart).toHaveAttribute('data-selected', `${frozenLine}@5`);
  await expect(point).toHaveAttribute('data-line-id', frozenLine ?? '');
  await expect(point).toHaveAttribute('data-count', '5');
  await expect(matrix).toHaveAttribute('data-classes', '5');
  // The best line at 1 label per class, from its row.
  await page.getByTestId('probe-winners').getByRole('button', { name: 'best at 1' }).click();
  await expect(point).toHaveAttribute('data-count', '1');

  // The curve as CSV: 3 lines × 2 counts × 2 draws.
  const csvDownload = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export curve (CSV)' }).click();
  const csv = await readFile((await (await csvDownload).path()) ?? '', 'utf8');
  const rows = csv.trimEnd().split('\n');
  expect(rows[0]).toBe('line,kind,run,labels_per_class,labelled_count,draw,accuracy,epochs,steps,stopped_by');
  expect(rows).toHaveLength(1 + 12);
  expect(rows.filter((r) => r.split(',')[1] === 'pixels').map((r) => r.split(',')[3])).toEqual(['1', '1', '5', '5']);
  const png = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export chart (PNG)' }).click();
  expect((await png).suggestedFilename()).toMatch(/^probe-.+\.png$/);

  // The frozen line's classifier at 5 labels per class: model.json naming weights.bin, the weights, and what it is.
  const frozen = await page.locator('#probe-line option', { hasText: /frozen/i }).getAttribute('value');
  await page.locator('#probe-line').selectOption(frozen ?? '');
  await page.locator('#probe-count').selectOption('5');
  const files = new Map<string, string>();
  page.on('download', (d) => void d.path().then((p) => files.set(d.suggestedFilename(), p ?? '')));
  await page.getByTestId('download-classifier').click();
  await expect.poll(() => files.size, { timeout: 30_000 }).toBe(3);
  const model = JSON.parse(await readFile(files.get('model.json') ?? '', 'utf8')) as { weightsManifest: Array<{ paths: string[] }> };
  expect(model.weightsManifest[0]?.paths).toEqual(['weights.bin']);
  expect((await readFile(files.get('weights.bin') ?? '')).length).toBeGreaterThan(0);
  const info = JSON.parse(await readFile(files.get('classifier.json') ?? '', 'utf8')) as { lineId: string; labelsPerClass: number; classNames: string[] };
  expect(info).toMatchObject({ lineId: frozen, labelsPerClass: 5, classNames: shapes });

  await mkdir(shots, { recursive: true });
  for (const [width, height] of [
    [1400, 900],
    [1000, 700],
  ] as const) {
    for (const scheme of ['light', 'dark'] as const) {
      await page.setViewportSize({ width, height });
      await page.emulateMedia({ colorScheme: scheme });
      await page.locator('.probe-form').evaluate((e) => e.scrollIntoView({ block: 'start' }));
      await page.screenshot({ path: join(shots, `probe-${width}x${height}-${scheme}-setup.png`) });
      await chart.evaluate((e) => e.scrollIntoView({ block: 'start' }));
      await page.screenshot({ path: join(shots, `probe-${width}x${height}-${scheme}-chart.png`) });
      await point.evaluate((e) => e.scrollIntoView({ block: 'start' }));
      await page.screenshot({ path: join(shots, `probe-${width}x${height}-${scheme}-point.png`) });
    }
  }
});
