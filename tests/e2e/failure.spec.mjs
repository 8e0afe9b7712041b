// When WebAssembly cannot load, the visitor reads why instead of a blank page.
// These tests expect errors, so they use Playwright's plain `test`.
import { readFileSync } from 'node:fs';
import { test, expect } from '@playwright/test';
import { listen } from './servers.mjs';
import { pinned, resultHashes } from './helpers.mjs';

test('a blocked .wasm file gives a readable message', async ({ page }) => {
  await page.route('**/*.wasm', (route) => route.abort('blockedbyclient'));
  await page.goto('./');
  const status = page.getByRole('alert');
  await expect(status).toContainText('The explorer could not start');
  await expect(status).toContainText('WebAssembly');
  await expect(status).toBeVisible();
  await expect(page.getByTestId('heatmap-scaled')).toBeHidden();
});

test('a browser without WebAssembly gives a readable message', async ({ page }) => {
  await page.addInitScript(() => {
    delete globalThis.WebAssembly;
  });
  await page.goto('./');
  await expect(page.getByRole('alert')).toContainText('this browser does not support WebAssembly');
});

test('a .wasm served with the wrong MIME type still runs', async ({ page }) => {
  await page.route('**/*.wasm', async (route) => {
    const response = await route.fetch();
    await route.fulfill({ response, headers: { ...response.headers(), 'content-type': 'application/octet-stream' } });
  });
  await page.goto('./');
  await expect(page.getByTestId('std-scaled')).not.toHaveText('–');
  await expect(page.getByRole('alert')).toBeHidden();
});

test('a worker that cannot start leaves every run to the page\'s thread, with the same results', async ({ page }) => {
  await page.route('**/engine-worker.js', (route) => route.fulfill({ status: 404, body: '' }));
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto('./?t=512&dk=512');
  const element = page.locator('attention-explorer');
  await element.evaluate((el) => el.ready);
  expect(await resultHashes(element)).toEqual(pinned(512, 512));
  // And the next big run too, without asking the worker again.
  await element.evaluate((el) => new Promise((resolve) => {
    el.addEventListener('change', (e) => e.detail.t === 1024 && resolve());
    Object.assign(el, { t: 1024, dk: 1024 });
  }));
  expect(await resultHashes(element)).toEqual(pinned(1024, 1024));
  // The curves' sweep, which would go to the worker, runs here too.
  await element.evaluate((el) => Object.assign(el, { t: 10, dk: 16 }));
  await page.locator('#curves > summary').click();
  await expect(page.getByTestId('sweep-progress')).toHaveText('32 trials per d_k, 2048 runs.', { timeout: 15_000 });
  await expect(page.getByRole('alert')).toBeHidden();
  expect(errors).toEqual([]);
});

test('a host whose Content-Security-Policy forbids workers gets every run on the page\'s thread', async ({ page }) => {
  // The site's own policy, plus worker-src 'none': creating the worker is refused (a console error the browser logs).
  const csp = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; worker-src 'none'";
  for (const [file, type] of [['two-explorers.html', 'text/html'], ['host.css', 'text/css']]) {
    const body = readFileSync(new URL(`./hosts/${file}`, import.meta.url));
    await page.route(`**/${file}`, (route) => route.fulfill({ body, headers: { 'content-type': type, 'content-security-policy': csp } }));
  }
  const refused = [];
  page.on('console', (m) => m.type() === 'error' && refused.push(m.text()));
  await page.goto('./two-explorers.html');
  const element = page.locator('#first');
  await element.evaluate((el) => new Promise((resolve) => {
    el.addEventListener('change', (e) => e.detail.t === 512 && resolve());
    Object.assign(el, { t: 512, dk: 512, seed: 42 });
  }));
  expect(await resultHashes(element)).toEqual(pinned(512, 512));
  // The browser says it refused the worker, and nothing else went wrong.
  expect(refused.length).toBeGreaterThan(0);
  expect(refused.every((text) => text.includes("worker-src 'none'"))).toBe(true);
  await expect(page.getByRole('alert')).toHaveCount(0);
});

test('when the export tools cannot load, Copy and Export say so instead of doing nothing', async ({ page }) => {
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message)); // an unhandled rejection would land here
  await page.route('**/export.js', (route) => route.abort('internetdisconnected'));
  await page.goto('./');
  await expect(page.getByTestId('std-scaled')).not.toHaveText('–');
  await page.getByRole('button', { name: 'Copy NumPy snippet' }).click();
  await expect(page.getByTestId('share-status')).toHaveText(
    'The export tools could not be loaded (offline?); try again once the page can reach its site.',
  );
  await page.getByRole('button', { name: 'State (JSON)' }).click();
  await expect(page.getByTestId('share-status')).toContainText('could not be loaded (offline?)');
  expect(errors).toEqual([]);
});

test('a host whose Trusted Types rules refuse the explorer\'s policy shows why, and ready settles', async ({ page }) => {
  const csp = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; require-trusted-types-for 'script'; trusted-types host-only";
  for (const [file, type] of [['two-explorers.html', 'text/html'], ['host.css', 'text/css']]) {
    const body = readFileSync(new URL(`./hosts/${file}`, import.meta.url));
    await page.route(`**/${file}`, (route) => route.fulfill({ body, headers: { 'content-type': type, 'content-security-policy': csp } }));
  }
  await page.goto('./two-explorers.html');
  await expect(page.locator('#first').getByRole('alert')).toContainText('Trusted Types rules do not allow the policy "attention-explorer"');
  const settled = await page.evaluate(() =>
    Promise.race([document.querySelector('#first').ready.then(() => 'ready'), new Promise((r) => requestAnimationFrame(() => r('pending')))]),
  );
  expect(settled).toBe('ready');
});

test('the content inside the element shows where it cannot start, and only there', async ({ page }) => {
  const html = readFileSync(new URL('./hosts/fallback.html', import.meta.url));
  await page.route('**/fallback.html', (route) => route.fulfill({ body: html, headers: { 'content-type': 'text/html' } }));
  const link = page.getByRole('link', { name: 'Open the attention explorer' });
  // Working: the element's own view replaces the fallback.
  await page.goto('./fallback.html');
  await page.evaluate(() => document.querySelector('attention-explorer').ready);
  await expect(page.locator('attention-explorer').getByTestId('std-scaled')).not.toHaveText('–');
  await expect(link).toBeHidden();
  // The script refused (as a cross-origin script without CORS is): the fallback stays, and works.
  await page.route('**/attention-explorer.js', (route) => route.fulfill({ status: 404, body: '' }));
  await page.goto('./fallback.html');
  await expect(link).toBeVisible();
  await expect(link).toHaveAttribute('href', './?dk=64');
});

test('on another origin: with Access-Control-Allow-Origin the element runs, without it the fallback stays', async ({ browser, baseURL }) => {
  // Real servers on three ports (an intercepted response would skip the
  // browser's CORS check): this site as served, a proxy of it that adds the
  // header (as GitHub Pages or the README's Apache and nginx lines do), and a
  // course page that loads the explorer from either, as the README shows.
  const proxy = await listen(async (request, response) => {
    const upstream = await fetch(new URL(request.url.slice(1), baseURL));
    response.writeHead(upstream.status, {
      'content-type': upstream.headers.get('content-type') ?? 'application/octet-stream',
      'access-control-allow-origin': '*',
    });
    response.end(Buffer.from(await upstream.arrayBuffer()));
  });
  const course = await listen((request, response) => {
    const site = new URL(request.url, 'http://course/').searchParams.get('site');
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end(`<!doctype html><meta charset="utf-8"><title>Week 3</title>
      <script type="module" src="${site}attention-explorer.js"></script>
      <attention-explorer dk="64"><a href="${site}?dk=64">Open the attention explorer</a></attention-explorer>`);
  });
  const visit = async (site) => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${course.url}week-3.html?site=${encodeURIComponent(site)}`);
    return page;
  };
  try {
    const served = await visit(proxy.url);
    await expect(served.locator('attention-explorer').getByTestId('std-scaled')).not.toHaveText('–');
    await expect(served.getByRole('link', { name: 'Open the attention explorer' })).toBeHidden();
    // A worker must come from the page's own origin: big runs stay on the page's thread.
    const element = served.locator('attention-explorer');
    await element.evaluate((el) => new Promise((resolve) => {
      el.addEventListener('change', (e) => e.detail.t === 512 && resolve());
      Object.assign(el, { t: 512, dk: 512, seed: 42 });
    }));
    expect(await resultHashes(element)).toEqual(pinned(512, 512));
    // The test server sends no such header: the browser refuses the module, the fallback stays.
    const refused = await visit(baseURL);
    const link = refused.getByRole('link', { name: 'Open the attention explorer' });
    await expect(link).toBeVisible();
    await expect(link).toHaveAttribute('href', `${baseURL}?dk=64`);
  } finally {
    proxy.close();
    course.close();
  }
});

test('a language whose table cannot load leaves the view as it was, and says so', async ({ page }) => {
  await page.route('**/i18n/ar*.js', (route) => route.abort('internetdisconnected'));
  await page.goto('./?dk=48');
  const explorer = page.locator('attention-explorer');
  await expect(page.getByTestId('std-scaled')).not.toHaveText('–');
  await explorer.getByRole('combobox', { name: 'Language' }).selectOption('ar');
  await expect(page.getByTestId('notice')).toContainText('The language “العربية” could not be loaded (offline?); the explorer stays in this one.');
  await expect(explorer.locator('.app')).toHaveAttribute('lang', 'en');
  await expect(explorer.getByRole('combobox', { name: 'Language' })).toHaveValue('en');
  await expect(page.getByTestId('std-scaled')).not.toHaveText('–');
  await expect(explorer).toHaveJSProperty('dk', 48);
  await expect(page.locator('html')).not.toHaveAttribute('dir', 'rtl');
  // Another language still loads.
  await explorer.getByRole('combobox', { name: 'Language' }).selectOption('es');
  await expect(explorer.locator('.app')).toHaveAttribute('lang', 'es');
});
