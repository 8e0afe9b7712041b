// WCAG 2.2 AA audits with axe-core: the page, the embed mode and a host page
// with two elements, with every disclosure open so nothing hides from the audit.
import { readFileSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { test, expect } from './helpers.mjs';

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

// axe-core injects its own script and style, which the page's strict CSP
// (rightly) refuses; the audit, not the page, needs the exception.
test.use({ bypassCSP: true });

async function audit(page) {
  const results = await new AxeBuilder({ page }).withTags(TAGS).analyze();
  const summary = results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join('; ')})`);
  expect(summary).toEqual([]);
}

async function openEverything(page) {
  await page.evaluate(async () => {
    for (const el of document.querySelectorAll('attention-explorer')) {
      await el.ready;
      for (const d of el.shadowRoot.querySelectorAll('details')) d.open = true;
    }
  });
  // Opening the curves section starts a sweep; audit what it ends with.
  for (const progress of await page.getByTestId('sweep-progress').all()) {
    await expect(progress).toContainText(/trials per d_k/, { timeout: 15_000 });
  }
}

test('the page has no WCAG 2.2 AA violations, with every panel open', async ({ page }) => {
  await page.goto('./?dk=64&text=the%20cat%20sat%20on%20the%20mat');
  await openEverything(page);
  await audit(page);
});

test('naive softmax with NaN cells, and the tables, pass too', async ({ page }) => {
  await page.goto('./?dk=64&softmax=naive&precision=f16');
  await openEverything(page);
  await page.locator('attention-explorer').getByRole('button', { name: 'Show as tables' }).click();
  await audit(page);
});

test.describe('in the dark theme', () => {
  test.use({ colorScheme: 'dark' });

  test('there are no violations, and the page looks right', async ({ page }, testInfo) => {
    await page.goto('./?dk=32&qk=independent&cmap=cividis');
    await openEverything(page);
    await audit(page);
    const background = await page.evaluate(() => getComputedStyle(document.querySelector('attention-explorer').shadowRoot.querySelector('.app')).backgroundColor);
    expect(background).toBe('rgb(22, 22, 29)');
    await page.screenshot({ path: testInfo.outputPath('dark-theme.png'), fullPage: true });
  });
});

test('embed mode has no violations', async ({ page }) => {
  await page.goto('./?embed=1&qk=independent');
  await openEverything(page);
  await audit(page);
});

test('a host page with two elements has no violations', async ({ page }) => {
  const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'";
  for (const [file, type] of [['two-explorers.html', 'text/html'], ['host.css', 'text/css']]) {
    const body = readFileSync(new URL(`./hosts/${file}`, import.meta.url));
    await page.route(`**/${file}`, (route) => route.fulfill({ body, headers: { 'content-type': type, 'content-security-policy': CSP } }));
  }
  await page.goto('./two-explorers.html');
  await openEverything(page);
  await audit(page);
});

// A CI failure: the charts' d_k sliders had no value until the sweep's first
// point arrived, so an audit during the first sweep found aria-required-attr.
test('every slider has a value from the start, before any chart is drawn', async ({ page }) => {
  await page.goto('./?dk=64&qk=independent');
  const missing = await page.evaluate(async () => {
    const el = document.querySelector('attention-explorer');
    await el.ready;
    const lacking = () => [...el.shadowRoot.querySelectorAll('[role="slider"]')].filter((s) => !s.hasAttribute('aria-valuenow')).map((s) => s.getAttribute('aria-label'));
    const before = lacking();
    for (const d of el.shadowRoot.querySelectorAll('details')) d.open = true; // starts a sweep
    return { before, opened: lacking() };
  });
  expect(missing).toEqual({ before: [], opened: [] });
  await audit(page); // mid-sweep: the curves' first points may not be there yet
});

test.describe('for screen readers', () => {
  test.use({ bypassCSP: false });

  test('the key numbers are announced once a drag stops, not on every step', async ({ page }) => {
    await page.goto('./');
    const announce = page.getByTestId('announce');
    await expect(announce).toHaveText(/^d_k 16, T 10\. unscaled: std 5\.399, 8 of 10 rows saturated; scaled: std 1\.350/);
    const slider = page.getByRole('slider', { name: /d_k/ });
    await slider.focus();
    for (let i = 0; i < 5; i += 1) await page.keyboard.press('ArrowRight');
    // Mid-drag the old announcement stands; then the final one, once.
    await expect(announce).toContainText('d_k 16');
    await expect(announce).toContainText('d_k 36, T 10.');
  });

  test('each heatmap can be read as a table', async ({ page }) => {
    await page.goto('./?text=the%20cat%20sat');
    await page.getByRole('button', { name: /^Show as table\W*Softmax\(scaled by 1\/√d_k\)/ }).click();
    const table = page.getByTestId('table-scaled');
    await expect(table.locator('tbody tr')).toHaveCount(3);
    await expect(table.locator('thead th').nth(1)).toHaveText('the');
    const rowSum = await table.locator('tbody tr').first().locator('td').allTextContents();
    expect(Math.abs(rowSum.map(Number).reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-3);
    await expect(page.getByRole('button', { name: /^Hide table\W*Softmax\(scaled by 1\/√d_k\)/ })).toHaveAttribute('aria-expanded', 'true');
  });
});
