// Shared pieces of the browser tests: a `test` that fails on any console
// error, page error, failed request or request to another origin, and the
// NumPy reference data (never values computed by the code under test).
import { readFileSync } from 'node:fs';
import { test as base, expect } from '@playwright/test';

export { expect };

export const reference = JSON.parse(
  readFileSync(new URL('../fixtures/numpy_reference.json', import.meta.url), 'utf8'),
);
export const determinism = JSON.parse(readFileSync(new URL('../fixtures/determinism.json', import.meta.url), 'utf8'));

/** The NumPy experiment case for (seed, tokens, d_k). */
export function experiment(seed, tokens, dK) {
  const found = reference.experiments.find((c) => c.seed === seed && c.tokens === tokens && c.d_k === dK);
  if (!found) throw new Error(`no reference case for seed ${seed}, T ${tokens}, d_k ${dK}`);
  return found;
}

/** matplotlib's viridis as bytes, from the reference file. */
export const viridis = reference.viridis.map((rgb) => rgb.map((c) => Math.round(c * 255)));

/** The table index matplotlib uses for a value in [0, 1]. */
export const viridisIndex = (p) => Math.min(255, Math.max(0, Math.floor(p * 256)));

/**
 * The words a reader meets under a DOM node: each text node with letters
 * (whitespace collapsed) and each labelling attribute, templates' content
 * included, code and maths left out. Runs in the page: `installTexts(page)`
 * makes it `window.textsOf(node)` there.
 */
function textsOf(root) {
  const out = [];
  const walk = (node) => {
    for (const c of node.childNodes) {
      if (c.nodeType === Node.TEXT_NODE) {
        const s = c.data.replace(/\s+/g, ' ').trim();
        if (/\p{L}{2,}/u.test(s)) out.push(s);
      } else if (c.nodeType === Node.ELEMENT_NODE && !['CODE', 'PRE', 'MATH', 'SCRIPT', 'STYLE'].includes(c.tagName.toUpperCase())) {
        for (const a of ['aria-label', 'placeholder', 'title']) if (c.getAttribute(a)) out.push(c.getAttribute(a));
        walk(c.tagName === 'TEMPLATE' ? c.content : c);
      }
    }
  };
  walk(root);
  return out;
}

/** Defines `window.textsOf` in every document the page opens (an init script: no page CSP applies). */
export const installTexts = (page) => page.addInitScript({ content: `window.textsOf = ${textsOf};` });

export const test = base.extend({
  problems: [
    async ({ page, baseURL }, use) => {
      const problems = [];
      const origin = new URL(baseURL).origin;
      // A navigation cancels requests still in flight (ERR_ABORTED: the page
      // icon, modules fetched when idle); the browser's own icon fetches may
      // also meet the offline test. Neither is a failure of the page; a
      // missing file shows up as an HTTP error below.
      const iconCut = (url, text) =>
        /ERR_ABORTED/.test(text ?? '') || (url.endsWith('/favicon.svg') && /ERR_INTERNET_DISCONNECTED/.test(text ?? ''));
      page.on('console', (m) => {
        if (iconCut(m.location().url, m.text())) return;
        if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
      });
      page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
      page.on('requestfailed', (r) => {
        if (iconCut(r.url(), r.failure()?.errorText)) return;
        problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`);
      });
      page.on('response', (r) => {
        if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`);
      });
      page.on('request', (r) => {
        const url = new URL(r.url());
        if (url.protocol.startsWith('http') && url.origin !== origin) problems.push(`off-origin request: ${r.url()}`);
      });
      await use(problems);
      expect(problems, 'console errors, failed or off-origin requests').toEqual([]);
    },
    { auto: true },
  ],
});

/** Loads the page and waits until the engine has painted. */
export async function open(page, query = '') {
  await page.goto(`./${query}`);
  await expect(page.getByTestId('std-unscaled')).not.toHaveText('–');
}

/**
 * The RGBA pixels of any canvas, read through a copy so the page's canvas
 * is never read back (Chromium warns about repeated readbacks, and the
 * tests fail on warnings).
 */
export async function canvasPixels(locator) {
  return locator.evaluate((canvas) => {
    const { width, height } = canvas;
    const copy = Object.assign(document.createElement('canvas'), { width, height });
    const ctx = copy.getContext('2d', { willReadFrequently: true });
    ctx.drawImage(canvas, 0, 0);
    return { width, height, data: Array.from(ctx.getImageData(0, 0, width, height).data) };
  });
}

/** The RGBA pixels of a heatmap canvas (one pixel per cell). */
export const pixels = (page, testId) => canvasPixels(page.getByTestId(testId));

export async function readNumber(page, testId) {
  return Number(await page.getByTestId(testId).textContent());
}

/** Asserts every cell's colour is viridis of NumPy's probability (or a neighbouring bin, for f32 rounding). */
export function expectCellsMatch(image, probabilities) {
  expect(image.width * image.height).toBe(probabilities.length);
  probabilities.forEach((p, cell) => {
    const got = image.data.slice(cell * 4, cell * 4 + 4);
    const idx = viridisIndex(p);
    const candidates = [idx - 1, idx, idx + 1].filter((i) => i >= 0 && i < 256).map((i) => [...viridis[i], 255]);
    const ok = candidates.some((c) => c.every((v, k) => v === got[k]));
    expect(ok, `cell ${cell}: probability ${p} painted as ${got}`).toBe(true);
  });
}

/**
 * The FNV-1a 64 hashes of an element's unscaled scores and scaled weights
 * (its `result`), as determinism.json pins them for seed 42; with `all`,
 * also of Q, K and every matrix and row of both panels, and their numbers.
 */
export function resultHashes(element, { all = false } = {}) {
  return element.evaluate((el, all) => {
    const hash = (values) => {
      const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
      let h = 0xcbf29ce484222325n;
      for (const b of bytes) h = BigInt.asUintN(64, (h ^ BigInt(b)) * 0x100000001b3n);
      return h.toString(16).padStart(16, '0');
    };
    const { unscaled, scaled, q, k } = el.result;
    const hashes = { scores_unscaled: hash(unscaled.scores), probs_scaled: hash(scaled.probabilities) };
    if (!all) return hashes;
    // Everything else a run gives: Q, K, both panels' matrices, row gradients and numbers.
    const panel = (p) => ({ scores: hash(p.scores), probs: hash(p.probabilities), gradients: hash(p.rowGradients), stats: p.stats });
    return { ...hashes, q: hash(q), k: hash(k), unscaled: panel(unscaled), scaled: panel(scaled) };
  }, all);
}

/** determinism.json's float32 pin for T × d_k (seed 42, Q = K). */
export function pinned(tokens, dK) {
  const pin = determinism.matrices.cases.find((c) => c.tokens === tokens && c.d_k === dK && !c.precision);
  return { scores_unscaled: pin.scores_unscaled, probs_scaled: pin.probs_scaled };
}
