// The run scheduler without a browser: a fake engine whose work takes fake
// time, and frames that run only when the test says so.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FINISH_MS, FIRST_UNITS_PER_MS, SLICE_MS, createRuns } from '../../web/runs.js';

/** A run of `work` units at `dk`, with the other inputs `rest`. */
const run = (dk, work, rest = 'a') => ({ key: `${rest}|${dk}`, rest, dk, work });

/**
 * An engine doing `speed` units per ms on a fake clock, frames queued until
 * `frame()`, and a log of what the view was asked to do.
 */
function harness({ speed = FIRST_UNITS_PER_MS } = {}) {
  let clock = 0;
  let left = 0;
  let total = 0;
  const queued = new Map();
  let nextId = 1;
  const log = [];
  const engine = {
    started: [],
    start(r) {
      this.started.push(r.key);
      left = r.work;
      total = r.work;
    },
    advance(budget) {
      const done = Math.min(left, budget);
      left -= done;
      clock += done / speed;
      return left === 0;
    },
    get workLeft() {
      return left;
    },
    get progress() {
      return total ? 1 - left / total : 1;
    },
  };
  const runs = createRuns({
    engine,
    now: () => clock,
    frames: {
      request(callback) {
        queued.set(nextId, callback);
        return nextId++;
      },
      cancel(id) {
        queued.delete(id);
      },
    },
    onShow: (r) => log.push(`show ${r.key}`),
    onProgress: (r, share) => log.push(`progress ${r.key} ${share.toFixed(2)}`),
  });
  /** Runs the frames queued now (not those they queue). */
  const frame = () => {
    const due = [...queued.values()];
    queued.clear();
    for (const callback of due) callback();
  };
  return { runs, engine, log, frame, pending: () => queued.size };
}

const sliceUnits = SLICE_MS * FIRST_UNITS_PER_MS;

test('a run that fits in one slice is started, finished and shown in the same call', () => {
  const { runs, engine, log, pending } = harness();
  runs.sync(run(16, 1000));
  assert.deepEqual(engine.started, ['a|16']);
  assert.deepEqual(log, ['show a|16']);
  assert.equal(runs.shown.key, 'a|16');
  assert.equal(runs.busy, false);
  assert.equal(pending(), 0);
});

test('asking again for the run shown repaints it and starts nothing', () => {
  const { runs, engine, log } = harness();
  runs.sync(run(16, 1000));
  runs.sync(run(16, 1000));
  assert.deepEqual(engine.started, ['a|16']);
  assert.deepEqual(log, ['show a|16', 'show a|16']);
});

test('a big run goes one slice per frame, reports progress, and is shown once, when done', () => {
  const { runs, log, frame } = harness();
  runs.sync(run(16, 3.5 * sliceUnits));
  assert.equal(runs.busy, true);
  assert.equal(runs.shown, null);
  frame();
  frame();
  assert.equal(runs.busy, true);
  frame();
  assert.equal(runs.busy, false);
  assert.deepEqual(log, ['progress a|16 0.29', 'progress a|16 0.57', 'progress a|16 0.86', 'show a|16']);
});

test('the slice size follows the measured speed of the engine', () => {
  // An engine 4 times slower than the first guess: slices shrink towards 25 ms.
  const { runs, engine, frame } = harness({ speed: FIRST_UNITS_PER_MS / 4 });
  const work = 100 * sliceUnits;
  runs.sync(run(16, work));
  let before = engine.workLeft;
  const per = [];
  for (let i = 0; i < 8; i += 1) {
    frame();
    per.push(before - engine.workLeft);
    before = engine.workLeft;
  }
  // Each slice's budget is the geometric mean of the old estimate and the measured speed.
  assert.ok(per[0] < sliceUnits && per[0] > sliceUnits / 4, String(per));
  assert.ok(per[7] < per[0] && per[7] >= sliceUnits / 4, String(per));
});

test('a run the engine hands to a worker is only looked at: its polls do not change the slice size', () => {
  // Polls of a remote run take clock time (the page paints meanwhile) but do
  // no work here; were they timed, the speed estimate would collapse.
  let clock = 0;
  const budgets = [];
  const queued = [];
  const engine = {
    remote: false,
    workLeft: 0,
    progress: 0,
    start(r) {
      this.remote = r.rest === 'worker';
      this.workLeft = r.work;
    },
    advance(budget) {
      budgets.push(budget);
      clock += 30;
      if (!this.remote) this.workLeft = Math.max(0, this.workLeft - budget);
      return !this.remote && this.workLeft === 0;
    },
  };
  const runs = createRuns({
    engine,
    now: () => clock,
    frames: { request: (f) => queued.push(f), cancel: () => {} },
    onShow: () => {},
    onProgress: () => {},
  });
  runs.sync(run(16, 1e12, 'worker'));
  for (let i = 0; i < 5; i += 1) queued.shift()?.();
  // A run computed here now starts from the first guess, untouched by the polls.
  budgets.length = 0;
  runs.sync(run(16, 1e12, 'here'));
  queued.shift()?.();
  assert.equal(budgets[0], sliceUnits);
});

test('last value wins: a change while a run is in progress abandons it, and the new run waits a frame', () => {
  const { runs, engine, log, frame } = harness();
  runs.sync(run(16, 1000 * sliceUnits));
  runs.sync(run(16, 1000, 'b'));
  runs.sync(run(20, 1000, 'c'));
  assert.deepEqual(engine.started, ['a|16', 'b|16', 'c|20']);
  // No slice of b or c ran in the frame a's slice did.
  assert.equal(runs.shown, null);
  frame();
  assert.equal(runs.shown.key, 'c|20');
  assert.deepEqual(log.filter((l) => l.startsWith('show')), ['show c|20']);
});

test('the drag rule: a run nearly done is finished and shown before the newest d_k starts', () => {
  const { runs, engine, log, frame } = harness();
  // 1.5 slices: after the first, ~12 ms are left, well under FINISH_MS.
  runs.sync(run(16, 1.5 * sliceUnits));
  runs.sync(run(20, 1000)); // only d_k moved
  assert.deepEqual(engine.started, ['a|16']);
  frame(); // finishes a|16 and queues the follow-up
  assert.equal(runs.shown.key, 'a|16');
  frame();
  assert.deepEqual(engine.started, ['a|16', 'a|20']);
  assert.equal(runs.shown.key, 'a|20');
  assert.deepEqual(log.filter((l) => l.startsWith('show')), ['show a|16', 'show a|20']);
});

test('the drag rule: a run with more than FINISH_MS left is abandoned for the newest d_k', () => {
  const { runs, engine } = harness();
  const work = (FINISH_MS + 10 * SLICE_MS) * FIRST_UNITS_PER_MS;
  runs.sync(run(16, work));
  runs.sync(run(20, 1000));
  assert.deepEqual(engine.started, ['a|16', 'a|20']);
});

test('a change of anything but d_k never waits for the run in progress', () => {
  const { runs, engine } = harness();
  runs.sync(run(16, 1.5 * sliceUnits));
  runs.sync(run(16, 1000, 'b'));
  assert.deepEqual(engine.started, ['a|16', 'b|16']);
});

test('whole: the wanted run is finished at once, whatever is in progress', () => {
  const { runs, engine, log, pending } = harness();
  runs.sync(run(16, 1000 * sliceUnits));
  runs.sync(run(16, 1000 * sliceUnits), { whole: true });
  assert.equal(runs.shown.key, 'a|16');
  assert.equal(engine.workLeft, 0);
  runs.sync(run(32, 1000 * sliceUnits), { whole: true });
  assert.equal(runs.shown.key, 'a|32');
  assert.deepEqual(log.filter((l) => l.startsWith('show')), ['show a|16', 'show a|32']);
  assert.equal(runs.busy, false);
  // The slice frame queued for the abandoned run finds nothing to do.
  assert.ok(pending() <= 1);
});

test('whenDone resolves when the run in progress is shown, and at once when idle', async () => {
  const { runs, frame } = harness();
  await runs.whenDone();
  runs.sync(run(16, 2.5 * sliceUnits));
  let done = false;
  const waiting = runs.whenDone().then(() => {
    done = true;
  });
  frame();
  await Promise.resolve();
  assert.equal(done, false);
  frame();
  await waiting;
  assert.equal(runs.shown.key, 'a|16');
});

test('after destroy nothing runs, no frame is left queued, and waiters are released', async () => {
  const { runs, engine, log, frame, pending } = harness();
  runs.sync(run(16, 10 * sliceUnits));
  const waiting = runs.whenDone();
  runs.destroy();
  await waiting;
  assert.equal(pending(), 0);
  frame();
  runs.sync(run(20, 1000));
  assert.deepEqual(engine.started, ['a|16']);
  assert.deepEqual(log, ['progress a|16 0.10']);
});
