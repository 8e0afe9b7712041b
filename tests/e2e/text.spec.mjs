// Your own text: tokens as axis labels, exact values on hover, presets in
// many scripts, and every kind of bad input handled without breaking.
import { test, expect, open } from './helpers.mjs';

const labels = (page) => page.locator('[data-panel="scaled"] .ticks.y .tick bdi').allTextContents();

/** The engine's numbers for one cell, from the element's `result`. */
async function engineCell(page, row, col) {
  return page.evaluate(
    ([r, c]) => {
      const result = document.querySelector('attention-explorer').result;
      const at = r * result.t + c;
      const sig = (x) => Number(x.toPrecision(4)).toString();
      return [
        sig(result.unscaled.scores[at]),
        sig(result.scaled.scores[at]),
        sig(result.unscaled.probabilities[at]),
        sig(result.scaled.probabilities[at]),
      ];
    },
    [row, col],
  );
}

test('typed text becomes the axis labels, and repeated words attend to each other', async ({ page }) => {
  await open(page);
  await page.getByText('Your own text, in any language').click();
  await page.getByTestId('text').fill('the cat saw the dog');
  await expect(page).toHaveURL(/text=the\+cat\+saw\+the\+dog/);
  await expect.poll(() => labels(page)).toEqual(['the', 'cat', 'saw', 'the', 'dog']);
  await expect(page.locator('#tokens')).toBeDisabled();
  await expect(page.locator('#tokens')).toHaveValue('5');
  // Identical words have identical vectors: with Q = K, "the" scores the
  // other "the" exactly as it scores itself.
  const [self] = await engineCell(page, 0, 0);
  const [twin] = await engineCell(page, 0, 3);
  expect(twin).toBe(self);
  await page.getByTestId('text').fill('');
  // Back to random tokens, at the T from before the text.
  await expect.poll(() => labels(page)).toEqual(['t0', 't1', 't2', 't3', 't4', 't5', 't6', 't7', 't8', 't9']);
  await expect(page.locator('#tokens')).toBeEnabled();
});

test('T asked for survives texts, presets and a text with no words: links carry it, not the word count', async ({ page }) => {
  await open(page, '?t=12');
  await page.getByText('Your own text, in any language').click();
  await page.getByTestId('presets').getByRole('link').first().click();
  await expect(page.locator('#tokens')).toBeDisabled();
  const words = Number(await page.locator('#tokens').inputValue());
  expect(words).not.toBe(12);
  // The address and the next preset's link keep T = 12, not the preset's word count.
  await expect(page).toHaveURL(/[?&]t=12&/);
  await expect(page.getByTestId('presets').getByRole('link').nth(1)).toHaveAttribute('href', /[?&]t=12&/);
  await page.getByTestId('presets').getByRole('link').nth(1).click();
  await page.getByTestId('text').fill(Array.from({ length: 80 }, (_, i) => `w${i}`).join(' '));
  await expect(page.locator('#tokens')).toHaveValue('64');
  await page.getByTestId('text').fill('😀 🎉 !!!');
  await page.getByTestId('text').press('Enter');
  await expect(page.getByTestId('notice')).toContainText('No words found in the text');
  await expect(page.locator('#tokens')).toBeEnabled();
  await expect(page.locator('#tokens')).toHaveValue('12');
  await expect.poll(() => labels(page)).toHaveLength(12);
  expect(await page.evaluate(() => document.querySelector('attention-explorer').result.t)).toBe(12);
});

test('the tooltip shows both tokens and the engine’s four numbers, by mouse and by keyboard', async ({ page }) => {
  await open(page, `?dk=32&text=${encodeURIComponent('attention is all you need said the paper')}`);
  const canvas = page.getByTestId('heatmap-scaled');
  await canvas.scrollIntoViewIfNeeded();
  const box = await canvas.boundingBox();
  const t = 8;
  await page.mouse.move(box.x + (box.width / t) * 3.5, box.y + (box.height / t) * 1.5);
  const tip = page.getByTestId('tooltip');
  await expect(tip).toBeVisible();
  await expect(tip).toHaveAttribute('data-cell', '1,3');
  await expect(tip).toContainText('query is (row 1) → key you (column 3)');
  const [su, ss, pu, ps] = await engineCell(page, 1, 3);
  await expect(tip).toContainText(`score ${su} · scaled ${ss}`);
  await expect(tip).toContainText(`weight: unscaled ${pu} · scaled ${ps}`);
  await expect(page.locator('[data-panel="unscaled"] .cell-col')).toBeVisible();

  await page.mouse.move(0, 0);
  await canvas.focus();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await expect(tip).toHaveAttribute('data-cell', '1,2');
  const [, , , p12] = await engineCell(page, 1, 2);
  await expect(tip).toContainText(`scaled ${p12}`);
  await page.keyboard.press('Escape');
  await expect(tip).toBeHidden();
});

test('every preset renders its words; non-ASCII text round-trips through the URL', async ({ page }, testInfo) => {
  await open(page);
  await page.getByText('Your own text, in any language').click();
  const presets = page.getByTestId('presets').getByRole('link');
  const count = await presets.count();
  expect(count).toBeGreaterThanOrEqual(6);
  for (let i = 0; i < count; i += 1) {
    const link = page.getByTestId('presets').getByRole('link').nth(i);
    const name = await link.textContent();
    const href = await link.getAttribute('href');
    const text = new URLSearchParams(href.slice(href.indexOf('?'))).get('text');
    await link.click();
    await expect(page.getByTestId('text')).toHaveValue(text);
    await expect(page.locator('[data-panel="scaled"] .ticks.y .tick').first()).not.toHaveText('t0');
    const words = await labels(page);
    expect(words.length, name).toBeGreaterThanOrEqual(4);
    // Word segments, in order, cover the text's letters.
    const letters = (s) => s.replace(/[\s\p{P}]/gu, '');
    expect(letters(words.join('')), name).toBe(letters(text));
    expect(new URL(page.url()).searchParams.get('text')).toBe(text);
    if (name === 'العربية') await page.screenshot({ path: testInfo.outputPath('preset-arabic-rtl.png'), fullPage: true });
    if (name === '中文') await page.screenshot({ path: testInfo.outputPath('preset-chinese.png'), fullPage: true });
  }
  // A reload of the URL restores the same view.
  const url = page.url();
  const before = await labels(page);
  await page.goto(url);
  await expect.poll(() => labels(page)).toEqual(before);
});

test('hostile and odd text is only ever text, and never breaks the page', async ({ page }) => {
  page.on('dialog', (d) => {
    throw new Error(`a dialog opened: ${d.message()}`);
  });
  const cases = [
    '<img src=x onerror=alert(1)> hello',
    '</script><script>alert(1)</script> world',
    'javascript:alert(1) click me',
    'tab\there\u0000null\u0007bell words',
    'zero\u200Bwidth joiner\u200Dword',
    'emoji 👩‍💻 family 👨‍👩‍👧 words',
    'cafe\u0301 nai\u0308ve re\u0301sume\u0301',
  ];
  for (const text of cases) {
    await open(page, `?text=${encodeURIComponent(text)}`);
    expect(await page.locator('main img, main script').count(), text).toBe(0);
    const words = await labels(page);
    expect(words.length, text).toBeGreaterThanOrEqual(2);
    for (const w of words) expect(w).not.toMatch(/[<>]/);
  }
  // Combining marks: NFC-equal words are the same token.
  await open(page, `?text=${encodeURIComponent('cafe\u0301 café')}`);
  const [a] = await engineCell(page, 0, 0);
  const [b] = await engineCell(page, 0, 1);
  expect(b).toBe(a);

  // A lone surrogate in a hand-made URL (%ED%A0%80 is not UTF-8) decodes as U+FFFD.
  await page.goto('./?text=ok%ED%A0%80fine%20words');
  await expect(page.getByTestId('std-scaled')).not.toHaveText('–');
  expect((await labels(page)).length).toBeGreaterThanOrEqual(2);

  // Whitespace only: random tokens, and a notice.
  await open(page, `?text=${encodeURIComponent('   \n\t  ')}`);
  await expect(page.getByTestId('notice')).toContainText('No words found in the text');
  expect((await labels(page))[0]).toBe('t0');

  // Ten thousand pasted characters: 2,000 kept, a notice, 64 tokens at most.
  await open(page);
  await page.getByText('Your own text, in any language').click();
  const long = Array.from({ length: 2000 }, (_, i) => `w${i}`).join(' ').slice(0, 10_000);
  await page.getByTestId('text').fill(long);
  await expect(page.getByTestId('notice')).toContainText('The text is limited to 2,000 characters; the last 8,000 were not taken.');
  expect(Array.from(await page.getByTestId('text').inputValue())).toHaveLength(2000);
  await expect(page.locator('#tokens')).toHaveValue('64');
  await expect(page.locator('[data-panel="scaled"] .ticks.y .tick')).toHaveCount(64);
});

test('more than 64 words: the first 64 are shown and the notice says which were left out', async ({ page }) => {
  const words = Array.from({ length: 70 }, (_, i) => `word${i}`).join(' ');
  await open(page, `?text=${encodeURIComponent(words)}`);
  await expect(page.getByTestId('notice')).toContainText('The text has 70 words; the heatmaps show the first 64 (“word64” and after are left out).');
  await expect(page.locator('[data-panel="unscaled"] .ticks.y .tick')).toHaveCount(64);
  expect((await page.getByTestId('text').inputValue()).length).toBe(words.length);
});

test('long tokens are shortened in labels and whole in tooltips', async ({ page }) => {
  const long = 'Pneumonoultramicroscopicsilicovolcanoconiosis';
  await open(page, `?text=${encodeURIComponent(`${long} is long`)}`);
  const first = page.locator('[data-panel="scaled"] .ticks.y .tick').first();
  await expect(first.locator('bdi')).toHaveText(`${long.slice(0, 23)}…`);
  await expect(first).toHaveAttribute('title', long);
  const canvas = page.getByTestId('heatmap-scaled');
  await canvas.scrollIntoViewIfNeeded();
  const box = await canvas.boundingBox();
  await page.mouse.move(box.x + 5, box.y + 5);
  await expect(page.getByTestId('tooltip')).toContainText(`query ${long} (row 0)`);
});

test('without Intl.Segmenter, words are split at spaces and the page says so', async ({ page }) => {
  await page.addInitScript(() => {
    delete Intl.Segmenter;
  });
  await open(page, `?text=${encodeURIComponent('the cat, the dog! 注意力机制')}`);
  await expect(page.getByTestId('notice')).toContainText('This browser has no Intl.Segmenter');
  await expect.poll(() => labels(page)).toEqual(['the', 'cat', 'the', 'dog', '注意力机制']);
});

test('a click shows the cell clicked, not the selected row; the keyboard cursor reaches screen readers', async ({ page }) => {
  await open(page, '?dk=32&row=6');
  const canvas = page.getByTestId('heatmap-scaled');
  const box = await canvas.boundingBox();
  const t = 10;
  await page.mouse.click(box.x + (box.width / t) * 4.5, box.y + (box.height / t) * 2.5);
  const tip = page.getByTestId('tooltip');
  await expect(tip).toHaveAttribute('data-cell', '2,4');
  await expect(tip).toContainText('query t2 (row 2) → key t4 (column 4)');
  await expect(page).toHaveURL(/row=2/);
  // The focus a click gives the canvas is not the keyboard's: nothing is announced.
  await expect(page.getByTestId('cell-announce')).toHaveText('');

  // From the keyboard: the cell is announced and is the canvas's description.
  await page.mouse.move(0, 0);
  await page.keyboard.press('ArrowDown');
  await expect(tip).toHaveAttribute('data-cell', '3,4');
  const [, , pu, ps] = await engineCell(page, 3, 4);
  await expect(page.getByTestId('cell-announce')).toHaveText(
    `query t3 (row 3) → key t4 (column 4). score ${(await engineCell(page, 3, 4)).slice(0, 2).join(' · scaled ')}. weight: unscaled ${pu} · scaled ${ps}`,
  );
  await expect(canvas).toHaveAccessibleDescription(/query t3 \(row 3\) → key t4 \(column 4\)/);
  await page.keyboard.press('Escape');
  await expect(canvas).toHaveAccessibleDescription('');
});

test.describe('on a touch screen', () => {
  test.use({ hasTouch: true, isMobile: true, viewport: { width: 360, height: 740 }, deviceScaleFactor: 2 });
  test('a tap on a cell shows that cell’s numbers', async ({ page }) => {
    await open(page, '?dk=32&t=8');
    const canvas = page.getByTestId('heatmap-unscaled');
    await canvas.scrollIntoViewIfNeeded();
    const box = await canvas.boundingBox();
    await page.touchscreen.tap(box.x + (box.width / 8) * 5.5, box.y + (box.height / 8) * 6.5);
    const tip = page.getByTestId('tooltip');
    await expect(tip).toBeVisible();
    await expect(tip).toHaveAttribute('data-cell', '6,5');
    await expect(tip).toContainText('query t6 (row 6) → key t5 (column 5)');
    const [su, ss] = await engineCell(page, 6, 5);
    await expect(tip).toContainText(`score ${su} · scaled ${ss}`);
  });
});
