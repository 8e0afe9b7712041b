// The README's course-site recipes, tried as a teacher would: a small MkDocs
// (Material) site and a small Jupyter Book 1 site are built from the README's
// own blocks with the tools `cargo xtask test` installs into its venv, served
// by a plain static server, and opened. The sites print console errors of
// their own (Jupyter Book does on every page), so the check is that a page
// with the explorer shows none that the same site's page without it does not.
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test, expect } from '@playwright/test';
import { serveFolder } from './servers.mjs';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const readme = readFileSync(join(repo, 'README.md'), 'utf8');

/** The first fenced block (opened by `fence`) after the paragraph that starts with `lead`. */
function readmeBlock(lead, fence) {
  const from = readme.indexOf(lead);
  if (from < 0) throw new Error(`README.md has no paragraph starting ${lead}`);
  const start = readme.indexOf(`${fence}\n`, from) + fence.length + 1;
  const end = readme.indexOf(`\n${fence.replace(/[a-z]+$/, '')}\n`, start);
  return readme.slice(start, end + 1);
}

const sites = [
  {
    name: 'MkDocs with Material',
    folder: 'mkdocs',
    explorer: 'docs/explorer',
    // As the MkDocs paragraph says: the plain HTML example, root-relative.
    page: ['docs/week-3.md', readmeBlock('**A plain HTML page**', '```html').replaceAll('https://courses.example.edu', '')],
    build: ['mkdocs', ['build', '--quiet', '--site-dir', 'site']],
    output: 'site',
    start: '',
    // Material's own dark scheme ("slate"), on a system set to light.
    dark: true,
  },
  {
    name: 'Jupyter Book 1',
    folder: 'jupyter-book',
    explorer: 'extra/explorer',
    page: ['week-3.md', readmeBlock('**Jupyter Book 1**', '````md')],
    build: ['jupyter-book', ['build', '.', '--quiet']],
    output: '_build/html',
    start: 'intro.html',
    dark: false,
  },
];

/** Builds a site from tests/recipes/ into target/recipes/ and returns its output folder. */
function build(site) {
  const python = process.env.SITE_PYTHON;
  if (!python) throw new Error(`no MkDocs and Jupyter Book to build the recipes with: ${process.env.SITE_PYTHON_MISSING || 'run cargo xtask test'}`);
  const dir = join(repo, 'target/recipes', site.folder);
  rmSync(dir, { recursive: true, force: true });
  cpSync(join(repo, 'tests/recipes', site.folder), dir, { recursive: true });
  cpSync(join(repo, 'dist'), join(dir, site.explorer), { recursive: true });
  const [file, text] = site.page;
  mkdirSync(dirname(join(dir, file)), { recursive: true });
  writeFileSync(join(dir, file), `# Week 3\n\n${text}`);
  const [tool, args] = site.build;
  execFileSync(join(dirname(python), tool), args, { cwd: dir, stdio: 'pipe', env: { ...process.env, NO_MKDOCS_2_WARNING: '1' } });
  return join(dir, site.output);
}

/** Console errors and warnings, page errors and failed requests, as lines. */
function watch(page) {
  const seen = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') seen.push(`console ${m.type()}: ${m.text()} (${m.location().url})`);
  });
  page.on('pageerror', (e) => seen.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => seen.push(`request failed: ${r.url()}`));
  return seen;
}

test.describe('course-site recipes from the README', () => {
  test.use({ colorScheme: 'light', viewport: { width: 1280, height: 800 } });
  test.describe.configure({ timeout: 120_000 });

  for (const site of sites) {
    test(`${site.name}: the explorer paints on a built site, without errors of its own`, async ({ page }) => {
      const server = await serveFolder(build(site));
      try {
        const seen = watch(page);
        await page.goto(`${server.url}${site.start}`);
        await page.waitForLoadState('networkidle');
        const own = seen.splice(0);
        // Reached by the site's own navigation (Material's is instant: no page load).
        await page.getByRole('link', { name: /Week 3|attention scores/ }).first().click();
        const explorer = page.locator('attention-explorer');
        await expect(explorer.getByTestId('std-scaled')).not.toHaveText('–', { timeout: 20_000 });
        await expect(page.getByRole('link', { name: 'Open the attention explorer' })).toBeHidden();
        // T = 10 tokens by default: 10 × 10 weights, computed.
        expect(await explorer.evaluate((el) => el.result.scaled.probabilities.length)).toBe(100);
        const theme = await explorer.evaluate((el) => el.shadowRoot.querySelector('.app').dataset.theme);
        expect(theme).toBe(site.dark ? 'dark' : 'light');
        await page.waitForLoadState('networkidle');
        const added = seen.filter((line) => !own.includes(line));
        expect(added).toEqual([]);
        expect(seen.filter((line) => line.includes('/explorer/'))).toEqual([]);
        await page.screenshot({ path: test.info().outputPath('site.png') });
      } finally {
        server.close();
      }
    });
  }
});


/** Every node of `type` in a MyST tree. */
function nodesOf(tree, type, found = []) {
  if (Array.isArray(tree)) for (const child of tree) nodesOf(child, type, found);
  else if (tree && typeof tree === 'object') {
    if (tree.type === type) found.push(tree);
    for (const value of Object.values(tree)) if (value && typeof value === 'object') nodesOf(value, type, found);
  }
  return found;
}

/**
 * Builds the README's Jupyter Book 2 block, and a second widget with a value
 * the explorer must change, with mystmd (`myst build --site`: the book's
 * content, the part that reads the directive and copies the module). The
 * book theme is downloaded from GitHub at a book's first build, which these
 * machines cannot reach: a stand-in theme (only its template.yml) takes its place.
 */
function buildMyst() {
  const python = process.env.SITE_PYTHON;
  if (!python) throw new Error(`no mystmd to build the recipe with: ${process.env.SITE_PYTHON_MISSING || 'run cargo xtask test'}`);
  const dir = join(repo, 'target/recipes/myst');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'stand-in-theme'), { recursive: true });
  cpSync(join(repo, 'target/wheels/attention-explorer-widget.mjs'), join(dir, 'attention-explorer-widget.mjs'));
  writeFileSync(join(dir, 'myst.yml'), 'version: 1\nproject:\n  title: Course\nsite:\n  template: ./stand-in-theme\n');
  writeFileSync(join(dir, 'stand-in-theme/template.yml'), 'myst: v1\nkind: site\ntitle: stand-in for the book theme\n');
  const block = readmeBlock('**Jupyter Book 2**', '````md');
  const widget = (json) => block.replace(/\{ "dk": 64[^}]*\}/, json);
  writeFileSync(join(dir, 'week-3.md'), `# Week 3\n\n${block}\n${widget('{ "dk": 13, "lang": "es" }')}\n${widget('{ "lesson": "notebook-03", "guide": true }')}`);
  execFileSync(join(dirname(python), 'myst'), ['build', '--site'], { cwd: dir, stdio: 'pipe' });
  const content = JSON.parse(readFileSync(join(dir, '_build/site/content/week-3.json'), 'utf8'));
  return { widgets: nodesOf(content.mdast, 'anywidget'), public: join(dir, '_build/site/public') };
}

test('Jupyter Book 2 (MyST): the {anywidget} directive paints the explorer from the one module, with the JSON’s values', async ({ page }) => {
  test.setTimeout(120_000);
  const { widgets, public: folder } = buildMyst();
  expect(widgets.map((w) => w.model)).toEqual([{ dk: 64, qk: 'independent' }, { dk: 13, lang: 'es' }, { lesson: 'notebook-03', guide: true }]);
  const module = readFileSync(join(folder, widgets[0].esm));
  const seen = watch(page);
  const requests = [];
  page.on('request', (r) => requests.push(r.url()));
  await page.route('http://book.test/**', (route) => {
    const { pathname } = new URL(route.request().url());
    if (pathname === widgets[0].esm) return route.fulfill({ contentType: 'text/javascript', body: module });
    return route.fulfill({ contentType: 'text/html', body: '<!doctype html><html lang="en"><title>Week 3</title><main></main>' });
  });
  await page.goto('http://book.test/week-3');
  await page.evaluate(async (widgets) => {
    // As myst-theme's AnyWidgetRenderer (packages/anywidget): the module
    // imported, a model made from the JSON whose off, save_changes and send
    // throw, and the widget rendered into a div in a shadow root.
    class MystAnyModel {
      #state;
      #target = new EventTarget();
      constructor(state) { this.#state = state; }
      get(name) { return this.#state[name]; }
      set(key, value) {
        this.#state[key] = value;
        this.#target.dispatchEvent(new CustomEvent(`change:${key}`, { detail: value }));
        this.#target.dispatchEvent(new CustomEvent('change', { detail: value }));
      }
      on(name, cb) { this.#target.addEventListener(name, cb); }
      off() { throw new Error('MystAnyModel.off not implemented yet.'); }
      save_changes() { throw new Error('MystAnyModel.save_changes not implemented yet.'); }
      send() { throw new Error('MystAnyModel.send not implemented yet.'); }
    }
    for (const node of widgets) {
      const host = document.createElement('div');
      document.querySelector('main').append(host);
      const root = document.createElement('div');
      host.attachShadow({ mode: 'open' }).append(root);
      const { default: widget } = await import(node.esm);
      await widget.render({ model: new MystAnyModel(structuredClone(node.model)), el: root });
    }
  }, widgets);
  await expect(page.getByRole('alert')).toHaveCount(0);
  await expect(page.locator('attention-explorer')).toHaveCount(3, { timeout: 20_000 });
  const [first, second] = [page.locator('attention-explorer').first(), page.locator('attention-explorer').nth(1)];
  await first.evaluate((e) => e.ready);
  await second.evaluate((e) => e.ready);
  const slider = first.getByRole('slider', { name: /d_k/ });
  await expect(slider).toHaveValue('64');
  await expect(first.locator('input[name="qk"][value="independent"]')).toBeChecked();
  await expect(first.getByTestId('std-scaled')).not.toHaveText('–');
  // The second: d_k 13 is not on the slider's step; the explorer says so, in Spanish, and uses 12.
  await expect(second.getByRole('slider', { name: /d_k/ })).toHaveValue('12');
  await expect(second.getByText(/d_k .13. no es múltiplo de 4; se usa 12/)).toBeVisible();
  await expect(second.locator('.app')).toHaveAttribute('lang', 'es');
  // The third: a built-in lesson, and the guide.
  const third = page.locator('attention-explorer').nth(2);
  await expect(third.getByTestId('lesson')).toContainText('Why attention divides by √d_k');
  await expect(third.getByRole('heading', { name: 'What to try, and what to see' })).toBeVisible();
  // A drag works with no kernel to tell.
  await slider.focus();
  await page.keyboard.press('ArrowRight');
  await expect(slider).toHaveValue('68');
  await expect(first.getByTestId('std-scaled')).not.toHaveText('–');
  expect(seen).toEqual([]);
  expect(requests.filter((url) => !url.startsWith('blob:'))).toEqual(['http://book.test/week-3', `http://book.test${widgets[0].esm}`]);
  await page.screenshot({ path: test.info().outputPath('myst.png'), fullPage: true });
});
