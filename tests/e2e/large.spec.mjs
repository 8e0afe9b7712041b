// Large sizes (T up to 1024, d_k up to 4096): computed in a worker (or in slices between
// frames where there is none) with a progress bar, the last value asked for wins, and the numbers
// still match NumPy at the benchmark's largest size.
import { test, expect, open, reference, readNumber, canvasPixels } from './helpers.mjs';

/**
 * The d_k the shown numbers belong to, read from the data: with 1/√d_k the
 * unscaled std ÷ the scaled std is √d_k (to the 4 decimals shown).
 */
async function stdsRatio(page) {
  return (await readNumber(page, 'std-unscaled')) / (await readNumber(page, 'std-scaled'));
}

const slider = (page) => page.getByRole('slider', { name: /d_k/ });

/**
 * Sets element properties, then records every animation frame until the
 * computing indicator has come and gone: what the page showed each frame.
 */
async function framesWhileComputing(page, values) {
  return page.evaluate(async (values) => {
    const element = document.querySelector('attention-explorer');
    const root = element.shadowRoot;
    const computing = root.querySelector('[data-testid="computing"]');
    const panels = root.querySelector('.panels');
    Object.assign(element, values);
    const frames = [];
    for (;;) {
      await new Promise((resolve) => requestAnimationFrame(resolve));
      frames.push({
        shown: !computing.hidden,
        progress: computing.querySelector('progress').value,
        text: computing.textContent.trim(),
        busy: panels.getAttribute('aria-busy'),
        slider: root.querySelector('#dk').getBoundingClientRect().width,
      });
      if (frames.some((f) => f.shown) && computing.hidden) return frames;
      if (frames.length > 2000) throw new Error('the run never finished');
    }
  }, values);
}

test('T = 1024, d_k = 4096 is computed while the page paints, with progress', async ({ page }) => {
  test.setTimeout(60_000);
  await open(page, '?dk=16');
  const frames = await framesWhileComputing(page, { t: 1024, dk: 4096 });
  const computing = frames.filter((f) => f.shown);
  // Several frames were painted while the run was in progress (in the
  // worker), with more of it done as they went, and the panels said they
  // were busy.
  expect(computing.length).toBeGreaterThanOrEqual(3);
  const progress = computing.map((f) => f.progress);
  expect(progress).toEqual([...progress].sort((a, b) => a - b));
  expect(progress.at(-1)).toBeGreaterThan(0);
  expect(progress.at(-1)).toBeLessThan(1);
  expect(computing.every((f) => f.busy === 'true' && /^Computing T = 1024, d_k = 4096: \d+ %$/.test(f.text))).toBe(true);
  expect(frames.at(-1).busy).toBeNull();
  // The progress hangs under the d_k bar: the slider never changes width
  // under a pointer that may be dragging it.
  expect(new Set(frames.map((f) => f.slider)).size).toBe(1);

  await expect(page.getByTestId('computing')).toBeHidden();
  await expect(page.locator('#dk-value')).toHaveText('4096');
  expect(await stdsRatio(page)).toBeCloseTo(64, 1);
  expect(await page.getByTestId('heatmap-scaled').evaluate((c) => [c.width, c.height])).toEqual([1024, 1024]);
  await expect(page).toHaveURL(/\?dk=4096&t=1024&seed=42$/);
  // The controls now span the large range.
  await expect(page.locator('#large')).toBeChecked();
  await expect(slider(page)).toHaveAttribute('max', '4096');
  await expect(page.locator('#tokens')).toHaveAttribute('max', '1024');
  // The heatmap fits its panel (scaled down), and so do the axis and bars.
  const [plot, bars, ticks] = await Promise.all(
    ['[data-panel="scaled"] .plot', '[data-panel="scaled"] .grad-bars', '[data-panel="scaled"] .ticks.y'].map((s) =>
      page.locator(s).evaluate((e) => e.getBoundingClientRect().height),
    ),
  );
  expect(plot).toBeLessThanOrEqual(360);
  expect(Math.abs(bars - plot)).toBeLessThan(1);
  expect(Math.abs(ticks - plot)).toBeLessThan(1);
  await expect(page.locator('[data-panel="scaled"] .plot')).toHaveClass(/dense/);
  await expect(page.locator('[data-panel="scaled"] .ticks.y bdi')).toHaveText(['t0', 't128', 't256', 't384', 't512', 't640', 't768', 't896']);
});

test('during the first run the panels already have its shape and d_k, and no stray row outline', async ({ page }) => {
  test.setTimeout(60_000);
  await page.goto('./?t=1024&dk=4096&seed=7');
  const during = await page.evaluate(async () => {
    const element = document.querySelector('attention-explorer');
    for (;;) {
      await new Promise((resolve) => requestAnimationFrame(resolve));
      const root = element.shadowRoot;
      const computing = root?.querySelector('[data-testid="computing"]');
      if (computing && !computing.hidden) {
        const plot = root.querySelector('[data-panel="scaled"] .plot');
        return {
          readouts: [...root.querySelectorAll('.dk-readout')].map((e) => e.textContent),
          std: root.querySelector('[data-testid="std-scaled"]').textContent,
          rowMarks: [...root.querySelectorAll('.row-mark')].map((e) => e.hidden),
          plot: plot.getBoundingClientRect().width,
        };
      }
    }
  });
  expect(during.readouts.every((r) => r === '4096')).toBe(true);
  expect(during.std).toBe('–');
  expect(during.rowMarks).toEqual([true, true]);
  expect(during.plot).toBeGreaterThan(200);
  await expect(page.getByTestId('computing')).toBeHidden({ timeout: 30_000 });
});

test('the largest benchmark size through the page matches NumPy', async ({ page }) => {
  test.setTimeout(60_000);
  const ref = reference.bench.find((c) => c.tokens === 1024 && c.d_k === 1024);
  await page.goto('./?t=1024&dk=1024');
  // `ready` waits for the first run's paint, even when it takes several frames.
  const painted = await page.evaluate(async () => {
    const element = await document.querySelector('attention-explorer').ready;
    const root = element.shadowRoot;
    return { computing: !root.querySelector('[data-testid="computing"]').hidden, std: root.querySelector('[data-testid="std-scaled"]').textContent };
  });
  expect(painted.computing).toBe(false);
  expect(painted.std).not.toBe('–');
  const got = await page.evaluate((cells) => {
    const r = document.querySelector('attention-explorer').result;
    const at = ([i, j]) => i * r.t + j;
    return {
      t: r.t,
      dk: r.dk,
      std: [r.unscaled.stats.std, r.scaled.stats.std],
      entropy: r.scaled.stats.entropyMean,
      maxProb: r.scaled.stats.maxProbMean,
      scores: cells.map((c) => r.unscaled.scores[at(c)]),
      probs: cells.map((c) => r.scaled.probabilities[at(c)]),
    };
  }, ref.cells);
  expect([got.t, got.dk]).toEqual([1024, 1024]);
  expect(Math.abs(got.std[0] / ref.unscaled.std - 1)).toBeLessThan(1e-5);
  expect(Math.abs(got.std[1] / ref.scaled.std - 1)).toBeLessThan(1e-5);
  expect(Math.abs(got.entropy - ref.scaled.entropy_mean)).toBeLessThan(1e-4);
  expect(Math.abs(got.maxProb - ref.scaled.max_prob_mean)).toBeLessThan(1e-4);
  // Scores of |x|² ≈ 1024 in float32: within 1e-4 relative of float64.
  got.scores.forEach((s, i) => expect(Math.abs(s - ref.scores[i])).toBeLessThan(1e-4 * Math.max(1, Math.abs(ref.scores[i])) + 1e-3));
  got.probs.forEach((p, i) => expect(Math.abs(p - ref.scaled.probs[i])).toBeLessThan(1e-5));
  // What the panel prints is that number.
  expect(Math.abs((await readNumber(page, 'std-unscaled')) - ref.unscaled.std)).toBeLessThan(1e-4 + 1e-5 * ref.unscaled.std);
});

test('a new value while a large run computes abandons it: the last value wins', async ({ page }) => {
  test.setTimeout(60_000);
  await open(page, '?dk=16');
  const final = await page.evaluate(async () => {
    const element = document.querySelector('attention-explorer');
    element.t = 1024;
    element.dk = 4096;
    // One frame: the first slice has run, the run (a new seed's 4 million
    // draws, 2 billion multiply-adds) is far from done.
    await new Promise((resolve) => requestAnimationFrame(resolve));
    const midway = !element.shadowRoot.querySelector('[data-testid="computing"]').hidden;
    element.dk = 2000;
    return { midway };
  });
  expect(final.midway).toBe(true);
  await expect(page.getByTestId('computing')).toBeHidden();
  await expect(page.locator('#dk-value')).toHaveText('2000');
  expect(await stdsRatio(page)).toBeCloseTo(Math.sqrt(2000), 1);
  // A host reading the result mid-run gets the finished numbers of the
  // current state (the run is completed first).
  const result = await page.evaluate(() => {
    const element = document.querySelector('attention-explorer');
    element.dk = 3000;
    element.renderNow(); // a whole run, as a host or the benchmark asks for
    element.dk = 2500;
    return new Promise((resolve) =>
      requestAnimationFrame(() => {
        const r = element.result;
        resolve({ dk: r.dk, length: r.scaled.probabilities.length, ratio: r.unscaled.stats.std / r.scaled.stats.std });
      }),
    );
  });
  expect(result.dk).toBe(2500);
  expect(result.length).toBe(1024 * 1024);
  expect(result.ratio).toBeCloseTo(Math.sqrt(2500), 3);
});

test('"Show as table" during a sliced run says the table follows, and fills it when the run is shown', async ({ page }) => {
  test.setTimeout(60_000);
  await open(page, '?dk=16');
  const atClick = await page.evaluate(async () => {
    const element = document.querySelector('attention-explorer');
    const root = element.shadowRoot;
    Object.assign(element, { t: 1024, dk: 4096 });
    await new Promise((resolve) => requestAnimationFrame(resolve));
    // The big run is in progress; a change of T abandons it, and the new
    // run's first slice waits for the next frame: in this frame's callback
    // after the view's, a run is in progress (the engine's matrices are not readable).
    Object.assign(element, { t: 64, dk: 4096 });
    return new Promise((resolve) =>
      requestAnimationFrame(() => {
        const busy = root.querySelector('.panels').getAttribute('aria-busy');
        root.querySelector('[data-panel="scaled"] .table-toggle').click();
        resolve({ busy, table: root.querySelector('[data-testid="table-scaled"]').textContent });
      }),
    );
  });
  expect(atClick).toEqual({ busy: 'true', table: 'Computing… the table follows when the run is done.' });
  const table = page.getByTestId('table-scaled');
  await expect(table.locator('caption')).toHaveText(/at d_k 4096: rows are queries, columns keys\.$/);
  await expect(table.locator('tbody tr')).toHaveCount(64);
  await expect(page.getByTestId('computing')).toBeHidden();
});

test('"Large sizes" opens the range and closing it comes back, saying so', async ({ page }) => {
  await open(page);
  await page.locator('#modes summary').click();
  await expect(slider(page)).toHaveAttribute('max', '256');
  await expect(page.locator('#tokens')).toHaveAttribute('max', '64');
  const large = page.getByRole('checkbox', { name: 'Large sizes' });
  await large.check();
  await expect(slider(page)).toHaveAttribute('max', '4096');
  await slider(page).focus();
  await page.keyboard.press('End');
  await expect(page.locator('#dk-value')).toHaveText('4096');
  await expect(page.getByTestId('computing')).toBeHidden();
  expect(await stdsRatio(page)).toBeCloseTo(64, 1);
  const tokens = page.getByLabel('Tokens T');
  await tokens.fill('300');
  await tokens.press('Enter');
  await expect(page).toHaveURL(/dk=4096&t=300/);
  await expect(page.getByTestId('computing')).toBeHidden();

  await large.uncheck();
  await expect(page.getByTestId('notice')).toHaveText('Back to the usual sizes: d_k 256, T 64.');
  await expect(slider(page)).toHaveValue('256');
  await expect(slider(page)).toHaveAttribute('max', '256');
  await expect(tokens).toHaveValue('64');
  await expect(page).toHaveURL(/dk=256&t=64/);
  expect((await canvasPixels(page.getByTestId('heatmap-scaled'))).width).toBe(64);
});

test('at T = 512 the table is not built; hover still reads single cells', async ({ page }) => {
  await open(page, '?t=512&dk=64');
  await expect(page.getByTestId('computing')).toBeHidden();
  await page.locator('[data-panel="scaled"] .table-toggle').click();
  await expect(page.getByTestId('table-scaled')).toContainText('The table is offered up to T = 64');
  expect(await page.getByTestId('table-scaled').locator('td').count()).toBe(0);

  const canvas = page.getByTestId('heatmap-scaled');
  const box = await canvas.boundingBox();
  // The middle of the heatmap: cell (256, 256), on the diagonal.
  await page.mouse.move(box.x + box.width * (256.5 / 512), box.y + box.height * (256.5 / 512));
  const tooltip = page.getByTestId('tooltip');
  await expect(tooltip).toBeVisible();
  const cell = await tooltip.getAttribute('data-cell');
  const [row, col] = cell.split(',').map(Number);
  expect(Math.abs(row - 256)).toBeLessThanOrEqual(1);
  expect(Math.abs(col - 256)).toBeLessThanOrEqual(1);
  const want = await page.evaluate(([r, c]) => {
    const result = document.querySelector('attention-explorer').result;
    return result.scaled.probabilities[r * result.t + c];
  }, [row, col]);
  await expect(tooltip).toContainText(`scaled ${Number(want.toPrecision(4))}`);
});

test('past T = 256 the curves sweep at T = 256 and say so; the marker stays on the chart', async ({ page }, testInfo) => {
  test.setTimeout(90_000);
  await open(page, '?t=300&dk=1024');
  await page.locator('#curves > summary').click();
  const progress = page.getByTestId('sweep-progress');
  await expect(progress).toHaveText(
    '32 trials per d_k, 2048 runs. The curves use T = 256, their largest (at T = 300 a sweep would take minutes).',
    { timeout: 60_000 },
  );
  await page.screenshot({ path: testInfo.outputPath('curves-large-t.png'), fullPage: true });
});

test('the matrices CSV of a large view is built in slices, saying how far it is', async ({ page }) => {
  test.setTimeout(60_000);
  await open(page, '?t=500&dk=256');
  await expect(page.getByTestId('computing')).toBeHidden();
  // Every text the status line shows while the file is prepared.
  await page.evaluate(() => {
    const status = document.querySelector('attention-explorer').shadowRoot.querySelector('#share-status');
    window.statusTexts = [];
    new MutationObserver(() => window.statusTexts.push(status.textContent)).observe(status, { childList: true, characterData: true, subtree: true });
  });
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Matrices (CSV)', exact: true }).click()]);
  const text = Buffer.concat(await (await file.createReadStream()).toArray()).toString('utf8');
  const lines = text.trimEnd().split('\n');
  expect(lines).toHaveLength(1 + 2 * 500 * 256 + 4 * 500 * 500);
  expect(lines[1]).toMatch(/^Q,0,0,-?\d/);
  expect(lines.at(-1)).toMatch(/^probabilities_scaled,499,499,\d/);
  const shown = await page.evaluate(() => window.statusTexts);
  expect(shown.some((t) => /^Preparing attention-dk256-t500-seed42-matrices\.csv: \d+ %$/.test(t))).toBe(true);
  await expect(page.locator('#share-status')).toHaveText('');
});

test('the PNG of a T = 1024 heatmap keeps whole pixels per cell at a sane size', async ({ page }) => {
  test.setTimeout(60_000);
  await open(page, '?t=1024&dk=64');
  await expect(page.getByTestId('computing')).toBeHidden();
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'PNG: scaled', exact: true }).click()]);
  const png = Buffer.concat(await (await file.createReadStream()).toArray());
  expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
  const [width, height] = [png.readUInt32BE(16), png.readUInt32BE(20)];
  // 2 pixels per cell (2048) plus the margins for title, labels and colour bar.
  expect(width).toBeGreaterThan(2048);
  expect(width).toBeLessThan(2600);
  expect(height).toBeLessThan(2600);
});

test('dragging d_k at T = 1024 keeps showing results, each labelled with its own d_k', async ({ page }) => {
  test.setTimeout(60_000);
  await open(page, '?t=1024&dk=1024');
  await expect(page.getByTestId('computing')).toBeHidden();
  const seen = await page.evaluate(async () => {
    const element = document.querySelector('attention-explorer');
    const root = element.shadowRoot;
    const painted = [];
    element.addEventListener('change', (e) => {
      painted.push({
        dk: e.detail.dk,
        readout: Number(root.querySelector('.dk-readout').textContent),
        ratio:
          Number(root.querySelector('[data-testid="std-unscaled"]').textContent) /
          Number(root.querySelector('[data-testid="std-scaled"]').textContent),
      });
    });
    // One new d_k per frame, as a drag sends them.
    for (let i = 1; i <= 40; i += 1) {
      element.dk = 1024 - 8 * i;
      await new Promise((resolve) => requestAnimationFrame(resolve));
    }
    const during = painted.length;
    // Then the newest d_k is painted (the test times out if it never is).
    const last = 1024 - 8 * 40;
    if (painted.at(-1)?.dk !== last) {
      await new Promise((resolve) => element.addEventListener('change', (e) => e.detail.dk === last && resolve()));
    }
    return { during, painted };
  });
  // Results kept coming during the drag (before, each new d_k abandoned the
  // run in progress and nothing was painted until the drag stopped).
  expect(seen.during).toBeGreaterThanOrEqual(3);
  for (const p of seen.painted) {
    expect(p.readout).toBe(p.dk);
    // Neighbouring d_k differ by 0.15 in √d_k here; the shown stds pin it to 0.01.
    expect(Math.abs(p.ratio - Math.sqrt(p.dk))).toBeLessThan(0.01);
  }
  expect(seen.painted.at(-1).dk).toBe(1024 - 8 * 40);
  await expect(page.locator('#dk-value')).toHaveText(String(1024 - 8 * 40));
});
