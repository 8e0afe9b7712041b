// The engine in a module worker: a big run is computed here, so that the
// page's main thread never waits for it (view-engine.js decides which runs
// come here, and the page's engine adopts the results). Messages in:
// `{ id, modes, tokens, t, dk, seed }`, the newest of which wins (a run in
// progress stops at its next slice, as it does at `{ kind: 'cancel' }`).
// Out: `{ id, progress, workLeft }` after each slice, then
// `{ id, results, work, ms }` (the run's work units and time, for the page's
// speed estimate) with the matrices' buffers transferred, or `{ id, error }`.
//
// A run split over several workers: `{ kind: 'band', id, modes, tokens, t,
// dk, seed, rows: [from, to], share, above }` prepares the run (draws its
// rows) and computes that band of score rows; with `share` it posts them,
// `{ kind: 'band', id, first, scores }`, for the workers below. It then
// finishes both panels for its rows once it has the `above` rows over its
// band (Q = K: the cells left of it), each sent as `{ kind: 'above', id,
// first, scores }`, and posts `{ kind: 'finished', id, first, panels }`
// (per panel `[scores, probs, gradients, measures, overflows]`).
// `{ kind: 'rows', id }` asks for the prepared run's Q and K:
// `{ kind: 'rows', id, rows }`.
//
// The curves' Monte-Carlo sweep runs here too: `{ kind: 'sweep', id, modes,
// tokens, t, seed, dims, trials, metrics }` starts one (the newest wins, and
// `{ kind: 'sweep-stop', id }` drops it); after each slice it posts
// `{ kind: 'sweep', id, done, runsDone, runsTotal, trials, bands, theory }`.
import init, { Curves, Explorer, Panel } from './pkg/attention_wasm.js';
import { wasmUrl } from './site.js';

// Work units per slice: the worker looks for a newer request between slices.
const SLICE_UNITS = 2e8;
// A sweep posts its curves this often (ms), so the charts grow as it goes.
const SWEEP_SLICE_MS = 50;

let latest = -1;
let latestSweep = -1;
const explorer = init({ module_or_path: wasmUrl() }).then(() => new Explorer());

// A macrotask turn without a timer's clamping, so that messages are read;
// a run and a sweep may both be waiting for one.
const channel = new MessageChannel();
const waiting = [];
channel.port1.onmessage = () => waiting.shift()?.();
const nextTurn = () =>
  new Promise((resolve) => {
    waiting.push(resolve);
    channel.port2.postMessage(null);
  });

addEventListener('message', ({ data }) => {
  if (data.kind === 'band' || data.kind === 'above' || data.kind === 'rows') {
    latest = data.id;
    ({ band, above, rows })[data.kind](data);
  } else if (data.kind === 'sweep') {
    latestSweep = data.id;
    sweep(data);
  } else if (data.kind === 'cancel') {
    latest = -1; // the run in progress stops at its next slice
  } else if (data.kind === 'sweep-stop') {
    if (latestSweep === data.id) latestSweep = -1;
  } else {
    latest = data.id;
    compute(data);
  }
});

/**
 * Does `work(engine)` for run `id` once the engine is ready, if `id` is still
 * the newest run; an error is posted as the run's.
 */
async function forRun(id, work) {
  try {
    const engine = await explorer;
    if (latest === id) await work(engine);
  } catch (error) {
    postMessage({ id, error: String(error?.message ?? error) });
  }
}

/**
 * Sets a run's modes and tokens and starts it (`how`: 'start', or 'prepare'
 * to draw its rows now); returns what finishing it needs.
 */
function begin(engine, { id, modes, tokens, t, dk, seed }, how) {
  const start = performance.now();
  engine.configure(modes);
  engine.setTokens(tokens);
  engine[how](t, dk, seed);
  return { id, independent: modes.qk === 'independent', start, work: engine.workLeft };
}

const compute = (message) => forRun(message.id, (engine) => finishRun(engine, begin(engine, message, 'start')));

// The band of a split run prepared here: its id, rows, how many rows above
// it are still to come before it can be finished, and whether it has been.
let prepared = null;

const band = (message) =>
  forRun(message.id, (engine) => {
    const [from, to] = message.rows;
    begin(engine, message, 'prepare');
    const scores = engine.scoreBand(from, to);
    if (message.share) {
      const copy = scores.slice();
      postMessage({ kind: 'band', id: message.id, first: from, scores: copy }, [copy.buffer]);
    }
    prepared = { id: message.id, t: message.t, from, to, missing: message.above, finished: false };
    finishWhenReady(engine);
  });

const above = ({ id, first, scores }) =>
  forRun(id, (engine) => {
    if (prepared?.id !== id) return;
    engine.adoptScoreRows(first, scores);
    prepared.missing -= scores.length / prepared.t;
    finishWhenReady(engine);
  });

/** Finishes the prepared band, once, when every row above it is here. */
function finishWhenReady(engine) {
  const { id, from, to, missing, finished } = prepared;
  if (finished || missing > 0) return;
  prepared.finished = true;
  const panels = engine.finishBand(from, to);
  const buffers = panels.flatMap((parts) => parts.slice(0, 4).map((a) => a.buffer));
  postMessage({ kind: 'finished', id, first: from, panels }, buffers);
}

const rows = ({ id }) =>
  forRun(id, (engine) => {
    if (prepared?.id !== id) return;
    const qk = engine.preparedRows();
    postMessage({ kind: 'rows', id, rows: qk }, qk.map((a) => a.buffer));
  });

/** Carries the started run on a slice at a time (a newer request stops it) and posts its results. */
async function finishRun(engine, { id, independent, start, work }) {
  while (!engine.advance(SLICE_UNITS)) {
    postMessage({ id, progress: engine.progress, workLeft: engine.workLeft });
    await nextTurn();
    if (latest !== id) return;
  }
  post(engine, id, independent, { work, ms: performance.now() - start });
}

/** The results as the page's engine adopts them; the copies' buffers are transferred, not copied again. */
function post(engine, id, independent, timing) {
  const panels = [Panel.Unscaled, Panel.Scaled].map((p) => ({
    scores: engine.scores(p).slice(),
    probs: engine.probabilities(p).slice(),
    gradients: engine.rowGradients(p).slice(),
    report: engine.reportValues(p),
  }));
  const q = engine.q().slice();
  const k = independent ? engine.k().slice() : new Float32Array(0);
  const buffers = [q, k, ...panels.flatMap((p) => [p.scores, p.probs, p.gradients])].map((a) => a.buffer);
  postMessage({ id, results: { q, k, panels }, ...timing }, buffers);
}

async function sweep({ id, modes, tokens, t, seed, dims, trials, metrics }) {
  try {
    const engine = await explorer;
    if (latestSweep !== id) return;
    engine.configure(modes);
    engine.setTokens(tokens);
    const job = new Curves(engine, t, seed, Uint32Array.from(dims), trials);
    try {
      for (;;) {
        const start = performance.now();
        let done = false;
        while (!done && performance.now() - start < SWEEP_SLICE_MS) done = job.advance(8);
        const of = (read) => Object.fromEntries(metrics.map((name) => [name, read(name)]));
        const { runsDone, runsTotal } = job;
        const curves = { bands: of((name) => job.bands(name)), theory: of((name) => job.theory(name)) };
        postMessage({ kind: 'sweep', id, done, runsDone, runsTotal, trials: job.trials, ...curves });
        if (done) return;
        await nextTurn();
        if (latestSweep !== id) return;
      }
    } finally {
      job.free();
    }
  } catch (error) {
    postMessage({ kind: 'sweep', id, error: String(error?.message ?? error) });
  }
}
