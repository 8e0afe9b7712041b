// Masks and Scalable-Softmax (the core's mask.rs): parameters of the URL,
// the controls and the element, validated like every other; masked cells
// drawn as masked; rows that see no key flagged with what each convention
// makes of them; SSMax's per-row factor; all named in titles and formulas.
import { test, expect, open } from './helpers.mjs';

const explorer = (page) => page.locator('attention-explorer');
const field = (page, id) => explorer(page).locator(`#${id}`);
const result = (page) => explorer(page).evaluate((el) => {
  const r = el.result;
  const copy = (p) => ({ scores: Array.from(p.scores), probs: Array.from(p.probabilities), stats: p.stats });
  return { t: r.t, unscaled: copy(r.unscaled), scaled: copy(r.scaled) };
});

test('each control round-trips: URL → controls and element; controls → URL; element → controls', async ({ page }) => {
  await open(page, '?mask=causal&pad=2&fill=min&scale=ssmax&ssmax_s=0.5');
  await expect(field(page, 'mask')).toHaveValue('causal');
  await expect(field(page, 'pad')).toHaveValue('2');
  await expect(field(page, 'fill')).toHaveValue('min');
  await expect(field(page, 'scale-rule')).toHaveValue('ssmax');
  await expect(field(page, 'ssmax-s')).toHaveValue('0.5');
  expect(await explorer(page).evaluate((el) => [el.mask, el.pad, el.fill, el.scale, el.ssmax_s])).toEqual(['causal', 2, 'min', 'ssmax', 0.5]);
  await explorer(page).locator('#modes > summary').click();
  await field(page, 'mask').selectOption('padding');
  await expect(page).toHaveURL(/[?&]mask=padding(&|$)/);
  await field(page, 'fill').selectOption('inf');
  await expect(page).toHaveURL(/[?&]fill=inf(&|$)/);
  await field(page, 'pad').fill('4');
  await field(page, 'pad').press('Enter');
  await expect(page).toHaveURL(/[?&]pad=4(&|$)/);
  await field(page, 'ssmax-s').fill('2');
  await field(page, 'ssmax-s').press('Enter');
  await expect(page).toHaveURL(/[?&]ssmax_s=2(&|$)/);
  await field(page, 'scale-rule').selectOption('sqrt');
  await expect(page).not.toHaveURL(/[?&]scale=/);
  await expect(field(page, 'ssmax-s')).toBeHidden();
  await explorer(page).evaluate((el) => { el.mask = 'none'; });
  await expect(field(page, 'mask')).toHaveValue('none');
  await expect(field(page, 'pad')).toBeDisabled(); // no mask: the padding means nothing
  await expect(page).not.toHaveURL(/[?&]mask=/);
});

test('a hostile value of each control gets a notice and the default', async ({ page }) => {
  await open(page, '?mask=sliding&pad=-1&fill=zero&ssmax_s=abc');
  const notice = explorer(page).getByTestId('notice');
  await expect(notice).toContainText('Mask "sliding" is not one of none, causal, padding. Using none.');
  await expect(notice).toContainText('Padded keys "-1" is below the minimum 0; using 0.');
  await expect(notice).toContainText('Rows that see no key "zero" is not one of sdpa, inf, min. Using sdpa.');
  await expect(notice).toContainText('SSMax s "abc" is not a number');
  expect(await explorer(page).evaluate((el) => [el.mask, el.pad, el.fill, el.ssmax_s])).toEqual(['none', 0, 'sdpa', 1]);
  // A typed padding that is not a whole number stays in its field, with a notice, and the view keeps its value.
  await open(page, '?mask=padding&pad=2');
  await explorer(page).locator('#modes > summary').click();
  await field(page, 'pad').fill('2.5');
  await field(page, 'pad').press('Enter');
  await expect(notice).toContainText('Padded keys "2.5" is not a whole number');
});

test('masked cells get no weight and are drawn as masked; statistics are of the cells the mask leaves', async ({ page }) => {
  await open(page, '?mask=causal&qk=independent&t=8&dk=32');
  const r = await result(page);
  for (let i = 0; i < r.t; i += 1) {
    const row = r.scaled.probs.slice(i * r.t, (i + 1) * r.t);
    for (let j = i + 1; j < r.t; j += 1) expect(row[j]).toBe(0);
    expect(Math.abs(row.slice(0, i + 1).reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-6);
  }
  // The first query sees only itself: weight 1. The std is np.std of the lower triangle.
  expect(r.scaled.probs[0]).toBe(1);
  const lower = r.unscaled.scores.filter((_, c) => c % r.t <= Math.floor(c / r.t));
  const mean = lower.reduce((a, b) => a + b, 0) / lower.length;
  const std = Math.sqrt(lower.reduce((a, b) => a + (b - mean) ** 2, 0) / lower.length);
  expect(Math.abs(r.unscaled.stats.std / std - 1)).toBeLessThan(1e-6);
  // Row i sees i + 1 keys: on average (T + 1)/2 = 4.5, what the effective tokens are out of.
  expect(r.scaled.stats.keysMean).toBe(4.5);
  await expect(explorer(page).locator('.m-effective').first()).toContainText('of 4.5');
  // Masked cells are transparent (the checkerboard behind shows); the others are painted.
  const alpha = await explorer(page).locator('canvas.cells').nth(1).evaluate((c) => {
    const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    return Array.from({ length: c.width * c.height }, (_, k) => data[4 * k + 3]);
  });
  alpha.forEach((a, c) => expect(a, `cell ${c}`).toBe(c % 8 > Math.floor(c / 8) ? 0 : 255));
  await expect(explorer(page).getByTestId('mask-legend')).toBeVisible();
  // The tooltip says a cell is masked, and only then.
  const cells = explorer(page).locator('canvas.cells').nth(1);
  const box = await cells.boundingBox();
  await page.mouse.move(box.x + (box.width * 6.5) / 8, box.y + (box.height * 1.5) / 8);
  await expect(explorer(page).getByTestId('tooltip')).toContainText('masked: the query does not see this key');
  await page.mouse.move(box.x + (box.width * 0.5) / 8, box.y + (box.height * 1.5) / 8);
  await expect(explorer(page).getByTestId('tooltip')).not.toContainText('masked');
  await expect(explorer(page).locator('.panel-title').nth(0)).toHaveText('Softmax(unscaled) — causal mask');
  await expect(explorer(page).getByTestId('case')).toContainText('is_causal=True');
  await expect(explorer(page).locator('.alarm').first()).toBeHidden();
});

// Causal with two padded keys: queries 0 and 1 see no key. Each fill's result, as PyTorch and NumPy give it.
for (const [fill, rows, words] of [
  ['sdpa', (p) => p === 0, 'PyTorch’s SDPA (2.5 and later) returns zeros there'],
  ['inf', (p) => Number.isNaN(p), 'the softmax computes −∞ − (−∞) = NaN'],
  ['min', (p) => Math.abs(p - 1 / 6) < 1e-7, 'spreads the weight evenly, 1/6'],
]) {
  test(`rows that see no key are flagged, fill=${fill}`, async ({ page }) => {
    await open(page, `?mask=causal&pad=2&fill=${fill}&qk=independent&t=6&dk=16`);
    const r = await result(page);
    for (const panel of [r.unscaled, r.scaled]) {
      expect(panel.stats.emptyRows).toBe(2);
      expect(panel.probs.slice(0, 12).every(rows)).toBe(true);
      // The other rows are untouched by the convention: they see keys 2..i and sum to 1.
      expect(Math.abs(panel.probs.slice(12, 18).reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-6);
      expect(panel.stats.finiteRows).toBe(4);
    }
    const alarm = explorer(page).locator('.alarm').first();
    await expect(alarm).toBeVisible();
    await expect(alarm).toContainText('2 rows see no key (hatched).');
    await expect(alarm).toContainText(words);
    await expect(explorer(page).locator('canvas.hatch').first()).toBeVisible();
    await expect(explorer(page).getByTestId('case')).toContainText('So the first 2 queries see only padding');
  });
}

test('with naive softmax the lowest-value fill gives NaN, and the alarm says why', async ({ page }) => {
  await open(page, '?mask=causal&pad=1&fill=min&softmax=naive&qk=independent&t=5&dk=16');
  const r = await result(page);
  expect(r.scaled.probs.slice(0, 5).every(Number.isNaN)).toBe(true);
  await expect(explorer(page).locator('.alarm').nth(1)).toContainText('exp gives 0 for each, and 0/0 is NaN');
});

test('SSMax multiplies each row by s·ln n/√d_k, n the keys it sees', async ({ page }) => {
  await open(page, '?scale=ssmax&ssmax_s=0.5&mask=causal&qk=independent&t=8&dk=64');
  const r = await result(page);
  for (let i = 1; i < r.t; i += 1) {
    // Rounded to float32 as the engine rounds its factor.
    const factor = Math.fround((0.5 * Math.log(i + 1)) / 8);
    for (let j = 0; j <= i; j += 1) expect(r.scaled.scores[i * r.t + j]).toBe(Math.fround(r.unscaled.scores[i * r.t + j] * factor));
  }
  // The first query sees one key: ln 1 = 0, every logit 0.
  expect(r.scaled.scores[0]).toBe(0);
  await expect(explorer(page).locator('.panel-title').nth(1)).toHaveText('Softmax(SSMax, s = 0.5) — causal mask');
  await expect(explorer(page).locator('.panel .formula').nth(1)).toContainText('softmax(Q Kᵀ · 0.5·ln n / √d_k)');
  await expect(explorer(page).getByTestId('case')).toContainText('Nakanishi, 2025');
  await expect(explorer(page).getByTestId('scale-factor')).toHaveText(`s·ln n/√d_k, which differs from row to row: ${((0.5 * Math.log(8)) / 8).toFixed(4)} for a row that sees all T keys`);
});

test('the PyTorch lines build the mask and give the heatmap; the modes line names it', async ({ page }) => {
  await open(page, '?mask=causal&pad=2&qk=independent&t=6');
  const torch = explorer(page).getByTestId('pytorch');
  await expect(torch).toContainText('mask = torch.ones(6, 6, dtype=torch.bool).tril()');
  await expect(torch).toContainText('mask[:, :2] = False  # the first 2 keys are padding');
  await expect(torch).toContainText("logits = logits.masked_fill(~mask, float('-inf'))");
  await expect(torch).toContainText('weights = torch.softmax(logits, dim=-1).nan_to_num(0.0)');
  await expect(torch).toContainText('out = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)');
  await expect(explorer(page).getByTestId('modes')).toContainText('causal · 2 padded keys · empty rows: SDPA zeros');
  await open(page, '?mask=causal&qk=independent');
  await expect(torch).toContainText('F.scaled_dot_product_attention(q, k, v, is_causal=True)');
  await open(page, '?scale=ssmax&qk=independent&t=10');
  await expect(torch).toContainText('F.scaled_dot_product_attention(q * (1 * mask.sum(-1, keepdim=True).clamp(min=1).log()), k, v)');
});

test('with SSMax the curves chart entropy ÷ ln n against T: plain 1/√d_k rows flatten, SSMax rows sharpen', async ({ page }) => {
  await open(page, '?scale=ssmax&qk=independent&dk=64&t=64&trials=8');
  await explorer(page).locator('#curves > summary').click();
  const figure = explorer(page).locator('[data-chart="entropy-t"]');
  await expect(figure).toHaveAttribute('data-done', 'true', { timeout: 30_000 });
  const label = await figure.locator('canvas').getAttribute('aria-label');
  const [, from, to, plainFrom, plainTo, ssmaxFrom, ssmaxTo] = label.match(/from (\d+) to (\d+): plain softmax (\d\.\d+) to (\d\.\d+), SSMax (\d\.\d+) to (\d\.\d+)/).map(Number);
  expect([from, to]).toEqual([4, 256]);
  expect(plainTo).toBeGreaterThan(plainFrom);
  expect(ssmaxTo).toBeLessThan(ssmaxFrom);
  // At T = 256 the plain rows are near the large-T limit 1 − 1/(2 ln 256) = 0.91 (NumPy, 32 seeds: 0.912).
  expect(Math.abs(plainTo - 0.91)).toBeLessThanOrEqual(0.02);
  // Without SSMax the chart is not there.
  await explorer(page).evaluate((el) => { el.scale = 'sqrt'; });
  await expect(figure).toBeHidden();
});
