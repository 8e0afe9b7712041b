// The modes of the science view: every control changes the URL, the numbers
// and the pixels; naive softmax genuinely overflows and is flagged; bad mode
// values in the URL are clamped or replaced, with a notice.
import { test, expect, open, pixels, canvasPixels, readNumber, viridis, experiment, reference, expectCellsMatch } from './helpers.mjs';

const NAN_RGBA = [255, 0, 255, 255];
const slider = (page) => page.getByRole('slider', { name: /d_k/ });

async function snapshot(page) {
  return {
    url: page.url(),
    stdU: await page.getByTestId('std-unscaled').textContent(),
    stdS: await page.getByTestId('std-scaled').textContent(),
    metricsS: await page.getByTestId('metrics-scaled').textContent(),
    unscaled: (await pixels(page, 'heatmap-unscaled')).data,
    scaled: (await pixels(page, 'heatmap-scaled')).data,
  };
}

/** Opens the page at `query`, opens the modes panel, runs `act`, and returns before/after. */
async function change(page, query, act) {
  await open(page, query);
  await page.locator('#modes summary').click();
  const before = await snapshot(page);
  await act();
  await expect.poll(() => page.url()).not.toBe(before.url);
  return { before, after: await snapshot(page) };
}

function nanCells(image) {
  let count = 0;
  for (let i = 0; i < image.data.length; i += 4) {
    if (NAN_RGBA.every((v, k) => image.data[i + k] === v)) count += 1;
  }
  return count;
}

test('Q/K source: independent keys change the URL, the numbers, the pixels and the stated case', async ({ page }) => {
  await open(page);
  await expect(page.getByTestId('case')).toContainText('Q = K = X, as in the notebook');
  await expect(page.locator('[data-panel="unscaled"] .split').first()).toBeVisible({ visible: false });
  const { before, after } = await change(page, '', () => page.getByLabel('Independent Q and K').check());
  await expect(page).toHaveURL(/qk=independent/);
  expect(after.stdU).not.toBe(before.stdU);
  expect(after.scaled).not.toEqual(before.scaled);
  await expect(page.getByTestId('case')).toContainText('independent Q and K');
  await expect(page.getByTestId('case')).toContainText('standard deviation near 1');
});

test('self mode splits diagonal and off-diagonal statistics; independent mode does not', async ({ page }) => {
  await open(page, '?dk=64&t=10&seed=42');
  const metrics = page.getByTestId('metrics-unscaled');
  await metrics.locator('summary').click();
  const diagonal = metrics.locator('.m-diagonal');
  await expect(diagonal).toBeVisible();
  const [mean] = (await diagonal.textContent()).match(/-?\d+\.\d+/).map(Number);
  expect(mean).toBeGreaterThan(48); // |x|² ≈ d_k = 64
  expect(mean).toBeLessThan(80);
  await open(page, '?dk=64&t=10&seed=42&qk=independent');
  await page.getByTestId('metrics-unscaled').locator('summary').click();
  await expect(page.getByTestId('metrics-unscaled').locator('.m-diagonal')).toBeHidden();
});

test('score function: cosine similarity is bounded and changes everything', async ({ page }) => {
  const { before, after } = await change(page, '?dk=128&t=10&seed=42', () => page.getByLabel('Cosine similarity').check());
  await expect(page).toHaveURL(/score=cosine/);
  expect(Number(after.stdU)).toBeLessThan(1); // scores in [-1, 1]
  expect(after.unscaled).not.toEqual(before.unscaled);
  await expect(page.getByTestId('case')).toContainText('between −1 and 1');
  await expect(page.getByTestId('pytorch')).toContainText('F.normalize(q, dim=-1)');
});

test('the ratio line compares each std with what theory expects, in words that follow the case', async ({ page }) => {
  const readouts = page.getByTestId('readouts-text');
  // NumPy (float64): seed 42, T 10, d_k 16, Q = K: stds 5.40… and 1.35….
  const ref = experiment(42, 10, 16);
  await open(page, '?dk=16&t=10&seed=42');
  expect(Math.abs((await readNumber(page, 'unscaled-per-root')) - ref.std_unscaled / 4)).toBeLessThan(1e-3);
  expect(Math.abs((await readNumber(page, 'scaled-std')) - ref.std_scaled)).toBeLessThan(1e-3);
  await expect(page.getByTestId('scale-factor')).toHaveText('0.2500 (1/√d_k)');
  await expect(readouts).toContainText('With Q = K the T diagonal scores |x|² ≈ d_k sit far above the others');
  await expect(readouts).not.toContainText('temperature');

  await open(page, '?dk=256&t=10&seed=42&qk=independent');
  await expect(readouts).toContainText('With independent Q and K each score has variance d_k');
  const independent = reference.modes.find((c) => c.seed === 42 && c.tokens === 10 && c.d_k === 256 && c.qk === 'independent' && c.tau === 1);
  expect(Math.abs((await readNumber(page, 'scaled-std')) - independent.scaled.std)).toBeLessThan(1e-3);
  expect(Math.abs((await readNumber(page, 'unscaled-per-root')) - independent.unscaled.std / 16)).toBeLessThan(1e-3);
  expect(Math.abs(independent.scaled.std - 1)).toBeLessThan(0.2); // the point: near 1

  await open(page, '?dk=16&t=10&seed=42&score=cosine&tau=2');
  await expect(readouts).toContainText('Cosine scores lie between −1 and 1');
  await expect(readouts).toContainText('before the temperature τ = 2 divides them');

  // A custom factor is shown as it was given, not rounded through float32.
  await open(page, '?dk=16&t=10&seed=42&scale=0.001');
  await expect(page.getByTestId('scale-factor')).toHaveText('0.001');
});

test('scale rule: 1/d_k, none and a custom factor, with the PyTorch call to match', async ({ page }) => {
  const { before, after } = await change(page, '?dk=64&t=10&seed=42', () =>
    page.getByLabel('Scale rule').selectOption('dk'),
  );
  await expect(page).toHaveURL(/scale=dk/);
  expect(after.stdU).toBe(before.stdU);
  expect(Number(after.stdS)).toBeCloseTo(Number(before.stdU) / 64, 3);
  expect(after.scaled).not.toEqual(before.scaled);
  await expect(page.getByTestId('pytorch')).toContainText('scale=0.015625');
  await expect(page.getByTestId('scale-factor')).toHaveText('0.01563 (1/d_k)');

  await page.getByLabel('Scale rule').selectOption('none');
  await expect(page).toHaveURL(/scale=none/);
  await expect(page.getByTestId('std-scaled')).toHaveText(before.stdU);
  await expect(page.getByTestId('pytorch')).toContainText('scale=1)');

  await page.getByLabel('Scale rule').selectOption('custom');
  const factor = page.getByLabel('factor');
  await factor.fill('0.3');
  await factor.press('Enter');
  await expect(page).toHaveURL(/scale=0\.3/);
  await expect(page.getByTestId('pytorch')).toContainText('scale=0.3)');
  expect(Number(await page.getByTestId('std-scaled').textContent())).toBeCloseTo(Number(before.stdU) * 0.3, 3);

  await factor.fill('-2');
  await factor.press('Enter');
  await expect(page.getByTestId('notice')).toContainText('Scale "-2" is below the minimum 0.001; using 0.001.');
  await expect(page).toHaveURL(/scale=0\.001/);
});

test('temperature: a log slider that softens both panels without changing the scores', async ({ page }) => {
  const tau = page.getByRole('slider', { name: /Temperature/ });
  const { before, after } = await change(page, '?dk=64&t=10&seed=42', async () => {
    await tau.focus();
    await expect(tau).toHaveAttribute('aria-valuetext', 'τ = 1');
    await page.keyboard.press('ArrowRight');
    // One step is 1/100 of the log range: τ = 0.05 · 400^0.51, about 6 % more.
    await expect(tau).toHaveAttribute('aria-valuetext', 'τ = 1.06');
    for (let i = 1; i < 10; i += 1) await page.keyboard.press('ArrowRight');
  });
  // Position 600 of 1000: τ = 0.05 · 400^0.6.
  await expect(page).toHaveURL(/tau=1\.82$/);
  await expect(page.locator('#tau-value')).toHaveText('τ = 1.82');
  await expect(tau).toHaveAttribute('aria-valuetext', 'τ = 1.82');
  await expect(page.locator('.tau-end')).toHaveText(['0.05', '20']);
  expect(after.stdS).toBe(before.stdS); // std is of the scores, before τ
  expect(after.metricsS).not.toBe(before.metricsS);
  expect(after.scaled).not.toEqual(before.scaled);
  await expect(page.getByTestId('pytorch')).toContainText('scale=0.068681319'); // 0.125 / 1.82
  await page.keyboard.press('Home');
  await expect(page).toHaveURL(/tau=0\.05/);
});

test('one overflow is counted in the singular', async ({ page }) => {
  // NumPy: with seed 42, T 10, d_k 68 in float32, exactly one score (a
  // diagonal |x|²) passes exp's limit 88.72.
  await open(page, '?dk=68&t=10&seed=42&softmax=naive');
  await expect(page.getByTestId('alarm-unscaled')).toHaveText(
    '1 row produced NaN: exp overflowed to ∞ in 1 cell, and ∞ / ∞ is NaN (1 NaN weight, hatched). ' +
      'The saturation numbers cover the 9 finite rows.',
  );
});

test('naive softmax in float16 at d_k = 64 overflows: flagged cells, counts, legend', async ({ page }, testInfo) => {
  await open(page, '?dk=64&t=10&seed=42&softmax=naive&precision=f16');
  const alarm = page.getByTestId('alarm-unscaled');
  await expect(alarm).toBeVisible();
  await expect(alarm).toContainText('10 rows produced NaN');
  const [, cells] = (await alarm.textContent()).match(/\((\d+) NaN weights?,/);
  const image = await pixels(page, 'heatmap-unscaled');
  expect(nanCells(image)).toBe(Number(cells));
  expect(Number(cells)).toBeGreaterThanOrEqual(10);
  // The hatch overlay is shown and striped; the legend explains it.
  const hatch = page.locator('[data-panel="unscaled"] canvas.hatch');
  await expect(hatch).toBeVisible();
  const stripes = await hatch.evaluate((c) => {
    const d = c.getContext('2d', { willReadFrequently: true }).getImageData(0, 0, c.width, c.height).data;
    let white = 0;
    for (let i = 0; i < d.length; i += 4) white += d[i] === 255 && d[i + 1] === 255 && d[i + 3] === 255 ? 1 : 0;
    return white;
  });
  expect(stripes).toBe(Number(cells) * 4);
  await expect(page.getByTestId('nan-legend')).toBeVisible();
  await expect(page.getByTestId('nan-legend')).toContainText('NaN');
  // The scaled panel stays (mostly) finite: scaling keeps scores in range.
  expect(nanCells(await pixels(page, 'heatmap-scaled'))).toBeLessThan(10);
  // No readout shows NaN: only the deliberate counts talk about it.
  for (const id of ['std-unscaled', 'std-scaled', 'metrics-unscaled', 'metrics-scaled', 'unscaled-per-root']) {
    expect(await page.getByTestId(id).textContent()).not.toContain('NaN');
  }
  await page.screenshot({ path: testInfo.outputPath('naive-f16-dk64.png'), fullPage: true });

  // Stable softmax in the same format: nothing breaks.
  await page.locator('#modes summary').click();
  await page.getByLabel('Stable').check();
  await expect(page).toHaveURL(/\?dk=64&t=10&seed=42&precision=f16$/);
  await expect(alarm).toBeHidden();
  await expect(hatch).toBeHidden();
  expect(nanCells(await pixels(page, 'heatmap-unscaled'))).toBe(0);
});

test('naive softmax in float32 breaks from about d_k = 89, and the precision control switches it', async ({ page }) => {
  await open(page, '?dk=64&t=10&seed=42&softmax=naive');
  await expect(page.getByTestId('alarm-unscaled')).toBeHidden();
  await open(page, '?dk=128&t=10&seed=42&softmax=naive');
  await expect(page.getByTestId('alarm-unscaled')).toBeVisible();
  const { before, after } = await change(page, '?dk=16&t=10&seed=42&softmax=naive', () =>
    page.getByLabel('Precision').selectOption('f16'),
  );
  await expect(page).toHaveURL(/precision=f16/);
  expect(nanCells({ data: before.unscaled })).toBe(0);
  expect(nanCells({ data: after.unscaled })).toBeGreaterThan(0);
  await expect(page.getByTestId('modes')).toContainText('float16');
});

test('independent Q and K at d_k = 256: the scaled std stays near 1', async ({ page }) => {
  await open(page, '?dk=256&t=10&seed=42&qk=independent');
  const scaled = await readNumber(page, 'std-scaled');
  expect(scaled).toBeGreaterThan(0.7);
  expect(scaled).toBeLessThan(1.3);
  expect(await readNumber(page, 'std-unscaled')).toBeCloseTo(scaled * 16, 2);
});

test('bad mode values in the URL are replaced or clamped with a notice', async ({ page }) => {
  await open(page, '?tau=100&scale=0&qk=both&precision=f64&softmax=NAIVE&score=');
  const notice = page.getByTestId('notice');
  await expect(notice).toContainText('Temperature τ "100" is above the maximum 20; using 20.');
  await expect(notice).toContainText('Scale "0" is below the minimum 0.001; using 0.001.');
  await expect(notice).toContainText('Q/K source "both" is not one of self, independent. Using self.');
  await expect(notice).toContainText('Precision "f64" is not one of f32, bf16, f16. Using f32.');
  await expect(notice).toContainText('Score function is empty. Using dot.');
  await expect(page).toHaveURL(/\?dk=16&t=10&seed=42&scale=0\.001&tau=20&softmax=naive$/);
  await expect(page.locator('#modes')).toHaveAttribute('open', '');

  for (const [query, text, url] of [
    ['?tau=0', 'Temperature τ "0" is below the minimum 0.05; using 0.05.', /tau=0\.05/],
    ['?tau=abc', 'Temperature τ "abc" is not a number from 0.05 to 20. Using 1.', /seed=42$/],
    ['?scale=-1', 'Scale "-1" is below the minimum 0.001; using 0.001.', /scale=0\.001/],
    ['?scale=NaN', 'Scale "NaN" is not sqrt, dk, none, ssmax or a number. Using sqrt.', /seed=42$/],
    ['?tau=Infinity', 'Temperature τ "Infinity" is not a number', /seed=42$/],
  ]) {
    await open(page, query);
    await expect(notice).toContainText(text);
    await expect(page).toHaveURL(url);
    for (const id of ['std-unscaled', 'std-scaled', 'metrics-unscaled', 'metrics-scaled', 'unscaled-per-root']) {
      expect(await page.getByTestId(id).textContent()).not.toMatch(/NaN|Infinity/);
    }
  }
});

test('metric tooltips open from the keyboard', async ({ page }) => {
  await open(page);
  const metrics = page.getByTestId('metrics-scaled');
  await metrics.locator('summary').click();
  const tip = metrics.getByRole('button', { name: 'About the gradient signal' });
  await tip.focus();
  await page.keyboard.press('Enter');
  await expect(page.locator('#tip-gradient')).toBeVisible();
  await expect(page.locator('#tip-gradient')).toContainText('diag(p) − p pᵀ');
  // It opens next to its button, not in the middle of the window.
  const [button, popover] = await Promise.all([tip.boundingBox(), page.locator('#tip-gradient').boundingBox()]);
  expect(Math.abs(popover.y - (button.y + button.height))).toBeLessThanOrEqual(8);
  expect(Math.abs(popover.x - button.x)).toBeLessThanOrEqual(8);
  await page.keyboard.press('Escape');
  await expect(page.locator('#tip-gradient')).toBeHidden();
  // The ∇ above each heatmap is a button to the same explanation (it was a title only a mouse could read).
  const grad = page.locator('[data-panel="unscaled"]').getByRole('button', { name: '∇: the gradient signal of each row' });
  await grad.focus();
  await page.keyboard.press('Enter');
  await expect(page.locator('#tip-gradient')).toBeVisible();
  const [g, p] = await Promise.all([grad.boundingBox(), page.locator('#tip-gradient').boundingBox()]);
  expect(Math.abs(p.y - (g.y + g.height))).toBeLessThanOrEqual(8);
});

test('the gradient bars shrink as the unscaled rows saturate', async ({ page }) => {
  const barPixels = async (which) => {
    const { data } = await canvasPixels(page.getByTestId(`gradient-${which}`));
    let filled = 0;
    for (let i = 3; i < data.length; i += 4) filled += data[i] === 255 ? 1 : 0;
    return filled;
  };
  await open(page, '?dk=4&t=10&seed=42');
  const small = await barPixels('unscaled');
  await open(page, '?dk=256&t=10&seed=42');
  const large = await barPixels('unscaled');
  expect(small).toBeGreaterThan(20);
  expect(large).toBeLessThan(small / 4);
  expect(viridis.length).toBe(256);
});

test('the ∇ bars are scaled to 0.5, the most any row passes, and the readout says where uniform rows are', async ({ page }) => {
  await open(page, '?dk=16&t=10&seed=42');
  const { data, width } = await canvasPixels(page.getByTestId('gradient-scaled'));
  const lengths = [];
  for (let row = 0; row < 10; row += 1) {
    let filled = 0;
    for (let x = 0; x < width; x += 1) filled += data[(row * width + x) * 4 + 3] === 255 ? 1 : 0;
    lengths.push(filled);
  }
  // NumPy's explicit Jacobian norms of the scaled rows, as bar lengths.
  const want = experiment(42, 10, 16).row_gradients_scaled.map((g) => Math.round((width * g) / 0.5));
  lengths.forEach((got, row) => expect(Math.abs(got - want[row]), `row ${row}: ${got} px, want ${want[row]}`).toBeLessThanOrEqual(1));
  expect(Math.max(...lengths)).toBeLessThan(width); // no row of this view reaches a two-way tie
  await expect(page.getByTestId('bars-legend')).toContainText('full at 0.5');
  await page.getByTestId('metrics-scaled').locator('summary').click();
  // √(T−1)/T = √9/10 = 0.3 for a uniform row of T = 10.
  await expect(page.getByTestId('metrics-scaled').locator('.m-gradient')).toContainText('(a uniform row: 0.3000; at most 0.5, two keys tied)');
});

test('colour maps: viridis, cividis and grey, for the cells and the colour bar alike', async ({ page }) => {
  const top = async () => (await canvasPixels(page.locator('#colorbar'))).data.slice(0, 3);
  await open(page, '?dk=256');
  expect(await top()).toEqual(viridis[255]);
  const cells = await pixels(page, 'heatmap-unscaled');
  await page.locator('#modes summary').click();
  await page.getByRole('combobox', { name: 'Colour map' }).selectOption('grey');
  await expect(page).toHaveURL(/cmap=grey/);
  await expect.poll(top).toEqual([255, 255, 255]);
  const grey = await pixels(page, 'heatmap-unscaled');
  // The diagonal is one-hot at d_k 256: white on grey, black off it.
  expect(grey.data.slice(0, 4)).toEqual([255, 255, 255, 255]);
  expect(grey.data.slice(4, 8)).toEqual([0, 0, 0, 255]);
  expect(grey.data).not.toEqual(cells.data);
  await page.getByLabel('Colour map').selectOption('cividis');
  await expect.poll(top).not.toEqual([255, 255, 255]);
  await open(page, '?cmap=jet');
  await expect(page.getByTestId('notice')).toContainText('Colour map "jet" is not one of viridis, cividis, grey. Using viridis.');
});

test('titles, formulas and the case text follow the scale rule, the score function and τ', async ({ page }) => {
  const title = (which) => page.locator(`[data-panel="${which}"] .panel-title`);
  const formula = (which) => page.locator(`[data-panel="${which}"] .formula`);
  const caseText = page.getByTestId('case');
  await open(page, '?dk=16&t=10&seed=42');
  await expect(title('scaled')).toHaveText('Softmax(scaled by 1/√d_k)');
  await expect(formula('scaled')).toHaveText('softmax(Q Kᵀ / √d_k), row by row');
  await expect(caseText).toContainText('Divided by √d_k the diagonal is still ≈ √d_k');

  await open(page, '?dk=16&t=10&seed=42&scale=none');
  await expect(title('scaled')).toHaveText('Softmax(not scaled)');
  await expect(caseText).toContainText('The right-hand panel is not scaled');
  await expect(caseText).not.toContainText('Divided by √d_k');
  await expect(page.getByTestId('heatmap-scaled')).toHaveAttribute('aria-label', /^Heatmap of Softmax\(not scaled\)/);

  await open(page, '?dk=16&t=10&seed=42&scale=dk&qk=independent');
  await expect(title('scaled')).toHaveText('Softmax(scaled by 1/d_k)');
  await expect(caseText).toContainText('Divided by d_k their standard deviation shrinks like 1/√d_k');

  await open(page, '?dk=16&t=10&seed=42&scale=0.3&score=cosine&tau=20');
  await expect(title('scaled')).toHaveText('Softmax(scaled by 0.3)');
  await expect(formula('unscaled')).toHaveText('softmax(cos(Q, K) / τ), τ = 20, row by row');
  await expect(formula('scaled')).toHaveText('softmax(cos(Q, K) · 0.3 / τ), τ = 20, row by row');
  await expect(caseText).toContainText('Multiplied by 0.3 they lie between −0.3 and 0.3');
  await expect(caseText).toContainText('The temperature τ = 20 divides every logit by 20');
  await expect(page.getByRole('button', { name: /^Show as table\W*Softmax\(scaled by 0\.3\)$/ })).toBeVisible();
});

test('the modes say why dot products, and PyTorch shows the weights as well as the output', async ({ page }) => {
  await open(page, '?dk=16&t=10&seed=42&precision=bf16');
  await page.locator('#modes summary').click();
  await expect(page.getByTestId('why-dot')).toContainText('one matrix product Q Kᵀ scores every pair at once');
  const code = page.getByTestId('pytorch');
  await expect(code).toContainText('weights = torch.softmax(q @ k.mT / q.size(-1) ** 0.5, dim=-1)');
  await expect(code).toContainText('out = F.scaled_dot_product_attention(q, k, v)');
  await expect(code).toContainText('matmul typically accumulates in float32 and rounds once');
});

test('colour scales: per row and log make small weights visible, and the bar marks a uniform row at 1/T', async ({ page }) => {
  const ref = experiment(42, 10, 16);
  const rows = (probs) => Array.from({ length: 10 }, (_, r) => probs.slice(10 * r, 10 * r + 10));
  // Per row: NumPy's weight ÷ the largest of its row; log: log10(p) over four decades.
  const perRow = rows(ref.probs_scaled).flatMap((row) => row.map((p) => p / Math.max(...row)));
  const logPosition = ref.probs_scaled.map((p) => Math.max(0, Math.log10(p) / 4 + 1));

  await open(page, '?dk=16&t=10&seed=42&shade=row');
  expectCellsMatch(await pixels(page, 'heatmap-scaled'), perRow);
  await expect(page.getByTestId('colorbar-caption')).toHaveText('weight ÷ its row’s largest');
  await expect(page.getByTestId('uniform-mark')).toBeHidden();

  await open(page, '?dk=16&t=10&seed=42&shade=log');
  expectCellsMatch(await pixels(page, 'heatmap-scaled'), logPosition);
  await expect(page.getByTestId('colorbar-ticks').locator('li')).toHaveText(['1', '10⁻¹', '10⁻²', '10⁻³', '≤ 10⁻⁴']);
  await expect(page.getByTestId('uniform-mark')).toHaveText('1/T = 0.1');

  await open(page, '?dk=16&t=10&seed=42');
  await page.locator('#modes summary').click();
  await expect(page.getByRole('combobox', { name: 'Colour scale' })).toHaveValue('linear');
  expectCellsMatch(await pixels(page, 'heatmap-scaled'), ref.probs_scaled);
  // The mark's line sits at 1/T = 0.1 of the bar's height, from the bottom.
  const bar = await page.locator('#colorbar').boundingBox();
  const mark = await page.getByTestId('uniform-mark').boundingBox();
  const height = (bar.y + bar.height - (mark.y + mark.height)) / bar.height;
  expect(Math.abs(height - 0.1)).toBeLessThan(0.02);
  await expect(page.locator('#colorbar')).toHaveAttribute('aria-label', /1\/T = 0\.1, is marked/);

  await page.getByRole('combobox', { name: 'Colour scale' }).selectOption('log');
  await expect(page).toHaveURL(/shade=log/);
  await page.getByRole('combobox', { name: 'Colour map' }).selectOption('grey');
  await expect(page.locator('#colorbar')).toHaveAttribute('aria-label', /black is 10⁻⁴ or less/);
});

test('keeping the tokens: growing d_k appends columns to the same X, as NumPy’s randn(T, 4096)[:, :d_k]', async ({ page }) => {
  const q = () => page.evaluate(() => Array.from(document.querySelector('attention-explorer').result.q));
  await open(page, '?dk=16&t=9&seed=5');
  await page.locator('#modes summary').click();
  const freshAt16 = await q();
  await page.getByLabel('Keep the tokens').check();
  await expect(page).toHaveURL(/x=keep/);
  await expect(page.getByTestId('modes')).toContainText('tokens kept as d_k grows');
  const keptAt16 = await q();
  await slider(page).focus();
  await page.keyboard.press('ArrowRight');
  await expect(page.locator('#dk-value')).toHaveText('20');
  const keptAt20 = await q();
  // NumPy: np.random.seed(5); np.random.randn(9, 4096)[:, :20], in float32.
  const want = reference.modes.find((c) => c.seed === 5 && c.d_k === 20 && c.columns === 'keep' && c.qk === 'self');
  expect(want).toBeTruthy();
  const rows = (m, d) => Array.from({ length: 9 }, (_, r) => m.slice(d * r, d * r + d));
  rows(keptAt20, 20).forEach((row, r) => expect(row.slice(0, 16)).toEqual(rows(keptAt16, 16)[r]));
  // A fresh draw at d_k 16 is NumPy's randn(9, 16): its second row differs from the kept tokens' second row.
  expect(rows(freshAt16, 16)[1]).not.toEqual(rows(keptAt16, 16)[1]);
  // The weights are NumPy's (float64) within float32 rounding.
  const probs = await page.evaluate(() => Array.from(document.querySelector('attention-explorer').result.scaled.probabilities));
  probs.forEach((p, i) => expect(Math.abs(p - want.scaled.probs[i])).toBeLessThan(1e-5));
});
