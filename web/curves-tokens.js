// The chart of entropy ÷ ln n against T, shown with SSMax (Nakanishi 2025):
// two Monte-Carlo sweeps over T at the view's d_k, one with the plain
// 1/√d_k rule and one with the view's own modes, computed by the engine on
// this thread a slice at a time (a few hundred small runs) and dropped as
// soon as the settings change. Every number is the engine's.

import { STYLE, lineChart } from './charts.js';
import { MODES, keyOf } from './state.js';

/** The T of the chart's points: powers of two up to the curves' largest T. */
export const TOKENS = [4, 8, 16, 32, 64, 128, 256];
const SLICE_MS = 8;

/** Everything the two sweeps depend on. */
const keyFor = (state) => keyOf(state, [...MODES, 'seed', 'trials', 'dk']);

export class TokensChart {
  jobs = [];
  key = '';
  bands = [];
  theory = [];
  generation = 0;
  channel = new MessageChannel();

  constructor(figure, page) {
    this.figure = figure;
    this.canvas = figure.querySelector('canvas');
    this.page = page;
    this.channel.port1.onmessage = (event) => this.slice(event.data);
  }

  /** Called with the state shown whenever the curves section draws. */
  update(state) {
    this.state = state;
    this.figure.hidden = state.scale !== 'ssmax';
    if (this.figure.hidden) return this.stop();
    if (keyFor(state) !== this.key) this.restart(state);
    this.draw();
  }

  stop() {
    this.generation += 1;
    for (const job of this.jobs) job.free();
    this.jobs = [];
    this.key = '';
  }

  destroy() {
    this.stop();
    this.channel.port1.close();
  }

  restart(state) {
    this.stop();
    const { engine, explorer } = this.page;
    this.key = keyFor(state);
    const trials = state.trials;
    this.jobs = [true, false].map((plain) => engine.Curves.overTokens(explorer, state.dk, state.seed, Uint32Array.from(TOKENS), trials, plain));
    this.bands = [];
    this.figure.dataset.done = 'false';
    this.channel.port2.postMessage(this.generation);
  }

  // A slice of both sweeps, then yield to the browser through a message.
  slice(generation) {
    if (generation !== this.generation || !this.jobs.length) return;
    const start = performance.now();
    let done = false;
    while (!done && performance.now() - start < SLICE_MS) done = this.jobs.map((job) => job.advance(1)).every(Boolean);
    const n = TOKENS.length;
    this.bands = this.jobs.map((job) => {
      const b = job.bands('entropy_scaled');
      return { mean: b.subarray(0, n), lo: b.subarray(n, 2 * n), hi: b.subarray(2 * n) };
    });
    this.theory = this.jobs.map((job) => job.theory('entropy_scaled'));
    this.figure.dataset.done = String(done);
    this.draw();
    if (!done) this.channel.port2.postMessage(generation);
  }

  draw() {
    if (this.figure.hidden || !this.bands.length) return;
    const { words } = this.page;
    const [plain, ssmax] = this.bands;
    lineChart(this.canvas, {
      xs: TOKENS,
      log: true,
      xLabel: words.t('chart.tokensLog'),
      yLabel: words.t('chart.share'),
      format: (v) => words.short(v, 12),
      series: [{ style: STYLE.unscaled, ...plain }, { style: STYLE.scaled, ...ssmax }],
      theory: [{ style: STYLE.theoryUnscaled, values: this.theory[0] }].filter((t) => t.values.some(Number.isFinite)),
      marker: TOKENS.includes(this.state.t) ? this.state.t : undefined,
      markerName: 'T',
      yMin: 0,
      yMax: 1,
    });
    const at = (b, i) => words.fixed(b.mean[i], 2);
    const last = TOKENS.length - 1;
    this.canvas.setAttribute('aria-label', words.t('chart.tokensLabel', {
      from: TOKENS[0], to: TOKENS[last], plainFrom: at(plain, 0), plainTo: at(plain, last), ssmaxFrom: at(ssmax, 0), ssmaxTo: at(ssmax, last),
    }));
  }
}
