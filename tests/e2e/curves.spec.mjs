// The curves and distributions section: Monte-Carlo curves over d_k with a
// marker that follows the slider and sets it, histograms, one row's weights,
// tables and CSV.
import { test, expect, open, pixels, canvasPixels, reference } from './helpers.mjs';

const slider = (page) => page.getByRole('slider', { name: 'd_k, the key dimension' });

async function openCurves(page, query = '') {
  await open(page, query);
  await page.locator('#curves > summary').click();
  await expect(page.getByTestId('sweep-progress')).toContainText(/trials per d_k/, { timeout: 15_000 });
}

/** Non-background pixels of a chart canvas (it is drawn at device resolution). */
async function inked(locator) {
  const { data } = await canvasPixels(locator);
  let n = 0;
  for (let i = 3; i < data.length; i += 4) n += data[i] > 0 ? 1 : 0;
  return { n, sum: data.reduce((a, b) => a + b, 0) };
}

test('the curves render for the notebook case, with a marker that follows the slider', async ({ page }, testInfo) => {
  await openCurves(page);
  await expect(page.getByTestId('sweep-progress')).toHaveText('32 trials per d_k, 2048 runs.');
  const std = page.locator('[data-chart="std"] canvas');
  expect((await inked(std)).n).toBeGreaterThan(2000);
  await expect(page.locator('[data-chart="diagonal"]')).toBeVisible();
  await expect(std).toHaveAttribute('aria-valuenow', '16');
  const before = await inked(std);
  await slider(page).focus();
  await page.keyboard.press('End');
  await expect(std).toHaveAttribute('aria-valuenow', '256');
  expect((await inked(std)).sum).not.toBe(before.sum);
  await page.locator('#curves').screenshot({ path: testInfo.outputPath('curves-self.png') });
});

test('clicking a chart, or arrow keys on it, sets d_k; the URL and heatmaps follow', async ({ page }) => {
  await openCurves(page);
  const heatmap = await pixels(page, 'heatmap-unscaled');
  const chart = page.locator('[data-chart="gradient"] canvas');
  const box = await chart.boundingBox();
  await chart.click({ position: { x: box.width - 12, y: box.height / 2 } });
  await expect(page).toHaveURL(/dk=256/);
  await expect(slider(page)).toHaveValue('256');
  expect((await pixels(page, 'heatmap-unscaled')).data).not.toEqual(heatmap.data);
  await chart.focus();
  await page.keyboard.press('ArrowLeft');
  await expect(page).toHaveURL(/dk=252/);
  await page.keyboard.press('Home');
  await expect(slider(page)).toHaveValue('4');
  await expect(page.locator('.dk-now')).toHaveText('4');
});

test('a heatmap row, by click or by keyboard, shows its weights as bars', async ({ page }) => {
  await openCurves(page, '?dk=32&t=10&seed=42');
  const bars = page.getByTestId('row-bars');
  const first = await inked(bars);
  const canvas = page.getByTestId('heatmap-scaled');
  const box = await canvas.boundingBox();
  await canvas.click({ position: { x: box.width / 2, y: box.height * 0.35 } });
  await expect(page.locator('.row-title')).toHaveText('t3');
  await expect(page).toHaveURL(/row=3/);
  expect((await inked(bars)).sum).not.toBe(first.sum);
  await page.keyboard.press('ArrowDown');
  await expect(page.locator('.row-title')).toHaveText('t4');
  await expect(page.locator('[data-panel="scaled"] .row-mark')).toBeVisible();
  // The table view holds the same row, summing to 1.
  await page.getByRole('button', { name: 'Show as tables' }).click();
  const weights = await page.locator('.curves-tables table').nth(2).locator('tbody tr td:nth-child(3)').allTextContents();
  expect(weights).toHaveLength(10);
  expect(Math.abs(weights.map(Number).reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-4);
});

test('tables and CSV carry every curve; histograms count all T² scores', async ({ page }) => {
  await openCurves(page, '?dk=64&t=12&seed=7&qk=independent');
  await page.getByRole('button', { name: 'Show as tables' }).click();
  const table = page.getByTestId('curves-table');
  await expect(table.locator('tbody tr')).toHaveCount(64);
  await expect(table.locator('tbody tr').first().locator('th')).toHaveText('4');
  const hist = page.locator('.curves-tables table').nth(1);
  const counts = await hist.locator('tbody tr').evaluateAll((rows) =>
    rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent)),
  );
  const sum = (col) => counts.reduce((a, row) => a + Number(row[col]), 0);
  expect(sum(1) + sum(2)).toBe(144); // unscaled: off-diagonal + diagonal
  expect(sum(5) + sum(6)).toBe(144); // scaled
  expect(counts[0][3]).not.toBe(''); // independent mode: expected counts from N(0, d_k)

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download curves (CSV)' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe('attention-curves-independent-dot-T12-seed7-trials32.csv');
  const csv = await (await download.createReadStream()).toArray();
  const lines = Buffer.concat(csv).toString('utf8').trim().split('\n');
  expect(lines).toHaveLength(65);
  const header = lines[0].split(',');
  expect(header[0]).toBe('d_k');
  const row = Object.fromEntries(lines[16].split(',').map((v, i) => [header[i], Number(v)]));
  expect(row.d_k).toBe(64);
  expect(row.std_scaled_theory).toBe(1);
  expect(row.std_unscaled_theory).toBe(8);
  expect(Math.abs(row.std_scaled_mean - 1)).toBeLessThan(0.15);
  expect(row.std_scaled_p10).toBeLessThanOrEqual(row.std_scaled_mean);

  const text = async (name) => {
    const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name }).click()]);
    return Buffer.concat(await (await file.createReadStream()).toArray()).toString('utf8').trim().split('\n');
  };
  const histogram = await text('Download histograms (CSV)');
  expect(histogram[0]).toBe('bin,unscaled_lo,unscaled_hi,unscaled_off_diagonal,unscaled_diagonal,unscaled_expected,scaled_lo,scaled_hi,scaled_off_diagonal,scaled_diagonal,scaled_expected');
  const total = histogram.slice(1).reduce((a, line) => a + Number(line.split(',')[3]) + Number(line.split(',')[4]), 0);
  expect(total).toBe(144);
  // One x-axis for both: the same bin edges, spanning the wider (unscaled)
  // scores. NumPy: Q, K = randn(12, 64), randn(12, 64) after seed 7; the
  // range is that of Q Kᵀ.
  const rows = histogram.slice(1).map((line) => line.split(',').map(Number));
  for (const r of rows) expect([r[6], r[7]]).toEqual([r[1], r[2]]);
  const draws = reference.randn.find((c) => c.seed === 7 && c.shape[0] === 24 && c.shape[1] === 64);
  const q = draws.values.slice(0, 12 * 64);
  const k = draws.values.slice(12 * 64);
  const s = [];
  for (let i = 0; i < 12; i += 1) for (let j = 0; j < 12; j += 1) s.push(q.slice(64 * i, 64 * i + 64).reduce((a, v, d) => a + v * k[64 * j + d], 0));
  expect(Math.abs(rows[0][1] - Math.min(...s))).toBeLessThan(1e-3);
  expect(Math.abs(rows.at(-1)[2] - Math.max(...s))).toBeLessThan(1e-3);
  // The scaled scores (std about 1, range about a sixteenth) fill only the middle bins.
  const occupied = (off, diag) => rows.filter((r) => r[off] + r[diag] > 0).length;
  expect(occupied(8, 9)).toBeLessThan(occupied(3, 4) / 2);
  const weights = await text('Download row weights (CSV)');
  expect(weights).toHaveLength(13);
  expect(Math.abs(weights.slice(1).reduce((a, l) => a + Number(l.split(',')[2]), 0) - 1)).toBeLessThan(1e-6);
});

test('changing a mode recomputes; a big sweep shows progress and never freezes the page', async ({ page }) => {
  await openCurves(page);
  await page.locator('#modes summary').click();
  await page.getByLabel('Independent Q and K').check();
  await expect(page.locator('[data-chart="diagonal"]')).toBeHidden();
  await expect(page.getByTestId('sweep-progress')).toHaveText('32 trials per d_k, 2048 runs.');

  const trials = page.getByLabel(/^Trials per d/);
  await trials.fill('256');
  await trials.press('Enter');
  await expect(page.getByTestId('sweep-progress')).toContainText('Computing');
  // While it computes, the slider still paints at once.
  await slider(page).focus();
  await page.keyboard.press('ArrowRight');
  await expect(page.locator('#dk-value')).toHaveText('20');
  await expect(page.getByTestId('sweep-progress')).toContainText('Computing');
  // Moving on (a new T) drops the old sweep and starts the new one.
  await page.getByLabel('Tokens T').fill('6');
  await page.getByLabel('Tokens T').press('Enter');
  await expect(page.getByTestId('sweep-progress')).toHaveText('256 trials per d_k, 16384 runs.', { timeout: 20_000 });
  await expect(page).toHaveURL(/t=6&seed=42&qk=independent&trials=256/);

  await trials.fill('0');
  await trials.press('Enter');
  await expect(page.getByTestId('notice')).toContainText('Trials "0" is below the minimum 1; using 1.');
});

test('log scale for d_k', async ({ page }) => {
  await openCurves(page);
  const std = page.locator('[data-chart="std"] canvas');
  const linear = await inked(std);
  await page.getByRole('radio', { name: 'log' }).check();
  await expect(page).toHaveURL(/xscale=log/);
  expect((await inked(std)).sum).not.toBe(linear.sum);
});

test('arrow keys on a chart from a d_k above its grid step to the grid, not to its start', async ({ page }) => {
  await openCurves(page, '?dk=512&t=10&seed=42');
  const chart = page.locator('[data-chart="gradient"] canvas');
  await chart.focus();
  await page.keyboard.press('ArrowRight'); // nothing above the grid's 256: d_k stays
  await expect(page.locator('#dk-value')).toHaveText('512');
  await page.keyboard.press('ArrowLeft');
  await expect(page.locator('#dk-value')).toHaveText('256');
  await page.keyboard.press('ArrowLeft');
  await expect(page.locator('#dk-value')).toHaveText('252');
});

test('the curves are recomputed when the text changes, also to as many words', async ({ page }) => {
  await openCurves(page, `?dk=16&seed=42&text=${encodeURIComponent('the cat sat')}`);
  const curvesCsv = async () => {
    const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download curves (CSV)' }).click()]);
    return Buffer.concat(await (await file.createReadStream()).toArray()).toString('utf8');
  };
  const before = await curvesCsv();
  await page.evaluate(() => {
    document.querySelector('attention-explorer').text = 'a dog ran';
  });
  await expect(page.getByTestId('sweep-progress')).toContainText(/trials per d_k/);
  await expect.poll(curvesCsv).not.toBe(before);
});
