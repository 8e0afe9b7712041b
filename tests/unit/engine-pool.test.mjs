// The page's side of a run split over several workers, without a browser:
// fake workers that answer as engine-worker.js does, so that what the page
// sends each worker, and what it gathers, can be read.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { enginePool } from '../../web/engine-pool.js';

/**
 * Fake module workers, in creation order, each logging what it is sent. A
 * `band` is answered with its score rows (when it shares them) and, once
 * every row above it has come, with its finished rows; messages are answered
 * when `flush()` says so, as a real worker answers between turns.
 */
function fakeWorkers() {
  const made = [];
  const queue = [];
  globalThis.Worker = class {
    constructor() {
      this.sent = [];
      made.push(this);
      this.name = `worker ${made.length}`;
    }
    reply(data) {
      queue.push(() => this.onmessage({ data, target: this }));
    }
    postMessage(message) {
      this.sent.push(message);
      if (message.kind === 'band') {
        const [from, to] = message.rows;
        this.band = { id: message.id, t: message.t, from, to, missing: message.above };
        if (message.share) this.reply({ kind: 'band', id: message.id, first: from, scores: new Float32Array((to - from) * message.t) });
      }
      if (message.kind === 'above') this.band.missing -= message.scores.length / this.band.t;
      if (message.kind === 'rows') this.reply({ kind: 'rows', id: message.id, rows: [`Q of ${this.name}`, 'K'] });
      if (this.band && this.band.missing === 0) {
        const { id, from } = this.band;
        this.band = null;
        this.reply({ kind: 'finished', id, first: from, panels: [[`rows from ${from}`], [`scaled rows from ${from}`]] });
      }
    }
    terminate() {}
  };
  const flush = () => {
    while (queue.length) queue.shift()();
  };
  return { made, flush };
}

const message = (qk) => ({ modes: { qk }, tokens: [], t: 12, dk: 64, seed: 1 });

test('a split run with Q = K passes each band\'s score rows to every worker below it, and gathers every band and Q', () => {
  const { made, flush } = fakeWorkers();
  const pool = enginePool({ count: 3, onResults: () => {}, bandEdges: (n) => (n === 3 ? [0, 4, 8, 12] : null) });
  const run = pool.send(message('self'), 1000, 3);
  assert.equal(made.length, 3);
  assert.deepEqual(
    made.map((w) => [w.sent[0].rows, w.sent[0].share, w.sent[0].above]),
    [[[0, 4], true, 0], [[4, 8], true, 4], [[8, 12], false, 8]],
  );
  flush();
  // The first band's rows went to the second and third workers, the second's to the third.
  assert.deepEqual(made.map((w) => w.sent.filter((m) => m.kind === 'above').map((m) => m.first)), [[], [0], [0, 4]]);
  // Q and K come from the first worker to finish: the top band's, which waits for no rows.
  assert.deepEqual(made.map((w) => w.sent.filter((m) => m.kind === 'rows').length), [1, 0, 0]);
  assert.equal(run.results.q, 'Q of worker 1');
  assert.deepEqual(run.results.bands.map((b) => [b.first, b.panels[1][0]]).sort(), [[0, 'scaled rows from 0'], [4, 'scaled rows from 4'], [8, 'scaled rows from 8']]);
  assert.equal(run.error, null);
  pool.stop();
});

test('a split run with independent Q and K passes nothing on, and a newer run drops the older one\'s answers', () => {
  const { made, flush } = fakeWorkers();
  const pool = enginePool({ count: 2, onResults: () => {}, bandEdges: () => [0, 6, 12] });
  const old = pool.send(message('independent'), 1000, 2);
  const run = pool.send(message('independent'), 1000, 2);
  assert.deepEqual(made[0].sent.map((m) => [m.kind, m.share, m.above]), [['band', false, 0], ['band', false, 0]]);
  flush();
  assert.equal(old.results, null);
  assert.equal(made.flatMap((w) => w.sent).filter((m) => m.kind === 'above').length, 0);
  assert.deepEqual(run.results.bands.map((b) => b.first).sort(), [0, 6]);
  assert.equal(run.results.q, 'Q of worker 1');
  pool.stop();
});
