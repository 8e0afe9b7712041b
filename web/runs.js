// Which run the view shows, which one it wants, and the one in progress:
// the single source of truth for "are the numbers on screen current?".
// No DOM here: the engine, the clock and the frames are passed in, so
// `tests/unit/runs.test.mjs` drives it under Node with a fake engine.
//
// A run is `{ key, rest, ...anything }`: `key` names every input that
// changes the numbers, `rest` the same without d_k (a drag moves d_k only).
// The engine is `{ start(run, { whole }), advance(budget) → done, workLeft, progress }`
// and may tell `msLeft`, its own estimate of the time the run still needs;
// with work counted in units of one f32 multiply-add (~0.07 ns here).

// Runs bigger than one slice are carried out a slice at a time between
// frames, so that at T = 1024, d_k = 4096 the page still paints every ~40 ms.
export const SLICE_MS = 25;
// A first guess of the engine's speed, in work units per millisecond; each
// full slice's timing then corrects it.
export const FIRST_UNITS_PER_MS = 4e6;
// When only d_k moves (a drag) while a run is in progress, a run with at
// most this much left is finished and shown before the newest d_k starts:
// dragging at T = 1024 then shows results every ~100-250 ms instead of
// nothing until the drag stops. A run with more left is abandoned.
export const FINISH_MS = 250;

/**
 * The scheduler. `onShow(run)` paints the finished run `run` (also again,
 * for changes that need no new run); `onProgress(run, share)` says how far
 * the run in progress is. `frames` is `{ request(callback) → id, cancel(id) }`.
 */
export function createRuns(options) {
  return new Runs(options);
}

class Runs {
  #wanted = null;
  #job = null;
  #shown = null;
  #frame = 0;
  #unitsPerMs = FIRST_UNITS_PER_MS;
  #destroyed = false;
  #waiting = [];

  constructor({ engine, now, frames, onShow, onProgress }) {
    Object.assign(this, { engine, now, frames, onShow, onProgress });
    this.tick = this.tick.bind(this);
  }

  /** The run whose numbers are on screen (null before the first). */
  get shown() {
    return this.#shown;
  }

  /** Whether a run is in progress: the engine's results are not readable. */
  get busy() {
    return this.#job !== null;
  }

  /**
   * Brings the numbers toward `run`, the latest wanted (last value wins):
   * shows them now if they are ready, or does one slice; with `whole`, the
   * run is finished at once.
   */
  sync(run, { whole = false } = {}) {
    if (this.#destroyed) return;
    this.#wanted = run;
    const job = this.#job;
    if (run.key !== job?.key && run.key !== this.#shown?.key) {
      if (job && !whole && run.rest === job.rest && this.#msLeft() <= FINISH_MS) return this.#carryOn();
      // Abandoning a run: its slice may already have run in this frame, so
      // the new run's first slice waits for the next one.
      const abandoning = job !== null;
      this.engine.start(run, { whole });
      this.#job = run;
      if (whole) this.engine.advance(Infinity);
      if (whole || (!abandoning && this.#slice())) return this.#finish();
      return this.#carryOn();
    }
    if (job && whole) {
      this.engine.advance(Infinity);
      return this.#finish();
    }
    if (job) return this.#carryOn();
    this.onShow(this.#shown);
  }

  /** A promise that resolves when no run is in progress. */
  whenDone() {
    return this.#job ? new Promise((resolve) => this.#waiting.push(resolve)) : Promise.resolve();
  }

  /** Stops: no more frames or calls; anyone waiting is released. */
  destroy() {
    this.#destroyed = true;
    this.frames.cancel(this.#frame);
    this.#job = null;
    for (const resolve of this.#waiting.splice(0)) resolve();
  }

  // The time the run in progress still needs: the engine's own estimate if
  // it has one (a run in a worker is not timed here), else this one's.
  #msLeft() {
    return this.engine.msLeft ?? this.engine.workLeft / this.#unitsPerMs;
  }

  // One slice of the run in progress, timed to correct the speed estimate;
  // true when the run is done.
  #slice() {
    const budget = SLICE_MS * this.#unitsPerMs;
    const start = this.now();
    const done = this.engine.advance(budget);
    const ms = this.now() - start;
    // Only a slice that used its whole budget tells the speed; the square
    // root damps one slow slice (a garbage collection, a busy machine).
    // A run in a worker is only looked at here: its slices say nothing of the speed.
    if (!done && ms >= 1 && !this.engine.remote) this.#unitsPerMs = Math.sqrt(this.#unitsPerMs * Math.min(1e9, Math.max(1e4, budget / ms)));
    return done;
  }

  #finish() {
    this.#shown = this.#job;
    this.#job = null;
    for (const resolve of this.#waiting.splice(0)) resolve();
    this.onShow(this.#shown);
    // A drag's newest d_k waited for this run (FINISH_MS): it follows next frame.
    if (this.#wanted.key !== this.#shown.key) this.#later();
  }

  #carryOn() {
    this.onProgress(this.#job, this.engine.progress);
    this.#later();
  }

  #later() {
    if (!this.#frame && !this.#destroyed) this.#frame = this.frames.request(this.tick);
  }

  tick() {
    this.#frame = 0;
    if (this.#destroyed) return;
    if (!this.#job) return this.sync(this.#wanted);
    if (this.#slice()) this.#finish();
    else this.#carryOn();
  }
}
