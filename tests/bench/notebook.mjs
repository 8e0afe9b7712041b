// `cargo xtask bench`, the notebook part: the widget's time to its first
// painted explorer in JupyterLab 4 and Notebook 7 (from the venv that
// `cargo xtask test` fills, with the wheel installed), and what it carries.
// Each run opens a notebook of its own, so each has a fresh kernel: the
// time from Shift+Enter on `Explorer(dk=64)` to the element's `ready`
// includes importing the package, reading the site's files and sending them.
import { chromium } from '@playwright/test';
import { statSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { notebookOf, startJupyter } from '../jupyter-server.mjs';

const RUNS = 5;
const python = process.env.JUPYTER_PYTHON;
const wheel = process.env.WHEEL;
const standalone = process.env.STANDALONE;

const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;
console.log('\nthe Jupyter widget:');
console.log(`  wheel ${kib(statSync(wheel).size)}; MyST module ${kib(statSync(standalone).size)} (${kib(gzipSync(readFileSync(standalone)).length)} gzip)`);

const notebook = notebookOf([['from attention_explorer import Explorer', 'w = Explorer(dk=64)', 'w']]);
const names = Array.from({ length: RUNS }, (_, i) => `run-${i}.ipynb`);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
});

/** Shift+Enter on the first cell until the notebook takes it (a run asked before the kernel connects is dropped). */
async function runFirstCell(page) {
  const cell = page.locator('.jp-Notebook .jp-Cell').first();
  for (let attempt = 0; attempt < 20; attempt += 1) {
    await cell.locator('.cm-content').click();
    const started = Date.now();
    await page.keyboard.press('Shift+Enter');
    try {
      await cell.locator('.jp-InputPrompt').filter({ hasNotText: '[ ]:' }).waitFor({ timeout: 3_000 });
      return started;
    } catch {
      // Not taken: try again, as a person would.
    }
  }
  throw new Error('the notebook never ran its first cell');
}

const results = {};
for (const [app, path, label] of [['lab', 'lab/tree/', 'JupyterLab 4'], ['notebook', 'notebooks/', 'Notebook 7']]) {
  const server = await startJupyter(python, app, Object.fromEntries(names.map((name) => [name, notebook])));
  const times = [];
  const sent = [];
  try {
    for (const name of names) {
      const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
      // What the kernel sends the page while the cell runs (the widget's state: the site's files, the engine).
      let bytes = 0;
      let counting = false;
      page.on('websocket', (socket) => socket.on('framereceived', ({ payload }) => {
        if (counting) bytes += typeof payload === 'string' ? Buffer.byteLength(payload) : payload.length;
      }));
      // ?reset: JupyterLab opens this notebook alone, not the tabs of the runs before.
      await page.goto(`${server.url}${path}${name}?${app === 'lab' ? 'reset&' : ''}token=${server.token}`);
      await page.locator('.jp-Notebook-ExecutionIndicator[data-status="idle"]').first().waitFor({ state: 'attached', timeout: 60_000 });
      counting = true;
      const started = await runFirstCell(page);
      await page.locator('attention-explorer').waitFor({ state: 'attached', timeout: 60_000 });
      await page.locator('attention-explorer').evaluate((e) => e.ready);
      times.push(Date.now() - started);
      sent.push(bytes);
      await page.close();
    }
  } finally {
    await server.stop();
  }
  times.sort((a, b) => a - b);
  results[app] = times;
  console.log(`  ${label}: Shift+Enter → painted explorer, fresh kernel each: median ${times[Math.floor(times.length / 2)]} ms, min ${times[0]} ms, max ${times.at(-1)} ms (${RUNS} runs)`);
  console.log(`    received from the kernel while the cell ran: ${kib(Math.max(...sent))} (websocket frames, the largest run)`);
}
await browser.close();
