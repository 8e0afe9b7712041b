// Logit control (the core's logits.rs): QK-norm with a gain, and the soft
// cap — parameters of the URL, the controls and the element, validated like
// every other, named in the titles and formulas, and bounding the numbers
// as the page says they do.
import { test, expect, open } from './helpers.mjs';

const explorer = (page) => page.locator('attention-explorer');
const field = (page, id) => explorer(page).locator(`#${id}`);
const result = (page) => explorer(page).evaluate((el) => {
  const r = el.result;
  return {
    t: r.t,
    unscaled: Array.from(r.unscaled.scores),
    scaled: Array.from(r.scaled.scores),
    stats: r.unscaled.stats,
    scaledStats: r.scaled.stats,
  };
});

test('each control round-trips: URL → controls and element; controls → URL; element → controls', async ({ page }) => {
  await open(page, '?qknorm=l2&g=12&cap=5');
  await expect(field(page, 'qknorm')).toHaveValue('l2');
  await expect(field(page, 'gain')).toHaveValue('12');
  await expect(field(page, 'cap')).toHaveValue('5');
  expect(await explorer(page).evaluate((el) => [el.qknorm, el.g, el.cap])).toEqual(['l2', 12, 5]);
  await explorer(page).locator('#modes > summary').click();
  await field(page, 'qknorm').selectOption('layernorm');
  await expect(page).toHaveURL(/[?&]qknorm=layernorm(&|$)/);
  await field(page, 'gain').fill('2.5');
  await field(page, 'gain').press('Enter');
  await expect(page).toHaveURL(/[?&]g=2\.5(&|$)/);
  await explorer(page).evaluate((el) => { el.cap = 0; });
  await expect(field(page, 'cap')).toHaveValue('0');
  await expect(page).not.toHaveURL(/[?&]cap=/);
});

test('a hostile value of each control gets a notice and the default', async ({ page }) => {
  await open(page, '?qknorm=rms&g=0&cap=-3');
  const notice = explorer(page).getByTestId('notice');
  await expect(notice).toContainText('QK-norm "rms" is not one of none, l2, layernorm. Using none.');
  await expect(notice).toContainText('Gain g "0" is below the minimum 0.1; using 0.1.');
  await expect(notice).toContainText('Soft cap c "-3" is below the minimum 0.1; using 0.1.');
  expect(await explorer(page).evaluate((el) => [el.qknorm, el.g, el.cap])).toEqual(['none', 0.1, 0.1]);
  // 0 is no cap, without a notice; a cap too small to survive rounding is raised to 0.1.
  await open(page, '?cap=0&precision=f16');
  await expect(notice).toBeHidden();
  await open(page, '?cap=1e-9&precision=f16');
  await expect(notice).toContainText('Soft cap c "1e-9" is below the minimum 0.1; using 0.1.');
});

test('a cap bounds every logit and the rows, as the case text says; titles and formulas name it', async ({ page }) => {
  await open(page, '?cap=5&dk=256&t=16');
  const r = await result(page);
  expect(Math.max(...r.unscaled.map(Math.abs), ...r.scaled.map(Math.abs))).toBeLessThanOrEqual(5);
  // |x|² ≈ 256 on the diagonal: 5·tanh(51.2) is 5 in float32.
  for (let i = 0; i < r.t; i += 1) expect(r.unscaled[i * r.t + i]).toBe(5);
  // A row's logits differ by at most 2c: its largest weight is at most 1 / (1 + (T − 1) e^(−2c)).
  const top = 1 / (1 + 15 * Math.exp(-10));
  expect(r.stats.maxProbMin).toBeLessThanOrEqual(top);
  await expect(explorer(page).getByTestId('case')).toContainText(`can pass ${top.toFixed(4)}`);
  await expect(explorer(page).getByTestId('case')).toContainText('Gemma 2');
  await expect(explorer(page).locator('.panel-title').nth(1)).toHaveText('Softmax(scaled by 1/√d_k) — capped at 5');
  await expect(explorer(page).locator('.panel .formula').nth(1)).toContainText('softmax(5·tanh(Q Kᵀ / √d_k / 5))');
});

test('L2 QK-norm makes every score g·cos θ; LayerNorm QK-norm undoes σ and μ', async ({ page }) => {
  await open(page, '?qknorm=l2&g=12&dk=64&t=8');
  let r = await result(page);
  // Q = K: a token's cosine with itself is 1, so its score is g.
  for (let i = 0; i < r.t; i += 1) expect(Math.abs(r.unscaled[i * r.t + i] - 12)).toBeLessThan(1e-5);
  expect(Math.max(...r.unscaled.map(Math.abs))).toBeLessThanOrEqual(12 + 1e-5);
  await expect(explorer(page).getByTestId('case')).toContainText('Henry et al., 2020');
  await expect(explorer(page).getByTestId('readouts-text')).toContainText('between −g and g: the stds no longer grow with d_k');
  // Independent rows, σ = 5 and μ = 3 undone: the unscaled std ÷ √d_k near 1 (over 64² scores).
  await open(page, '?qknorm=layernorm&mu=3&sigma=5&dk=64&qk=independent&t=64');
  const ratio = Number(await explorer(page).getByTestId('unscaled-per-root').textContent());
  expect(Math.abs(ratio - 1)).toBeLessThan(0.1);
  await expect(explorer(page).getByTestId('readouts-text')).toContainText('stays near 1 at every d_k');
});

test('with a cap the largest-weight chart shows its bound; without one, no line', async ({ page }) => {
  await open(page, '?cap=2&tau=0.5&trials=2');
  await explorer(page).locator('#curves > summary').click();
  await expect(explorer(page).getByTestId('sweep-progress')).toContainText(/trials per d_k/, { timeout: 30_000 });
  const legend = explorer(page).locator('[data-chart="max"] .chart-legend .theory');
  await expect(legend).toBeVisible();
  await expect(legend).toHaveText('bound with a cap c: 1/(1 + (n − 1)·e^(−2c/τ)) for a row of n keys');
  await explorer(page).evaluate((el) => { el.cap = 0; });
  await expect(explorer(page).getByTestId('sweep-progress')).toContainText(/trials per d_k/, { timeout: 30_000 });
  await expect(legend).toBeHidden();
});
