// The built site is a folder of static files with relative URLs: copied into
// any sub-folder of any static host, it must work unchanged.
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

test('the server sends .wasm as application/wasm and refuses paths outside the site', async ({ request, baseURL }) => {
  const wasm = await request.get(`${baseURL}pkg/attention_wasm_bg.wasm`);
  expect(wasm.status()).toBe(200);
  expect(wasm.headers()['content-type']).toBe('application/wasm');
  const escape = await request.get(`${baseURL}%2e%2e/Cargo.toml`);
  expect(escape.status()).toBe(404);
});
