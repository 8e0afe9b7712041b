// The engine as the run scheduler (runs.js) drives it: `start(run)`, then
// `advance(budget)` until it says done. Small runs are computed by the page's
// own engine, in the frame that asks for them; a run estimated to take longer
// than REMOTE_MS goes to a module worker (engine-worker.js), and `advance`
// only looks whether its results have come, so the main thread never waits
// for a big run. The page's engine starts every run itself (so it knows the
// run's shape and modes) and adopts the worker's results, so everything that
// reads or paints a run works the same either way.
//
// Where a worker cannot run (the module is on another origin than the page,
// a Content-Security-Policy without workers, `engine="main"`), every run is
// computed here, in slices between frames, as before workers.

import { MODES, PARAMS, keyOf } from './state.js';

/** Runs estimated to take longer than this (ms, on the page's thread) go to the worker. */
export const REMOTE_MS = 8;
/** A first guess of the engine's speed (work units per ms), corrected by each worker run. */
const FIRST_UNITS_PER_MS = 1e7;

/** The engine's modes of `inputs`, as `Explorer.configure` takes them. */
export function modesOf(inputs) {
  const named = PARAMS.scale.choices.includes(inputs.scale);
  return {
    qk: inputs.qk,
    columns: inputs.x,
    score: inputs.score,
    scale: named ? inputs.scale : 'custom',
    scaleFactor: named ? Number.NaN : Number(inputs.scale),
    tau: inputs.tau,
    softmax: inputs.softmax,
    precision: inputs.precision,
  };
}

/** A worker, created at the first big run; null where one cannot start. */
function workerSource() {
  let worker;
  return {
    get() {
      if (worker === undefined) {
        try {
          worker = new Worker(new URL('engine-worker.js', import.meta.url), { type: 'module' });
        } catch {
          worker = null; // another origin, or a policy that forbids it
        }
      }
      return worker;
    },
    stop() {
      worker?.terminate();
      worker = null;
    },
  };
}

/**
 * The worker's side: sends a run, and keeps the newest run's progress,
 * results or error (an older run's messages are dropped). Once the worker
 * fails to start, `usable` is false and the run it had is marked failed.
 */
function remoteRuns(onResults) {
  const workers = workerSource();
  let current = null;
  let sweep = null;
  let ids = 0;
  let usable = true;
  const fail = (reason) => {
    workers.stop();
    usable = false;
    if (current) current.error = reason;
    if (sweep) sweep.fail(reason);
  };
  const receive = ({ data }) => {
    if (data.kind === 'sweep') return data.id === sweep?.id && sweep.receive(data);
    if (data.id !== current?.id) return;
    if (data.error !== undefined) fail(data.error);
    else if (data.results) {
      current.results = data.results;
      onResults(data.work, data.ms);
    } else Object.assign(current, { progress: data.progress, workLeft: data.workLeft });
  };
  const connected = () => {
    const worker = usable ? workers.get() : null;
    if (worker && !worker.onmessage) {
      worker.onmessage = receive;
      worker.onerror = (event) => {
        event.preventDefault();
        fail('the worker could not start');
      };
    }
    return worker;
  };
  return {
    get usable() {
      return usable;
    },
    /** Sends `message` (a run of about `workLeft` units); the run's record, or null without a worker. */
    send(message, workLeft) {
      const worker = connected();
      if (!worker) return null;
      current = { id: (ids += 1), progress: 0, workLeft, results: null, error: null };
      worker.postMessage({ id: current.id, ...message });
      return current;
    },
    /** Starts a sweep in the worker (see `sweepJob`); null without a worker. */
    sweep(message, onUpdate) {
      const worker = connected();
      if (!worker) return null;
      sweep = sweepJob((ids += 1), message.trials, onUpdate, (id) => worker.postMessage({ kind: 'sweep-stop', id }));
      worker.postMessage({ kind: 'sweep', id: sweep.id, ...message });
      return sweep;
    },
    stop: () => workers.stop(),
  };
}

/**
 * A sweep in the worker, read as curves.js reads the engine's own `Curves`
 * (`runsDone`, `runsTotal`, `trials`, `bands(name)`, `theory(name)`,
 * `free()`), plus `remote`, `done` and `failed`. `onUpdate()` is called
 * after each of the worker's slices (and once if it fails).
 */
function sweepJob(id, trials, onUpdate, stop) {
  let curves = { bands: {}, theory: {} };
  const job = {
    id, remote: true, done: false, failed: null, runsDone: 0, runsTotal: 1, trials,
    bands: (name) => curves.bands[name],
    theory: (name) => curves.theory[name],
    free: () => stop(id),
    receive(data) {
      if (data.error !== undefined) return job.fail(data.error);
      Object.assign(job, { done: data.done, runsDone: data.runsDone, runsTotal: data.runsTotal, trials: data.trials });
      curves = data;
      onUpdate();
    },
    fail(reason) {
      job.failed = reason;
      onUpdate();
    },
  };
  return job;
}

/**
 * The scheduler's engine over `explorer` (the page's). With `useWorker`
 * false, every run is computed on this thread.
 */
export function runEngine(explorer, { useWorker = true } = {}) {
  let configured = '';
  let tokensSet = null;
  let unitsPerMs = FIRST_UNITS_PER_MS;
  const learn = (units, ms) => {
    unitsPerMs = Math.sqrt(unitsPerMs * Math.max(1e5, units / Math.max(1, ms)));
  };
  const worker = remoteRuns(learn);
  let remote = null; // the run the worker computes
  // A slice on this thread, timed: the speed estimate decides which runs are big.
  const advanceHere = (budget) => {
    const [before, start] = [explorer.workLeft, performance.now()];
    const done = explorer.advance(budget);
    const ms = performance.now() - start;
    if (ms >= 2) learn(before - explorer.workLeft, ms);
    return done;
  };
  const adopt = ({ q, k, panels }) => {
    panels.forEach(({ scores, probs, gradients, report }, panel) => explorer.adoptPanel(panel, scores, probs, gradients, report));
    explorer.adopt(q, k);
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
      const big = explorer.workLeft / unitsPerMs > REMOTE_MS;
      remote = null;
      if (useWorker && worker.usable && !whole && big) {
        const message = { modes: modesOf(inputs), tokens: tokens.map((t) => t.key), t: inputs.t, dk: inputs.dk, seed: inputs.seed };
        remote = worker.send(message, explorer.workLeft);
      }
    },
    advance(budget) {
      if (remote && (budget === Infinity || remote.error !== null)) remote = null; // this thread takes over
      if (!remote) return advanceHere(budget);
      if (!remote.results) return false;
      adopt(remote.results);
      remote = null;
      return true;
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
