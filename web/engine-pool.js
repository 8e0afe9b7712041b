// The workers of one view (engine-worker.js), created at the first run that
// needs them and ended with the view. A run goes to the first worker, or,
// when it is split, as bands of rows to several: each worker prepares the
// same run, computes its band of scores and finishes both panels for those
// rows (given, when Q = K, the score rows of the bands above it, which the
// page passes on). The curves' sweep goes to the first worker.
// Messages of an older run or sweep are dropped; once a worker fails (its
// script refused, its engine unable to start, or a run's error, such as
// running out of memory), no worker is used again and the run in progress
// falls to the page's thread.

import { siteUrl } from './site.js';

/** A worker, created on first use; null where one cannot start. */
function workerSource() {
  let worker;
  return {
    get() {
      if (worker === undefined) {
        try {
          worker = new Worker(siteUrl('engine-worker.js'), { type: 'module' });
        } catch {
          worker = null; // another origin, or a policy that forbids it
        }
      }
      return worker;
    },
    /** The worker, if it was started. */
    running: () => worker ?? null,
    stop() {
      worker?.terminate();
      worker = null;
    },
  };
}

/**
 * Up to `count` workers. `onResults(work, ms)` hears how long a run (not a
 * split one) took in a worker; `bandEdges(n)` splits the run being sent
 * into n bands of rows of about equal work.
 */
export function enginePool({ count, onResults, bandEdges }) {
  const sources = Array.from({ length: Math.max(1, count) }, workerSource);
  let current = null;
  let sweep = null;
  let ids = 0;
  let usable = true;
  const fail = (reason) => {
    for (const source of sources) source.stop();
    usable = false;
    if (current) current.error = reason;
    // A finished sweep's curves stay; one in progress goes on on the page's thread.
    if (sweep && !sweep.done) sweep.fail(reason);
  };
  const receive = ({ data, target }) => {
    if (data.kind === 'sweep') return data.id === sweep?.id && sweep.receive(data);
    if (data.id !== current?.id) return;
    if (data.error !== undefined) fail(data.error);
    else if (data.kind === 'band') current.band(data);
    else if (data.kind === 'finished') current.finished(data, target);
    else if (data.kind === 'rows') current.rowsIn(data);
    else if (data.results) {
      current.results = data.results;
      if (!current.split) onResults(data.work, data.ms);
    } else Object.assign(current, { progress: data.progress, workLeft: data.workLeft });
  };
  const connected = (i) => {
    const worker = usable ? sources[i].get() : null;
    if (worker && !worker.onmessage) {
      worker.onmessage = receive;
      worker.onerror = (event) => {
        event.preventDefault();
        fail('the worker failed');
      };
      worker.onmessageerror = () => fail('a message from the worker could not be read');
    }
    return worker;
  };
  return {
    get usable() {
      return usable;
    },
    /** How many workers a split run may use. */
    count: sources.length,
    /**
     * Sends a run (`message`: modes, tokens, t, dk, seed) of about `workLeft`
     * units to the first worker, or split over `split` workers; returns the
     * run's record (progress, results, error), or null without a worker.
     */
    send(message, workLeft, split = 1) {
      const workers = [];
      for (let i = 0; i < Math.min(split, sources.length); i += 1) workers.push(connected(i));
      if (!workers[0]) return null;
      current = { id: (ids += 1), progress: 0, workLeft, results: null, error: null, split: false };
      if (workers.length === 1 || workers.some((w) => !w)) workers[0].postMessage({ id: current.id, ...message });
      else splitRun(current, workers, message, bandEdges);
      return current;
    },
    /** Starts a sweep in the first worker (see `sweepJob`); null without a worker. */
    sweep(message, onUpdate) {
      const worker = connected(0);
      if (!worker) return null;
      sweep = sweepJob((ids += 1), message.trials, onUpdate, (id) => {
        if (sweep?.id === id) sweep = null;
        worker.postMessage({ kind: 'sweep-stop', id });
      });
      worker.postMessage({ kind: 'sweep', id: sweep.id, ...message });
      return sweep;
    },
    /** Drops the run in progress: the workers stop it at their next slice. */
    cancel() {
      if (!current) return;
      current = null;
      for (const source of sources) source.running()?.postMessage({ kind: 'cancel' });
    },
    stop: () => sources.forEach((source) => source.stop()),
  };
}

/**
 * Sends `run` as one band of rows to each of `workers`. With Q = K the
 * score rows of each band but the last are passed on to the workers below
 * it (the cells left of their bands); the first worker to finish its band
 * is asked for Q and K while the others still compute. The run's results
 * are every band's rows of both panels, with Q and K.
 */
function splitRun(run, workers, message, bandEdges) {
  const edges = bandEdges(workers.length);
  const upper = message.modes.qk !== 'independent';
  const bands = [];
  const work = run.workLeft;
  let rows = null;
  run.split = true;
  const done = () => {
    if (bands.length === workers.length && rows) run.results = { q: rows[0], k: rows[1], bands };
  };
  run.band = ({ first, scores }) => {
    const below = workers.filter((_, i) => edges[i] > first);
    below.forEach((worker, i) => {
      const last = i === below.length - 1;
      worker.postMessage({ kind: 'above', id: run.id, first, scores }, last ? [scores.buffer] : []);
    });
  };
  run.finished = ({ first, panels }, worker) => {
    if (bands.length === 0) worker.postMessage({ kind: 'rows', id: run.id });
    bands.push({ first, panels });
    run.progress = bands.length / (workers.length + 1);
    run.workLeft = work * (1 - run.progress);
    done();
  };
  run.rowsIn = ({ rows: sent }) => {
    rows = sent;
    done();
  };
  workers.forEach((worker, i) => {
    const [from, to] = [edges[i], edges[i + 1]];
    const band = { kind: 'band', id: run.id, ...message, rows: [from, to], share: upper && i < workers.length - 1, above: upper ? from : 0 };
    worker.postMessage(band);
  });
}

/**
 * A sweep in the worker, read as curves.js reads the engine's own `Curves`
 * (`runsDone`, `runsTotal`, `trials`, `bands(name)`, `theory(name)`,
 * `free()`), plus `remote`, `done` and `failed`. `onUpdate()` is called
 * after each of the worker's slices, and once more if it fails before it is done.
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
