// The JavaScript/WebAssembly boundary: the engine's exports, called directly
// in Chromium, return what the core computes (checked against NumPy and the
// cross-target pin), and reject bad input with a readable error.
import { test, expect, reference, determinism, viridis, viridisIndex } from './helpers.mjs';

async function engine(page) {
  await page.goto('./?dk=16');
  await page.evaluate(() => document.querySelector('attention-explorer').ready);
}

test('normal draws carry the same bits as natively, and match NumPy', async ({ page }) => {
  await engine(page);
  const result = await page.evaluate(
    async ({ pin, cases }) => {
      const wasm = await import('./pkg/attention_wasm.js');
      const values = wasm.normalSample(pin.seed, pin.count);
      const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
      let hash = 0xcbf29ce484222325n;
      for (const b of bytes) hash = BigInt.asUintN(64, (hash ^ BigInt(b)) * 0x100000001b3n);
      const worst = cases.map(({ seed, values: want }) => {
        const got = wasm.normalSample(seed, want.length);
        const bits = new BigInt64Array(got.buffer, got.byteOffset, got.length);
        const wantBits = new BigInt64Array(new Float64Array(want).buffer);
        let maxUlps = 0n;
        for (let i = 0; i < want.length; i += 1) {
          const d = bits[i] > wantBits[i] ? bits[i] - wantBits[i] : wantBits[i] - bits[i];
          if (d > maxUlps) maxUlps = d;
        }
        return Number(maxUlps);
      });
      return { length: values.length, hash: hash.toString(16).padStart(16, '0'), worst };
    },
    { pin: determinism, cases: reference.randn },
  );
  expect(result.length).toBe(determinism.count);
  expect(result.hash).toBe(determinism.fnv1a64_of_le_bits);
  for (const ulps of result.worst) expect(ulps).toBeLessThanOrEqual(2);
});

test('the SIMD score kernel gives the native bits at every benchmark size, and in bf16 and f16', async ({ page }) => {
  test.setTimeout(60_000);
  await engine(page);
  const got = await page.evaluate(async (pin) => {
    const wasm = await import('./pkg/attention_wasm.js');
    const explorer = new wasm.Explorer();
    const hash = (values) => {
      const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
      let h = 0xcbf29ce484222325n;
      for (const b of bytes) h = BigInt.asUintN(64, (h ^ BigInt(b)) * 0x100000001b3n);
      return h.toString(16).padStart(16, '0');
    };
    const out = pin.cases.map(({ tokens, d_k, precision }) => {
      explorer.configure({ precision: precision ?? 'f32' });
      explorer.run(tokens, d_k, pin.seed);
      return {
        tokens,
        d_k,
        ...(precision ? { precision } : {}),
        scores_unscaled: hash(explorer.scores(wasm.Panel.Unscaled)),
        probs_scaled: hash(explorer.probabilities(wasm.Panel.Scaled)),
      };
    });
    explorer.free();
    return out;
  }, determinism.matrices);
  expect(got).toEqual(determinism.matrices.cases);
});

test('matrices come back as views of the engine memory, not copies, rewritten by the next run', async ({ page }) => {
  await engine(page);
  const got = await page.evaluate(async () => {
    const wasm = await import('./pkg/attention_wasm.js');
    const { memory } = await wasm.default(); // already loaded: the module's exports
    const explorer = new wasm.Explorer();
    explorer.run(6, 8, 42);
    const views = [explorer.q(), explorer.k(), explorer.scores(wasm.Panel.Unscaled), explorer.probabilities(wasm.Panel.Scaled), explorer.rowGradients(wasm.Panel.Scaled)];
    const onMemory = views.map((v) => v instanceof Float32Array && v.buffer === memory.buffer);
    const lengths = views.map((v) => v.length);
    const kept = views[0].slice();
    explorer.run(6, 8, 7);
    // The next run rewrites the buffer under the view (or, had it grown the
    // memory, detached it): either way a view is not a value to keep.
    const fresh = explorer.q().slice();
    const rewritten = views[0].length === 0 || (views[0].some((v, i) => v !== kept[i]) && views[0].every((v, i) => v === fresh[i]));
    explorer.free();
    return { onMemory, lengths, rewritten };
  });
  expect(got).toEqual({ onMemory: [true, true, true, true, true], lengths: [48, 48, 36, 36, 6], rewritten: true });
});

test('Explorer returns NumPy results for every reference case', async ({ page }) => {
  await engine(page);
  const errors = await page.evaluate(async (cases) => {
    const wasm = await import('./pkg/attention_wasm.js');
    const explorer = new wasm.Explorer();
    return cases.map((c) => {
      explorer.run(c.tokens, c.d_k, c.seed);
      const worst = (got, want) => Math.max(...want.map((w, i) => Math.abs(got[i] - w)));
      // Views of the engine's memory: copied before report() allocates.
      const pu = explorer.probabilities(wasm.Panel.Unscaled).slice();
      const ps = explorer.probabilities(wasm.Panel.Scaled).slice();
      const [ru, rs] = [explorer.report(wasm.Panel.Unscaled), explorer.report(wasm.Panel.Scaled)];
      const result = {
        shape: [explorer.tokens, explorer.dK, explorer.seed],
        want: [c.tokens, c.d_k, c.seed],
        lengths: [pu.length, ps.length, explorer.q().length, explorer.scores(wasm.Panel.Scaled).length],
        probs: Math.max(worst(pu, c.probs_unscaled), worst(ps, c.probs_scaled)),
        std: Math.max(Math.abs(ru.std / c.std_unscaled - 1), Math.abs(rs.std / c.std_scaled - 1)),
        isF32: pu instanceof Float32Array,
      };
      ru.free();
      rs.free();
      return result;
    });
  }, reference.experiments);
  expect(errors.length).toBeGreaterThanOrEqual(5);
  for (const e of errors) {
    expect(e.shape).toEqual(e.want);
    const t = e.want[0];
    expect(e.lengths).toEqual([t * t, t * t, t * e.want[1], t * t]);
    expect(e.probs).toBeLessThanOrEqual(1e-5);
    expect(e.std).toBeLessThanOrEqual(1e-4);
    expect(e.isF32).toBe(true);
  }
});

test('X is NumPy randn rounded to float32, and scores are its Gram matrix', async ({ page }) => {
  await engine(page);
  const want = reference.randn.find((c) => c.seed === 42 && c.shape[0] === 10 && c.shape[1] === 16);
  const out = await page.evaluate(async () => {
    const wasm = await import('./pkg/attention_wasm.js');
    const explorer = new wasm.Explorer();
    explorer.run(10, 16, 42);
    return {
      x: Array.from(explorer.q()),
      s: Array.from(explorer.scores(wasm.Panel.Unscaled)),
      k: Array.from(explorer.scores(wasm.Panel.Scaled)),
    };
  });
  out.x.forEach((v, i) => expect(v).toBe(Math.fround(want.values[i])));
  for (let i = 0; i < 10; i += 1) {
    for (let j = 0; j < 10; j += 1) {
      let dot = 0;
      for (let d = 0; d < 16; d += 1) dot += want.values[i * 16 + d] * want.values[j * 16 + d];
      expect(Math.abs(out.s[i * 10 + j] - dot)).toBeLessThan(1e-4 * Math.max(1, Math.abs(dot)));
      expect(Math.abs(out.k[i * 10 + j] - dot / 4)).toBeLessThan(1e-4 * Math.max(1, Math.abs(dot)));
    }
  }
});

test('the engine accepts every mode name the page uses, and rejects others', async ({ page }) => {
  await engine(page);
  const out = await page.evaluate(async () => {
    const wasm = await import('./pkg/attention_wasm.js');
    const { PARAMS } = await import('./state.js');
    const explorer = new wasm.Explorer();
    const base = { qk: 'self', columns: 'fresh', score: 'dot', scale: 'sqrt', scaleFactor: NaN, tau: 1, softmax: 'stable', precision: 'f32' };
    const attempt = (modes) => {
      try {
        explorer.configure(modes);
        explorer.run(6, 8, 1);
        return 'ok';
      } catch (e) {
        return e.message;
      }
    };
    const accepted = [];
    for (const name of ['qk', 'score', 'scale', 'softmax', 'precision', 'dist', 'qknorm', 'mask', 'fill']) {
      // SSMax takes its s as the factor, as the page's modesOf passes it.
      for (const value of PARAMS[name].choices) accepted.push([name, value, attempt({ ...base, [name]: value, ...(value === 'ssmax' ? { scaleFactor: 1 } : {}) })]);
    }
    for (const value of [PARAMS.ssmax_s.min, PARAMS.ssmax_s.max]) accepted.push(['ssmax_s', String(value), attempt({ ...base, scale: 'ssmax', scaleFactor: value })]);
    // Padding up to T (6 here): all of it.
    for (const value of [PARAMS.pad.min, 6]) accepted.push(['pad', String(value), attempt({ ...base, mask: 'causal', pad: value })]);
    for (const value of PARAMS.x.choices) accepted.push(['x', value, attempt({ ...base, columns: value })]);
    accepted.push(['scale', 'custom', attempt({ ...base, scale: 'custom', scaleFactor: PARAMS.scale.min })]);
    accepted.push(['tau', String(PARAMS.tau.min), attempt({ ...base, tau: PARAMS.tau.min })]);
    // The inputs' whole ranges, as the page's modesOf passes them.
    for (const name of ['sigma', 'mu', 'rho']) {
      for (const value of [PARAMS[name].min, PARAMS[name].max]) accepted.push([name, String(value), attempt({ ...base, qk: 'independent', [name]: value })]);
    }
    for (const value of PARAMS.ln.choices) accepted.push(['ln', value, attempt({ ...base, ln: value === '1' })]);
    for (const [name, option] of [['g', 'gain'], ['cap', 'cap']]) {
      for (const value of [PARAMS[name].min, PARAMS[name].max, PARAMS[name].off ?? PARAMS[name].min]) {
        accepted.push([name, String(value), attempt({ ...base, [option]: value })]);
      }
    }
    const rejected = [
      attempt({ ...base, qk: 'both' }),
      attempt({ ...base, scale: 'custom', scaleFactor: 0 }),
      attempt({ ...base, scale: '0.5' }),
      attempt({ ...base, tau: 0 }),
      attempt({ ...base, precision: 'f64' }),
      attempt({ ...base, columns: 'all' }),
      attempt({ ...base, tau: '1' }),
      attempt('bf16'),
      attempt({ ...base, dist: 'cauchy' }),
      attempt({ ...base, sigma: 0 }),
      attempt({ ...base, rho: 1.5 }),
      attempt({ ...base, ln: 1 }),
      attempt({ ...base, qknorm: 'rms' }),
      attempt({ ...base, gain: 0 }),
      attempt({ ...base, cap: -1 }),
      attempt({ ...base, mask: 'sliding' }),
      attempt({ ...base, fill: 'zero' }),
      attempt({ ...base, pad: 2.5 }),
      attempt({ ...base, mask: 'padding', pad: 7 }),
      attempt({ ...base, scale: 'ssmax', scaleFactor: 0 }),
    ];
    return { accepted, rejected };
  });
  for (const [name, value, result] of out.accepted) expect(result, `${name}=${value}`).toBe('ok');
  expect(out.rejected).toEqual([
    'unknown Q/K source `both` (expected one of self, independent)',
    'a custom scale must be a positive number',
    'unknown scale `0.5` (expected one of sqrt, dk, none, custom, ssmax)',
    'temperature must be a positive finite number',
    'unknown precision `f64` (expected one of f32, bf16, f16)',
    'unknown columns `all` (expected one of fresh, keep)',
    'configure: tau must be a number',
    "configure takes an options object, such as { precision: 'bf16' }",
    'unknown distribution `cauchy` (expected one of normal, uniform, rademacher)',
    'sigma must be positive and finite, mu finite, and rho from 0 to 1',
    'sigma must be positive and finite, mu finite, and rho from 0 to 1',
    'configure: ln must be true or false',
    'unknown QK-norm `rms` (expected one of none, l2, layernorm)',
    'the gain must be positive and finite, and the cap 0 (none) or at least 0.001',
    'the gain must be positive and finite, and the cap 0 (none) or at least 0.001',
    'unknown mask `sliding` (expected one of none, causal, padding)',
    'unknown mask fill `zero` (expected one of sdpa, inf, min)',
    'pad must be a whole number of keys, at most T',
    'at most T = 6 keys can be padding, got 7',
    "SSMax's s must be a positive number",
  ]);
});

test('every mode, the inputs, logit controls, masks and SSMax included, returns NumPy results through the boundary', async ({ page }) => {
  await engine(page);
  const worst = await page.evaluate(async (cases) => {
    const wasm = await import('./pkg/attention_wasm.js');
    const explorer = new wasm.Explorer();
    // NumPy's null is NaN (a row that sees no key under the −∞ fill): equal only to NaN.
    const off = (got, want) => (want === null ? (Number.isNaN(got) ? 0 : Infinity) : Math.abs(got - want));
    return cases.map((c) => {
      const named = ['sqrt', 'dk', 'none', 'ssmax'].includes(c.scale);
      explorer.configure({
        qk: c.qk, columns: c.columns, score: c.score, scale: named ? c.scale : 'custom', scaleFactor: c.scale === 'ssmax' ? c.ssmax_s ?? 1 : Number(c.scale),
        tau: c.tau, softmax: 'stable', precision: 'f32',
        dist: c.dist ?? 'normal', sigma: c.sigma ?? 1, mu: c.mu ?? 0, ln: c.ln ?? false, rho: c.rho ?? 0,
        qknorm: c.qknorm ?? 'none', gain: c.g ?? 1, cap: c.cap ?? 0,
        mask: c.mask ?? 'none', pad: c.pad ?? 0, fill: c.fill ?? 'sdpa',
      });
      explorer.run(c.tokens, c.d_k, c.seed);
      const report = explorer.report(wasm.Panel.Scaled);
      // Copies: probabilityRow below allocates, which may grow the memory the views are of.
      const probs = explorer.probabilities(wasm.Panel.Scaled).slice();
      const grads = explorer.rowGradients(wasm.Panel.Scaled).slice();
      // One row at a time, as the row chart reads them.
      const rows = Array.from({ length: c.tokens }, (_, r) => Array.from(explorer.probabilityRow(wasm.Panel.Scaled, r))).flat();
      const out = {
        probs: Math.max(...c.scaled.probs.map((w, i) => off(probs[i], w))),
        rows: rows.length === c.scaled.probs.length ? Math.max(...c.scaled.probs.map((w, i) => off(rows[i], w))) : Infinity,
        grads: Math.max(...c.scaled.row_gradients.map((w, i) => off(grads[i], w))),
        std: c.scaled.std === null ? off(report.std, null) : Math.abs(report.std / c.scaled.std - 1),
        gradient: off(report.gradientMean, c.scaled.gradient_mean),
        entropy: off(report.entropyMean, c.scaled.entropy_mean),
        empty: report.emptyRows - (c.scaled.empty_rows ?? 0),
      };
      report.free();
      return out;
    });
  }, reference.modes);
  expect(worst.length).toBeGreaterThanOrEqual(24);
  expect(reference.modes.filter((c) => c.dist || c.ln || c.rho || c.mu || c.sigma).length).toBeGreaterThanOrEqual(11);
  expect(reference.modes.filter((c) => c.mask || c.scale === 'ssmax').length).toBeGreaterThanOrEqual(9);
  for (const w of worst) {
    expect(w.empty).toBe(0);
    expect(w.probs).toBeLessThanOrEqual(1e-5);
    expect(w.rows).toBeLessThanOrEqual(1e-5);
    expect(w.grads).toBeLessThanOrEqual(1e-5);
    expect(w.std).toBeLessThanOrEqual(1e-4);
    expect(w.gradient).toBeLessThanOrEqual(1e-4);
    expect(w.entropy).toBeLessThanOrEqual(1e-4);
  }
});

test('bad arguments throw readable errors and keep the last result', async ({ page }) => {
  await engine(page);
  const out = await page.evaluate(async () => {
    const wasm = await import('./pkg/attention_wasm.js');
    const explorer = new wasm.Explorer();
    explorer.run(10, 16, 42);
    const attempt = (call) => {
      try {
        call();
        return 'no error';
      } catch (e) {
        return `${e.constructor.name}: ${e.message}`;
      }
    };
    const messages = [
      ...[[0, 16, 1], [10, 0, 1], [5000, 16, 1]].map((args) => attempt(() => explorer.run(...args))),
      attempt(() => explorer.probabilityRow(wasm.Panel.Scaled, 10)),
      attempt(() => explorer.cell(0, 10)),
    ];
    return { messages, kept: [explorer.tokens, explorer.dK, explorer.seed] };
  });
  expect(out.messages[0]).toBe('Error: T must be between 1 and 4096, got 0');
  expect(out.messages[1]).toBe('Error: d_k must be between 1 and 65536, got 0');
  expect(out.messages[2]).toBe('Error: T must be between 1 and 4096, got 5000');
  expect(out.messages[3]).toBe('Error: row 10 is outside the 10 × 10 matrix');
  expect(out.messages[4]).toBe('Error: cell (0, 10) is outside the 10 × 10 matrix');
  expect(out.kept).toEqual([10, 16, 42]);
});

test('paint sizes the canvas to T x T and paints viridis of each probability', async ({ page }) => {
  await engine(page);
  const out = await page.evaluate(async () => {
    const wasm = await import('./pkg/attention_wasm.js');
    const explorer = new wasm.Explorer();
    explorer.run(5, 8, 3);
    const [a, b] = [document.createElement('canvas'), document.createElement('canvas')];
    explorer.paint(a.getContext('2d'), b.getContext('2d'));
    const data = Array.from(b.getContext('2d', { willReadFrequently: true }).getImageData(0, 0, 5, 5).data);
    const seeds = [wasm.randomSeed(), wasm.randomSeed(), wasm.randomSeed()];
    return { size: [a.width, a.height, b.width, b.height], data, probs: Array.from(explorer.probabilities(wasm.Panel.Scaled)), seeds };
  });
  expect(out.size).toEqual([5, 5, 5, 5]);
  out.probs.forEach((p, i) => expect(out.data.slice(i * 4, i * 4 + 4)).toEqual([...viridis[viridisIndex(p)], 255]));
  for (const s of out.seeds) expect(Number.isInteger(s) && s >= 0 && s <= 4294967295).toBe(true);
  expect(new Set(out.seeds).size).toBe(3);
});

test('no sequence of calls from JavaScript traps the engine: 3,000 random calls, hostile arguments included', async ({ page }) => {
  test.setTimeout(60_000);
  await engine(page);
  const outcome = await page.evaluate(async () => {
    const wasm = await import('./pkg/attention_wasm.js');
    // mulberry32: the same sequence on every run, so a failure can be replayed.
    let a = 20261130;
    const random = () => {
      a = (a + 0x6d2b79f5) | 0;
      let t = Math.imul(a ^ (a >>> 15), 1 | a);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const pick = (list) => list[Math.floor(random() * list.length)];
    const sizes = [0, 1, 2, 3, 10, 24, 4096, 4097, 65536, 2 ** 31, 2 ** 32 - 1];
    const small = [0, 1, 2, 7, 10, 16, 2 ** 32 - 1];
    const names = ['self', 'independent', 'dot', 'cosine', 'sqrt', 'dk', 'none', 'custom', 'stable', 'naive', 'f32', 'bf16', 'f16', 'fresh', 'keep', 'viridis', 'grey', 'linear', 'row', 'log', '', 'x'.repeat(500), '\u202e', 'NaN'];
    const numbers = [NaN, -1, 0, 0.05, 1, 3, 1e308, Infinity, -Infinity];
    const panel = () => pick([wasm.Panel.Unscaled, wasm.Panel.Scaled]);
    const canvas = () => document.createElement('canvas').getContext('2d');
    const explorer = new wasm.Explorer();
    let curves = null;
    const calls = [
      () => explorer.configure({ qk: pick(names), columns: pick(names), score: pick(names), scale: pick(names), scaleFactor: pick(numbers), tau: pick(numbers), softmax: pick(names), precision: pick(names) }),
      () => explorer.configure({ dist: pick([...names, 'uniform', 'rademacher', 'normal']), sigma: pick(numbers), mu: pick(numbers), ln: pick([true, false, 1, 'yes']), rho: pick(numbers) }),
      () => explorer.configure(pick([{ precision: pick(names) }, { tau: pick(numbers) }, { tau: pick(names) }, pick(names), null, undefined, 7, []])),
      () => explorer.setShading(pick(names)),
      () => explorer.setColormap(pick(names)),
      () => explorer.setTokens(Array.from({ length: pick([0, 1, 2, 3, 10]) }, () => pick(names))),
      () => explorer.run(pick(small), pick(small), pick(sizes)),
      () => explorer.run(4096, 65536, 1), // more memory than the engine allows
      () => explorer.start(pick(small), pick(small), pick(sizes)),
      () => explorer.advance(pick([0, 1, 1000, 1e6, Infinity, NaN, -5])),
      () => explorer.report(panel()).free(),
      () => explorer.q().slice(),
      () => explorer.k().slice(),
      () => explorer.scores(panel()).slice(),
      () => explorer.probabilities(panel()).slice(),
      () => explorer.rowGradients(panel()).slice(),
      () => explorer.probabilityRow(panel(), pick(sizes)),
      () => explorer.cell(pick(sizes), pick(sizes)),
      () => explorer.histogram(panel(), pick(sizes)).free(),
      () => explorer.paint(canvas(), canvas()),
      () => explorer.paintNanHatch(panel(), canvas()),
      () => explorer.paintGradientBars(panel(), canvas(), pick(sizes), pick(sizes)),
      () => explorer.paintColorBar(canvas(), pick(sizes)),
      () => [explorer.progress, explorer.workLeft, explorer.tokens, explorer.dK, explorer.seed, explorer.scaleFactor, explorer.effectiveScale, explorer.sqrtDk, explorer.unscaledStdPerRootDk],
      () => {
        curves?.free();
        curves = null;
        curves = new wasm.Curves(explorer, pick(small), pick(sizes), Array.from({ length: pick([0, 1, 3]) }, () => pick(small)), pick(sizes));
      },
      () => curves?.advance(pick([0, 1, 2 ** 32 - 1])),
      () => wasm.normalSample(pick(sizes), pick(sizes)),
    ];
    const traps = [];
    let errors = 0;
    for (let i = 0; i < 3000; i += 1) {
      const which = Math.floor(random() * calls.length);
      try {
        calls[which]();
      } catch (error) {
        errors += 1;
        if (error instanceof WebAssembly.RuntimeError || !(error instanceof Error) || /unreachable/.test(error.message)) {
          traps.push(`call ${i} (#${which}): ${error}`);
          break;
        }
      }
    }
    // Still alive: the notebook's view, exactly.
    explorer.configure({ qk: 'self', columns: 'fresh', score: 'dot', scale: 'sqrt', tau: 1, softmax: 'stable', precision: 'f32' });
    explorer.setTokens([]);
    explorer.run(10, 16, 42);
    const probs = explorer.probabilities(wasm.Panel.Scaled).slice();
    return { traps, errors, probs: Array.from(probs) };
  });
  expect(outcome.traps).toEqual([]);
  expect(outcome.errors).toBeGreaterThan(100); // the hostile calls were refused, with messages
  const want = reference.experiments.find((c) => c.seed === 42 && c.tokens === 10 && c.d_k === 16).probs_scaled;
  outcome.probs.forEach((p, i) => expect(Math.abs(p - want[i])).toBeLessThanOrEqual(1e-5));
});
