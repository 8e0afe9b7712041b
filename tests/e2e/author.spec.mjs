// Making a lesson without code: views added as steps, edited, reordered,
// exported as a link and a file, and the link opened in a fresh browser
// gives the same steps and answers.
import { readFileSync } from 'node:fs';
import { test, expect, installTexts } from './helpers.mjs';

const explorer = (page) => page.locator('attention-explorer');

/** Fills step `i` of the authoring panel. */
async function fillStep(author, i, fields) {
  const step = author.locator('.author-step').nth(i);
  for (const [name, value] of Object.entries(fields)) {
    const el = step.locator(`[data-field="${name}"]`);
    if (await el.evaluate((e) => e.tagName === 'SELECT')) await el.selectOption(value);
    else await el.fill(value);
  }
  return step;
}

test('a lesson authored from views round-trips: link → fresh browser → same steps, choices and answers', async ({ page, browser }) => {
  test.setTimeout(60_000);
  await page.goto('./?qk=independent&dk=4');
  await explorer(page).getByRole('button', { name: 'Make a lesson' }).click();
  const author = explorer(page).getByTestId('author');
  await expect(author.getByRole('heading', { name: 'Make a lesson' })).toBeFocused();
  await author.getByLabel('Lesson title').fill('Spread <b>and</b> overflow');
  await author.getByRole('button', { name: 'Add this view as a step' }).click();
  await expect(author.locator('[data-field="state"]')).toHaveValue('dk=4&qk=independent');
  await fillStep(author, 0, {
    prompt: 'At d_k = 64, the unscaled std is about…', choices: 'About 2\nAbout 8\nAbout 64', answer: '1',
    observe: 'unscaled.std', explain: 'Var(q · k) = d_k, so √64 = 8.',
  });
  // The reveal, taken from the view: drag to 64 and use it.
  await explorer(page).evaluate((el) => { el.dk = 64; });
  await author.getByRole('button', { name: 'Use the current view as the reveal' }).click();
  await expect(author.locator('[data-field="reveal"]')).toHaveValue('dk=64');

  await explorer(page).evaluate((el) => Object.assign(el, { qk: 'self', softmax: 'naive', precision: 'f16' }));
  await author.getByRole('button', { name: 'Add this view as a step' }).click();
  await fillStep(author, 1, {
    title: 'Overflow', prompt: 'How many rows hold NaN?', kind: 'number', number: '10', tolerance: '0', unit: 'rows',
    observe: 'unscaled.nanRows', explain: 'Every diagonal score is far above 11.09.',
  });
  await expect(author.locator('.author-step').nth(1).locator('[data-field="state"]')).toHaveValue('dk=64&softmax=naive&precision=f16');
  // Reordered, and back.
  await author.locator('.author-step').nth(1).getByRole('button', { name: 'Move up' }).click();
  await expect(author.locator('.author-step').nth(0).locator('[data-field="title"]')).toHaveValue('Overflow');
  await expect(author.locator('.author-step').nth(0).getByRole('button', { name: 'Move up' })).toBeDisabled();
  await author.locator('.author-step').nth(0).getByRole('button', { name: 'Move down' }).click();
  await expect(author.locator('.author-step').nth(1).locator('[data-field="title"]')).toHaveValue('Overflow');

  // The draft survives a reload, as typed.
  await page.reload();
  await explorer(page).getByRole('button', { name: 'Make a lesson' }).click();
  await expect(author.locator('.author-step')).toHaveCount(2);
  await expect(author.locator('[data-field="prompt"]').first()).toHaveValue('At d_k = 64, the unscaled std is about…');

  const [download] = await Promise.all([page.waitForEvent('download'), author.getByRole('button', { name: 'Download JSON' }).click()]);
  const file = JSON.parse(readFileSync(await download.path(), 'utf8'));
  expect(download.suggestedFilename()).toBe('spread-b-and-b-overflow.json');
  expect(file.steps.map((s) => s.predict)).toEqual([
    { kind: 'choice', choices: ['About 2', 'About 8', 'About 64'], answer: 1 },
    { kind: 'number', answer: 10, tolerance: 0, unit: 'rows' },
  ]);
  expect(file.lang).toBe('en');

  await author.getByRole('button', { name: 'Copy link' }).click();
  await expect(author.locator('.author-link')).toHaveValue(/#lesson=z[A-Za-z0-9_-]+$/);
  const link = await author.locator('.author-link').inputValue();
  const fresh = await browser.newContext();
  const student = await fresh.newPage();
  await student.goto(link);
  const lesson = explorer(student).getByTestId('lesson');
  await expect(lesson).toContainText('Lesson: Spread <b>and</b> overflow');
  await expect(lesson.locator('.lesson-title')).toHaveText('Step 1');
  await expect(explorer(student)).toHaveJSProperty('qk', 'independent');
  await expect(lesson.getByRole('radio')).toHaveCount(3);
  await lesson.getByRole('radio', { name: 'About 64' }).check();
  await lesson.getByRole('button', { name: 'Reveal' }).click();
  await expect(lesson.locator('.lesson-verdict')).toHaveText('Not this time: the answer is “About 8”.');
  await expect(explorer(student)).toHaveJSProperty('dk', 64);
  await lesson.getByRole('button', { name: 'Next step' }).click();
  await expect(lesson.locator('.lesson-title')).toHaveText('2. Overflow');
  await expect(lesson.locator('label:has(.lesson-number)')).toContainText('rows');
  await lesson.getByRole('textbox').fill('10');
  await lesson.getByRole('button', { name: 'Reveal' }).click();
  await expect(lesson.locator('.lesson-verdict')).toHaveText('Right.');
  await expect(lesson.locator('.lesson-facts dd').last()).toHaveText('10');
  await expect(student).toHaveURL(/#lesson=z[A-Za-z0-9_-]+&lid=spread-b-and-b-overflow&step=2$/);
  await fresh.close();
});

test('an invalid draft says what is missing; a JSON lesson can be opened to edit, and a non-lesson file is refused', async ({ page }) => {
  await page.goto('./');
  await explorer(page).getByRole('button', { name: 'Make a lesson' }).click();
  const author = explorer(page).getByTestId('author');
  await author.getByRole('button', { name: 'Preview' }).click();
  await expect(author.locator('.author-status')).toHaveText('Not a lesson yet: lesson.steps: must be a list of at least one step');
  await author.getByRole('button', { name: 'Add this view as a step' }).click();
  await author.getByRole('button', { name: 'Copy link' }).click();
  await expect(author.locator('.author-status')).toHaveText('Not a lesson yet: step 1.prompt: is empty');
  await author.locator('input[type="file"]').setInputFiles({ name: 'x.json', mimeType: 'application/json', buffer: Buffer.from('{"format": 1}') });
  await expect(author.locator('.author-status')).toHaveText(/^That file is not a lesson: lesson: has no field "format"|^That file is not a lesson: lesson\.format/);
  await author.locator('input[type="file"]').setInputFiles(new URL('../../web/lessons/notebook-03.json', import.meta.url).pathname);
  await expect(author.locator('.author-status')).toHaveText('Opened “Why attention divides by √d_k (notebook 03)”: 11 steps.');
  await expect(author.locator('.author-step')).toHaveCount(11);
  await expect(author.locator('.author-step').nth(2).locator('[data-field="kind"]')).toHaveValue('sketch');
  await author.getByRole('button', { name: 'Preview' }).click();
  await expect(explorer(page).getByTestId('lesson').locator('.lesson-count')).toHaveText('Step 1 of 11');
  await author.getByRole('button', { name: 'Close' }).click();
  await expect(author).toHaveCount(0);
  await expect(explorer(page).getByRole('button', { name: 'Make a lesson' })).toBeFocused();
});

test.describe('accessibility', () => {
  test.use({ bypassCSP: true }); // axe-core injects a script
  test('the authoring form with steps of every kind has no axe violations', async ({ page }) => {
    const { default: AxeBuilder } = await import('@axe-core/playwright');
    await page.goto('./');
    await explorer(page).getByRole('button', { name: 'Make a lesson' }).click();
    const author = explorer(page).getByTestId('author');
    for (const kind of ['choice', 'number', 'sketch']) {
      await author.getByRole('button', { name: 'Add this view as a step' }).click();
      await author.locator('.author-step').last().locator('[data-field="kind"]').selectOption(kind);
    }
    const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
    expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join('; ')}`)).toEqual([]);
  });
});

test('the authoring form speaks the view\'s language: no wording of the English form is left in Spanish', async ({ page }) => {
  await installTexts(page);
  const texts = async (lang) => {
    await page.goto(`./?lang=${lang}`);
    await explorer(page).evaluate((el) => el.ready);
    await explorer(page).locator('#make-lesson').click();
    const author = explorer(page).getByTestId('author');
    await author.locator('.author-action').first().click(); // Add this view as a step
    return author.evaluate((root) => window.textsOf(root));
  };
  const english = await texts('en');
  const spanish = await texts('es');
  expect(spanish).toContain('Añadir esta vista como paso');
  // Words that are the same in both languages.
  const same = new Set(['Panel', 'Softmax']);
  expect(english.filter((s) => spanish.includes(s) && !same.has(s))).toEqual([]);
});

test("a new lesson is in the view's language, which the form shows and the teacher may change", async ({ page }) => {
  await page.goto('./?lang=zh');
  // The button is in the markup at once, and wired once the view has mounted in its language.
  await explorer(page).evaluate((el) => el.ready);
  await explorer(page).locator('#make-lesson').click();
  const author = explorer(page).getByTestId('author');
  const lang = author.locator('[data-field="lang"]');
  await expect(lang).toHaveValue('zh');
  await author.locator('.author-action').first().click(); // Add this view as a step
  await fillStep(author, 0, { prompt: '预测', kind: 'text', explain: '解释' });
  const save = async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), author.locator('.author-action').nth(3).click()]);
    return JSON.parse(readFileSync(await download.path(), 'utf8'));
  };
  const file = await save();
  expect([file.lang, file.title]).toEqual(['zh', '一节课']);
  await lang.fill('zh-Hans');
  expect((await save()).lang).toBe('zh-Hans');
});
