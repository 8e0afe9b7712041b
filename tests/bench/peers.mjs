// The engine against its strongest peer and against the machine: TensorFlow.js
// in both of its call forms for X Xᵀ (the faster one is the comparison), and
// the score kernel alone against a multiply-add ceiling measured in the same
// WebAssembly module. Results are checked before anything is timed.
import { readFileSync } from 'node:fs';

const TFJS = 'node_modules/@tensorflow';

/** Runs `fn` `reps` times after two warm-ups (in batches of `inner` when one is shorter than the timer's step); ms per call. */
function timesInPage() {
  return `(fn, reps, inner) => {
    const out = [];
    for (let r = 0; r < reps + 2; r += 1) {
      const start = performance.now();
      for (let k = 0; k < inner; k += 1) fn();
      if (r >= 2) out.push((performance.now() - start) / inner);
    }
    return out;
  }`;
}

/**
 * TensorFlow.js 4.22 with its WebAssembly backend (SIMD, one thread: the page
 * is not cross-origin isolated) on the same X and workload as the engine's
 * run: scores, scaled scores, both softmaxes, both stds. Three forms of the
 * product: `matMul(x, x, false, true)` (transposeB, slow in 4.22),
 * `matMul(x, transpose(x))`, and the same with the transpose made once
 * outside the timing.
 * TF.js's UMD scripts are injected, so this page alone runs without the
 * site's CSP; its .wasm is served from node_modules, never from a CDN.
 */
export async function timeTfjs(browser, baseUrl, kernels, stats) {
  const page = await (await browser.newContext({ bypassCSP: true })).newPage();
  await page.route(`${baseUrl}tfjs/**`, (route) => {
    const name = new URL(route.request().url()).pathname.split('/').pop();
    route.fulfill({ body: readFileSync(`${TFJS}/tfjs-backend-wasm/dist/${name}`), headers: { 'content-type': 'application/wasm' } });
  });
  await page.goto(baseUrl);
  await page.evaluate(() => document.querySelector('attention-explorer').ready);
  await page.addScriptTag({ path: `${TFJS}/tfjs-core/dist/tf-core.min.js` });
  await page.addScriptTag({ path: `${TFJS}/tfjs-backend-wasm/dist/tf-backend-wasm.min.js` });
  const info = await page.evaluate(async () => {
    tf.wasm.setWasmPaths(`${location.origin}/tfjs/`);
    await tf.setBackend('wasm');
    await tf.ready();
    return { backend: tf.getBackend(), version: tf.version_core };
  });
  for (const k of kernels) {
    const out = await page.evaluate(
      async ([t, dk, timesSource]) => {
        const times = (0, eval)(timesSource);
        const wasm = await import('./pkg/attention_wasm.js');
        const explorer = new wasm.Explorer();
        explorer.run(t, dk, 42);
        const x = tf.tensor2d(explorer.q().slice(), [t, dk]);
        const inv = 1 / Math.sqrt(dk);
        // The last form leaves the transpose out of the timing: the peer's
        // best case, though a new d_k needs a new X and so a new transpose.
        const xt = tf.transpose(x);
        const forms = {
          transposeB: () => tf.matMul(x, x, false, true),
          transposed: () => tf.matMul(x, tf.transpose(x)),
          transposedOnce: () => tf.matMul(x, xt),
        };
        const ours = explorer.probabilities(wasm.Panel.Scaled).slice();
        const reps = Math.max(3, Math.min(200, Math.round(2e8 / (t * t * dk))));
        const result = {};
        for (const [name, product] of Object.entries(forms)) {
          const workload = () =>
            tf.tidy(() => {
              const s = product();
              const scaled = tf.mul(s, inv); // tfjs-core alone has no chained ops
              const pu = tf.softmax(s);
              const ps = tf.softmax(scaled);
              const su = tf.sqrt(tf.moments(s).variance);
              const ss = tf.sqrt(tf.moments(scaled).variance);
              return [pu.dataSync(), ps.dataSync(), su.dataSync()[0], ss.dataSync()[0]];
            });
          const [, ps] = workload();
          let worst = 0;
          ours.forEach((v, i) => {
            worst = Math.max(worst, Math.abs(v - ps[i]));
          });
          result[name] = { worst, times: times(workload, reps, t <= 64 ? 50 : 1) };
        }
        x.dispose();
        xt.dispose();
        explorer.free();
        return result;
      },
      [k.t, k.dk, timesInPage()],
    );
    k.tfjs = Object.fromEntries(Object.entries(out).map(([name, { worst, times }]) => [name, { worst, ...stats(times) }]));
    k.tfjsBest = Object.entries(k.tfjs).sort((a, b) => a[1].median - b[1].median)[0][0];
  }
  await page.close();
  return info;
}

/**
 * The score kernel alone (keys packed, the upper triangle of X Xᵀ) in
 * multiply-adds per second, against `simdPeak`, the same module's loop of
 * the kernel's two instructions with nothing to load. The kernel's upper
 * triangle is checked against the engine's scores first.
 */
export async function timeKernel(page, sizes) {
  return page.evaluate(
    async ([sizes, timesSource]) => {
      const times = (0, eval)(timesSource);
      const wasm = await import('./pkg/attention_wasm.js');
      const steps = 2e7;
      const peakTimes = times(() => wasm.simdPeak(steps), 7, 1).sort((a, b) => a - b);
      const peak = (steps * wasm.simdPeakPerStep()) / (peakTimes[3] * 1e6); // G multiply-adds per s
      const rows = [];
      for (const [t, dk] of sizes) {
        const bench = new wasm.KernelBench(t, dk, 42);
        bench.run();
        const explorer = new wasm.Explorer();
        explorer.run(t, dk, 42);
        const scores = explorer.scores(wasm.Panel.Unscaled);
        let mismatches = 0;
        for (let i = 0; i < t; i += 1) {
          for (let j = i; j < t; j += 1) mismatches += Object.is(bench.score(i, j), scores[i * t + j]) ? 0 : 1;
        }
        explorer.free();
        const reps = Math.max(5, Math.min(100, Math.round(1e9 / (t * t * dk))));
        const ms = times(() => bench.run(), reps, t <= 64 ? 50 : 1).sort((a, b) => a - b)[Math.floor(reps / 2)];
        rows.push({ t, dk, ms, multiplyAdds: bench.multiplyAdds(), mismatches });
        bench.free();
      }
      return { peak, rows };
    },
    [sizes, timesInPage()],
  );
}
