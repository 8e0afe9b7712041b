// The engine in a module worker: a big run is computed here, so that the
// page's main thread never waits for it (view-engine.js decides which runs
// come here, and the page's engine adopts the results). Messages in:
// `{ id, modes, tokens, t, dk, seed }`, the newest of which wins (a run in
// progress stops at its next slice). Out: `{ id, progress, workLeft }`
// after each slice, then `{ id, results, work, ms }` (the run's work units and
// time, for the page's speed estimate) with the matrices' buffers
// transferred, or `{ id, error }`.
import init, { Explorer, Panel } from './pkg/attention_wasm.js';

// Work units per slice: the worker looks for a newer request between slices.
const SLICE_UNITS = 2e8;

let latest = -1;
const explorer = init().then(() => new Explorer());

// A macrotask turn without a timer's clamping, so that messages are read.
const channel = new MessageChannel();
const nextTurn = () =>
  new Promise((resolve) => {
    channel.port1.onmessage = resolve;
    channel.port2.postMessage(null);
  });

addEventListener('message', ({ data }) => {
  latest = data.id;
  compute(data);
});

async function compute({ id, modes, tokens, t, dk, seed }) {
  try {
    const engine = await explorer;
    if (latest !== id) return;
    const start = performance.now();
    engine.configure(modes);
    engine.setTokens(tokens);
    engine.start(t, dk, seed);
    const work = engine.workLeft;
    while (!engine.advance(SLICE_UNITS)) {
      postMessage({ id, progress: engine.progress, workLeft: engine.workLeft });
      await nextTurn();
      if (latest !== id) return;
    }
    post(engine, id, modes.qk === 'independent', { work, ms: performance.now() - start });
  } catch (error) {
    postMessage({ id, error: String(error?.message ?? error) });
  }
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
