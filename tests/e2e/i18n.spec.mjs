// Languages: the interface in Spanish, Chinese (Simplified) and Arabic
// (right to left), from the URL or the element's lang attribute, with the
// built-in lesson translated; nothing of the fixed markup left in English.
import AxeBuilder from '@axe-core/playwright';
import { test, expect, installTexts } from './helpers.mjs';

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const explorer = (page) => page.locator('attention-explorer').first();

const LANGS = {
  es: { tip: 'consulta t0 (fila 0) → clave t0 (columna 0)', seed: 'Semilla', case: 'Caso: Q = K = X, como en el cuaderno.', title: 'Softmax(sin escalar)', alarm: /^10 filas dieron NaN: exp se desbordó a ∞ en \d+ celdas, y ∞ \/ ∞ es NaN/, dir: 'ltr', lesson: 'Lección: Por qué la atención divide por √d_k (cuaderno 03)', reveal: 'Revelar' },
  zh: { tip: '查询 t0（第 0 行）→ 键 t0（第 0 列）', seed: '随机种子', case: '情形：Q = K = X，与笔记本相同。', title: 'Softmax（未缩放）', alarm: /^10 行出现 NaN: exp 在 \d+ 个格子中溢出为 ∞/, dir: 'ltr', lesson: '课程: 注意力为什么要除以 √d_k（笔记本 03）', reveal: '揭晓' },
  ar: { tip: 'الاستعلام t0 (الصف 0) ← المفتاح t0 (العمود 0)', seed: 'البذرة', case: 'الحالة: \u2066Q = K = X\u2069، كما في الدفتر.', title: 'Softmax(غير محجَّم)', alarm: /^10 صفوف أنتجت NaN: فاض exp إلى ∞ في \d+ خلايا/, dir: 'rtl', lesson: 'الدرس: لماذا يقسم الانتباه على √d_k (الدفتر 03)', reveal: 'اكشف' },
};

/** Text of the fixed markup still in English: wordings of a fresh English copy found in the view as they are. */
function untranslated(page) {
  return page.evaluate(async () => {
    const { MARKUP } = await import('./view-markup.js');
    const texts = (root) => window.textsOf(root);
    const template = document.createElement('template');
    template.innerHTML = MARKUP;
    // Names that read the same in every language (formats, colour maps, Softmax).
    const same = new Set(['float32', 'bfloat16', 'viridis', 'cividis', 'Softmax', 'normal', 'factor', 'log', 'Matrices (CSV)', 'Tokens T',
      'English', 'Español', '中文（简体）', 'العربية', // the languages, each in its own words
      'QK-norm', 'SSMax', 's', 's · ln n / √d_k (SSMax)']); // a method's name, a parameter's
    const english = new Set(texts(template.content).filter((s) => !same.has(s)));
    const { GUIDE } = await import('./view-guide.js');
    const guide = document.createElement('template');
    guide.innerHTML = GUIDE;
    for (const s of texts(guide.content)) if (!same.has(s)) english.add(s);
    const shown = texts(document.querySelector('attention-explorer').shadowRoot.querySelector('.app'));
    return [...new Set(shown.filter((s) => english.has(s)))];
  });
}

for (const [lang, words] of Object.entries(LANGS)) {
  test(`${lang}: the default view and the built-in lesson, nothing left in English, axe clean`, async ({ page }) => {
    test.setTimeout(60_000);
    await installTexts(page);
    await page.goto(`./?lang=${lang}`);
    const app = explorer(page).locator('.app');
    await expect(app).toHaveAttribute('lang', lang);
    await expect(app).toHaveAttribute('dir', words.dir);
    await expect(explorer(page).getByLabel(words.seed, { exact: true })).toHaveValue('42');
    await expect(explorer(page).getByTestId('std-scaled')).not.toHaveText('–');
    await expect(explorer(page).locator('.explain h2')).toBeVisible(); // the guide, on the page
    expect(await untranslated(page)).toEqual([]);
    await expect(explorer(page).locator('.panel-title').first()).toHaveText(words.title);
    await expect(explorer(page).locator('.case-title')).toHaveText(words.case);
    // A cell's tooltip, from its template (tokens stay elements of their own).
    const cells = explorer(page).getByTestId('heatmap-scaled');
    const box = await cells.boundingBox();
    await page.mouse.move(box.x + 3, box.y + 3);
    await expect(explorer(page).getByTestId('tooltip').locator('div').first()).toHaveText(words.tip);
    await page.mouse.move(0, 0);
    // A sentence with counts, in the language's plural forms.
    await explorer(page).evaluate((el) => Object.assign(el, { softmax: 'naive', precision: 'f16', dk: 64 }));
    await expect(explorer(page).getByTestId('alarm-unscaled')).toHaveText(words.alarm);
    await explorer(page).evaluate((el) => Object.assign(el, { softmax: 'stable', precision: 'f32', dk: 16 }));
    await expect(page).toHaveURL(new RegExp(`[?&]lang=${lang}(&|$)`));
    const audit = async (where) => {
      const results = await new AxeBuilder({ page }).withTags(TAGS).analyze();
      expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join('; ')}`), where).toEqual([]);
    };
    await audit('default view');

    await page.goto(`./?lang=${lang}&lesson=notebook-03`);
    const lesson = explorer(page).getByTestId('lesson');
    // Maths in Arabic text sits between isolate marks (U+2066 … U+2069), so it keeps its own direction.
    await expect.poll(async () => (await lesson.locator('.lesson-name').textContent()).replace(/[\u2066-\u2069]/g, '')).toBe(words.lesson);
    await audit('lesson step 1');
    await lesson.getByRole('radio').nth(1).check();
    await lesson.getByRole('button', { name: words.reveal }).click();
    await expect(lesson.locator('.lesson-reveal')).toBeVisible();
    await audit('lesson step 1, revealed');
    // The number step: the observed value in the language's own digits.
    await page.goto(`./?lang=${lang}&lesson=notebook-03#lid=notebook-03&step=2`);
    await lesson.getByRole('textbox').fill('8');
    await lesson.getByRole('button', { name: words.reveal }).click();
    const std = await explorer(page).evaluate((el) => el.result.unscaled.stats.std);
    const locale = lang === 'zh' ? 'zh-Hans' : lang;
    await expect(lesson.locator('.lesson-facts dd').last()).toHaveText(new Intl.NumberFormat(locale, { maximumSignificantDigits: 3 }).format(std));
    if (lang === 'ar') await page.screenshot({ path: 'target/screenshots/lesson-ar.png', fullPage: false });
  });
}


// Words that only the translated messages have, for each kind of message built in code.
const MESSAGES = {
  es: { above: 'por encima del máximo', colour: 'amarillo', done: 'ensayos por d_k', curves: /^Curvas: media de 32 ensayos/, column: 'rango sin escalar', step: 'paso 1.state' },
  zh: { above: '高于最大值', colour: '黄色', done: '次试验', curves: /^曲线：32 次试验的均值/, column: '未缩放范围', step: '第 1 步.state' },
  ar: { above: 'أكبر من الحد الأقصى', colour: 'الأصفر', done: 'محاولة', curves: /^المنحنيات: المتوسط على 32 محاولة/, column: 'مدى غير المحجَّم', step: 'الخطوة 1.state' },
};

for (const [lang, words] of Object.entries(MESSAGES)) {
  test(`${lang}: notices, readouts, the colour scale, the curves' tables and a lesson's errors are in the language`, async ({ page }) => {
    test.setTimeout(60_000);
    await page.goto(`./?lang=${lang}&dk=5000`);
    const notice = explorer(page).getByTestId('notice');
    await expect(notice).toContainText(words.above);
    await expect(notice).not.toContainText('maximum');
    // d_k = 5000 is clamped to 4096, whose square root is 64: written with the language's decimal mark.
    const locale = lang === 'zh' ? 'zh-Hans' : lang;
    const four = new Intl.NumberFormat(locale, { minimumFractionDigits: 4, maximumFractionDigits: 4, useGrouping: false });
    await expect(explorer(page).getByTestId('sqrt-dk')).toHaveText(four.format(64));
    await expect(explorer(page).locator('#colorbar')).toHaveAttribute('aria-label', new RegExp(words.colour));
    await explorer(page).locator('#curves > summary').click();
    await expect(explorer(page).getByTestId('sweep-progress')).toContainText(words.done, { timeout: 20_000 });
    await explorer(page).locator('#show-tables').click();
    await expect(explorer(page).getByTestId('curves-table').locator('caption')).toHaveText(words.curves);
    await expect(explorer(page).locator('.curves-tables table').nth(1).locator('thead')).toContainText(words.column);
    // A lesson the page refuses says why in the reader's language, with the place of the fault.
    const bad = { format: 'attention-explorer-lesson', version: 1, id: 'x', title: 'x', steps: [{ prompt: 'p', explain: 'e', state: 'dk=5000' }] };
    await page.goto(`./?lang=${lang}&lesson=${encodeURIComponent(JSON.stringify(bad))}`);
    await expect(notice).toContainText(words.step);
    await expect(notice).toContainText(words.above);
  });
}

test("the page around the explorer follows the explorer's language: title, header, footer, direction, and back", async ({ page }) => {
  await installTexts(page);
  await page.goto('./');
  const english = await page.evaluate(() => window.textsOf(document.querySelector('#page')).filter((s) => s.length > 2));
  expect(english).toContain('Why attention divides by √d');
  for (const [lang, h1] of [['es', 'Por qué la atención divide por √dk'], ['zh', '为什么注意力要除以 √dk'], ['ar', 'لماذا يقسم الانتباه على \u200e√dk']]) {
    await page.goto(`./?lang=${lang}`);
    await expect(page.locator('h1')).toHaveText(h1);
    await expect(page.locator('html')).toHaveAttribute('lang', lang);
    await expect(page.locator('html')).toHaveAttribute('dir', lang === 'ar' ? 'rtl' : 'ltr');
    expect(await page.title()).not.toContain('attention-scaling explorer');
    // No sentence of the English page is left (short fragments like "." and code aside).
    const shown = await page.evaluate(() => window.textsOf(document.querySelector('#page')));
    expect(shown.filter((s) => english.includes(s) && !/^(<p |S = Q Kᵀ$|softmax\(|k$|Apache License 2\.0$)/.test(s)), lang).toEqual([]);
  }
  // A language set on the element later: the page follows, and back to English.
  await explorer(page).evaluate((el) => { el.lang = 'en'; });
  await expect(page.locator('h1')).toHaveText('Why attention divides by √dk');
  await expect(page.locator('html')).toHaveAttribute('dir', 'ltr');
  await expect(page).toHaveTitle('Why attention divides by √d_k · attention-scaling explorer');
  await page.goto('./?lang=zh&embed=1');
  await expect(page.locator('.open-full')).toHaveText('打开完整页面 ↗');
});

test('a reader picks the language in the explorer: the view is mounted again in it, state and focus kept', async ({ page }) => {
  await page.goto('./?dk=64&qk=independent');
  const picker = explorer(page).getByRole('combobox', { name: 'Language' });
  await picker.focus();
  await picker.selectOption('zh');
  await expect(explorer(page).locator('.app')).toHaveAttribute('lang', 'zh');
  await expect(page).toHaveURL(/dk=64.*qk=independent.*lang=zh/);
  const chinese = explorer(page).getByRole('combobox', { name: '语言' });
  await expect(chinese).toBeFocused();
  await expect(chinese).toHaveValue('zh');
  await page.keyboard.press('End'); // the last language, from the keyboard
  await expect(explorer(page).locator('.app')).toHaveAttribute('dir', 'rtl');
  await expect(explorer(page).getByRole('combobox', { name: 'اللغة' })).toBeFocused();
  await expect(explorer(page).locator('#dk-value')).toHaveText('64');
  // Hidden by a host that fixes the language.
  await page.goto('./?lang=es&hide=lang');
  await expect(explorer(page).locator('#lang')).toBeHidden();
});

test.use({ bypassCSP: true }); // axe-core injects a script

test('the lang attribute switches an element\'s language and keeps its state; a tag like es-MX counts as es; others are refused', async ({ page }) => {
  await page.goto('./?dk=48');
  await expect(explorer(page).getByTestId('std-scaled')).not.toHaveText('–');
  await explorer(page).evaluate((el) => el.setAttribute('lang', 'es-MX'));
  await expect(explorer(page).locator('.app')).toHaveAttribute('lang', 'es');
  await expect(explorer(page).getByRole('button', { name: 'Nueva muestra' })).toBeVisible();
  await expect(explorer(page)).toHaveJSProperty('dk', 48);
  await expect(page).toHaveURL(/dk=48.*lang=es/);
  await explorer(page).evaluate((el) => { el.lang = 'fr'; });
  await expect(explorer(page).getByTestId('notice')).toContainText('Idioma "fr" no es uno de en, es, zh, ar.');
  await expect(explorer(page).locator('.app')).toHaveAttribute('lang', 'es');
  await explorer(page).evaluate((el) => { el.lang = 'ar'; });
  await expect(explorer(page).locator('.app')).toHaveAttribute('dir', 'rtl');
  await expect(explorer(page)).toHaveJSProperty('dk', 48);
});

test('values set while a language loads are kept, and a lesson stays open across a language switch', async ({ page }) => {
  await page.goto('./?lesson=notebook-03#lid=notebook-03&step=2');
  await expect(explorer(page).getByTestId('lesson').locator('.lesson-count')).toHaveText('Step 2 of 11');
  // A prediction made in English is still there, beside the result, in the Chinese lesson.
  await explorer(page).getByTestId('lesson').getByRole('textbox').fill('8');
  await explorer(page).getByTestId('lesson').getByRole('button', { name: 'Reveal' }).click();
  await expect(explorer(page).getByTestId('lesson').locator('.lesson-facts')).toBeVisible();
  await explorer(page).evaluate((el) => {
    el.lang = 'zh';
    el.cmap = 'grey'; // while the Chinese table loads (a lesson step resets the numbers' inputs, not the display)
  });
  const lesson = explorer(page).getByTestId('lesson');
  await expect(lesson.locator('.lesson-count')).toHaveText('第 2 步，共 11 步');
  await expect(lesson.locator('.lesson-facts dd').first()).toHaveText('8');
  await expect(explorer(page)).toHaveJSProperty('cmap', 'grey');
  // A new element: its language and a value, both set before it could mount.
  await page.evaluate(() => {
    const el = document.createElement('attention-explorer');
    el.id = 'late';
    el.lang = 'es';
    document.body.append(el);
    el.dk = 64;
    return el.ready;
  });
  await expect(page.locator('#late .app')).toHaveAttribute('lang', 'es');
  await expect(page.locator('#late')).toHaveJSProperty('dk', 64);
});
