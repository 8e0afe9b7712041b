// The JavaScript/WebAssembly boundary: the engine's exports, called directly
// in Chromium, return what the core computes (checked against NumPy and the
// cross-target pin), and reject bad input with a readable error.
import { test, expect, reference, determinism, viridis, viridisIndex } from './helpers.mjs';

async function engine(page) {
  await page.goto('./?dk=16');
  await page.waitForFunction(() => document.querySelector('#app:not(.loading)'));
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

test('Explorer returns NumPy results for every reference case', async ({ page }) => {
  await engine(page);
  const errors = await page.evaluate(async (cases) => {
    const wasm = await import('./pkg/attention_wasm.js');
    const explorer = new wasm.Explorer();
    return cases.map((c) => {
      explorer.run(c.tokens, c.d_k, c.seed);
      const worst = (got, want) => Math.max(...want.map((w, i) => Math.abs(got[i] - w)));
      const pu = explorer.probabilitiesUnscaled();
      const ps = explorer.probabilitiesScaled();
      return {
        shape: [explorer.tokens, explorer.dK, explorer.seed],
        want: [c.tokens, c.d_k, c.seed],
        lengths: [pu.length, ps.length, explorer.x().length, explorer.scoresScaled().length],
        probs: Math.max(worst(pu, c.probs_unscaled), worst(ps, c.probs_scaled)),
        std: Math.max(
          Math.abs(explorer.stdUnscaled / c.std_unscaled - 1),
          Math.abs(explorer.stdScaled / c.std_scaled - 1),
        ),
        isF32: pu instanceof Float32Array,
      };
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
    return { x: Array.from(explorer.x()), s: Array.from(explorer.scoresUnscaled()), k: Array.from(explorer.scoresScaled()) };
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

test('bad arguments throw readable errors and keep the last result', async ({ page }) => {
  await engine(page);
  const out = await page.evaluate(async () => {
    const wasm = await import('./pkg/attention_wasm.js');
    const explorer = new wasm.Explorer();
    explorer.run(10, 16, 42);
    const messages = [];
    for (const args of [[0, 16, 1], [10, 0, 1], [5000, 16, 1]]) {
      try {
        explorer.run(...args);
        messages.push('no error');
      } catch (e) {
        messages.push(`${e.constructor.name}: ${e.message}`);
      }
    }
    return { messages, kept: [explorer.tokens, explorer.dK, explorer.seed] };
  });
  expect(out.messages[0]).toBe('Error: T must be between 1 and 4096, got 0');
  expect(out.messages[1]).toBe('Error: d_k must be between 1 and 65536, got 0');
  expect(out.messages[2]).toBe('Error: T must be between 1 and 4096, got 5000');
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
    const data = Array.from(b.getContext('2d').getImageData(0, 0, 5, 5).data);
    const seeds = [wasm.randomSeed(), wasm.randomSeed(), wasm.randomSeed()];
    return { size: [a.width, a.height, b.width, b.height], data, probs: Array.from(explorer.probabilitiesScaled()), seeds };
  });
  expect(out.size).toEqual([5, 5, 5, 5]);
  out.probs.forEach((p, i) => expect(out.data.slice(i * 4, i * 4 + 4)).toEqual([...viridis[viridisIndex(p)], 255]));
  for (const s of out.seeds) expect(Number.isInteger(s) && s >= 0 && s <= 4294967295).toBe(true);
  expect(new Set(out.seeds).size).toBe(3);
});
