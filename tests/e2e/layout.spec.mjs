// One screen: the d_k control, both std readouts and both whole heatmaps in
// view together at common window sizes and in a course site's article
// column; the heatmaps side by side down to a 480-px container, and growing
// with the room they have.
import { readFileSync } from 'node:fs';
import { test, expect, open } from './helpers.mjs';

const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'";

/** Scrolls the heatmaps into view as a reader would, and measures what is on screen (of a page or a frame). */
async function onScreen(page, explorer = 'attention-explorer') {
  return page.evaluate((selector) => {
    const root = document.querySelector(selector).shadowRoot;
    root.querySelector('.panels').scrollIntoView({ block: 'start' });
    const box = (s) => {
      const r = root.querySelector(s).getBoundingClientRect();
      return { top: r.top, bottom: r.bottom, left: r.left, right: r.right, width: r.width };
    };
    return {
      viewport: { width: innerWidth, height: innerHeight },
      bar: box('.dk-bar'),
      parts: {
        slider: box('#dk'),
        value: box('#dk-value'),
        unscaled: box('[data-testid="heatmap-unscaled"]'),
        scaled: box('[data-testid="heatmap-scaled"]'),
        stdUnscaled: box('[data-testid="std-unscaled"]'),
        stdScaled: box('[data-testid="std-scaled"]'),
      },
    };
  }, explorer);
}

/** Every part inside the viewport, and the heatmaps and readouts not under the d_k bar. */
function expectAllInView({ viewport, bar, parts }, label) {
  for (const [name, b] of Object.entries(parts)) {
    expect(b.top, `${label}: ${name} top`).toBeGreaterThanOrEqual(0);
    expect(b.bottom, `${label}: ${name} bottom`).toBeLessThanOrEqual(viewport.height);
    expect(b.left, `${label}: ${name} left`).toBeGreaterThanOrEqual(0);
    expect(b.right, `${label}: ${name} right`).toBeLessThanOrEqual(viewport.width);
    if (!['slider', 'value'].includes(name)) expect(b.top, `${label}: ${name} below the bar`).toBeGreaterThanOrEqual(bar.bottom);
  }
}

for (const [width, height] of [[1280, 720], [1366, 768], [1920, 1080]]) {
  test(`at ${width}×${height} the d_k bar, both readouts and both whole heatmaps are in view together, also with Modes open`, async ({ page }) => {
    await page.setViewportSize({ width, height });
    await open(page, '?dk=64');
    const closed = await onScreen(page);
    expectAllInView(closed, 'modes closed');
    // Side by side.
    expect(closed.parts.scaled.top).toBe(closed.parts.unscaled.top);
    await page.getByText('Modes: queries and keys').click();
    await expect(page.locator('#precision')).toBeVisible();
    expectAllInView(await onScreen(page), 'modes open');
    await page.screenshot({ path: test.info().outputPath(`layout-${width}.png`) });
  });
}

test('the heatmaps grow with the room they have', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await open(page, '?dk=64');
  const small = (await onScreen(page)).parts.unscaled.width;
  await page.setViewportSize({ width: 1920, height: 1080 });
  await expect.poll(async () => (await onScreen(page)).parts.unscaled.width).toBeGreaterThan(small * 1.4);
  expectAllInView(await onScreen(page), '1920 after resize');
});

test.describe('in a course site’s article column', () => {
  /** Serves the column host page, its column `width` px wide. */
  async function host(page, width) {
    const html = readFileSync(new URL('./hosts/column.html', import.meta.url));
    const css = `${readFileSync(new URL('./hosts/column.css', import.meta.url), 'utf8')}\nmain { --column: ${width}px; }\n`;
    await page.route('**/column.html', (route) => route.fulfill({ body: html, headers: { 'content-type': 'text/html', 'content-security-policy': CSP } }));
    await page.route('**/column.css', (route) => route.fulfill({ body: css, headers: { 'content-type': 'text/css' } }));
  }

  for (const [column, viewport] of [[720, { width: 1280, height: 720 }], [480, { width: 800, height: 900 }]]) {
    test(`a ${column}-px column keeps the heatmaps side by side${column === 720 ? ', with everything in view' : ''}`, async ({ page }) => {
      await page.setViewportSize(viewport);
      await host(page, column);
      await page.goto('./column.html');
      await page.evaluate(() => document.querySelector('attention-explorer').ready);
      const seen = await onScreen(page);
      expect(seen.parts.scaled.top).toBe(seen.parts.unscaled.top);
      expect(seen.parts.scaled.left).toBeGreaterThan(seen.parts.unscaled.right);
      expect(seen.parts.unscaled.width).toBeGreaterThan(column === 720 ? 240 : 150);
      if (column === 720) expectAllInView(seen, '720-px column');
      await page.screenshot({ path: test.info().outputPath(`column-${column}.png`) });
    });
  }
});

test('an embed iframe with no script to size it (cut to 640 px) shows the bar, both heatmaps and readouts together', async ({ page }) => {
  // A wide page: the frame's width would allow heatmaps taller than it is.
  await page.setViewportSize({ width: 1700, height: 900 });
  const html = readFileSync(new URL('./hosts/lms.html', import.meta.url));
  const css = `${readFileSync(new URL('./hosts/column.css', import.meta.url), 'utf8')}\nmain { --column: 1600px; }\n`;
  await page.route('**/lms.html', (route) => route.fulfill({ body: html, headers: { 'content-type': 'text/html', 'content-security-policy': CSP } }));
  await page.route('**/column.css', (route) => route.fulfill({ body: css, headers: { 'content-type': 'text/css' } }));
  await page.goto('./lms.html');
  await expect.poll(() => page.frame({ url: /embed=1/ }) !== null).toBe(true);
  const frame = page.frame({ url: /embed=1/ });
  await frame.waitForFunction(() => document.querySelector('attention-explorer')?.shadowRoot?.querySelector('.app:not(.loading)'));
  await frame.evaluate(() => document.querySelector('attention-explorer').ready);
  const seen = await onScreen(frame);
  expect(seen.viewport.height).toBe(640);
  expectAllInView(seen, 'in the frame');
  expect(seen.parts.scaled.top).toBe(seen.parts.unscaled.top);
});

test.describe('on a phone', () => {
  test.use({ hasTouch: true, isMobile: true, viewport: { width: 360, height: 740 }, deviceScaleFactor: 2 });
  test('the d_k bar stays within reach while either heatmap is on screen', async ({ page }) => {
    await open(page, '?dk=64');
    for (const which of ['unscaled', 'scaled']) {
      await page.getByTestId(`heatmap-${which}`).scrollIntoViewIfNeeded();
      const [bar, heatmap] = await Promise.all([page.getByTestId('dk-bar'), page.getByTestId(`heatmap-${which}`)].map((l) => l.boundingBox()));
      expect(bar.y).toBeGreaterThanOrEqual(0);
      expect(heatmap.y).toBeGreaterThanOrEqual(bar.y + bar.height);
      expect(heatmap.y + heatmap.height).toBeLessThanOrEqual(740);
    }
    // A step at a time with the buttons, each a 36-px target.
    const up = page.getByRole('button', { name: 'd_k one step up' });
    expect((await up.boundingBox()).height).toBeGreaterThanOrEqual(24);
    await up.tap();
    await expect(page.locator('#dk-value')).toHaveText('68');
    await page.getByRole('button', { name: 'd_k one step down' }).tap();
    await page.getByRole('button', { name: 'd_k one step down' }).tap();
    await expect(page.locator('#dk-value')).toHaveText('60');
    await expect(page).toHaveURL(/dk=60/);
  });
});
