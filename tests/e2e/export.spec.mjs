// Exports: PNGs of the heatmaps, every matrix as CSV, the state as JSON, and
// a NumPy snippet that, run with NumPy for real, gives the same matrices.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect, open } from './helpers.mjs';

// `cargo xtask test` passes the venv's Python, or why there is none (then
// these tests fail with that reason and the rest of the suite still runs).
const python = process.env.PYTHON || 'tests/.venv/bin/python';
const pythonMissing = process.env.PYTHON_MISSING;

async function download(page, name) {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name, exact: true }).click()]);
  return { name: file.suggestedFilename(), bytes: Buffer.concat(await (await file.createReadStream()).toArray()) };
}

const result = (page) =>
  page.evaluate(() => {
    const r = document.querySelector('attention-explorer').result;
    const plain = (a) => Array.from(a);
    return {
      t: r.t,
      dk: r.dk,
      Q: plain(r.q),
      K: plain(r.k),
      S_unscaled: plain(r.unscaled.scores),
      S_scaled: plain(r.scaled.scores),
      P_unscaled: plain(r.unscaled.probabilities),
      P_scaled: plain(r.scaled.probabilities),
      stats: r.scaled.stats,
    };
  });

test('the matrices CSV and the state JSON hold exactly the element’s result', async ({ page }) => {
  await open(page, '?dk=24&t=6&seed=3&qk=independent');
  const want = await result(page);
  const csv = await download(page, 'Matrices (CSV)');
  expect(csv.name).toBe('attention-dk24-t6-seed3-matrices.csv');
  const lines = csv.bytes.toString('utf8').trim().split('\n');
  expect(lines[0]).toBe('matrix,row,column,value');
  const got = {};
  for (const line of lines.slice(1)) {
    const [matrix, row, col, value] = line.split(',');
    const width = matrix === 'Q' || matrix === 'K' ? 24 : 6;
    (got[matrix] ??= [])[Number(row) * width + Number(col)] = Number(value);
  }
  const names = { Q: 'Q', K: 'K', scores_unscaled: 'S_unscaled', scores_scaled: 'S_scaled', probabilities_unscaled: 'P_unscaled', probabilities_scaled: 'P_scaled' };
  for (const [csvName, key] of Object.entries(names)) expect(got[csvName].map(Math.fround), csvName).toEqual(want[key]);

  const json = JSON.parse((await download(page, 'State (JSON)')).bytes.toString('utf8'));
  expect(json.state).toMatchObject({ dk: 24, t: 6, seed: 3, qk: 'independent' });
  expect(json.statistics.scaled.std).toBe(want.stats.std);
  expect(json.tokens).toHaveLength(6);
});

test('a PNG of each heatmap, with room for title, labels and colour bar', async ({ page }, testInfo) => {
  await open(page, `?dk=32&text=${encodeURIComponent('the cat sat on the mat')}`);
  for (const which of ['unscaled', 'scaled']) {
    const png = await download(page, `PNG: ${which}`);
    expect(png.name).toBe(`attention-dk32-t6-seed42-${which}.png`);
    expect(png.bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
    const [width, height] = [png.bytes.readUInt32BE(16), png.bytes.readUInt32BE(20)];
    expect(width).toBeGreaterThan(800);
    expect(height).toBeGreaterThan(800);
    writeFileSync(testInfo.outputPath(png.name), png.bytes);
  }
});

test.describe('the NumPy snippet', () => {
  test.use({ permissions: ['clipboard-read', 'clipboard-write'] });

  for (const query of [
    '?dk=16&t=10&seed=42',
    '?dk=48&t=7&seed=9&qk=independent&score=cosine&scale=dk&tau=2',
    `?dk=20&seed=5&scale=0.3&text=${encodeURIComponent('Der Hund sieht die Katze und die Katze sieht den Hund')}`,
    '?dk=128&t=8&seed=1&softmax=naive',
    '?dk=36&t=6&seed=3&qk=independent&x=keep',
    // Every step rounded: the snippet reproduces the page's NaN cells (18 of them here) and its rounding.
    '?dk=64&t=10&seed=42&softmax=naive&precision=f16',
    '?dk=44&t=7&seed=9&qk=independent&score=cosine&tau=2&precision=bf16',
    // The inputs: each distribution, σ and μ, LayerNorm, ρ; random tokens, kept tokens, a text; and rounded.
    '?dk=24&t=7&seed=4&qk=independent&dist=uniform&sigma=2&mu=0.5&ln=1&rho=0.6',
    '?dk=40&t=6&seed=2&dist=rademacher&x=keep&mu=-1',
    `?dk=12&seed=8&qk=independent&dist=uniform&rho=0.9&text=${encodeURIComponent('one two three two one')}`,
    '?dk=32&t=5&seed=6&qk=independent&dist=rademacher&sigma=3&rho=0.5&precision=f16',
    // Logit control: QK-norm with a gain and the cap, in float32 and rounded.
    '?dk=48&t=6&seed=3&qknorm=l2&g=12&cap=5',
    '?dk=40&t=6&seed=2&qk=independent&qknorm=layernorm&cap=3&tau=2&precision=bf16',
    '?dk=64&t=5&seed=7&g=3&cap=20&softmax=naive&precision=f16&scale=dk',
    // Masks (each fill, rows that see no key included) and SSMax, in float32 and rounded.
    '?dk=32&t=7&seed=3&qk=independent&mask=causal&pad=2',
    '?dk=32&t=7&seed=3&qk=independent&mask=causal&pad=2&fill=inf&tau=0.5',
    '?dk=24&t=6&seed=5&mask=padding&pad=6&fill=min',
    '?dk=64&t=9&seed=8&qk=independent&scale=ssmax&ssmax_s=0.5&mask=causal&cap=4',
    '?dk=32&t=7&seed=3&qk=independent&mask=causal&pad=2&fill=min&precision=f16',
    '?dk=48&t=6&seed=4&scale=ssmax&mask=padding&pad=1&softmax=naive&precision=bf16',
  ]) {
    test(`reproduces the view ${query}`, async ({ page }) => {
      expect(pythonMissing, 'a Python with NumPy is needed to run the snippet').toBeFalsy();
      await open(page, query);
      const want = await result(page);
      await page.getByRole('button', { name: 'Copy NumPy snippet' }).click();
      await expect(page.getByTestId('share-status')).toHaveText('NumPy snippet copied.');
      const snippet = await page.evaluate(() => navigator.clipboard.readText());
      const dir = mkdtempSync(join(tmpdir(), 'snippet-'));
      const script = join(dir, 'view.py');
      writeFileSync(
        script,
        `${snippet}\nimport json\nprint(json.dumps({k: [None if v != v else float(v) for v in globals()[k].ravel()] for k in ["Q", "K", "S_unscaled", "S_scaled", "P_unscaled", "P_scaled"]}))\n`,
      );
      const out = execFileSync(python, [script], { encoding: 'utf8' }).trim().split('\n').at(-1);
      const numpy = JSON.parse(out);
      // float32 views: NumPy computes in float64, so within float32 rounding.
      // float16/bfloat16: the same rounded steps, so within one unit in the
      // last place of the format (exp comes from different libraries).
      const format = new URLSearchParams(query).get('precision') ?? 'f32';
      const [digits, minNormal] = { f16: [11, 2 ** -14], bf16: [8, 2 ** -126] }[format] ?? [0, 0];
      const tolerance = (key, v) =>
        digits ? 2 ** (1 - digits) * Math.max(Math.abs(v), minNormal) : 1e-5 * (key.startsWith('P') ? 1 : Math.max(1, Math.abs(v)));
      for (const key of ['Q', 'K', 'S_unscaled', 'S_scaled', 'P_unscaled', 'P_scaled']) {
        expect(numpy[key]).toHaveLength(want[key].length);
        numpy[key].forEach((v, i) => {
          const g = want[key][i];
          if (v === null) return expect(Number.isNaN(g), `${key}[${i}] is NaN in NumPy`).toBe(true);
          expect(Number.isNaN(g), `${key}[${i}] is NaN on the page, ${v} in NumPy`).toBe(false);
          expect(Math.abs(g - v), `${key}[${i}]: page ${g}, NumPy ${v}`).toBeLessThanOrEqual(tolerance(key, v));
        });
      }
      if (query === '?dk=64&t=10&seed=42&softmax=naive&precision=f16') expect(numpy.P_unscaled.filter((v) => v === null)).toHaveLength(18);
    });
  }
});
