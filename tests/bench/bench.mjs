// `cargo xtask bench` runs this against the built site (BASE_URL). It prints
// numbers and writes target/bench.json; it asserts nothing.
//
// Timer resolution: Chromium coarsens performance.now() on pages that are not
// cross-origin isolated (to 100 µs), far coarser than one step at T = 10. So
// steps are timed in batches of BATCH, and the statistics are over the
// per-step means of the batches.
import { chromium } from '@playwright/test';
import { gzipSync } from 'node:zlib';
import { cpus } from 'node:os';
import { mkdirSync, writeFileSync } from 'node:fs';
import { timeKernel, timeTfjs } from './peers.mjs';
import { splitRunTimes } from './page-scripts.mjs';

const BASE_URL = process.env.BASE_URL;
const BATCH = 50;
const BATCHES = 60;
const CASES = [
  { t: 10, dk: 16 },
  { t: 10, dk: 256 },
  { t: 64, dk: 256 },
  { t: 512, dk: 512 },
];
// Steps of many milliseconds are timed one by one (the timer's 100 µs is fine there).
const batchOf = (t) => (t >= 256 ? 1 : BATCH);

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
});

function stats(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { median: at(0.5), p95: at(0.95), min: sorted[0], max: sorted[sorted.length - 1] };
}

// 1. Transfer size: gzip of every response the page loads.
const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
const loaded = [];
page.on('response', async (response) => {
  try {
    const url = response.url().replace(BASE_URL, '');
    if (loaded.some((f) => f.url === url)) return;
    const body = await response.body();
    if (loaded.some((f) => f.url === url)) return;
    loaded.push({ url, raw: body.length, gz: gzipSync(body, { level: 9 }).length, deferred: false });
  } catch {
    // Redirects and aborted requests have no body.
  }
});
await page.goto(BASE_URL);
// Which requests started after the first paint, by the page's own clock
// (resource timing), so the modules prefetched when idle count as "later"
// however quickly the idle callback comes.
const firstPaint = async () => {
  await document.querySelector('attention-explorer').ready;
  return performance.getEntriesByName('attention-explorer:ready')[0].startTime;
};
const paintedAt = await page.evaluate(firstPaint);
await page.waitForTimeout(1500); // the modules fetched when idle
const started = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => [e.name, e.startTime]));
for (const [name, start] of started) {
  const file = loaded.find((f) => f.url === name.replace(BASE_URL, ''));
  if (file) file.deferred = start > paintedAt;
}

// 2. One slider step: compute + paint both heatmaps + readouts, in the page's own code.
const steps = [];
for (const { t, dk } of CASES) {
  const perStep = await page.evaluate(
    async ({ t, dk, batch, batches }) => {
      const element = await document.querySelector('attention-explorer').ready;
      element.t = t;
      const out = [];
      for (let b = 0; b < batches + 5; b += 1) {
        const start = performance.now();
        for (let i = 0; i < batch; i += 1) {
          // Alternate between two neighbouring d_k, as a drag does (the
          // view skips the engine when nothing it depends on changed).
          element.dk = (b * batch + i) % 2 ? dk : dk - 4;
          element.renderNow();
        }
        if (b >= 5) out.push((performance.now() - start) / batch);
      }
      return out;
    },
    { t, dk, batch: batchOf(t), batches: BATCHES },
  );
  steps.push({ t, dk, ...stats(perStep) });
}

// The same step with the curves section open: its histograms and the row
// chart are redrawn after every step (the sweep itself runs between frames).
const CURVES_CASES = [
  { t: 64, dk: 256 },
  { t: 512, dk: 512 },
  { t: 1024, dk: 1024 },
];
// A page of its own: the sweep keeps running between frames after the steps.
const curvesPage = await browser.newPage({ viewport: { width: 1200, height: 900 } });
await curvesPage.goto(BASE_URL);
const curvesSteps = [];
for (const { t, dk } of CURVES_CASES) {
  const perStep = await curvesPage.evaluate(
    async ({ t, dk, steps }) => {
      const element = await document.querySelector('attention-explorer').ready;
      const details = element.shadowRoot.querySelector('#curves');
      if (!details.open) {
        details.open = true;
        element.renderNow();
        // Until its module has loaded and started the sweep (it reports progress).
        const started = () => element.shadowRoot.querySelector('[data-testid="sweep-progress"]').textContent;
        while (!started()) await new Promise((r) => setTimeout(r, 20));
      }
      element.t = t;
      element.dk = dk;
      element.renderNow();
      const out = [];
      for (let i = 0; i < steps + 3; i += 1) {
        const start = performance.now();
        element.dk = i % 2 ? dk : dk - 4;
        element.renderNow();
        if (i >= 3) out.push(performance.now() - start);
      }
      return out;
    },
    { t, dk, steps: t >= 1024 ? 20 : 40 },
  );
  curvesSteps.push({ t, dk, ...stats(perStep) });
}
await curvesPage.close();

// The largest sizes, as a visitor meets them: a new seed at T = 1024, d_k =
// 4096 (every normal drawn afresh) is computed in the worker while the page paints.
// Recorded: every animation frame's timestamp until the result is painted.
const LARGE = [
  { label: 'Q = K, float32', t: 1024, dk: 4096, values: {} },
  { label: 'independent Q, K, float32', t: 1024, dk: 4096, values: { qk: 'independent' } },
  { label: 'Q = K, bfloat16', t: 1024, dk: 1024, values: { precision: 'bf16' } },
  { label: 'Q = K, float16', t: 1024, dk: 4096, values: { precision: 'f16' } },
];
const large = [];
for (const [i, run] of LARGE.entries()) {
  const fresh = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  await fresh.goto(`${BASE_URL}?dk=16&seed=${1000 + i}`);
  await fresh.evaluate(() => document.querySelector('attention-explorer').ready);
  const out = await fresh.evaluate(async ({ t, dk, values }) => {
    const element = document.querySelector('attention-explorer');
    const computing = element.shadowRoot.querySelector('[data-testid="computing"]');
    Object.assign(element, values);
    element.renderNow();
    const stamps = [performance.now()];
    element.t = t;
    element.dk = dk;
    let seen = false;
    for (;;) {
      stamps.push(await new Promise((resolve) => requestAnimationFrame(resolve)));
      seen ||= !computing.hidden;
      if (seen && computing.hidden) break;
    }
    // The frame after the last slice shows the result; wait for it too.
    stamps.push(await new Promise((resolve) => requestAnimationFrame(resolve)));
    const gaps = stamps.slice(1).map((s, k) => s - stamps[k]);
    return { total: stamps.at(-1) - stamps[0], frames: gaps.length, maxGap: Math.max(...gaps), gaps };
  }, run);
  large.push({ label: run.label, t: run.t, dk: run.dk, ...out });
  await fresh.close();
}

// A drag at T = 1024, d_k around 1024: a new d_k every frame for 3 s (60
// per second, as a pointer sends them); how often a result is painted.
const dragOn = async (query) => {
  const fresh = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  await fresh.goto(`${BASE_URL}?t=1024&dk=1024${query}`);
  await fresh.evaluate(() => document.querySelector('attention-explorer').ready);
  const out = await fresh.evaluate(async () => {
    const element = document.querySelector('attention-explorer');
    const paints = [];
    element.addEventListener('change', () => paints.push(performance.now()));
    // The main thread's longest tasks and frames while dragging.
    const tasks = [];
    const observer = new PerformanceObserver((list) => tasks.push(...list.getEntries().map((e) => e.duration)));
    observer.observe({ type: 'longtask' });
    const frames = [];
    let dragging = true;
    const frame = (time) => {
      frames.push(time);
      if (dragging) requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
    const start = performance.now();
    let i = 0;
    await new Promise((resolve) => {
      const timer = setInterval(() => {
        i += 1;
        element.dk = 1024 - 4 * (i % 200);
        if (performance.now() - start > 3000) {
          clearInterval(timer);
          resolve();
        }
      }, 1000 / 60);
    });
    dragging = false;
    observer.disconnect();
    const gaps = paints.slice(1).map((p, k) => p - paints[k]);
    const frameGaps = frames.slice(1).map((f, k) => f - frames[k]);
    return {
      inputs: i,
      paints: paints.length,
      seconds: (performance.now() - start) / 1000,
      maxGap: Math.max(...gaps),
      longestTask: Math.max(0, ...tasks),
      longTasks: tasks.length,
      longestFrameGap: Math.max(...frameGaps),
    };
  });
  await fresh.close();
  return out;
};
const drag = await dragOn('');
// The inputs modes make the rows in one step of a run: it stays in the worker.
const dragInputs = await dragOn('&qk=independent&dist=uniform&rho=0.5&ln=1');
const dragMain = await dragOn('&engine=main');

// Several workers: time from a new d_k to its painted result at T = 1024,
// d_k = 4096 (the same seed: every normal already drawn), one worker
// against a run split over two (?workers=n), interleaved.
const split = { one: [], two: [] };
for (let round = 0; round < 2; round += 1) {
  split.one.push(...(await splitRunTimes(browser, BASE_URL, 1)));
  split.two.push(...(await splitRunTimes(browser, BASE_URL, 2)));
}
const splitStats = { one: stats(split.one), two: stats(split.two) };

// Memory: the engine's linear memory after 100 and after 10,000 slider steps
// (all sizes of the slider, both panels painted each step).
const memory = await page.evaluate(async () => {
  const element = await document.querySelector('attention-explorer').ready;
  const wasm = await (await import('./pkg/attention_wasm.js')).default();
  const steps = (n) => {
    for (let i = 0; i < n; i += 1) {
      element.dk = 4 + 4 * (i % 64);
      element.renderNow();
    }
    return wasm.memory.buffer.byteLength;
  };
  element.t = 10;
  return { after100: steps(100), after10000: steps(9900) };
});

// Engine vs plain JavaScript on the same X (Q = K = X), workload: scores,
// scaled scores, both stable softmaxes and both stds. The engine's run does
// more (saturation metrics, diagonal split) and still has to win. Results
// are checked against each other before timing.
const KERNELS = [[10, 16], [10, 256], [64, 256], [256, 256], [512, 512], [1024, 1024]];
const kernels = [];
for (const [t, dk] of KERNELS) {
  const out = await page.evaluate(async ([t, dk]) => {
    const wasm = await import('./pkg/attention_wasm.js');
    const explorer = new wasm.Explorer();
    explorer.run(t, dk, 42);
    const x = explorer.q().slice(); // a copy: later runs reuse the engine's buffers
    function plain() {
      const s = new Float32Array(t * t);
      for (let i = 0; i < t; i += 1) {
        for (let j = 0; j < t; j += 1) {
          let acc = 0;
          for (let d = 0; d < dk; d += 1) acc += x[i * dk + d] * x[j * dk + d];
          s[i * t + j] = acc;
        }
      }
      const inv = 1 / Math.sqrt(dk);
      const scaled = s.map((v) => v * inv);
      const soft = (m) => {
        const p = new Float32Array(t * t);
        for (let i = 0; i < t; i += 1) {
          let max = -Infinity;
          for (let j = 0; j < t; j += 1) max = Math.max(max, m[i * t + j]);
          let sum = 0;
          for (let j = 0; j < t; j += 1) sum += p[i * t + j] = Math.exp(m[i * t + j] - max);
          for (let j = 0; j < t; j += 1) p[i * t + j] /= sum;
        }
        return p;
      };
      const std = (m) => {
        let mean = 0;
        for (const v of m) mean += v;
        mean /= m.length;
        let sq = 0;
        for (const v of m) sq += (v - mean) ** 2;
        return Math.sqrt(sq / m.length);
      };
      return { pu: soft(s), ps: soft(scaled), su: std(s), ss: std(scaled) };
    }
    const check = plain();
    const ours = explorer.probabilities(wasm.Panel.Scaled);
    let worst = 0;
    ours.forEach((v, i) => {
      worst = Math.max(worst, Math.abs(v - check.ps[i]));
    });
    const time = (fn) => {
      const reps = Math.max(3, Math.min(200, Math.round(2e8 / (t * t * dk))));
      const out = [];
      for (let r = 0; r < reps + 2; r += 1) {
        const start = performance.now();
        const inner = t <= 64 ? 50 : 1;
        for (let k = 0; k < inner; k += 1) fn();
        if (r >= 2) out.push((performance.now() - start) / inner);
      }
      return out;
    };
    const engine = time(() => explorer.run(t, dk, 42));
    const js = time(plain);
    explorer.free();
    return { worst, engine, js };
  }, [t, dk]);
  kernels.push({ t, dk, worst: out.worst, engine: stats(out.engine), js: stats(out.js) });
}

const tfInfo = await timeTfjs(browser, BASE_URL, kernels, stats);
const kernelOnly = await timeKernel(page, KERNELS.filter(([t]) => t >= 64));

// 3. Monte-Carlo sweeps (the curves panel), pure engine time, whole sweep at once.
const SWEEPS = [
  { label: 'defaults: d_k 4..256 step 4 x 32 trials, T = 10', maxDk: 256, trials: 32, repeats: 9 },
  { label: 'd_k 4..1024 step 4 x 64 trials, T = 10', maxDk: 1024, trials: 64, repeats: 3 },
];
const sweeps = [];
for (const sweep of SWEEPS) {
  const times = await page.evaluate(async ({ maxDk, trials, repeats }) => {
    const wasm = await import('./pkg/attention_wasm.js');
    const explorer = new wasm.Explorer();
    const dims = [];
    for (let d = 4; d <= maxDk; d += 4) dims.push(d);
    const out = [];
    for (let r = 0; r < repeats; r += 1) {
      const curves = new wasm.Curves(explorer, 10, 42 + r, Uint32Array.from(dims), trials);
      const start = performance.now();
      curves.advance(1e9);
      out.push(performance.now() - start);
      curves.free();
    }
    explorer.free();
    return out;
  }, sweep);
  sweeps.push({ label: sweep.label, ...stats(times) });
}

// 4. Cold load: navigation start to the first painted heatmaps, fresh page
// each time, interleaved with the same load forced onto the main thread
// (?engine=main: no worker), which must not be faster.
const cold = [];
const coldMain = [];
for (let i = 0; i < 7; i += 1) {
  for (const [times, query] of [[cold, ''], [coldMain, '?engine=main']]) {
    const fresh = await browser.newPage();
    await fresh.goto(`${BASE_URL}${query}`);
    times.push(await fresh.evaluate(firstPaint));
    await fresh.close();
  }
}
await browser.close();

const fmt = (ms) => ms.toFixed(3).padStart(8);
console.log(`\none slider step (compute + paint both heatmaps + readouts), headless Chromium, ${BATCHES} batches of ${BATCH} (of 1 from T = 256):`);
console.log('     T    d_k   median ms    p95 ms');
for (const s of steps) console.log(`${String(s.t).padStart(6)} ${String(s.dk).padStart(6)}  ${fmt(s.median)}  ${fmt(s.p95)}`);
console.log('\nthe same step with the curves section open (histograms and the row chart redrawn too), one by one:');
console.log('     T    d_k   median ms    p95 ms');
for (const s of curvesSteps) console.log(`${String(s.t).padStart(6)} ${String(s.dk).padStart(6)}  ${fmt(s.median)}  ${fmt(s.p95)}`);
console.log('\nlargest sizes, new seed (all normals drawn afresh), computed in the background (worker):');
for (const l of large) {
  console.log(`  T ${l.t}, d_k ${l.dk}, ${l.label}: painted after ${l.total.toFixed(0)} ms, ${l.frames} frames, longest frame gap ${l.maxGap.toFixed(1)} ms`);
}
for (const [name, d] of [['worker', drag], ['worker, uniform inputs, ρ = 0.5, LayerNorm, independent Q, K', dragInputs], ['main thread only', dragMain]]) {
  console.log(
    `  dragging d_k at T 1024, ${name} (d_k ~1024, ${d.inputs} inputs in ${d.seconds.toFixed(1)} s): ${d.paints} results painted ` +
      `(${(d.paints / d.seconds).toFixed(1)} per s), longest wait between two ${d.maxGap.toFixed(0)} ms; ` +
      `main thread: longest task ${d.longestTask.toFixed(0)} ms (${d.longTasks} over 50 ms), longest frame gap ${d.longestFrameGap.toFixed(0)} ms`,
  );
}
console.log(
  `  T 1024, d_k 4096, a new d_k to its painted result: one worker median ${splitStats.one.median.toFixed(0)} ms, ` +
    `split over two ${splitStats.two.median.toFixed(0)} ms (${(splitStats.one.median / splitStats.two.median).toFixed(2)}× faster; ${cpus().length} cores here)`,
);
console.log('\nengine vs plain JavaScript (Float32Array loops), same X, results checked first:');
console.log('     T    d_k  engine median / p95 ms  GFLOP/s   plain JS median / p95 ms  GFLOP/s   JS ÷ engine  max |Δp|');
for (const k of kernels) {
  const flops = 2 * k.t * k.t * k.dk;
  const g = (ms) => (flops / (ms * 1e6)).toFixed(2).padStart(7);
  console.log(
    `${String(k.t).padStart(6)} ${String(k.dk).padStart(6)}  ${fmt(k.engine.median)} / ${fmt(k.engine.p95)}  ${g(k.engine.median)}   ${fmt(k.js.median)} / ${fmt(k.js.p95)}  ${g(k.js.median)}   ${(k.js.median / k.engine.median).toFixed(2).padStart(8)}  ${k.worst.toExponential(1)}`,
  );
}
console.log(`\nTensorFlow.js ${tfInfo.version} (${tfInfo.backend} backend, SIMD, one thread), same workload, same X; three forms of X Xᵀ, median / p95 ms:`);
console.log('     T    d_k  matMul(x, x, false, true)  matMul(x, transpose(x))  transpose made once   best ÷ engine  max |Δp|');
for (const k of kernels) {
  const forms = ['transposeB', 'transposed', 'transposedOnce'].map((name) => k.tfjs[name]);
  const best = k.tfjs[k.tfjsBest];
  console.log(
    `${String(k.t).padStart(6)} ${String(k.dk).padStart(6)}  ${forms.map((f) => `${fmt(f.median)} / ${fmt(f.p95)}`).join('  ')}  ${(best.median / k.engine.median).toFixed(2).padStart(8)}    ${Math.max(...forms.map((f) => f.worst)).toExponential(1)}`,
  );
}
console.log(`\nthe score kernel alone (keys packed, upper triangle of X Xᵀ), against this module's multiply-add ceiling (simdPeak): ${kernelOnly.peak.toFixed(2)} G multiply-adds/s = ${(2 * kernelOnly.peak).toFixed(1)} GFLOP/s`);
console.log('     T    d_k   kernel ms   GFLOP/s (performed)   % of ceiling   cells ≠ engine');
for (const r of kernelOnly.rows) {
  const rate = r.multiplyAdds / (r.ms * 1e6);
  console.log(`${String(r.t).padStart(6)} ${String(r.dk).padStart(6)}  ${fmt(r.ms)}   ${(2 * rate).toFixed(1).padStart(10)}            ${((100 * rate) / kernelOnly.peak).toFixed(0).padStart(5)} %        ${r.mismatches}`);
}
console.log(`\nwasm memory: ${memory.after100} B after 100 steps, ${memory.after10000} B after 10,000 (growth ${memory.after10000 - memory.after100} B)`);
console.log('\nMonte-Carlo sweep (curves panel), engine time for the whole sweep:');
for (const s of sweeps) console.log(`  ${s.label}: median ${s.median.toFixed(1)} ms, max ${s.max.toFixed(1)} ms`);
const coldStats = stats(cold);
const coldMainStats = stats(coldMain);
console.log(`\ncold load to first painted heatmaps (127.0.0.1, 7 fresh pages): median ${coldStats.median.toFixed(1)} ms, max ${coldStats.max.toFixed(1)} ms`);
console.log(`  the same with every run on the main thread (?engine=main): median ${coldMainStats.median.toFixed(1)} ms, max ${coldMainStats.max.toFixed(1)} ms`);
console.log('\nwhat the page loads (bytes; "later" = fetched when idle after the first paint):');
let rawTotal = 0;
let gzTotal = 0;
let gzFirst = 0;
for (const f of loaded.sort((a, b) => b.gz - a.gz)) {
  rawTotal += f.raw;
  gzTotal += f.gz;
  if (!f.deferred) gzFirst += f.gz;
  console.log(`${String(f.raw).padStart(9)} raw ${String(f.gz).padStart(8)} gzip  ${f.url || '(index)'}${f.deferred ? '  (later)' : ''}`);
}
console.log(`${String(rawTotal).padStart(9)} raw ${String(gzTotal).padStart(8)} gzip  total (${(gzTotal / 1024).toFixed(1)} KiB gzip)`);
console.log(`                 ${String(gzFirst).padStart(8)} gzip  before the first paint (${(gzFirst / 1024).toFixed(1)} KiB gzip)`);

mkdirSync('target', { recursive: true });
writeFileSync('target/bench.json', JSON.stringify({ steps, curvesSteps, large, drag, dragInputs, dragMain, split: splitStats, kernels, memory, sweeps, cold: coldStats, coldMain: coldMainStats, kernelOnly, tfjs: tfInfo, files: loaded, total: { raw: rawTotal, gzip: gzTotal, gzipBeforeFirstPaint: gzFirst } }, null, 1));
console.log('\nwrote target/bench.json');
