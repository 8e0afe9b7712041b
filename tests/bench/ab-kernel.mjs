// The score kernel alone (peers.mjs's timeKernel: keys packed, the upper
// triangle of X Xᵀ, checked against the engine's scores first) in two builds
// of the site, side by side in one browser, in alternating rounds (absolute
// times drift with the machine's load; the rounds share it). For a change to
// the kernel's loops:
//   (cd <old checkout> && cargo xtask serve --port 8771) &
//   cargo xtask serve --port 8772 &
//   BEFORE_URL=http://127.0.0.1:8771/ AFTER_URL=http://127.0.0.1:8772/ node tests/bench/ab-kernel.mjs
import { chromium } from '@playwright/test';
import { timeKernel } from './peers.mjs';

const SERVERS = { before: process.env.BEFORE_URL, after: process.env.AFTER_URL };
if (!SERVERS.before || !SERVERS.after) throw new Error('set BEFORE_URL and AFTER_URL to the two sites');
const SIZES = [[256, 256], [512, 512], [1024, 1024], [1024, 4096]];
const ROUNDS = Number(process.env.ROUNDS ?? 5);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
});
const med = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
const rows = {};
for (let round = 0; round < ROUNDS; round += 1) {
  for (const [name, url] of Object.entries(SERVERS)) {
    const page = await browser.newPage();
    await page.goto(url);
    const kernel = await timeKernel(page, SIZES);
    for (const r of kernel.rows) {
      if (r.mismatches) throw new Error(`${name}: ${r.mismatches} cells differ from the engine's at ${r.t} × ${r.dk}`);
      (rows[`${r.t} × ${r.dk}`] ??= { before: [], after: [], peak: [] })[name].push(r.ms);
      rows[`${r.t} × ${r.dk}`].multiplyAdds = r.multiplyAdds;
    }
    await page.close();
  }
}
await browser.close();
console.log(`score kernel, median of ${ROUNDS} rounds (ms, and G multiply-adds/s):`);
console.log('     T × d_k     before            after        before ÷ after');
for (const [size, r] of Object.entries(rows)) {
  const [before, after] = [med(r.before), med(r.after)];
  const rate = (ms) => (r.multiplyAdds / ms / 1e6).toFixed(1).padStart(5);
  console.log(`${size.padStart(12)}  ${before.toFixed(2).padStart(7)} (${rate(before)})  ${after.toFixed(2).padStart(7)} (${rate(after)})   ${(before / after).toFixed(2)}`);
}
