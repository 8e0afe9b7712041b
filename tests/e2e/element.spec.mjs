// <attention-explorer> on other people's pages: two independent elements,
// attributes ↔ properties ↔ events, hide flags, shadow DOM in both
// directions, clean removal, the iframe embed mode, and the share buttons.
import { readFileSync } from 'node:fs';
import { test, expect, experiment } from './helpers.mjs';

const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'";
const TYPES = { html: 'text/html', css: 'text/css', js: 'text/javascript' };

/** Serves the host pages of tests/e2e/hosts at the site's root, under the same CSP. */
async function hosts(page) {
  for (const file of ['two-explorers.html', 'host.css', 'frame.html', 'frame-host.js', 'upgrade.html', 'upgrade-host.js', 'scheme.html', 'scheme.css']) {
    const body = readFileSync(new URL(`./hosts/${file}`, import.meta.url));
    await page.route(`**/${file}`, (route) =>
      route.fulfill({ body, headers: { 'content-type': TYPES[file.split('.').pop()], 'content-security-policy': CSP } }),
    );
  }
}

async function openHost(page) {
  await hosts(page);
  await page.goto('./two-explorers.html');
  await page.evaluate(() => Promise.all([...document.querySelectorAll('attention-explorer')].map((e) => e.ready)));
}

const first = (page) => page.locator('#first');
const second = (page) => page.locator('#second');

test('two elements on one page are independent, sharing one engine download', async ({ page }) => {
  const wasm = [];
  page.on('request', (r) => r.url().endsWith('.wasm') && wasm.push(r.url()));
  await openHost(page);
  expect(wasm).toHaveLength(1);
  await expect(first(page).getByRole('slider', { name: /d_k/ })).toHaveValue('64');
  await expect(second(page).getByRole('slider', { name: /d_k/ })).toHaveValue('16');
  // Each element marks its first paint for the host page's performance tools.
  const marks = await page.evaluate(() => performance.getEntriesByName('attention-explorer:ready').map((m) => m.detail.id));
  expect(marks.sort()).toEqual(['first', 'second']);
  const changes = await page.evaluate(async () => {
    const [a, b] = document.querySelectorAll('attention-explorer');
    const seen = { a: [], b: [] };
    a.addEventListener('change', (e) => seen.a.push(e.detail.dk));
    b.addEventListener('change', (e) => seen.b.push(e.detail.dk));
    a.dk = 128;
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    return { seen, a: a.state.dk, b: b.state.dk };
  });
  expect(changes).toEqual({ seen: { a: [128], b: [] }, a: 128, b: 16 });
  await expect(first(page).getByRole('slider', { name: /d_k/ })).toHaveValue('128');
  // The page's address belongs to the host: elements without sync-url leave it alone.
  expect(new URL(page.url()).search).toBe('');
});

test('attributes, properties and change events are one path, validated like the URL', async ({ page }) => {
  await openHost(page);
  const out = await page.evaluate(async () => {
    const a = document.querySelector('#first');
    const frame = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    const events = [];
    a.addEventListener('change', (e) => events.push(e.detail));
    a.setAttribute('dk', '32');
    await frame();
    const afterAttribute = a.dk;
    a.seed = 5;
    await frame();
    a.setAttribute('tau', '100');
    await frame();
    return { afterAttribute, seed: a.seed, tau: a.tau, last: events.at(-1), state: a.state };
  });
  expect(out.afterAttribute).toBe(32);
  expect(out.seed).toBe(5);
  expect(out.tau).toBe(20);
  expect(out.last).toMatchObject({ dk: 32, seed: 5, tau: 20, t: 12 });
  expect(out.state).toEqual(out.last);
  await expect(first(page).getByTestId('notice')).toContainText('Temperature τ "100" is above the maximum 20; using 20.');
});

test('result exposes NumPy-exact matrices and the statistics', async ({ page }) => {
  await openHost(page);
  const result = await page.evaluate(() => {
    const r = document.querySelector('#first').result;
    return {
      t: r.t,
      dk: r.dk,
      isF32: r.scaled.probabilities instanceof Float32Array,
      probs: Array.from(r.scaled.probabilities),
      std: r.unscaled.stats.std,
      q: r.q.length,
      tokens: r.tokens,
    };
  });
  const ref = experiment(7, 12, 64);
  expect([result.t, result.dk, result.isF32, result.q]).toEqual([12, 64, true, 12 * 64]);
  result.probs.forEach((p, i) => expect(Math.abs(p - ref.probs_scaled[i])).toBeLessThanOrEqual(1e-5));
  expect(Math.abs(result.std / ref.std_unscaled - 1)).toBeLessThan(1e-4);
  expect(result.tokens[0]).toBe('t0');
});

test('hide flags show only the controls a lesson needs', async ({ page }) => {
  await openHost(page);
  await expect(second(page).getByTestId('seed')).toBeHidden();
  await expect(second(page).getByRole('slider', { name: /Temperature/ })).toBeHidden();
  await expect(second(page).locator('#curves')).toBeHidden();
  await expect(first(page).getByTestId('seed')).toBeVisible();
  await page.evaluate(() => {
    document.querySelector('#second').hide = 'dk,bogus';
  });
  await expect(second(page).getByRole('slider', { name: /d_k/ })).toBeHidden();
  await expect(second(page).getByTestId('seed')).toBeVisible();
  await expect(second(page).getByTestId('notice')).toContainText('"bogus" is not a part that can be hidden');
  // The case text's button changes Q and K, so it goes with either of their controls.
  await expect(second(page).getByTestId('case-try')).toBeVisible();
  await page.evaluate(() => {
    document.querySelector('#second').hide = 'qk';
  });
  await expect(second(page).getByTestId('case-try')).toBeHidden();
  await page.evaluate(() => {
    document.querySelector('#second').hide = 'modes';
  });
  await expect(second(page).getByTestId('case-try')).toBeHidden();
});

test('styles do not leak in or out of the shadow root', async ({ page }) => {
  await openHost(page);
  await expect(first(page).getByTestId('heatmap-scaled')).toBeVisible(); // despite `canvas { display: none }`
  const colours = await page.evaluate(() => ({
    host: getComputedStyle(document.querySelector('#host-button')).color,
    inside: getComputedStyle(document.querySelector('#first').shadowRoot.querySelector('#new-sample')).color,
  }));
  expect(colours.host).toBe('rgb(180, 0, 0)');
  expect(colours.inside).not.toBe('rgb(180, 0, 0)');
  // A 62.5 % root font size and rules matching the element itself
  // (`main * { font-size: 30px; … }` in host.css) change nothing inside:
  // sizes are em of the reader's default (16 px here).
  const inside = await page.evaluate(() => {
    const root = document.querySelector('#first').shadowRoot;
    const style = (selector) => {
      const c = getComputedStyle(root.querySelector(selector));
      return [c.fontSize, c.lineHeight, c.letterSpacing, c.textTransform, c.fontStyle, c.color];
    };
    return { title: style('.panel-title'), std: style('.readout dt'), help: style('#seed-help') };
  });
  expect(inside.title).toEqual(['16.8px', '24.36px', 'normal', 'none', 'normal', 'rgb(29, 29, 36)']);
  expect(inside.std).toEqual(['14.4px', '20.88px', 'normal', 'none', 'normal', 'rgb(84, 84, 99)']);
  expect(inside.help).toEqual(['13.6px', '19.72px', 'normal', 'none', 'normal', 'rgb(84, 84, 99)']);
});

test('removing an element frees it; adding it back works again', async ({ page }) => {
  await openHost(page);
  const ok = await page.evaluate(async () => {
    const a = document.querySelector('#first');
    const parent = a.parentElement;
    a.remove();
    await Promise.resolve(); // out of the page past a microtask: a removal, not a move
    const gone = a.state === null && a.result === null;
    const painted = new Promise((resolve) => a.addEventListener('change', resolve, { once: true }));
    parent.append(a);
    await painted;
    return { gone, back: a.state?.dk };
  });
  expect(ok).toEqual({ gone: true, back: 64 });
  await expect(first(page).getByTestId('std-scaled')).not.toHaveText('–');
});

test('embed mode hides the page chrome and tells the host its height', async ({ page }) => {
  await hosts(page);
  await page.goto('./frame.html');
  const frame = page.frameLocator('#explorer');
  await expect(frame.getByTestId('std-scaled')).not.toHaveText('–');
  await expect(frame.getByRole('heading', { name: /Why attention divides/ })).toBeHidden();
  await expect(frame.getByRole('heading', { name: 'What to try, and what to see' })).toHaveCount(0);
  await expect.poll(() => page.evaluate(() => window.heights.at(-1) ?? 0)).toBeGreaterThan(500);
  const height = await page.locator('#explorer').getAttribute('height');
  expect(Number(height)).toBeGreaterThan(500);
  // The height follows the content down as well as up.
  await frame.locator('#modes > summary').click();
  await expect.poll(() => page.evaluate(() => window.heights.at(-1))).toBeGreaterThan(Number(height));
  const opened = await page.evaluate(() => window.heights.at(-1));
  await frame.locator('#modes > summary').click();
  await expect.poll(() => page.evaluate(() => window.heights.at(-1))).toBeLessThan(opened);
  // The way out: this view on the full page, following the view's state.
  const full = frame.getByRole('link', { name: 'Open the full page ↗' });
  await expect(full).toHaveAttribute('target', '_blank');
  const href = () => full.getAttribute('href');
  expect(await href()).not.toContain('embed=1');
  await frame.getByRole('button', { name: 'd_k one step up' }).click();
  await expect.poll(href).toMatch(/dk=\d+/);
  const dk = await frame.locator('#dk-value').textContent();
  await expect.poll(href).toContain(`dk=${dk}`);
});

test('Reset brings an element back to the view its attributes set, whatever changed meanwhile', async ({ page }) => {
  await openHost(page);
  const el = first(page); // dk="64" t="12" seed="7"
  await el.locator('#dk-up').click();
  await el.locator('#seed').fill('99');
  await el.locator('#seed').press('Enter');
  await page.evaluate(() => Object.assign(document.querySelector('#first'), { qk: 'independent', t: 300, text: 'a b c' }));
  await expect(el.locator('#large')).toBeChecked();
  await el.getByRole('button', { name: 'Reset' }).click();
  await expect(el.locator('#dk-value')).toHaveText('64');
  await expect(el.locator('#seed')).toHaveValue('7');
  await expect(el.locator('#tokens')).toHaveValue('12');
  await expect(el.locator('#large')).not.toBeChecked();
  const state = await page.evaluate(() => document.querySelector('#first').state);
  expect(state).toMatchObject({ dk: 64, t: 12, seed: 7, qk: 'self', text: '' });
  expect(await page.evaluate(() => document.querySelector('#first').result.t)).toBe(12);
});

test.describe('with clipboard access', () => {
  test.use({ permissions: ['clipboard-read', 'clipboard-write'] });

  test('"Copy link" and "Copy embed code" give the full state', async ({ page, baseURL }) => {
    await page.goto('./?dk=64&seed=7&qk=independent');
    await expect(page.getByTestId('std-scaled')).not.toHaveText('–');
    await page.getByRole('button', { name: 'Copy link' }).click();
    await expect(page.getByTestId('share-status')).toHaveText('Link copied.');
    const link = await page.evaluate(() => navigator.clipboard.readText());
    expect(link).toBe(`${baseURL}?dk=64&t=10&seed=42`.replace('seed=42', 'seed=7') + '&qk=independent');
    await page.getByRole('button', { name: 'Copy embed code' }).click();
    const embed = await page.evaluate(() => navigator.clipboard.readText());
    expect(embed).toContain(`<iframe src="${baseURL}?dk=64&amp;t=10&amp;seed=7&amp;qk=independent&amp;embed=1"`);
    expect(embed).toContain(`<script type="module" src="${baseURL}attention-explorer.js"></script>`);
    expect(embed).toContain('<attention-explorer dk="64" t="10" seed="7" qk="independent"></attention-explorer>');
  });
});

test('without clipboard access the text is shown to copy by hand', async ({ page }) => {
  await page.goto('./');
  await expect(page.getByTestId('std-scaled')).not.toHaveText('–');
  await page.evaluate(() => {
    Object.defineProperty(navigator, 'clipboard', { value: { writeText: () => Promise.reject(new Error('denied')) } });
  });
  await page.getByRole('button', { name: 'Copy link' }).click();
  await expect(page.getByTestId('share-text')).toBeVisible();
  await expect(page.getByTestId('share-text')).toHaveValue(/\?dk=16&t=10&seed=42$/);
});

test('once loaded, it keeps working offline', async ({ page, context }) => {
  // Loaded means everything: the icon, and the modules fetched when idle.
  const later = [/favicon\.svg$/, /curves\.js$/, /charts\.js$/, /export\.js$/].map((url) => page.waitForResponse(url));
  await page.goto('./?dk=16');
  await expect(page.getByTestId('std-scaled')).not.toHaveText('–');
  await Promise.all(later);
  await context.setOffline(true);
  const slider = page.getByRole('slider', { name: /d_k/ });
  await slider.focus();
  await page.keyboard.press('End');
  await expect(page.locator('attention-explorer').locator('#dk-value')).toHaveText('256');
  await page.locator('#curves > summary').click();
  await expect(page.getByTestId('sweep-progress')).toHaveText('32 trials per d_k, 2048 runs.');
  await context.setOffline(false);
});

test('attributes and properties set after append(), before the engine has loaded, all apply', async ({ page }) => {
  await openHost(page);
  const got = await page.evaluate(async () => {
    const el = document.createElement('attention-explorer');
    document.querySelector('main').append(el);
    el.dk = 128;
    el.setAttribute('seed', '9');
    el.qk = 'independent';
    await el.ready;
    return { dk: el.state.dk, seed: el.state.seed, qk: el.state.qk, resultSeed: el.result.seed };
  });
  expect(got).toEqual({ dk: 128, seed: 9, qk: 'independent', resultSeed: 9 });
});

test('properties set before the element is defined apply when it upgrades', async ({ page }) => {
  await hosts(page);
  await page.goto('./upgrade.html');
  const state = await page.evaluate(async () => {
    const el = document.querySelector('#early');
    await customElements.whenDefined('attention-explorer');
    await el.ready;
    return { dk: el.state.dk, seed: el.state.seed, own: Object.prototype.hasOwnProperty.call(el, 'dk') };
  });
  expect(state).toEqual({ dk: 96, seed: 3, own: false });
});

test('a value that cannot even be turned into text is reported, and the element lives', async ({ page }) => {
  await openHost(page);
  const got = await page.evaluate(async () => {
    const el = document.createElement('attention-explorer');
    el.seed = Object.create(null);
    document.querySelector('main').append(el);
    await el.ready;
    const notice = el.shadowRoot.querySelector('[data-testid="notice"]').textContent;
    el.dk = 24;
    el.renderNow();
    return { dk: el.state.dk, seed: el.state.seed, notice };
  });
  expect(got.dk).toBe(24);
  expect(got.seed).toBe(42);
  expect(got.notice).toContain('Seed "[a value with no text form]" is not a whole number');
});

test('result is always the current state’s, whatever changed a moment ago', async ({ page }) => {
  await openHost(page);
  const got = await page.evaluate(() => {
    const el = document.querySelector('#first');
    el.seed = 11;
    const afterSeed = el.result.seed;
    el.t = 20;
    const afterT = [el.result.t, el.result.q.length / el.result.dk];
    el.qk = 'independent';
    const independent = el.result.k.some((v, i) => v !== el.result.q[i]);
    return { afterSeed, afterT, independent };
  });
  expect(got).toEqual({ afterSeed: 11, afterT: [20, 20], independent: true });
});

test('setting T while the visitor’s own text is shown does not wedge the view', async ({ page }) => {
  await openHost(page);
  const got = await page.evaluate(async () => {
    const el = document.querySelector('#first');
    el.text = 'the cat sat on the mat';
    el.renderNow();
    el.t = 30;
    el.renderNow();
    const notice = el.shadowRoot.querySelector('[data-testid="notice"]').textContent;
    el.dk = 32;
    el.renderNow();
    const shown = { dk: el.result.dk, t: el.result.t };
    el.text = '';
    el.renderNow();
    return { shown, after: el.result.t, notice };
  });
  expect(got.shown).toEqual({ dk: 32, t: 6 });
  expect(got.notice).toContain('T follows the 6 words of the text; T = 30 applies once the text is cleared.');
  expect(got.after).toBe(30);
});

test('a host that enforces Trusted Types gets a working explorer', async ({ page }) => {
  const serve = async (extra) => {
    const body = readFileSync(new URL('./hosts/two-explorers.html', import.meta.url));
    await page.unroute('**/two-explorers.html');
    await page.route('**/two-explorers.html', (route) =>
      route.fulfill({ body, headers: { 'content-type': 'text/html', 'content-security-policy': `${CSP}; ${extra}` } }),
    );
  };
  await hosts(page);
  await serve("require-trusted-types-for 'script'");
  await page.goto('./two-explorers.html');
  await expect(first(page).getByTestId('std-scaled')).not.toHaveText('–');
  await expect(second(page).getByTestId('std-scaled')).not.toHaveText('–');

});

test('removing and re-adding an element 500 times leaves no DOM nodes or listeners behind', async ({ page }) => {
  test.setTimeout(120_000);
  await openHost(page);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const counts = async () => {
    for (let i = 0; i < 3; i += 1) {
      await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(resolve)));
      await cdp.send('HeapProfiler.collectGarbage');
    }
    const { metrics } = await cdp.send('Performance.getMetrics');
    const m = Object.fromEntries(metrics.map((x) => [x.name, x.value]));
    return { nodes: m.Nodes, listeners: m.JSEventListeners };
  };
  const before = await counts();
  // The cycles run in the page on their own, not inside an awaited
  // evaluate: DevTools keeps every step of an awaited evaluate's promise
  // chain (and so every old view) alive until it returns, which measured
  // ~650 nodes per cycle that no page ever holds.
  await page.evaluate(() => {
    window.cycled = (async () => {
      const el = document.querySelector('#first');
      const parent = el.parentElement;
      for (let i = 0; i < 500; i += 1) {
        el.remove();
        await Promise.resolve(); // a removal, not a move
        const painted = new Promise((resolve) => el.addEventListener('change', () => resolve(), { once: true }));
        parent.append(el);
        await painted;
      }
      return true;
    })();
    window.cycled.then((done) => {
      window.cycledDone = done;
    });
  });
  await page.waitForFunction(() => window.cycledDone === true, null, { timeout: 100_000 });
  // Before the fix: about 1,300 nodes and 46 listeners more per cycle. The
  // bound allows the last view (one view is ~1,300 nodes), and nothing per
  // cycle. Blink sweeps collected nodes lazily, so a count taken right after
  // a collection may still include some (once ~50 views' worth): the counts
  // are polled until they are back, which a leak never is.
  await expect
    .poll(async () => {
      const after = await counts();
      return after.nodes <= before.nodes + 1500 && after.listeners <= before.listeners + 50 ? 'back' : JSON.stringify({ before, after });
    }, { timeout: 30_000 })
    .toBe('back');
});

test('moving an element keeps its state; it is not reset to its attributes', async ({ page }) => {
  await openHost(page);
  const got = await page.evaluate(async () => {
    const el = document.querySelector('#first'); // dk="64" in the markup
    el.dk = 48;
    el.qk = 'independent';
    el.renderNow();
    const box = document.createElement('section');
    document.querySelector('main').prepend(box);
    box.append(el); // a move: out and back in within one task
    await new Promise((resolve) => requestAnimationFrame(resolve));
    return { dk: el.state?.dk, qk: el.state?.qk, painted: el.result?.dk };
  });
  expect(got).toEqual({ dk: 48, qk: 'independent', painted: 48 });
  await expect(first(page).getByTestId('std-scaled')).not.toHaveText('–');
});

test.describe('themes', () => {
  test.use({ colorScheme: 'light' });

  /** The resolved theme of an element, its colours, and a painted ∇ bar pixel against the legend swatch. */
  const look = (page, id) =>
    page.evaluate((id) => {
      const root = document.querySelector(`#${id}`).shadowRoot;
      const app = root.querySelector('.app');
      const bars = root.querySelector('[data-testid="gradient-scaled"]');
      // Read through a copy: repeated reads of the page's own canvas make Chromium warn.
      const copy = Object.assign(document.createElement('canvas'), { width: 1, height: 1 }).getContext('2d');
      copy.drawImage(bars, 0, 0);
      const pixel = [...copy.getImageData(0, 0, 1, 1).data.slice(0, 3)];
      return {
        theme: app.dataset.theme,
        background: getComputedStyle(app).backgroundColor,
        field: getComputedStyle(root.querySelector('#seed')).colorScheme,
        swatch: getComputedStyle(root.querySelector('.bar-swatch')).backgroundColor,
        bar: `rgb(${pixel.join(', ')})`,
        track: getComputedStyle(bars).backgroundColor,
      };
    }, id);

  // WCAG relative luminance and contrast ratio, for the bars against their track.
  const luminance = (rgb) =>
    rgb.match(/\d+/g).slice(0, 3).map(Number).map((c) => c / 255).map((c) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4))
      .reduce((sum, c, i) => sum + c * [0.2126, 0.7152, 0.0722][i], 0);
  const contrast = (a, b) => {
    const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
    return (hi + 0.05) / (lo + 0.05);
  };

  test('a host page in dark mode gets a dark explorer on a light system, and follows its toggle', async ({ page }) => {
    await hosts(page);
    await page.goto('./scheme.html');
    await page.evaluate(() => Promise.all([...document.querySelectorAll('attention-explorer')].map((e) => e.ready)));
    // The theme is applied when the view mounts; the bars are repainted in it on the next frame.
    await expect.poll(async () => (await look(page, 'auto')).bar).toBe('rgb(143, 180, 255)');
    const dark = await look(page, 'auto');
    expect(dark).toMatchObject({ theme: 'dark', background: 'rgb(22, 22, 29)', field: 'dark', swatch: 'rgb(143, 180, 255)' });
    // The bars are painted in the swatch's colour, at 3:1 or more against their track.
    expect(dark.bar).toBe(dark.swatch);
    expect(contrast(dark.bar, dark.track)).toBeGreaterThanOrEqual(3);
    // theme="light" keeps its own, fields included, on the dark page.
    expect(await look(page, 'light')).toMatchObject({ theme: 'light', background: 'rgb(255, 255, 255)', field: 'light' });
    // The site's toggle: the explorer follows, bars repainted.
    await page.evaluate(() => document.documentElement.classList.replace('dark', 'light'));
    // Theme, styles and swatch follow within a frame or two: each is waited for, none assumed.
    await expect.poll(() => look(page, 'auto')).toMatchObject({ theme: 'light', background: 'rgb(255, 255, 255)', field: 'light', swatch: 'rgb(44, 95, 179)' });
    const light = await look(page, 'auto');
    await expect.poll(async () => (await look(page, 'auto')).bar).toBe('rgb(44, 95, 179)');
    expect(contrast(light.swatch, light.track)).toBeGreaterThanOrEqual(3);
  });

  test('a light host page on a dark system gets a light explorer; with no scheme of its own, the system decides', async ({ page }) => {
    await page.emulateMedia({ colorScheme: 'dark' });
    await hosts(page);
    await page.goto('./scheme.html');
    await page.evaluate(() => document.documentElement.classList.replace('dark', 'light'));
    await page.evaluate(() => document.querySelector('#auto').ready);
    await expect.poll(async () => (await look(page, 'auto')).theme).toBe('light');
    await page.evaluate(() => document.documentElement.classList.remove('light'));
    await expect.poll(async () => (await look(page, 'auto')).theme).toBe('dark');
  });
});

test('the guided explanation is part of the element: the guide attribute, and ?embed=1&guide=1 in a frame', async ({ page }) => {
  await page.goto('./?embed=1&guide=1&dk=32');
  const guide = page.getByRole('heading', { name: 'What to try, and what to see' });
  await expect(guide).toBeVisible();
  // Its buttons set the view up, and put it back.
  await page.getByRole('button', { name: 'Set this up' }).first().click();
  await expect(page).toHaveURL(/dk=4&.*qk=independent/);
  await page.getByRole('button', { name: 'Back to the view before' }).click();
  await expect(page).toHaveURL(/dk=32/);
  // On any element: on with the attribute, off without it.
  await page.evaluate(() => {
    const el = document.createElement('attention-explorer');
    el.id = 'second';
    document.body.append(el);
    return el.ready;
  });
  const second = page.locator('#second');
  await expect(second.getByRole('heading', { name: 'What to try, and what to see' })).toHaveCount(0);
  await second.evaluate((el) => el.setAttribute('guide', ''));
  await expect(second.getByRole('heading', { name: 'What to try, and what to see' })).toBeVisible();
  await second.evaluate((el) => el.removeAttribute('guide'));
  await expect(second.getByRole('heading', { name: 'What to try, and what to see' })).toHaveCount(0);
});
