// The engine as the run scheduler (runs.js) drives it: `start(run)`, then
// `advance(budget)` until it says done. Small runs are computed by the page's
// own engine, in the frame that asks for them; a run estimated to take longer
// than REMOTE_MS goes to a module worker (engine-worker.js), and `advance`
// only looks whether its results have come, so the main thread never waits
// for a big run. The page's engine starts every run itself (so it knows the
// run's shape and modes) and adopts the worker's results, so everything that
// reads or paints a run works the same either way.
//
// A run estimated above SPLIT_MS is split over several workers when the
// visitor's machine has the cores (engine-pool.js): bands of score rows, no
// shared memory, so it works without cross-origin isolation.
//
// Where a worker cannot run (the module is on another origin than the page,
// a Content-Security-Policy without workers, `engine="main"`), every run is
// computed here, in slices between frames, as before workers.

import { MODES, PARAMS, keyOf, padOf } from './state.js';
import { enginePool } from './engine-pool.js';

/** Runs estimated to take longer than this (ms, on the page's thread) go to the worker. */
export const REMOTE_MS = 8;
/** Runs estimated to take longer than this (ms) are split over the view's workers. */
export const SPLIT_MS = 40;
/** A first guess of the engine's speed (work units per ms), corrected by each worker run. */
const FIRST_UNITS_PER_MS = 1e7;

/** The engine's modes of `inputs`, as `Explorer.configure` takes them. */
export function modesOf(inputs) {
  const named = PARAMS.scale.choices.includes(inputs.scale);
  const factor = inputs.scale === 'ssmax' ? Number(inputs.ssmax_s) : Number.NaN;
  return {
    qk: inputs.qk,
    columns: inputs.x,
    score: inputs.score,
    scale: named ? inputs.scale : 'custom',
    scaleFactor: named ? factor : Number(inputs.scale),
    tau: inputs.tau,
    softmax: inputs.softmax,
    precision: inputs.precision,
    dist: inputs.dist,
    sigma: inputs.sigma,
    mu: inputs.mu,
    ln: inputs.ln === '1',
    rho: inputs.rho,
    qknorm: inputs.qknorm,
    gain: inputs.g,
    cap: inputs.cap,
    mask: inputs.mask,
    pad: padOf(inputs),
    fill: inputs.fill,
  };
}

/**
 * How many workers a view splits a big run over by default: the cores but
 * one (for the page), at most 2. Each worker holds its own copy of the run
 * (~90 MB at T = 1024, d_k = 4096), and a phone with eight cores has not the
 * memory for eight; `workers="n"` asks for more.
 */
export function defaultWorkers() {
  return Math.min(2, Math.max(1, (globalThis.navigator?.hardwareConcurrency ?? 2) - 1));
}

/**
 * Hands a worker's results to the page's `explorer`, which started the same
 * run: both panels of a whole run, or every band of rows of a split one.
 */
function adoptInto(explorer, { q, k, panels, bands }) {
  if (bands) {
    for (const { first, panels: parts } of bands) {
      parts.forEach((part, panel) => explorer.adoptBand(panel, first, part));
    }
    explorer.adoptBands(q, k);
    return;
  }
  panels.forEach(({ scores, probs, gradients, report }, panel) => explorer.adoptPanel(panel, scores, probs, gradients, report));
  explorer.adopt(q, k);
}

/**
 * The scheduler's engine over `explorer` (the page's). With `useWorker`
 * false, every run is computed on this thread; `workers` is how many
 * workers a run estimated above SPLIT_MS is split over (the page's engine,
 * which starts every run, says where the bands are).
 */
export function runEngine(explorer, { useWorker = true, workers = defaultWorkers() } = {}) {
  let configured = '';
  let tokensSet = null;
  let unitsPerMs = FIRST_UNITS_PER_MS;
  const learn = (units, ms) => {
    unitsPerMs = Math.sqrt(unitsPerMs * Math.max(1e5, units / Math.max(1, ms)));
  };
  const worker = enginePool({ count: workers, onResults: learn, bandEdges: (n) => explorer.bandEdges(n) });
  let remote = null; // the run the worker computes
  // A slice on this thread, timed: the speed estimate decides which runs are big.
  const advanceHere = (budget) => {
    const [before, start] = [explorer.workLeft, performance.now()];
    const done = explorer.advance(budget);
    const ms = performance.now() - start;
    if (ms >= 2) learn(before - explorer.workLeft, ms);
    return done;
  };
  return {
    start({ inputs, tokens }, { whole = false } = {}) {
      const modes = keyOf(inputs, MODES);
      if (modes !== configured) {
        explorer.configure(modesOf(inputs));
        configured = modes;
      }
      if (tokens !== tokensSet) {
        explorer.setTokens(tokens.map((t) => t.key));
        tokensSet = tokens;
      }
      explorer.start(inputs.t, inputs.dk, inputs.seed);
      const ms = explorer.workLeft / unitsPerMs;
      if (remote) worker.cancel(); // a newer run is sent below, or computed here
      remote = null;
      if (useWorker && worker.usable && !whole && ms > REMOTE_MS) {
        const message = { modes: modesOf(inputs), tokens: tokens.map((t) => t.key), t: inputs.t, dk: inputs.dk, seed: inputs.seed };
        remote = worker.send(message, explorer.workLeft, ms > SPLIT_MS ? worker.count : 1);
      }
    },
    advance(budget) {
      const run = remote;
      if (run?.results) {
        remote = null;
        try {
          adoptInto(explorer, run.results);
          return true;
        } catch (error) {
          // Never expected (the engines run the same code): say so, and compute it here.
          console.warn(`attention-explorer: a worker's results could not be taken (${error?.message ?? error}); computing here`);
          return advanceHere(budget);
        }
      }
      if (run && (budget === Infinity || run.error !== null)) {
        // This thread takes over: the whole run now, or after the worker failed.
        if (run.error === null) worker.cancel();
        remote = null;
      }
      if (!remote) return advanceHere(budget);
      return false;
    },
    get workLeft() {
      return remote ? remote.workLeft : explorer.workLeft;
    },
    /** The time the run in progress still needs, by this engine's own speed estimate. */
    get msLeft() {
      return this.workLeft / unitsPerMs;
    },
    get progress() {
      return remote ? remote.progress : explorer.progress;
    },
    /** Whether the run in progress is the worker's. */
    get remote() {
      return remote !== null;
    },
    /**
     * The curves' sweep of `{ modes, tokens, t, seed, dims, trials, metrics }`
     * in the worker, or null where there is none (then curves.js runs it here).
     */
    sweep: (message, onUpdate) => (useWorker && worker.usable ? worker.sweep(message, onUpdate) : null),
    stop: () => worker.stop(),
  };
}
