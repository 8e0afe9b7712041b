// Scripts the benchmarks (and worker.spec.mjs) put into their pages
// (page.addInitScript), and the page timings more than one benchmark takes,
// so that the code that runs inside a page is written once.

/** Defines `window.paintDk(element, dk)`: sets d_k and resolves with the ms until the result of that d_k is painted. */
export function definePaintDk() {
  window.paintDk = (element, dk) =>
    new Promise((resolve) => {
      const start = performance.now();
      const painted = (e) => {
        if (e.detail.dk !== dk) return;
        element.removeEventListener('change', painted);
        resolve(performance.now() - start);
      };
      element.addEventListener('change', painted);
      element.dk = dk;
    });
}

/**
 * Every Worker the page makes logs, in `window.timeline`, what it is sent and
 * what it sends back (progress messages and the sweep's aside), as
 * `[ms, '→w1 band']` and `[ms, 'w1→ finished']`.
 */
export function recordMessages() {
  window.timeline = [];
  let workers = 0;
  const Native = window.Worker;
  window.Worker = class extends Native {
    constructor(...args) {
      super(...args);
      const name = `w${(workers += 1)}`;
      const post = this.postMessage.bind(this);
      this.postMessage = (message, transfer) => {
        window.timeline.push([performance.now(), `→${name} ${message.kind ?? 'run'}`]);
        return post(message, transfer);
      };
      this.addEventListener('message', ({ data }) => {
        if (data.kind === 'sweep' || (!data.kind && !data.results && data.error === undefined)) return;
        window.timeline.push([performance.now(), `${name}→ ${data.kind ?? (data.results ? 'results' : 'error')}`]);
      });
    }
  };
}

/**
 * Nine new d_k at T = 1024 (4092 and 4096 in turn: every normal already
 * drawn) on a fresh page of the site at `url` with `workers` workers: the ms
 * from each to its painted result.
 */
export async function splitRunTimes(browser, url, workers) {
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  await page.addInitScript(definePaintDk);
  await page.goto(`${url}?t=1024&dk=4096&workers=${workers}`);
  await page.evaluate(() => document.querySelector('attention-explorer').ready);
  const times = await page.evaluate(async () => {
    const element = document.querySelector('attention-explorer');
    const out = [];
    for (let i = 0; i < 9; i += 1) out.push(await window.paintDk(element, i % 2 ? 4096 : 4092));
    return out;
  });
  await page.close();
  return times;
}
