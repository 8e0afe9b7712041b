// One slider step of two builds of the site, side by side in one browser,
// in alternating rounds (absolute times drift with the machine's load; the
// rounds share it). For "the default view's step time did not change":
//   (cd <old checkout> && cargo xtask serve --port 8771) &
//   cargo xtask serve --port 8772 &
//   BEFORE_URL=http://127.0.0.1:8771/ AFTER_URL=http://127.0.0.1:8772/ node tests/bench/ab-steps.mjs
import { chromium } from '@playwright/test';

const SERVERS = { before: process.env.BEFORE_URL, after: process.env.AFTER_URL };
if (!SERVERS.before || !SERVERS.after) throw new Error('set BEFORE_URL and AFTER_URL to the two sites');
const CASES = [{ t: 10, dk: 16 }, { t: 10, dk: 256 }, { t: 64, dk: 256 }, { t: 512, dk: 512 }];
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'] });
const med = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
const rows = {};
for (let round = 0; round < 4; round += 1) {
  for (const [name, url] of Object.entries(SERVERS)) {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    await page.goto(url);
    for (const { t, dk } of CASES) {
      const batch = t >= 256 ? 1 : 50;
      const out = await page.evaluate(async ({ t, dk, batch }) => {
        const element = await document.querySelector('attention-explorer').ready;
        element.t = t;
        const out = [];
        for (let b = 0; b < 35; b += 1) {
          const start = performance.now();
          for (let i = 0; i < batch; i += 1) { element.dk = (b * batch + i) % 2 ? dk : dk - 4; element.renderNow(); }
          if (b >= 5) out.push((performance.now() - start) / batch);
        }
        return out;
      }, { t, dk, batch });
      (rows[`${t}x${dk} ${name}`] ??= []).push(med(out));
    }
    await page.close();
  }
}
console.log('one slider step, median ms of each round, then the median of the rounds:');
for (const [k, v] of Object.entries(rows)) console.log(`  T×d_k ${k.padEnd(18)}`, v.map((x) => x.toFixed(3)).join('  '), '  median', med(v).toFixed(3));
await browser.close();
