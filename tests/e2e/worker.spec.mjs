// Big runs in a module worker: the page's engine adopts the worker's results,
// so what is shown is bit for bit what the page's own engine computes
// (determinism.json's pins); small runs, engine="main" and hosts where a
// worker cannot start stay on the page's thread (failure.spec.mjs has the
// refused worker and the cross-origin host).
import { test, expect, pinned, resultHashes } from './helpers.mjs';
import { recordMessages } from '../bench/page-scripts.mjs';

/** The URLs of the worker's script the page requests. */
function workerRequests(page) {
  const seen = [];
  page.on('request', (r) => {
    if (new URL(r.url()).pathname.endsWith('/engine-worker.js')) seen.push(r.url());
  });
  return seen;
}

const ready = (element) => element.evaluate((el) => el.ready.then(() => true));

/** Sets `values` and waits for the paint that shows them (reading `result` earlier would compute it here). */
const showing = (element, values) =>
  element.evaluate(
    (el, values) =>
      new Promise((resolve) => {
        const painted = (e) => {
          if (Object.entries(values).every(([k, v]) => e.detail[k] === v)) {
            el.removeEventListener('change', painted);
            resolve();
          }
        };
        el.addEventListener('change', painted);
        Object.assign(el, values);
      }),
    values,
  );

/** The messages the page and its workers exchanged (page-scripts.mjs's log), and forgets them. */
const messages = (page) => page.evaluate(() => window.timeline.splice(0).map(([, what]) => what));

/**
 * `view` computed with `workers` workers, then on the page's thread
 * (engine=main): the messages of the first, and both results' hashes of
 * every matrix, row and number.
 */
async function inWorkersAndHere(page, view, workers) {
  await page.addInitScript(recordMessages);
  const element = page.locator('attention-explorer');
  await page.goto(`${view}&workers=${workers}`);
  await ready(element);
  const sent = await messages(page);
  const inWorkers = await resultHashes(element, { all: true });
  await page.goto(`${view}&engine=main`);
  await ready(element);
  return { sent, inWorkers, here: await resultHashes(element, { all: true }) };
}

test('a big run is computed in a worker, and shows the engine\'s own bits', async ({ page }) => {
  const workers = workerRequests(page);
  // One worker (workers=1), whatever this machine's cores: the counts below are exact.
  await page.goto('./?t=512&dk=512&workers=1');
  const element = page.locator('attention-explorer');
  await ready(element);
  expect(await resultHashes(element)).toEqual(pinned(512, 512));
  expect(workers).toHaveLength(1);
  // The next big run goes to the same worker; a small one stays here.
  await showing(element, { t: 1024, dk: 1024 });
  expect(await resultHashes(element)).toEqual(pinned(1024, 1024));
  await showing(element, { t: 10, dk: 16 });
  expect(await resultHashes(element)).toEqual(pinned(10, 16));
  expect(workers).toHaveLength(1);
});

test('a worker\'s whole run, Q and K included, is everything the page\'s own thread computes', async ({ page }) => {
  const { sent, inWorkers, here } = await inWorkersAndHere(page, './?t=1024&dk=1024&qk=independent&dist=uniform&rho=0.5', 1);
  expect(sent).toEqual(['→w1 run', 'w1→ results']);
  expect(here).toEqual(inWorkers);
});

test('engine="main" (?engine=main) computes every run on the page\'s thread, with the same bits', async ({ page }) => {
  const workers = workerRequests(page);
  await page.goto('./?t=512&dk=512&engine=main');
  const element = page.locator('attention-explorer');
  await ready(element);
  expect(await resultHashes(element)).toEqual(pinned(512, 512));
  expect(workers).toEqual([]);
});

test('two explorers on one page each have their own worker and their own results', async ({ page }) => {
  const workers = workerRequests(page);
  await page.goto('./?t=1024&dk=1024&workers=1');
  await page.evaluate(() => {
    const second = Object.assign(document.createElement('attention-explorer'), { id: 'second' });
    second.setAttribute('workers', '1');
    second.setAttribute('t', '512');
    second.setAttribute('dk', '512');
    document.querySelector('main').append(second);
  });
  const [first, second] = [page.locator('attention-explorer').first(), page.locator('#second')];
  await Promise.all([ready(first), ready(second)]);
  expect(await resultHashes(first)).toEqual(pinned(1024, 1024));
  expect(await resultHashes(second)).toEqual(pinned(512, 512));
  expect(workers).toHaveLength(2);
  // Removing an explorer ends its worker; the other carries on.
  await second.evaluate((el) => el.remove());
  await showing(first, { t: 512, dk: 512 });
  expect(await resultHashes(first)).toEqual(pinned(512, 512));
});

test('the curves\' Monte-Carlo sweep runs in the worker, with the page thread\'s numbers', async ({ page }) => {
  const workers = workerRequests(page);
  const curvesCsv = async (query) => {
    await page.goto(`./${query}`);
    await page.locator('#curves > summary').click();
    await expect(page.getByTestId('sweep-progress')).toContainText(/trials per d_k/, { timeout: 15_000 });
    await page.getByRole('button', { name: 'Show as tables' }).click();
    const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download curves (CSV)' }).click()]);
    return Buffer.concat(await (await file.createReadStream()).toArray()).toString('utf8');
  };
  const inWorker = await curvesCsv('?dk=64&t=12&seed=7&qk=independent&workers=1');
  // Only the sweep is big enough for the worker here (T = 12).
  expect(workers).toHaveLength(1);
  const here = await curvesCsv('?dk=64&t=12&seed=7&qk=independent&engine=main');
  expect(workers).toHaveLength(1);
  expect(inWorker.split('\n')).toHaveLength(66);
  expect(inWorker).toBe(here);
  // With the visitor's own words as the tokens, the worker uses the same words.
  const text = `&text=${encodeURIComponent('el gato se sentó en la alfombra')}`;
  const textInWorker = await curvesCsv(`?dk=64&seed=7${text}&workers=1`);
  expect(workers).toHaveLength(2);
  expect(textInWorker).toBe(await curvesCsv(`?dk=64&seed=7${text}&engine=main`));
  expect(textInWorker).not.toBe(await curvesCsv('?dk=64&seed=7&t=7&engine=main'));
});

test('a big run split over two workers (workers="2") gives the same bits, in both Q/K cases', async ({ page }) => {
  const workers = workerRequests(page);
  await page.addInitScript(recordMessages);
  await page.goto('./?t=1024&dk=1024&workers=2');
  const element = page.locator('attention-explorer');
  await ready(element);
  expect(await resultHashes(element)).toEqual(pinned(1024, 1024));
  expect(workers).toHaveLength(2);
  // Split for real: each worker finished its band, the top band's score rows
  // went to the worker below (Q = K), and nothing failed over to this thread.
  const split = await messages(page);
  expect(split.filter((m) => m.endsWith('finished')).sort()).toEqual(['w1→ finished', 'w2→ finished']);
  expect(split).toContain('→w2 above');
  expect(split.filter((m) => m.endsWith('error'))).toEqual([]);
  await showing(element, { t: 512, dk: 512 });
  expect(await resultHashes(element)).toEqual(pinned(512, 512));
  await messages(page);
  // Independent Q and K (whole rows in each band, nothing passed on), at a
  // size split even on a machine several times faster than this one: as the
  // page's own thread computes them.
  await showing(element, { qk: 'independent', t: 1024, dk: 2048 });
  const independent = await messages(page);
  expect(independent.filter((m) => m.endsWith('finished'))).toHaveLength(2);
  expect(independent.filter((m) => m.endsWith('above') || m.endsWith('error'))).toEqual([]);
  // Everything else too: Q and K (from the worker that finished first), the
  // row gradients, and the numbers (the page's engine folds the bands' rows).
  const results = await resultHashes(element, { all: true });
  await page.goto('./?t=1024&dk=2048&qk=independent&engine=main');
  await ready(page.locator('attention-explorer'));
  expect(await resultHashes(page.locator('attention-explorer'), { all: true })).toEqual(results);
  expect(workers).toHaveLength(2);
});

test('a split run with Q = K, a causal mask and a soft cap: every matrix, row and number as the page\'s own thread\'s', async ({ page }) => {
  // The band below takes the score rows above it (the cells left of it) from the page.
  const { sent, inWorkers, here } = await inWorkersAndHere(page, './?t=1024&dk=2048&mask=causal&cap=5', 2);
  expect(sent.filter((m) => m.endsWith('finished'))).toHaveLength(2);
  expect(sent).toContain('→w2 above');
  expect(here).toEqual(inWorkers);
});
