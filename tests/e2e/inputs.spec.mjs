// The inputs (the core's inputs.rs): the components' distribution, σ and μ,
// LayerNorm'ed rows and keys correlated with their queries — as parameters
// of the URL, the controls and the element, validated like every other, and
// as numbers that follow their closed forms.
import { test, expect, open } from './helpers.mjs';

const explorer = (page) => page.locator('attention-explorer');
const field = (page, id) => explorer(page).locator(`#${id}`);

test('each input round-trips: URL → controls and element; controls → URL; element → controls and URL', async ({ page }) => {
  await open(page, '?qk=independent&dist=uniform&sigma=2&mu=0.5&ln=1&rho=0.3');
  await expect(field(page, 'dist')).toHaveValue('uniform');
  await expect(field(page, 'sigma')).toHaveValue('2');
  await expect(field(page, 'mu')).toHaveValue('0.5');
  await expect(field(page, 'ln')).toBeChecked();
  await expect(field(page, 'rho')).toHaveValue('0.3');
  expect(await explorer(page).evaluate((el) => [el.dist, el.sigma, el.mu, el.ln, el.rho])).toEqual(['uniform', 2, 0.5, '1', 0.3]);

  await explorer(page).locator('#modes > summary').click();
  await field(page, 'dist').selectOption('rademacher');
  await expect(page).toHaveURL(/[?&]dist=rademacher(&|$)/);
  await field(page, 'sigma').fill('3');
  await field(page, 'sigma').press('Enter');
  await expect(page).toHaveURL(/[?&]sigma=3(&|$)/);
  await field(page, 'ln').uncheck();
  await expect(page).not.toHaveURL(/[?&]ln=/);
  await field(page, 'rho').fill('0.75');
  await field(page, 'rho').press('Tab');
  await expect(page).toHaveURL(/[?&]rho=0\.75(&|$)/);

  await explorer(page).evaluate((el) => Object.assign(el, { mu: -1.25, dist: 'normal' }));
  await expect(field(page, 'mu')).toHaveValue('-1.25');
  await expect(field(page, 'dist')).toHaveValue('normal');
  await expect(page).toHaveURL(/[?&]mu=-1\.25(&|$)/);
  await expect(page).not.toHaveURL(/[?&]dist=/);
  await explorer(page).evaluate((el) => el.setAttribute('rho', '0.5'));
  await expect(field(page, 'rho')).toHaveValue('0.5');
  // ρ leans K towards Q: with Q = K there is no K of its own, and the field says so by being disabled.
  await explorer(page).locator('input[name="qk"][value="self"]').check();
  await expect(field(page, 'rho')).toBeDisabled();
  await expect(explorer(page).getByTestId('modes')).not.toContainText('ρ');
});

test('a hostile value of each input gets a notice and the default; the Modes panel opens to show them', async ({ page }) => {
  await open(page, `?sigma=0&mu=${encodeURIComponent('1e400x')}&rho=2&dist=cauchy&ln=yes`);
  const notice = explorer(page).getByTestId('notice');
  await expect(notice).toContainText('σ "0" is below the minimum 0.1; using 0.1.');
  await expect(notice).toContainText('μ "1e400x" is not a number from -5 to 5. Using 0.');
  await expect(notice).toContainText('ρ "2" is above the maximum 1; using 1.');
  await expect(notice).toContainText('Distribution "cauchy" is not one of normal, uniform, rademacher. Using normal.');
  await expect(notice).toContainText('LayerNorm "yes" is not one of 0, 1. Using 0.');
  await expect(explorer(page).locator('#modes')).toHaveJSProperty('open', true);
  expect(await explorer(page).evaluate((el) => [el.sigma, el.mu, el.rho, el.dist, el.ln])).toEqual([0.1, 0, 1, 'normal', '0']);
  // A typed value the page refuses stays in its field, marked, and the view keeps the last good one.
  await field(page, 'sigma').fill('much');
  await field(page, 'sigma').press('Enter');
  await expect(field(page, 'sigma')).toHaveAttribute('aria-invalid', 'true');
  await expect(notice).toHaveText('σ "much" is not a number from 0.1 to 10. Still showing 0.1.');
  await expect(field(page, 'sigma')).toHaveValue('much');
});

/** Mean over rows of each row's population std, of a row-major T × T matrix. */
function rowSpread(scores, t) {
  let total = 0;
  for (let r = 0; r < t; r += 1) {
    const row = scores.slice(r * t, (r + 1) * t);
    const mean = row.reduce((a, b) => a + b, 0) / t;
    total += Math.sqrt(row.reduce((a, b) => a + (b - mean) ** 2, 0) / t);
  }
  return total / t;
}

test('the numbers follow the closed forms the page states', async ({ page }) => {
  const result = () => explorer(page).evaluate((el) => {
    const r = el.result;
    return { t: r.t, dk: r.dk, q: Array.from(r.q), scores: Array.from(r.unscaled.scores), stats: r.unscaled.stats };
  });
  // ±1 components: every |x|² is exactly d_k.
  await open(page, '?dist=rademacher&dk=96&t=12');
  let r = await result();
  for (let i = 0; i < r.t; i += 1) expect(r.scores[i * r.t + i]).toBe(96);
  // Keys leaning towards their queries: the diagonal's mean is ρ·d_k (128 here; its sampling error is about 2.2).
  await open(page, '?qk=independent&rho=0.5&dk=256&t=64&seed=3');
  r = await result();
  expect(Math.abs(r.stats.diagonalMean - 128)).toBeLessThan(12.8);
  await expect(explorer(page).getByTestId('case')).toContainText('ρ = 0.5');
  await expect(explorer(page).getByTestId('case')).toContainText('Tensor Programs V');
  // An offset μ: scores grow by about μ²·d_k, and along a row they spread by σ·√((σ² + μ²)·d_k) = √(5 · 128) ≈ 25.3.
  // (The spread is mostly the keys' own offsets, one sample of T for every row: over 20 seeds in NumPy,
  // T = 512 puts it within 5 % of the formula.)
  await open(page, '?qk=independent&mu=2&dk=128&t=512&seed=4');
  r = await result();
  expect(Math.abs(r.stats.offDiagonalMean / (4 * 128) - 1)).toBeLessThan(0.02);
  expect(Math.abs(rowSpread(r.scores, r.t) / Math.sqrt(5 * 128) - 1)).toBeLessThan(0.06);
  // The ratio line's own number: the unscaled std ÷ √d_k near σ·√(σ² + 2μ²) = 2·√4.5 ≈ 4.24 (here over 256² scores).
  await open(page, '?qk=independent&sigma=2&mu=0.5&dk=64&t=256&seed=5');
  await expect(explorer(page).getByTestId('readouts-text')).toContainText('σ·√(σ² + 2μ²) = 4.24');
  const ratio = Number(await explorer(page).getByTestId('unscaled-per-root').textContent());
  expect(Math.abs(ratio / (2 * Math.sqrt(4.5)) - 1)).toBeLessThan(0.06);
  // LayerNorm'ed rows: each row of Q has mean 0 and variance 1 (to within float32 and LayerNorm's 1e-5).
  await open(page, '?ln=1&mu=3&sigma=4&dk=64&t=8');
  r = await result();
  for (let i = 0; i < r.t; i += 1) {
    const row = r.q.slice(i * r.dk, (i + 1) * r.dk);
    const mean = row.reduce((a, b) => a + b, 0) / r.dk;
    const variance = row.reduce((a, b) => a + (b - mean) ** 2, 0) / r.dk;
    expect(Math.abs(mean)).toBeLessThan(1e-6);
    expect(Math.abs(variance - 1)).toBeLessThan(1e-5);
  }
});

test('the curves for correlated keys show a diagonal of slope ρ, with its theory line', async ({ page }) => {
  test.setTimeout(60_000);
  await open(page, '?qk=independent&rho=0.5&t=32&trials=16');
  await explorer(page).locator('#curves > summary').click();
  await expect(explorer(page).getByTestId('sweep-progress')).toContainText('trials per d_k', { timeout: 30_000 });
  await expect(explorer(page).locator('[data-chart="diagonal"]')).toBeVisible();
  await expect(explorer(page).locator('[data-chart="diagonal"] .chart-legend .theory')).toBeVisible();
  await explorer(page).locator('#show-tables').click();
  const table = explorer(page).getByTestId('curves-table');
  const column = await table.locator('thead th').allTextContents();
  const diagonal = column.findIndex((h) => h.startsWith('diagonal_unscaled'));
  const rows = await table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent)));
  const mean = (dk) => Number(rows.find((row) => row[0] === String(dk))[diagonal].split(' ')[0]);
  // The mean diagonal over 16 trials of 32 tokens: within 5 % of ρ·d_k; its slope between d_k 64 and 256 is ρ.
  expect(Math.abs(mean(256) / 128 - 1)).toBeLessThan(0.05);
  expect(Math.abs(mean(64) / 32 - 1)).toBeLessThan(0.1);
  expect(Math.abs((mean(256) - mean(64)) / 192 - 0.5)).toBeLessThan(0.05);
});
