// Lessons: predict, then reveal, then the explanation; the built-in
// notebook-03 lesson done by keyboard alone, progress kept in the browser,
// and lessons from outside validated before anything of them is shown.
import { readFileSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { test, expect } from './helpers.mjs';

const NOTEBOOK = JSON.parse(readFileSync(new URL('../../web/lessons/notebook-03.json', import.meta.url), 'utf8'));
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

const explorer = (page) => page.locator('attention-explorer').first();
const lessonOf = (page) => explorer(page).locator('[data-testid="lesson"]');

/** The focused element inside the explorer's shadow root, as "tag: text". */
const focused = (page) =>
  page.evaluate(() => {
    const el = document.querySelector('attention-explorer').shadowRoot.activeElement;
    return el ? `${el.tagName.toLowerCase()}: ${el.textContent.trim().slice(0, 60)}` : null;
  });

/** A prediction for each step: the right choice, the expected number, a sentence. */
function predictionFor(step) {
  const p = step.predict;
  if (p.kind === 'choice') return { kind: 'choice', index: p.answer, shown: p.choices[p.answer] };
  if (p.kind === 'number') return { kind: 'number', typed: String(p.answer), shown: String(p.answer) };
  if (p.kind === 'sketch') return { kind: 'sketch', typed: ['2', '4', '8', '12', '16'], shown: '2, 4, 8, 12, 16 at d_k = 4, 16, 64, 144, 256' };
  return { kind: 'text', typed: 'Scaling keeps the spread at 1.', shown: 'Scaling keeps the spread at 1.' };
}

/** Makes the step's prediction with the keyboard only, from the step's focused heading, and reveals. */
async function predictByKeyboard(page, prediction) {
  await page.keyboard.press('Tab'); // into the first field
  if (prediction.kind === 'choice') {
    await page.keyboard.press('Space'); // selects the first choice
    for (let i = 0; i < prediction.index; i += 1) await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Tab'); // out of the radio group, to Reveal
    await page.keyboard.press('Enter');
  } else if (prediction.kind === 'sketch') {
    // The accessible way to sketch: a value at each of a few d_k.
    for (const [i, value] of prediction.typed.entries()) {
      if (i) await page.keyboard.press('Tab');
      await page.keyboard.type(value);
    }
    await page.keyboard.press('Enter');
  } else if (prediction.kind === 'number') {
    await page.keyboard.type(prediction.typed);
    await page.keyboard.press('Enter'); // submits the form
  } else {
    await page.keyboard.type(prediction.typed);
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
  }
}

test.describe('the built-in lesson', () => {
  test.use({ bypassCSP: true }); // axe-core injects a script; the page's CSP refuses it

  test('is completed by keyboard alone: focus moves to each step and each result, predictions beside results, axe clean', async ({ page }) => {
    test.setTimeout(90_000);
    await page.goto('./?lesson=notebook-03');
    const lesson = lessonOf(page);
    await expect(lesson).toBeVisible();
    // The case line would give answers away: hidden during a lesson.
    await expect(explorer(page).locator('[data-testid="case"]')).toBeHidden();
    // Where a keyboard user arrives by Tab: the step's heading.
    await lesson.locator('h2').focus();
    for (const [i, step] of NOTEBOOK.steps.entries()) {
      await expect(lesson.locator('.lesson-count')).toHaveText(`Step ${i + 1} of ${NOTEBOOK.steps.length}`);
      await expect.poll(() => focused(page)).toBe(`h2: ${`${i + 1}. ${step.title}`.slice(0, 60)}`);
      await expect(page).toHaveURL(new RegExp(`#lid=notebook-03&step=${i + 1}$`));
      // The reveal is locked until a prediction is made.
      await expect(lesson.locator('.lesson-reveal')).toBeHidden();
      const results = await new AxeBuilder({ page }).withTags(TAGS).analyze();
      expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join('; ')}`), `step ${i + 1}`).toEqual([]);

      const prediction = predictionFor(step);
      await predictByKeyboard(page, prediction);
      await expect(lesson.locator('.lesson-reveal')).toBeVisible();
      await expect.poll(() => focused(page)).toBe('h3: Result');
      await expect(lesson.locator('.lesson-facts dd').first()).toHaveText(prediction.shown);
      await expect(lesson.locator('.lesson-explain')).toHaveText(step.explain);
      if (step.predict.kind === 'choice' || step.predict.tolerance === 0) await expect(lesson.locator('.lesson-verdict')).toHaveText('Right.');
      if (step.observe) await checkObserved(page, step);
      // Past Back (disabled on the first step) to Next step, or Finish.
      for (let tabs = 0; tabs < 3 && !/^button: (Next step|Finish)$/.test(await focused(page)); tabs += 1) await page.keyboard.press('Tab');
      expect(await focused(page)).toMatch(/^button: (Next step|Finish)$/);
      await page.keyboard.press('Enter');
    }
    await expect(lesson.locator('.lesson-done')).toBeFocused();
    await expect(lesson.locator('.lesson-done')).toContainText(`You have finished “${NOTEBOOK.title}”`);
  });
});

// What each step's text says about its revealed state, from closed forms
// (√d_k, d_k/d_k = 1, float16's overflow at 11.09) and the text's own words;
// checked against the engine's numbers, so a lesson cannot claim what the
// explorer does not show.
const CLAIMS = {
  'How big do the scores get?': ({ unscaled }) => expect(Math.abs(unscaled.std - 8)).toBeLessThan(0.25 * 8),
  'What dividing by √d_k does': ({ scaled }) => expect(Math.abs(scaled.std - 1)).toBeLessThan(0.2),
  'Unscaled rows saturate': ({ unscaled }) => expect(unscaled.maxProbMean).toBeGreaterThan(0.9),
  'Overflow in float16': ({ unscaled, scaled }) => expect([unscaled.nanRows, scaled.nanRows]).toEqual([10, 0]),
  'The stable softmax': ({ unscaled }) => expect([unscaled.nanRows, unscaled.maxProbMin > 0.999]).toEqual([0, true]),
  'Q = K: scaled rows still saturate': ({ scaled }) => expect(scaled.maxProbMean).toBeGreaterThan(0.99),
  'Independent queries and keys': ({ unscaled, scaled }) => {
    expect(Math.abs(scaled.maxProbMean - 0.3)).toBeLessThan(0.05);
    expect(Math.round(scaled.effectiveTokens)).toBe(7);
    expect(unscaled.maxProbMean).toBeGreaterThan(0.9);
  },
  'Temperature': ({ scaled }) => expect(scaled.entropyFraction).toBeGreaterThan(0.95),
};

test('every step that observes a number has its claims checked', () => {
  expect(NOTEBOOK.steps.filter((s) => s.observe).map((s) => s.title).sort()).toEqual(Object.keys(CLAIMS).sort());
});

/** The observed value shown is the engine's statistic for the step's revealed state, and the step's text holds for it. */
async function checkObserved(page, step) {
  const [panel, stat] = step.observe.split('.');
  CLAIMS[step.title](await explorer(page).evaluate((el) => ({ unscaled: el.result.unscaled.stats, scaled: el.result.scaled.stats })));
  // The reveal's parameters change the step's: the last of each name counts.
  const wanted = Object.entries(Object.fromEntries(new URLSearchParams([step.state, step.reveal].filter(Boolean).join('&'))));
  const { state, value } = await explorer(page).evaluate((el, [p, s]) => ({ state: el.state, value: el.result[p].stats[s] }), [panel, stat]);
  for (const [name, v] of wanted) expect(String(state[name]), name).toBe(v);
  const shown = await lessonOf(page).locator('.lesson-facts dd').last().textContent();
  const expected = stat === 'entropyFraction'
    ? new Intl.NumberFormat('en', { style: 'percent', maximumFractionDigits: 1 }).format(value)
    : Number.isInteger(value) ? String(value) : new Intl.NumberFormat('en', { maximumSignificantDigits: 3 }).format(value);
  expect(shown).toBe(expected);
}

test('the step, the predictions and the results survive a reload; "Start again" forgets them', async ({ page }) => {
  await page.goto('./?lesson=notebook-03');
  const lesson = lessonOf(page);
  await lesson.getByRole('radio').nth(1).check();
  await lesson.getByRole('button', { name: 'Reveal' }).click();
  await lesson.getByRole('button', { name: 'Next step' }).click();
  await lesson.getByRole('textbox').fill('5,5'); // a decimal comma is read as a point
  await lesson.getByRole('button', { name: 'Reveal' }).click();
  await expect(lesson.locator('.lesson-verdict')).toHaveText('Not close: the expected value is 8.');
  await page.reload();
  await expect(lesson.locator('.lesson-count')).toHaveText('Step 2 of 11');
  await expect(lesson.locator('.lesson-facts dd').first()).toHaveText('5.5');
  await expect(lesson.getByRole('textbox')).toBeDisabled();
  await expect(explorer(page)).toHaveJSProperty('dk', 64); // the reveal state, applied again
  await lesson.getByRole('button', { name: 'Back' }).click();
  await expect(lesson.getByRole('radio').nth(1)).toBeChecked();
  // The first address without a step: the stored step is used.
  await page.goto('./?lesson=notebook-03');
  await expect(lesson.locator('.lesson-count')).toHaveText('Step 1 of 11');
  for (let i = 0; i < NOTEBOOK.steps.length; i += 1) {
    if (await lesson.getByRole('button', { name: /Reveal|Skip the prediction/ }).first().isVisible()) {
      await lesson.getByRole('button', { name: 'Skip the prediction' }).click();
    }
    await lesson.getByRole('button', { name: /Next step|Finish/ }).click();
  }
  await expect(lesson.locator('.lesson-done')).toBeVisible();
  await lesson.getByRole('button', { name: 'Start again' }).click();
  await expect(lesson.locator('.lesson-count')).toHaveText('Step 1 of 11');
  await expect(lesson.getByRole('radio').nth(1)).not.toBeChecked();
});

test('a skipped prediction says so beside the result; Reveal without a prediction asks for one', async ({ page }) => {
  await page.goto('./?lesson=notebook-03#lid=notebook-03&step=2');
  const lesson = lessonOf(page);
  await lesson.getByRole('button', { name: 'Reveal' }).click();
  await expect(lesson.getByRole('alert')).toHaveText('Make a prediction first, or skip it.');
  await expect(lesson.locator('.lesson-reveal')).toBeHidden();
  await lesson.getByRole('textbox').fill('eight');
  await lesson.getByRole('button', { name: 'Reveal' }).click();
  await expect(lesson.getByRole('alert')).toHaveText('“eight” is not a number; write one like 8 or 0.25.');
  await lesson.getByRole('button', { name: 'Skip the prediction' }).click();
  await expect(lesson.locator('.lesson-facts dd').first()).toHaveText('skipped');
  await expect(lesson.locator('.lesson-verdict')).toBeHidden();
});

test('leaving the lesson takes it off the page and out of the address, and the case line returns', async ({ page }) => {
  await page.goto('./?lesson=notebook-03&dk=32');
  const lesson = lessonOf(page);
  await expect(lesson).toBeVisible();
  await lesson.getByRole('button', { name: 'Leave the lesson' }).click();
  await expect(lesson).toHaveCount(0);
  await expect(explorer(page).locator('[data-testid="case"]')).toBeVisible();
  await expect(page).not.toHaveURL(/lesson=|#step/);
});

/** An element with an inline lesson, on a page of the site (so the engine loads from it). */
async function inlineLesson(page, json) {
  await page.goto('./?embed=1');
  await page.evaluate((text) => {
    const el = document.createElement('attention-explorer');
    el.id = 'inline';
    const script = Object.assign(document.createElement('script'), { type: 'application/json', textContent: text });
    script.setAttribute('slot', 'lesson');
    el.append(script);
    document.body.append(el);
    return el.ready;
  }, json);
  return page.locator('#inline');
}

const valid = (steps) => JSON.stringify({ format: 'attention-explorer-lesson', version: 1, id: 'mine', title: 'Mine', steps });

test('a lesson inline in the element runs, with its markup shown as text and never run', async ({ page }) => {
  const hostile = '<img src=x onerror="window.pwned=1"><script>window.pwned=2</script>';
  const el = await inlineLesson(page, valid([
    { state: 'dk=32&qk=independent', prompt: `Prompt ${hostile}`, predict: { kind: 'choice', choices: [hostile, 'b'], answer: 1 }, explain: hostile },
  ]));
  const lesson = el.locator('[data-testid="lesson"]');
  await expect(lesson.locator('.lesson-prompt')).toHaveText(`Prompt ${hostile}`);
  await expect(lesson.locator('img, script')).toHaveCount(0);
  await lesson.getByRole('radio').first().check();
  await lesson.getByRole('button', { name: 'Reveal' }).click();
  await expect(lesson.locator('.lesson-explain')).toHaveText(hostile);
  await expect(lesson.locator('.lesson-verdict')).toHaveText('Not this time: the answer is “b”.');
  await expect(el).toHaveJSProperty('dk', 32);
  expect(await page.evaluate(() => window.pwned)).toBeUndefined();
});

test('a malformed, hostile or huge lesson is refused with a message that says why, and the explorer works', async ({ page }) => {
  const cases = [
    ['{"format": "attention-explorer-lesson", ', /not valid JSON/],
    [valid([{ prompt: 42, explain: 'x' }]), /step 1\.prompt: must be text, not a number/],
    [valid([{ prompt: 'p', explain: 'x', predict: { kind: 'choice', choices: ['a', 'b'], answer: 5 } }]), /step 1\.predict\.answer: must be the number of the right choice, from 0 to 1/],
    [valid([{ prompt: 'p', explain: 'x', state: 'dk=5000' }]), /step 1\.state: d_k "\u2068?5000\u2069?" is above the maximum 4096; using 4096\./],
    [valid([{ prompt: 'p', explain: 'x', state: 'onload=alert(1)' }]), /step 1\.state: "onload" is not a parameter of the explorer/],
    [valid([{ prompt: 'p', explain: 'x', explian: 'typo' }]), /step 1: has no field "explian"/],
    [valid([{ prompt: 'p', explain: 'x', observe: 'window.alert' }]), /step 1\.observe: must name a panel and a statistic/],
    [valid([{ prompt: 'p'.repeat(10 * 1024 * 1024), explain: 'x' }]), /The lesson is 10,\d{3} KB; a lesson may be at most 256 KB\./],
  ];
  for (const [json, message] of cases) {
    const el = await inlineLesson(page, json);
    await expect(el.locator('[data-testid="notice"]')).toContainText(message);
    await expect(el.locator('[data-testid="lesson"]')).toHaveCount(0);
    // The explorer itself is untouched: it paints and takes input.
    await el.evaluate((e) => {
      e.dk = 48;
    });
    await expect(el.locator('#dk-value')).toHaveText('48');
  }
});

test('a lesson file from the same site loads; one from another site, or an unknown name, is refused', async ({ page }) => {
  await page.goto('./?lesson=lessons/notebook-03.json');
  await expect(lessonOf(page).locator('.lesson-count')).toHaveText('Step 1 of 11');
  await page.goto('./?lesson=https://example.com/lesson.json');
  await expect(explorer(page).locator('[data-testid="notice"]')).toContainText(/must come from this page’s own site \(http:\/\/127\.0\.0\.1:\d+\), not https:\/\/example\.com\/lesson\.json/);
  await page.goto('./?lesson=notebook-99');
  await expect(explorer(page).locator('[data-testid="notice"]')).toContainText('“notebook-99” is not a built-in lesson (built in: notebook-03)');
});

test('the lesson attribute opens, swaps and closes a lesson on an element', async ({ page }) => {
  const el = await inlineLesson(page, valid([{ prompt: 'First lesson', explain: 'x' }]));
  await expect(el.locator('.lesson-prompt')).toHaveText('First lesson');
  await el.evaluate((e) => e.setAttribute('lesson', 'notebook-03'));
  await expect(el.locator('.lesson-count')).toHaveText('Step 1 of 11');
  await el.evaluate((e) => e.removeAttribute('lesson'));
  await expect(el.locator('[data-testid="lesson"]')).toHaveCount(0);
});

test('a lesson works in the compact embed (?embed=1), where the page chrome is gone', async ({ page }) => {
  await page.goto('./?embed=1&lesson=notebook-03#lid=notebook-03&step=4');
  const lesson = lessonOf(page);
  await expect(lesson.locator('.lesson-count')).toHaveText('Step 4 of 11');
  await lesson.getByRole('radio').first().check();
  await lesson.getByRole('button', { name: 'Reveal' }).click();
  await expect(lesson.locator('.lesson-verdict')).toHaveText('Right.');
  await expect(explorer(page)).toHaveJSProperty('dk', 256);
});

/** The std chart's pixels in one column: which rows hold the unscaled curve's blue, which the sketch's lavender. */
async function column(page, dk) {
  return explorer(page).locator('[data-chart="std"] canvas').evaluate((canvas, d) => {
    const dpr = window.devicePixelRatio || 1;
    // charts.js: the x axis runs from 46 + 4 to width − 10 − 4 CSS px, over d_k 4 to 256.
    const width = canvas.width / dpr;
    const x = Math.round((50 + ((d - 4) / 252) * (width - 64)) * dpr);
    // Read from a copy made for reading, so the chart's own canvas is never read back.
    const copy = document.createElement('canvas');
    Object.assign(copy, { width: canvas.width, height: canvas.height });
    const ctx = copy.getContext('2d', { willReadFrequently: true });
    ctx.drawImage(canvas, 0, 0);
    const data = ctx.getImageData(x, 0, 1, canvas.height).data;
    const blue = [];
    const sketch = [];
    for (let row = 0; row < canvas.height; row += 1) {
      const [r, g, b] = data.slice(4 * row, 4 * row + 3);
      if (r < 60 && g < 140 && b > 140) blue.push(row);
      // Lavender, under the curves' pale bands too.
      if (r > 140 && g > 140 && g < 175 && b > 195 && b > r) sketch.push(row);
    }
    return { blue, sketch };
  }, dk);
}

test('a sketch drawn with the mouse is recorded, and the measured curve and theory are drawn over it', async ({ page }) => {
  test.setTimeout(60_000);
  await page.goto('./?lesson=notebook-03#lid=notebook-03&step=3');
  const lesson = lessonOf(page);
  const figure = explorer(page).locator('[data-chart="std"]');
  await expect(figure).toHaveClass(/sketching/);
  const canvas = figure.locator('canvas');
  await canvas.scrollIntoViewIfNeeded();
  // Before the reveal the chart shows nothing to copy: no curve, no theory.
  expect((await column(page, 144)).blue).toEqual([]);
  const box = await canvas.boundingBox();
  // Sketch mode's axes: d_k 4 to 256 across, std 0 to 20 (the step's max) up.
  const at = (dk, v) => [box.x + 50 + ((dk - 4) / 252) * (box.width - 64), box.y + box.height - 34 - (v / 20) * (box.height - 44)];
  await page.mouse.move(...at(4, 2));
  await page.mouse.down();
  for (let dk = 8; dk <= 256; dk += 4) await page.mouse.move(...at(dk, Math.sqrt(dk)));
  await page.mouse.up();
  const knots = await lesson.locator('.lesson-knot input').evaluateAll((inputs) => inputs.map((i) => Number(i.value)));
  knots.forEach((v, i) => expect(Math.abs(v - Math.sqrt([4, 16, 64, 144, 256][i])), `knot ${i}`).toBeLessThan(0.5));
  await lesson.getByRole('button', { name: 'Reveal' }).click();
  await expect(figure).not.toHaveClass(/sketching/);
  await expect(explorer(page).getByTestId('sweep-progress')).toHaveText(/trials per d_k/, { timeout: 30_000 });
  const { blue, sketch } = await column(page, 144);
  expect(sketch.length, 'the sketch is still there').toBeGreaterThan(3);
  // The unscaled curve (measured, and its theory √144 = 12) crosses the sketch drawn at 12, and shows on top of it.
  expect(blue.some((row) => row > sketch[0] && row < sketch.at(-1)), `blue ${blue} within sketch ${sketch[0]}–${sketch.at(-1)}`).toBe(true);
  await expect(lesson.locator('.lesson-facts dd').first()).toHaveText(/^2, 4, 8, 12, 16 at d_k = 4, 16, 64, 144, 256$/);
  // Recorded: after a reload the sketch comes back, under the curves.
  await page.reload();
  await expect(lesson.locator('.lesson-knot input').first()).toBeDisabled();
  await expect(lesson.locator('.lesson-knot input').nth(4)).toHaveValue('16');
  await expect(explorer(page).getByTestId('sweep-progress')).toHaveText(/trials per d_k/, { timeout: 30_000 });
  expect((await column(page, 144)).sketch.length).toBeGreaterThan(3);
});

test('a sketch can be made with the keyboard on the chart, knot by knot', async ({ page }) => {
  await page.goto('./?lesson=notebook-03#lid=notebook-03&step=3');
  const lesson = lessonOf(page);
  await lesson.getByRole('button', { name: 'Draw on the chart' }).press('Enter');
  const canvas = explorer(page).locator('[data-chart="std"] canvas');
  await expect(canvas).toBeFocused();
  await expect(canvas).toHaveAttribute('aria-valuetext', 'Your sketch at d_k 64: not drawn yet');
  // ↑ adds a fortieth of the chart's height (20 / 40 = 0.5).
  for (let i = 0; i < 16; i += 1) await page.keyboard.press('ArrowUp');
  await expect(canvas).toHaveAttribute('aria-valuetext', 'Your sketch at d_k 64: 8.0');
  await page.keyboard.press('End');
  await page.keyboard.press('PageUp'); // four steps: 2
  await page.keyboard.press('PageUp');
  await page.keyboard.press('PageUp');
  await page.keyboard.press('PageUp');
  await page.keyboard.press('PageUp');
  await page.keyboard.press('PageUp');
  await page.keyboard.press('PageUp');
  await page.keyboard.press('PageUp');
  await expect(canvas).toHaveAttribute('aria-valuetext', 'Your sketch at d_k 256: 16');
  // Each knot is a control point: alone it is a dot; a knot between two drawn ones joins them.
  const values = () => lesson.locator('.lesson-knot input').evaluateAll((inputs) => inputs.map((i) => i.value));
  expect(await values()).toEqual(['', '', '8', '', '16']);
  await page.keyboard.press('ArrowLeft');
  for (let i = 0; i < 24; i += 1) await page.keyboard.press('ArrowUp');
  await expect(canvas).toHaveAttribute('aria-valuetext', 'Your sketch at d_k 144: 12');
  expect(await values()).toEqual(['', '', '8', '12', '16']);
  await lesson.getByRole('button', { name: 'Reveal' }).click();
  await expect(lesson.locator('.lesson-facts dd').first()).toHaveText('8, 12, 16 at d_k = 64, 144, 256');
});
