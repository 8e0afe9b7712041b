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

