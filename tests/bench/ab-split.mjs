// A run split over two workers against one worker, in two builds of the
// site side by side in one browser, in alternating rounds (absolute times
// drift with the machine's load; the rounds share it): the time from a new
// d_k to its painted result at T = 1024, d_k = 4096, as bench.mjs times it.
// For a change to how runs are split:
//   (cd <old checkout> && cargo xtask serve --port 8771) &
//   cargo xtask serve --port 8772 &
//   BEFORE_URL=http://127.0.0.1:8771/ AFTER_URL=http://127.0.0.1:8772/ node tests/bench/ab-split.mjs
import { chromium } from '@playwright/test';
import { splitRunTimes } from './page-scripts.mjs';

const SERVERS = { before: process.env.BEFORE_URL, after: process.env.AFTER_URL };
if (!SERVERS.before || !SERVERS.after) throw new Error('set BEFORE_URL and AFTER_URL to the two sites');
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
});
const med = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];

const rows = { before: { 1: [], 2: [] }, after: { 1: [], 2: [] } };
for (let round = 0; round < ROUNDS; round += 1) {
  for (const [name, url] of Object.entries(SERVERS)) {
    for (const workers of [1, 2]) rows[name][workers].push(...(await splitRunTimes(browser, url, workers)));
  }
}
await browser.close();
console.log(`T = 1024, d_k = 4096, a new d_k to its painted result, median of ${ROUNDS * 9} (ms):`);
for (const [name, r] of Object.entries(rows)) {
  const [one, two] = [med(r[1]), med(r[2])];
  console.log(`  ${name.padEnd(6)}  one worker ${one.toFixed(0).padStart(4)}   two ${two.toFixed(0).padStart(4)}   ${(one / two).toFixed(2)}×`);
}
