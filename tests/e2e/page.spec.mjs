// The page as a person uses it: keyboard, mouse, touch, typed values, links.
import { test, expect, open, pixels, canvasPixels, readNumber, experiment, expectCellsMatch, viridis } from './helpers.mjs';

const slider = (page) => page.getByRole('slider', { name: /d_k/ });

/** The displayed std equals NumPy's to the 4 decimals shown. */
async function expectStdsMatch(page, ref) {
  expect(Math.abs((await readNumber(page, 'std-unscaled')) - ref.std_unscaled)).toBeLessThanOrEqual(5.1e-5);
  expect(Math.abs((await readNumber(page, 'std-scaled')) - ref.std_scaled)).toBeLessThanOrEqual(5.1e-5);
}

async function expectDisplayedRatioIsSqrtDk(page, dK) {
  const ratio = (await readNumber(page, 'std-unscaled')) / (await readNumber(page, 'std-scaled'));
  expect(Math.abs(ratio / Math.sqrt(dK) - 1)).toBeLessThan(1e-3);
}

test('opens on the notebook experiment, with NumPy numbers and colours', async ({ page }) => {
  await open(page);
  await expect(page.getByRole('heading', { name: 'Softmax(unscaled)' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Softmax(scaled by 1/√d_k)' })).toBeVisible();
  await expect(slider(page)).toHaveValue('16');
  await expect(slider(page)).toHaveAttribute('min', '4');
  await expect(slider(page)).toHaveAttribute('max', '256');
  await expect(slider(page)).toHaveAttribute('step', '4');
  await expect(page.getByTestId('seed')).toHaveValue('42');
  await expect(page.locator('.dk-readout').first()).toHaveText('16');

  const ref = experiment(42, 10, 16);
  await expectStdsMatch(page, ref);
  expectCellsMatch(await pixels(page, 'heatmap-unscaled'), ref.probs_unscaled);
  expectCellsMatch(await pixels(page, 'heatmap-scaled'), ref.probs_scaled);
  await expectDisplayedRatioIsSqrtDk(page, 16);
  await expect(page).toHaveURL(/\?dk=16&t=10&seed=42$/);

  // The colour bar: 1.0 (yellow) at the top, 0.0 (dark purple) at the bottom.
  const { data } = await canvasPixels(page.locator('#colorbar'));
  expect(data.slice(0, 3)).toEqual(viridis[255]);
  expect(data.slice(data.length - 4, data.length - 1)).toEqual(viridis[0]);
});

test('keyboard moves d_k and the readouts, URL and both heatmaps follow', async ({ page }) => {
  await open(page);
  const before = {
    unscaled: await pixels(page, 'heatmap-unscaled'),
    scaled: await pixels(page, 'heatmap-scaled'),
    stdU: await readNumber(page, 'std-unscaled'),
    stdS: await readNumber(page, 'std-scaled'),
  };
  await slider(page).focus();
  await page.keyboard.press('ArrowRight');
  await expect(page.locator('#dk-value')).toHaveText('20');
  await expect(page.locator('.dk-readout').last()).toHaveText('20');
  await expect(page).toHaveURL(/dk=20(&|$)/);
  expect(await readNumber(page, 'std-unscaled')).not.toBe(before.stdU);
  expect(await readNumber(page, 'std-scaled')).not.toBe(before.stdS);
  expect((await pixels(page, 'heatmap-unscaled')).data).not.toEqual(before.unscaled.data);
  expect((await pixels(page, 'heatmap-scaled')).data).not.toEqual(before.scaled.data);
  await expectDisplayedRatioIsSqrtDk(page, 20);

  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowLeft');
  await expect(page.locator('#dk-value')).toHaveText('12');
  await page.keyboard.press('PageUp');
  const afterPageUp = Number(await slider(page).inputValue());
  expect(afterPageUp).toBeGreaterThan(12);
  expect(afterPageUp % 4).toBe(0);
  await page.keyboard.press('PageDown');
  await expect(slider(page)).toHaveValue('12');
  await page.keyboard.press('Home');
  await expect(page.locator('#dk-value')).toHaveText('4');
  await expectDisplayedRatioIsSqrtDk(page, 4);
  await expectStdsMatch(page, experiment(42, 10, 4));
  await page.keyboard.press('End');
  await expect(page.locator('#dk-value')).toHaveText('256');
  await expect(page).toHaveURL(/dk=256(&|$)/);
  const ref = experiment(42, 10, 256);
  await expectStdsMatch(page, ref);
  await expectDisplayedRatioIsSqrtDk(page, 256);
  expectCellsMatch(await pixels(page, 'heatmap-unscaled'), ref.probs_unscaled);
  expectCellsMatch(await pixels(page, 'heatmap-scaled'), ref.probs_scaled);
});

test('the mouse drags the slider', async ({ page }) => {
  await open(page);
  const box = await slider(page).boundingBox();
  const y = box.y + box.height / 2;
  await page.mouse.move(box.x + box.width * 0.06, y);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.5, y, { steps: 8 });
  await page.mouse.up();
  const value = Number(await slider(page).inputValue());
  expect(value).toBeGreaterThan(100);
  expect(value).toBeLessThan(160);
  await expect(page.locator('#dk-value')).toHaveText(String(value));
  await expect(page).toHaveURL(new RegExp(`dk=${value}(&|$)`));
  await page.mouse.click(box.x + box.width - 2, y);
  await expect(page.locator('#dk-value')).toHaveText('256');
});

test.describe('on a touch screen', () => {
  test.use({ hasTouch: true, isMobile: true, viewport: { width: 360, height: 740 }, deviceScaleFactor: 2 });

  test('a tap on the slider sets d_k, and the layout fits a 360 px phone', async ({ page }, testInfo) => {
    await open(page);
    const box = await slider(page).boundingBox();
    await page.touchscreen.tap(box.x + box.width * 0.75, box.y + box.height / 2);
    const value = Number(await slider(page).inputValue());
    expect(value).toBeGreaterThan(150);
    await expect(page.locator('#dk-value')).toHaveText(String(value));
    // Nothing sticks out sideways, with every panel open.
    await page.locator('#modes summary').click();
    for (const summary of await page.locator('.metrics summary').all()) await summary.click();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await page.screenshot({ path: testInfo.outputPath('phone-360.png'), fullPage: true });
  });
});

test('a link reproduces the view, and unknown parameters survive', async ({ page }) => {
  await open(page, '?dk=64&t=12&seed=7&chapter=3');
  await expect(slider(page)).toHaveValue('64');
  await expect(page.getByTestId('seed')).toHaveValue('7');
  await expect(page.getByTestId('notice')).toBeHidden();
  const ref = experiment(7, 12, 64);
  await expectStdsMatch(page, ref);
  const image = await pixels(page, 'heatmap-scaled');
  expect([image.width, image.height]).toEqual([12, 12]);
  expectCellsMatch(image, ref.probs_scaled);
  expectCellsMatch(await pixels(page, 'heatmap-unscaled'), ref.probs_unscaled);

  await slider(page).focus();
  await page.keyboard.press('ArrowRight');
  await expect(page).toHaveURL(/\?dk=68&t=12&seed=7&chapter=3$/);
  const url = page.url();
  await page.goto(url);
  await expect(slider(page)).toHaveValue('68');
  await expect(page.getByTestId('seed')).toHaveValue('7');
  await expect(page.locator('#tokens')).toHaveValue('12');
});

test('bad URL values are clamped, explained, and never break the page', async ({ page }) => {
  await open(page, '?dk=7&t=2000&seed=-3');
  await expect(slider(page)).toHaveValue('8');
  await expect(page.locator('#tokens')).toHaveValue('1024');
  await expect(page.getByTestId('seed')).toHaveValue('0');
  const notice = page.getByTestId('notice');
  await expect(notice).toBeVisible();
  await expect(notice).toHaveAttribute('role', 'status');
  await expect(notice).toContainText('d_k "7" is not a multiple of 4; using 8.');
  await expect(notice).toContainText('T "2000" is above the maximum 1024; using 1024.');
  await expect(notice).toContainText('Seed "-3" is below the minimum 0; using 0.');
  await expect(page).toHaveURL(/\?dk=8&t=1024&seed=0$/);
  // The size, not the pixels: reading 4 M pixels back took ~30 s on 2 cores.
  await expect(page.getByTestId('heatmap-scaled')).toHaveJSProperty('width', 1024);
  await expect(page.getByTestId('heatmap-scaled')).toHaveJSProperty('height', 1024);

  await open(page, '?dk=abc&t=2.5&seed=1e20');
  await expect(slider(page)).toHaveValue('16');
  await expect(page.locator('#tokens')).toHaveValue('3');
  await expect(page.getByTestId('seed')).toHaveValue('4294967295');
  await expect(notice).toContainText('d_k "abc" is not a whole number from 4 to 4096. Using 16.');
  await expect(notice).toContainText('T "2.5" is not a whole number; using 3.');
  await expect(page).toHaveURL(/\?dk=16&t=3&seed=4294967295$/);

  // Markup in a parameter is shown as text, never parsed.
  await open(page, `?dk=${encodeURIComponent('<img src=x onerror=alert(1)>')}`);
  await expect(notice).toContainText('d_k "<img src=x onerror=alert(1)>" is not a whole number');
  expect(await page.locator('#notice img, main img').count()).toBe(0);
  await expect(slider(page)).toHaveValue('16');
});

test('"New sample" draws a fresh seed and a fresh X', async ({ page }) => {
  await open(page);
  const before = await pixels(page, 'heatmap-scaled');
  await page.getByRole('button', { name: 'New sample' }).click();
  await expect(page.getByTestId('seed')).not.toHaveValue('42');
  const seed = Number(await page.getByTestId('seed').inputValue());
  expect(Number.isInteger(seed) && seed >= 0 && seed <= 4294967295).toBe(true);
  await expect(page).toHaveURL(new RegExp(`seed=${seed}$`));
  expect((await pixels(page, 'heatmap-scaled')).data).not.toEqual(before.data);
  await page.getByRole('button', { name: 'New sample' }).click();
  await expect(page.getByTestId('seed')).not.toHaveValue(String(seed));
});

test('typed seed and T: numbers are used or clamped, anything else is kept and explained', async ({ page }) => {
  await open(page, '?dk=64&t=12&seed=1');
  const seed = page.getByTestId('seed');
  await seed.fill('7');
  await seed.press('Enter');
  await expect(page).toHaveURL(/seed=7$/);
  await expectStdsMatch(page, experiment(7, 12, 64));

  const before = await pixels(page, 'heatmap-scaled');
  await seed.fill('12x');
  await seed.press('Enter');
  const notice = page.getByTestId('notice');
  await expect(notice).toContainText('Seed "12x" is not a whole number from 0 to 4294967295.');
  await expect(notice).toContainText('Still showing 7.');
  await expect(seed).toHaveValue('12x');
  await expect(seed).toHaveAttribute('aria-invalid', 'true');
  expect((await pixels(page, 'heatmap-scaled')).data).toEqual(before.data);
  await expect(page).toHaveURL(/seed=7$/);

  await seed.fill('99999999999');
  await seed.press('Enter');
  await expect(seed).toHaveValue('4294967295');
  await expect(seed).toHaveAttribute('aria-invalid', 'false');
  await expect(notice).toContainText('above the maximum 4294967295');

  await page.locator('#modes summary').click();
  const tokens = page.getByLabel('Tokens T');
  await tokens.fill('32');
  await tokens.press('Enter');
  await expect(page).toHaveURL(/t=32/);
  expect((await pixels(page, 'heatmap-unscaled')).width).toBe(32);
  // 32 index labels: every fourth, each centred on its cell.
  await expect(page.locator('.ticks.x').first().locator('.tick bdi')).toHaveText(['t0', 't4', 't8', 't12', 't16', 't20', 't24', 't28']);
  const [plot, x, y] = await Promise.all([
    page.locator('.plot').first().boundingBox(),
    page.locator('.ticks.x').first().getByText('t12', { exact: true }).boundingBox(),
    page.locator('.ticks.y').first().getByText('t12', { exact: true }).boundingBox(),
  ]);
  const cell = plot.width / 32;
  expect(Math.abs(x.x + x.width / 2 - (plot.x + 12.5 * cell))).toBeLessThan(cell / 2);
  expect(Math.abs(y.y + y.height / 2 - (plot.y + 12.5 * cell))).toBeLessThan(cell / 2);
});

test('a burst of input events is painted once, on the next frame, with the last value', async ({ page }) => {
  await open(page);
  const runs = await page.evaluate(async () => {
    const element = document.querySelector('attention-explorer');
    let count = 0;
    element.addEventListener('change', () => {
      count += 1;
    });
    const input = element.shadowRoot.querySelector('#dk');
    for (let v = 20; v <= 200; v += 4) {
      input.value = String(v);
      input.dispatchEvent(new Event('input', { bubbles: true }));
    }
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    return count;
  });
  expect(runs).toBe(1);
  await expect(page.locator('#dk-value')).toHaveText('200');
  await expectDisplayedRatioIsSqrtDk(page, 200);
});

test.describe('on a high-DPI screen', () => {
  test.use({ deviceScaleFactor: 2 });

  test('cells are square, whole device pixels, and the page looks right', async ({ page }, testInfo) => {
    for (const t of [10, 64, 7]) {
      await open(page, `?dk=32&t=${t}&seed=42`);
      for (const id of ['heatmap-unscaled', 'heatmap-scaled']) {
        const size = await page.getByTestId(id).evaluate((c) => {
          const r = c.getBoundingClientRect();
          return { w: r.width, h: r.height, cw: c.width };
        });
        expect(size.cw).toBe(t);
        expect(size.w).toBeCloseTo(size.h, 5);
        const devicePerCell = (size.w * 2) / t;
        expect(Math.abs(devicePerCell - Math.round(devicePerCell))).toBeLessThan(1e-6);
        expect(devicePerCell).toBeGreaterThanOrEqual(2);
      }
    }
    await open(page);
    await page.screenshot({ path: testInfo.outputPath('desktop-default.png'), fullPage: true });
    await open(page, '?dk=256&t=10&seed=42');
    await page.screenshot({ path: testInfo.outputPath('desktop-dk256.png'), fullPage: true });
  });
});

test('a soak of 2,000 rapid slider steps: no console error, no memory growth', async ({ page }) => {
  await open(page);
  const memory = await page.evaluate(async () => {
    const element = await document.querySelector('attention-explorer').ready;
    const wasm = await (await import('./pkg/attention_wasm.js')).default();
    const input = element.shadowRoot.querySelector('#dk');
    const drag = async (n) => {
      for (let i = 0; i < n; i += 1) {
        input.value = String(4 + 4 * (i % 64));
        input.dispatchEvent(new Event('input', { bubbles: true }));
        if (i % 20 === 19) await new Promise((r) => requestAnimationFrame(r));
      }
    };
    await drag(200);
    const warm = wasm.memory.buffer.byteLength;
    await drag(2000);
    return { warm, after: wasm.memory.buffer.byteLength };
  });
  expect(memory.after).toBe(memory.warm);
  await expect(page.getByTestId('std-scaled')).not.toHaveText('–');
});

test('each "Set this up" button of the explanation sets the state it describes, and puts it back', async ({ page }) => {
  await open(page, '?dk=16&t=10&seed=42');
  const buttons = page.getByRole('button', { name: 'Set this up' });
  await expect(buttons).toHaveCount(8);
  await buttons.nth(0).click();
  await expect(page).toHaveURL(/\?dk=4&t=10&seed=42&qk=independent$/);
  await expect(page.getByTestId('case')).toContainText('Case: independent Q and K');
  await expect(page.getByRole('button', { name: 'Back to the view before' })).toHaveCount(1);
  // The visitor drags meanwhile; going back restores only what the button set.
  await slider(page).focus();
  await page.keyboard.press('ArrowRight');
  await page.getByRole('button', { name: 'Back to the view before' }).click();
  await expect(page).toHaveURL(/\?dk=16&t=10&seed=42$/);
  await expect(buttons).toHaveCount(8);

  await buttons.nth(1).click();
  await expect(page).toHaveURL(/\?dk=64&t=10&seed=42&softmax=naive&precision=f16$/); // qk, score, scale, τ at their defaults
  await expect(page.getByTestId('alarm-unscaled')).toBeVisible();
  await expect(page.getByTestId('alarm-scaled')).toBeHidden();
  await page.getByRole('button', { name: 'Back to the view before' }).click();
  await expect(page).toHaveURL(/\?dk=16&t=10&seed=42$/);

  // The third starts a cosine view over at the dot product, 1/√d_k and d_k 4.
  await open(page, '?dk=100&t=10&seed=42&score=cosine&scale=none&tau=3');
  await page.getByRole('button', { name: 'Set this up' }).nth(2).click();
  await expect(page).toHaveURL(/\?dk=4&t=10&seed=42$/);
  await page.getByRole('button', { name: 'Back to the view before' }).click();
  await expect(page).toHaveURL(/\?dk=100&t=10&seed=42&score=cosine&scale=none&tau=3$/);
});

test('the guide beyond 1/√d_k: each button sets up what its paragraph claims', async ({ page }) => {
  await open(page, '?dk=16&t=10&seed=42');
  const buttons = page.getByRole('button', { name: 'Set this up' });
  const el = page.locator('attention-explorer');
  const result = () => el.evaluate((e) => ({
    scores: Array.from(e.result.unscaled.scores), probs: Array.from(e.result.unscaled.probabilities), t: e.result.t,
  }));
  const back = () => page.getByRole('button', { name: 'Back to the view before' }).click();
  // ρ = 0.8: a key's score with its own query leads by about ρ·d_k.
  await buttons.nth(3).click();
  await expect(page).toHaveURL(/qk=independent&rho=0\.8/);
  await expect(page.getByTestId('case')).toContainText('its own key');
  await back();
  // L2 QK-norm with g = 12: every unscaled score within ±12.
  await buttons.nth(4).click();
  await expect(page).toHaveURL(/qknorm=l2&g=12/);
  expect(Math.max(...(await result()).scores.map(Math.abs))).toBeLessThanOrEqual(12 + 1e-5);
  await back();
  // A cap of 2, Q = K, d_k = 256, T = 10: every unscaled row's largest weight below 1/(1 + 9e^−4) = 0.8585.
  await buttons.nth(5).click();
  const capped = await result();
  for (let i = 0; i < capped.t; i += 1) expect(Math.max(...capped.probs.slice(i * capped.t, (i + 1) * capped.t))).toBeLessThan(0.86);
  await back();
  // SSMax: the right panel is SSMax's.
  await buttons.nth(6).click();
  await expect(page.locator('attention-explorer .panel-title').nth(1)).toHaveText('Softmax(SSMax, s = 1)');
  await back();
  // A causal mask with 2 padded keys and the −∞ fill: the first 2 rows are NaN, and the alarm says so.
  await buttons.nth(7).click();
  const masked = await result();
  expect(masked.probs.slice(0, 2 * masked.t).every(Number.isNaN)).toBe(true);
  await expect(page.getByTestId('alarm-unscaled')).toContainText('−∞ − (−∞) = NaN');
  await back();
  await expect(page).toHaveURL(/\?dk=16&t=10&seed=42$/);
});

test('the case text offers its suggestion as a button, and the way back', async ({ page }) => {
  await open(page, '?dk=16&t=10&seed=42');
  const tryIt = page.getByTestId('case-try');
  await expect(tryIt).toHaveText('Try independent Q and K');
  await tryIt.click();
  await expect(page).toHaveURL(/qk=independent/);
  await expect(page.getByLabel('Independent Q and K')).toBeChecked();
  await expect(tryIt).toHaveText('Back to Q = K = X');
  await tryIt.click();
  await expect(page).toHaveURL(/\?dk=16&t=10&seed=42$/);
});

test('notices: a row past T says so, user text is isolated, stale notices go, one element owns the address', async ({ page }) => {
  const notice = page.getByTestId('notice');
  await open(page, '?dk=16&t=10&seed=42&row=1e308');
  await expect(notice).toContainText('Row "1e308" is above the maximum 1023; using 1023.');
  await expect(notice).toContainText('Row 1023 is past the last row of T = 10; using 9.');
  // In the reader's language too.
  await open(page, '?dk=16&t=10&seed=42&row=500&lang=es');
  await expect(notice).toContainText('La fila 500 queda después de la última fila de T = 10; se usa 9.');

  // A right-to-left override in a value stays inside its <bdi>.
  await open(page, `?dk=16&t=10&seed=${encodeURIComponent('\u202e12x')}`);
  await expect(notice.locator('bdi')).toHaveText('\u202e12x');
  await expect(notice).toContainText('is not a whole number from 0 to 4294967295. Using 42.');

  // Through the element: a rejected value's notice goes once a good value follows.
  await page.evaluate(() => {
    document.querySelector('attention-explorer').dk = 'abc';
  });
  await expect(notice).toContainText('d_k "abc" is not a whole number');
  await page.evaluate(() => {
    document.querySelector('attention-explorer').dk = 32;
  });
  await expect(notice).toBeHidden();

  // A second element with sync-url does not fight the first over the address.
  const second = await page.evaluate(async () => {
    const el = Object.assign(document.createElement('attention-explorer'), { id: 'second' });
    el.setAttribute('sync-url', '');
    document.querySelector('main').append(el);
    await el.ready;
    const said = el.shadowRoot.querySelector('[data-testid="notice"]').textContent;
    el.dk = 200;
    el.renderNow();
    return said;
  });
  expect(second).toContain('Another explorer on this page keeps the address in sync; this one does not.');
  await slider(page).first().focus();
  await page.keyboard.press('ArrowRight');
  await expect(page).toHaveURL(/\?dk=36&/);
});

test('T sits with the seed, outside the modes; Reset brings the page back to the link it opened', async ({ page }) => {
  await open(page, '?dk=32&seed=5&t=8');
  // T and "Large sizes" are core sizes, visible without opening the modes.
  await expect(page.locator('#tokens')).toBeVisible();
  await expect(page.locator('#modes #tokens')).toHaveCount(0);
  await page.locator('#tokens').fill('20');
  await page.locator('#tokens').press('Enter');
  await page.getByRole('slider', { name: /d_k/ }).press('End');
  await expect(page).toHaveURL(/\?dk=256&t=20&seed=5$/);
  await page.getByRole('button', { name: 'Reset' }).click();
  await expect(page).toHaveURL(/\?dk=32&t=8&seed=5$/);
  await expect(page.locator('#dk-value')).toHaveText('32');
  await expect(page.locator('#tokens')).toHaveValue('8');
});

test('the explanation’s fractions are set at the size of the text, not shrunk to script size', async ({ page }) => {
  await open(page);
  await expect(page.getByRole('heading', { name: 'What to try, and what to see' })).toBeVisible();
  const sizes = await page.evaluate(() => {
    const root = document.querySelector('attention-explorer').shadowRoot;
    return {
      text: parseFloat(getComputedStyle(root.querySelector('.explain p')).fontSize),
      fractions: [...root.querySelectorAll('.explain mfrac')].map((f) => parseFloat(getComputedStyle(f.firstElementChild).fontSize)),
    };
  });
  expect(sizes.fractions).toHaveLength(2);
  for (const size of sizes.fractions) expect(size).toBeGreaterThanOrEqual(sizes.text);
});

test('a log-scale d_k slider steps in quarter octaves, and says d_k, not its position', async ({ page }) => {
  await open(page, '?dk=16');
  const slider = page.getByRole('slider', { name: /d_k/ });
  await expect(slider).toHaveAttribute('aria-valuetext', 'd_k 16');
  await page.getByLabel('log scale').check();
  await expect(page).toHaveURL(/dkscale=log/);
  // 4 · 2^(k/4) rounded to the step of 4: after 16 (k = 8) comes 19.03 → 20, then 22.6 → 24.
  await slider.press('ArrowRight');
  await expect(page.locator('#dk-value')).toHaveText('20');
  await expect(slider).toHaveAttribute('aria-valuetext', 'd_k 20');
  await page.getByRole('button', { name: 'd_k one step up' }).click();
  await expect(page.locator('#dk-value')).toHaveText('24');
  await slider.press('End');
  await expect(page.locator('#dk-value')).toHaveText('256');
  // 256 · 2^(−1/4) = 215.3 → 216.
  await slider.press('ArrowLeft');
  await expect(page.locator('#dk-value')).toHaveText('216');
  await slider.press('Home');
  await expect(page.locator('#dk-value')).toHaveText('4');
  await expect(page).toHaveURL(/\?dk=4&t=10&seed=42&dkscale=log$/);
  // Back to linear: steps of 4 again.
  await page.getByLabel('log scale').uncheck();
  await slider.press('ArrowRight');
  await expect(page.locator('#dk-value')).toHaveText('8');
});
