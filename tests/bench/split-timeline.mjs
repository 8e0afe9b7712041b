// Where the time of a big run goes, one worker against a run split over two:
// the page's side of every message between the page and its workers (a run
// or a band sent, a band's score rows back and passed on to the worker
// below, a band's finished rows back, Q and K, or a whole run's results),
// in ms from the new d_k, and the time to the painted result. For
// #16's several-workers goal; prints numbers and asserts nothing.
//   BASE_URL=http://127.0.0.1:8000/ node tests/bench/split-timeline.mjs   (after cargo xtask serve)
import { chromium } from '@playwright/test';
import { definePaintDk, recordMessages } from './page-scripts.mjs';

const BASE_URL = process.env.BASE_URL ?? 'http://127.0.0.1:8000/';
const RUNS = 6;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
});

for (const workers of [1, 2, 1, 2]) {
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  await page.addInitScript(recordMessages);
  await page.addInitScript(definePaintDk);
  await page.goto(`${BASE_URL}?t=1024&dk=4096&workers=${workers}`);
  await page.evaluate(() => document.querySelector('attention-explorer').ready);
  const runs = await page.evaluate(async (count) => {
    const element = document.querySelector('attention-explorer');
    const out = [];
    for (let i = 0; i < count; i += 1) {
      const dk = i % 2 ? 4096 : 4092;
      window.timeline = [];
      const start = performance.now();
      await window.paintDk(element, dk);
      out.push({ ms: performance.now() - start, steps: window.timeline.map(([t, what]) => `${(t - start).toFixed(0)} ${what}`) });
    }
    return out;
  }, RUNS + 1);
  console.log(`T = 1024, d_k = 4096, ${workers} worker${workers > 1 ? 's' : ''} (the first run, which draws the normals, left out):`);
  for (const run of runs.slice(1)) console.log(`  painted after ${run.ms.toFixed(0)} ms: ${run.steps.join(' | ')}`);
  await page.close();
}
await browser.close();
