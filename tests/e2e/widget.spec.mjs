// The Jupyter widget's front end (python/…/static/widget.js) in Chromium,
// with a model that behaves as anywidget's (get, set, on, off,
// save_changes) and the files of the built wheel (`cargo xtask wheel` puts
// the site in the package). No Jupyter here: this checks the loader, the
// blob: module graph, the worker and the sync in both directions; the
// JupyterLab test checks the same inside a real notebook.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { test, expect, canvasPixels } from './helpers.mjs';

const STATIC = new URL('../../python/src/attention_explorer/static/', import.meta.url).pathname;
const SITE = join(STATIC, 'site');

/** The wheel's text files, as the kernel sends them (`_site`), and its engine, in base64. */
function wheelFiles() {
  const files = {};
  const walk = (dir) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.(js|css|json)$/.test(name)) files[relative(SITE, path)] = readFileSync(path, 'utf8');
    }
  };
  walk(SITE);
  // Gzipped, as widget.py sends them.
  return {
    files: gzipSync(JSON.stringify(files)).toString('base64'),
    wasm: gzipSync(readFileSync(join(SITE, 'pkg/attention_wasm_bg.wasm'))).toString('base64'),
  };
}

// A notebook's page is not the site: another origin, no site files on it,
// and no Content-Security-Policy of the site's (JupyterLab sets none).
test.use({ baseURL: 'http://notebook.test/' });

/** A page with the widget rendered from a model holding `params`; `window.kernel` plays the kernel. */
async function renderWidget(page, params) {
  await page.route('http://notebook.test/**', (route) =>
    route.fulfill({ contentType: 'text/html', body: '<!doctype html><html lang="en"><title>notebook</title><main><div id="output"></div></main>' }),
  );
  await page.goto('./');
  const { files, wasm } = wheelFiles();
  const widget = readFileSync(join(STATIC, 'widget.js'), 'utf8');
  await page.evaluate(async ({ widget, files, wasm, params }) => {
    const view = (base64) => new DataView(Uint8Array.from(atob(base64), (c) => c.charCodeAt(0)).buffer);
    const values = { ...params, _site: view(files), _wasm: view(wasm), _site_id: 'test' };
    const listeners = new Map();
    const fire = (name) => (listeners.get(`change:${name}`) ?? []).slice().forEach((f) => f());
    const saved = [];
    const model = {
      get: (name) => values[name],
      // As Backbone does: a set fires the change at once, on this side too.
      set: (name, value) => {
        if (values[name] === value) return;
        values[name] = value;
        fire(name);
      },
      on: (event, f) => listeners.set(event, [...(listeners.get(event) ?? []), f]),
      off: (event, f) => listeners.set(event, (listeners.get(event) ?? []).filter((g) => g !== f)),
      save_changes: () => saved.push(Object.fromEntries(Object.entries(values).filter(([k]) => !k.startsWith('_')))),
    };
    window.kernel = { values, saved, set: model.set, listeners };
    // anywidget's own way to load a widget's ES module: from a blob: URL.
    const url = URL.createObjectURL(new Blob([widget], { type: 'text/javascript' }));
    const { default: definition } = await import(url);
    window.cleanup = await definition.render({ model, el: document.querySelector('#output') });
  }, { widget, files, wasm, params });
  await page.locator('attention-explorer').evaluate((e) => e.ready);
}

const PARAMS = JSON.parse(readFileSync(join(STATIC, 'params.json'), 'utf8')).params;
const defaults = (changes = {}) => ({ ...Object.fromEntries(Object.entries(PARAMS).map(([k, s]) => [k, s.fallback])), ...changes });

test('the widget paints the explorer from the kernel’s files alone, and hears and tells every change', async ({ page }) => {
  const requests = [];
  page.on('request', (r) => requests.push(r.url()));
  await renderWidget(page, defaults({ dk: 64, qk: 'independent' }));
  const slider = page.getByRole('slider', { name: /d_k/ });
  await expect(slider).toHaveValue('64');
  await expect(page.getByTestId('std-scaled')).not.toHaveText('–');
  // Nothing fetched from any server: the page itself, then blob: URLs only.
  expect(requests.filter((url) => !url.startsWith('blob:'))).toEqual(['http://notebook.test/']);
  const { data } = await canvasPixels(page.getByTestId('heatmap-scaled'));
  expect(new Set(data.filter((_, i) => i % 4 === 0)).size).toBeGreaterThan(3);

  // A drag (the keyboard's step) is set on the model and saved, once.
  await slider.focus();
  await page.keyboard.press('ArrowRight');
  await expect.poll(() => page.evaluate(() => window.kernel.values.dk)).toBe(68);
  const saved = await page.evaluate(() => window.kernel.saved);
  expect(saved.at(-1)).toMatchObject({ dk: 68, qk: 'independent' });

  // The kernel's `w.dk = 128` and `w.qk = "self"` redraw.
  const before = await page.getByTestId('std-scaled').textContent();
  await page.evaluate(() => {
    window.kernel.set('dk', 128);
    window.kernel.set('qk', 'self');
  });
  await expect(slider).toHaveValue('128');
  await expect(page.getByTestId('std-scaled')).not.toHaveText(before);
  await expect(page.locator('attention-explorer input[name="qk"][value="self"]')).toBeChecked();

  // The kernel writes the snippet itself; what it needs from the browser is
  // own text split into words as the page splits it (Intl.Segmenter).
  expect(await page.evaluate(() => window.kernel.values._words)).toEqual({ text: '', keys: [] });
  const text = '注意力机制让模型关注句子中最相关的词语';
  await page.evaluate((text) => window.kernel.set('text', text), text);
  await expect.poll(() => page.evaluate(() => window.kernel.values._words?.text)).toBe(text);
  const keys = await page.evaluate(() => window.kernel.values._words.keys);
  expect(keys.length).toBeGreaterThan(3);
  const made = await page.locator('attention-explorer').evaluate((e) => e.numpySnippet());
  expect(made.text).toContain(`words = [${keys.map((key) => JSON.stringify(key)).join(', ')}]  # NFC, lower case`);
  expect(made.text).toContain(`T, d_k, seed = ${keys.length}, 128, 42`);
  // The kernel keeps the T it asked for (the words' count is the run's, not a setting): clearing the text brings it back.
  expect(await page.evaluate(() => window.kernel.values.t)).toBe(10);
  await page.evaluate(() => window.kernel.set('text', ''));
  await expect.poll(() => page.locator('attention-explorer').evaluate(async (e) => (await e.numpySnippet()).state.t)).toBe(10);
});

test('a big run goes to the worker, made from a blob: URL, and the languages load the same way', async ({ page }) => {
  await renderWidget(page, defaults({ t: 512, dk: 512 }));
  await expect(page.getByTestId('std-scaled')).not.toHaveText('–');
  const workers = page.workers().map((w) => w.url());
  expect(workers.length).toBeGreaterThan(0);
  for (const url of workers) expect(url).toMatch(/^blob:/);
  await page.evaluate(() => window.kernel.set('lang', 'ar'));
  await expect(page.locator('attention-explorer .app')).toHaveAttribute('dir', 'rtl');
  await expect(page.getByRole('slider', { name: /d_k/ })).toHaveValue('512');
});

test('a notebook has no address to share: no link, embed code or lesson link, but the NumPy snippet and downloads', async ({ page }) => {
  await renderWidget(page, defaults());
  await expect(page.getByRole('button', { name: /Copy NumPy/ })).toBeVisible();
  for (const name of [/Copy link/, /Copy embed/, /Make a lesson/]) await expect(page.getByRole('button', { name })).toHaveCount(0);
});

test('a lesson and the guide from the kernel: a built-in one by name, a teacher’s own as JSON, closed by ""', async ({ page }) => {
  await renderWidget(page, defaults({ lesson: 'notebook-03', guide: true }));
  const lesson = page.locator('attention-explorer [data-testid="lesson"]');
  await expect(lesson).toContainText('Why attention divides by √d_k');
  await expect(page.getByRole('heading', { name: 'What to try, and what to see' })).toBeVisible();
  // The reader leaves it: the kernel hears lesson = "", and setting it again opens it anew.
  await lesson.getByRole('button', { name: 'Leave the lesson' }).click();
  await expect(lesson).toHaveCount(0);
  await expect.poll(() => page.evaluate(() => window.kernel.values.lesson)).toBe('');
  await page.evaluate(() => window.kernel.set('lesson', 'notebook-03'));
  await expect(lesson).toContainText('Why attention divides by √d_k');
  const own = {
    format: 'attention-explorer-lesson', version: 1, id: 'mine', title: 'Scaling in one step',
    steps: [{ state: 'dk=64', prompt: 'What is the std of the unscaled scores?', predict: { kind: 'number', answer: 8 }, observe: 'unscaled.std', explain: '√64 = 8.' }],
  };
  await page.evaluate((text) => window.kernel.set('lesson', text), JSON.stringify(own));
  await expect(lesson).toContainText('Scaling in one step');
  // The lesson's step sets the view, and the kernel hears it.
  await expect.poll(() => page.evaluate(() => window.kernel.values.dk)).toBe(64);
  await page.evaluate(() => {
    window.kernel.set('lesson', '');
    window.kernel.set('guide', false);
  });
  await expect(lesson).toHaveCount(0);
  await expect(page.getByRole('heading', { name: 'What to try, and what to see' })).toHaveCount(0);
});

test('the widget’s cleanup stops the sync', async ({ page }) => {
  await renderWidget(page, defaults());
  const count = () => page.evaluate(() => [...window.kernel.listeners.values()].reduce((n, fs) => n + fs.length, 0));
  expect(await count()).toBe(Object.keys(PARAMS).length + 3); // each parameter, the text's words, the lesson and the guide
  await page.evaluate(() => window.cleanup());
  expect(await count()).toBe(0);
});
