// The built site is a folder of static files with relative URLs: copied into
// any sub-folder of any static host, it must work unchanged.
import { readFileSync } from 'node:fs';
import { test, expect } from './helpers.mjs';

const subfolder = process.env.SUBFOLDER_URL;

test.describe('copied into a sub-folder', () => {
  test.use({ baseURL: subfolder });

  test('the site works from a sub-folder of a static host', async ({ page }) => {
    const requested = [];
    page.on('request', (r) => requested.push(new URL(r.url()).pathname));
    await page.goto('./?dk=32&seed=5');
    await expect(page.getByTestId('std-scaled')).not.toHaveText('–');
    await expect(page.getByRole('slider', { name: /d_k/ })).toHaveValue('32');
    const prefix = new URL(subfolder).pathname;
    expect(requested.length).toBeGreaterThanOrEqual(5);
    for (const path of requested) expect(path.startsWith(prefix), `${path} is outside ${prefix}`).toBe(true);
    expect(requested).toContain(`${prefix}pkg/attention_wasm_bg.wasm`);
  });
});

test('the site is served under a strict Content-Security-Policy (every test runs under it)', async ({ request, baseURL }) => {
  const page = await request.get(baseURL);
  expect(page.headers()['content-security-policy']).toBe(
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'",
  );
});

test('the footer links to both licence texts, which ship with the site as plain text', async ({ page }) => {
  await page.goto('./');
  const footer = page.locator('footer');
  for (const [name, opening] of [['MIT licence', 'MIT License'], ['Apache License 2.0', 'Apache License']]) {
    const href = await footer.getByRole('link', { name }).getAttribute('href');
    const response = await page.request.get(new URL(href, page.url()).href);
    expect(response.status()).toBe(200);
    expect(response.headers()['content-type']).toMatch(/^text\/plain/);
    expect((await response.text()).trimStart()).toMatch(new RegExp(`^${opening}`));
  }
});

test('the server sends .wasm as application/wasm and refuses paths outside the site', async ({ request, baseURL }) => {
  const wasm = await request.get(`${baseURL}pkg/attention_wasm_bg.wasm`);
  expect(wasm.status()).toBe(200);
  expect(wasm.headers()['content-type']).toBe('application/wasm');
  const escape = await request.get(`${baseURL}%2e%2e/Cargo.toml`);
  expect(escape.status()).toBe(404);
});

test('every module of the first paint is preloaded by the page, so none waits for the one importing it', async ({ page, baseURL }) => {
  const scripts = [];
  page.on('request', (r) => {
    if (r.resourceType() === 'script') scripts.push(new URL(r.url()).pathname.slice(new URL(baseURL).pathname.length));
  });
  await page.goto('./');
  await expect(page.getByTestId('std-scaled')).not.toHaveText('–');
  const preloaded = await page.locator('link[rel="modulepreload"]').evaluateAll((links) => links.map((l) => l.getAttribute('href')));
  // Deferred: the curves and exports (prefetched when idle) and the guide (asked for once the view is up).
  const deferred = ['curves.js', 'charts.js', 'curves-tables.js', 'curves-sketch.js', 'curves-tokens.js', 'sketch.js', 'export.js', 'view-guide.js'];
  const firstPaint = [...new Set(scripts)].filter((name) => name !== 'main.js' && !deferred.includes(name));
  expect(firstPaint.length).toBeGreaterThan(10);
  expect(preloaded.toSorted()).toEqual(firstPaint.toSorted());
});

test('every script ships minified, each with a source map that holds the readable web/ text', async ({ page, request, baseURL }) => {
  const scripts = [];
  page.on('response', (r) => {
    if (r.request().resourceType() === 'script') scripts.push(new URL(r.url()).pathname.slice(new URL(baseURL).pathname.length));
  });
  await page.goto('./');
  await expect(page.getByTestId('std-scaled')).not.toHaveText('–');
  expect(scripts).toEqual(expect.arrayContaining(['main.js', 'view.js', 'state.js', 'pkg/attention_wasm.js']));
  let [servedBytes, originalBytes] = [0, 0];
  for (const name of scripts) {
    const served = await (await request.get(`${baseURL}${name}`)).text();
    expect(served, name).toContain(`//# sourceMappingURL=${name.split('/').pop()}.map`);
    const map = await request.get(`${baseURL}${name}.map`);
    expect(map.headers()['content-type']).toBe('application/json');
    const { sourcesContent } = await map.json();
    if (!name.startsWith('pkg/')) {
      const original = readFileSync(new URL(`../../web/${name}`, import.meta.url), 'utf8');
      expect(sourcesContent, name).toEqual([original]);
      servedBytes += served.length;
      originalBytes += original.length;
    }
  }
  // Mostly markup in a string, view-markup.js hardly shrinks; the others lose half.
  expect(servedBytes).toBeLessThan(originalBytes * 0.7);
});
