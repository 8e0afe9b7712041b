// The "how magnitudes grow" section: Monte-Carlo curves over d_k (computed
// by the engine a slice at a time, so the page never freezes and a sweep is
// dropped as soon as the settings change), histograms of the current scores,
// and one query row's weights. Scheduling and drawing; the tables and CSV
// are curves-tables.js's, and every number is the engine's.

import { STYLE, barChart, histogramChart, lineChart } from './charts.js';
import { saveBlob } from './export.js';
import { curvesCsv, curvesTables, histogramsCsv, rowCsv } from './curves-tables.js';
import { MODES, hasDiagonal, keyOf } from './state.js';
import { modesOf } from './view-engine.js';
import { KNOTS } from './sketch.js';
import { bindSketching, describe } from './curves-sketch.js';
import { TokensChart } from './curves-tokens.js';

/**
 * The charts of the curves panel: which metrics, and the y axis's label (a
 * key of the strings, or maths as it is); their titles are the markup's.
 */
const CHARTS = [
  { id: 'std', yLabel: 'chart.std', metrics: ['std_unscaled', 'std_scaled'], yMin: 0 },
  // A query's score with its own key: |x|² when Q = K; ρ·d_k + μ²·d_k with correlated or offset inputs (the core's sweep theory).
  {
    id: 'diagonal', yLabel: 'chart.mean', metrics: ['diagonal_unscaled', 'diagonal_scaled'], yMin: 0,
    only: hasDiagonal,
  },
  { id: 'max', yLabel: 'chart.weight', metrics: ['max_prob_unscaled', 'max_prob_scaled'], yMin: 0 },
  { id: 'entropy', yLabel: 'chart.share', metrics: ['entropy_unscaled', 'entropy_scaled'], yMin: 0 },
  { id: 'gradient', yLabel: '‖J‖', metrics: ['gradient_unscaled', 'gradient_scaled'], yMin: 0 },
];

const METRIC_NAMES = CHARTS.flatMap((c) => c.metrics);
const SLICE_MS = 10;
const HIST_BINS = 40; // both panels share the range, so the scaled one needs the resolution

// Largest T of a sweep: 2,048 runs (the default grid and trials) take about
// 4 s at T = 256, and 16 times that at T = 1024.
const CURVES_MAX_T = 256;

/** The sweep's T: the view's, up to CURVES_MAX_T. */
const sweepT = (state) => Math.min(state.t, CURVES_MAX_T);

/** Everything a sweep depends on. */
const sweepKey = (state) => `${keyOf(state, [...MODES, 'seed', 'trials', 'text'])}|${sweepT(state)}`;

/** A chart tick in the language's digits and decimal mark (ticks are already round numbers). */
const tickText = (words) => (v) => words.short(v, 12);

/** Saves CSV `text` as `name`, through the exports' one download path. */
const download = (name, text) => saveBlob(name, new Blob([text], { type: 'text/csv' }));

/**
 * Draws every curve chart that applies to `state` (only the sketch, on the
 * std chart, while a sketch waits for its reveal); returns the x axes by chart.
 */
function drawCurves(charts, state, dims, bands, theory, sketch, words) {
  const axes = new Map();
  for (const chart of charts.values()) {
    const visible = !chart.only || chart.only(state);
    chart.figure.hidden = !visible;
    const sketching = chart.id === 'std' && sketch && !sketch.revealed;
    const canvas = chart.figure.querySelector('canvas');
    // A slider has a value from the start, before the sweep's first point.
    if (!sketching) {
      canvas.setAttribute('aria-valuenow', String(state.dk));
      canvas.setAttribute('aria-valuetext', `d_k ${state.dk}`);
    }
    if (!visible || (!bands.size && !sketching)) continue;
    const [u, s] = chart.metrics;
    const yLabel = chart.yLabel.startsWith('chart.') ? words.t(chart.yLabel) : chart.yLabel;
    const shared = { xs: dims, log: state.xscale === 'log', xLabel: words.t(state.xscale === 'log' ? 'chart.dkLog' : 'chart.dk'), yLabel, format: tickText(words) };
    if (sketching) {
      axes.set(chart.id, lineChart(canvas, { ...shared, series: [], sketch: sketch.values, sketchAt: KNOTS[sketch.knot], yMin: 0, yMax: sketch.max }));
      chart.figure.querySelector('.chart-legend .theory').hidden = true;
      describe(canvas, sketch, words);
      continue;
    }
    axes.set(chart.id, lineChart(canvas, {
      ...shared,
      series: [
        { style: STYLE.unscaled, ...bands.get(u) },
        { style: STYLE.scaled, ...bands.get(s) },
      ],
      theory: [
        { style: STYLE.theoryUnscaled, values: theory.get(u) },
        { style: STYLE.theoryScaled, values: theory.get(s) },
      ].filter((t) => t.values.some(Number.isFinite)),
      sketch: chart.id === 'std' && sketch ? sketch.values : null,
      marker: state.dk,
      yMin: chart.yMin,
    }));
    const hasTheory = theory.get(u).some(Number.isFinite) || theory.get(s).some(Number.isFinite);
    chart.figure.querySelector('.chart-legend .theory').hidden = !hasTheory;
  }
  return axes;
}

/** Both panels' score histograms, from the engine, on one count axis. */
function drawHistograms(root, engine, explorer, words) {
  const { t } = words;
  const stats = [];
  for (const [panel, which] of [[engine.Panel.Unscaled, 'unscaled'], [engine.Panel.Scaled, 'scaled']]) {
    const h = explorer.histogram(panel, HIST_BINS);
    stats.push({ which, edges: h.edges(), off: h.offDiagonal(), diag: h.diagonal(), expected: h.expected() });
    h.free();
  }
  // The engine bins both panels over one range; one count axis too, so
  // the two charts compare like one chart.
  const yMax = Math.max(1, ...stats.flatMap((s) => [...s.off.map((c, i) => c + s.diag[i]), ...s.expected.map((v) => v * 1.05)]));
  for (const { which, edges, off, diag, expected } of stats) {
    histogramChart(root.querySelector(`[data-chart="hist-${which}"] canvas`), {
      edges,
      yMax,
      stacks: [
        { style: STYLE[which], counts: off },
        { style: { color: null }, counts: diag }, // the theme's ink
      ],
      expected: expected.length ? expected : null,
      xLabel: t(`chart.score.${which}`),
      yLabel: t('chart.count'),
      format: tickText(words),
    });
  }
  return stats;
}

/** The chosen query row's weights in both panels, as grouped bars. */
function drawRow(root, engine, explorer, state, labels, words) {
  const { t } = words;
  const row = Math.min(state.row, state.t - 1);
  const probs = [engine.Panel.Unscaled, engine.Panel.Scaled].map((p) => explorer.probabilityRow(p, row));
  barChart(root.querySelector('[data-chart="row"] canvas'), {
    labels,
    groups: labels.map((_, i) => [
      { style: STYLE.unscaled, value: probs[0][i] },
      { style: STYLE.scaled, value: probs[1][i] },
    ]),
    xLabel: t('tables.key'),
    yLabel: t('chart.weight'),
    format: tickText(words),
  });
  root.querySelector('[data-chart="row"] .row-title').textContent = labels[row];
  return { probs, row };
}

/**
 * The section. `page` gives `state` (the view's, for the d_k asked for),
 * `engine`, `explorer`, `dims` (the slider's d_k values), `labels()`,
 * `tokens()` (the shown run's), `sweep(message, onUpdate)` (the view
 * engine's: a sweep in its worker, or null) and `setDk(value)`;
 * `update(shown)` the state of the run shown.
 */
class Curves {
  job = null;
  jobKey = '';
  bands = new Map();
  theory = new Map();
  axes = new Map();
  sketch = null;
  generation = 0;
  distributions = null;
  shown = null;
  channel = new MessageChannel();

  constructor(root, page) {
    this.root = root;
    this.page = page;
    this.charts = new Map(CHARTS.map((c) => [c.id, { ...c, figure: root.querySelector(`[data-chart="${c.id}"]`) }]));
    this.progress = root.querySelector('[data-testid="sweep-progress"]');
    this.stdLabel = root.querySelector('[data-chart="std"] canvas').getAttribute('aria-label');
    this.tableBox = root.querySelector('.curves-tables');
    this.tokens = new TokensChart(root.querySelector('[data-chart="entropy-t"]'), page);
    this.channel.port1.onmessage = (event) => this.slice(event.data);
    this.bindDownloads();
    this.bindCharts();
  }

  /** Called after every render of the page. */
  update(state) {
    this.shown = state;
    if (!this.root.open) return;
    if (sweepKey(state) !== this.jobKey) this.restart(state);
    this.draw(state);
    this.tokens.update(state);
    const { engine, explorer, labels } = this.page;
    const stats = drawHistograms(this.root, engine, explorer, this.page.words);
    this.distributions = { stats, ...drawRow(this.root, engine, explorer, state, labels(), this.page.words) };
    for (const el of this.root.querySelectorAll('.dk-now')) el.textContent = String(state.dk);
    if (!this.tableBox.hidden && this.job && this.job.runsDone === this.job.runsTotal) this.fillTables();
  }

  /** Drops the running sweep and frees it. */
  destroy() {
    this.generation += 1;
    this.job?.free();
    this.job = null;
    this.channel.port1.close();
    this.tokens.destroy();
  }

  // A new sweep: in the view's worker when it has one (each of the worker's
  // slices then calls `slice`), else here, a slice at a time.
  restart(state, { here = false } = {}) {
    this.job?.free();
    const { engine, explorer, dims, sweep, tokens } = this.page;
    this.jobKey = sweepKey(state);
    // A new generation: slices still queued for the old sweep are dropped.
    const generation = (this.generation += 1);
    const message = { modes: modesOf({ ...state, t: sweepT(state) }), tokens: tokens(), t: sweepT(state), seed: state.seed, dims, trials: state.trials, metrics: METRIC_NAMES };
    this.job = here ? null : sweep(message, () => this.slice(generation));
    if (this.job) return;
    this.job = new engine.Curves(explorer, sweepT(state), state.seed, Uint32Array.from(dims), state.trials);
    this.channel.port2.postMessage(generation);
  }

  // One slice of the sweep, then yield to the browser (input and painting)
  // through a message, which unlike setTimeout is not clamped to 4 ms. A
  // sweep in the worker has done its slice when this is called.
  slice(generation) {
    const { job } = this;
    if (!job || generation !== this.generation) return;
    if (job.failed) return this.restart(this.shown, { here: true });
    let done = job.remote ? job.done : false;
    const start = performance.now();
    while (!job.remote && !done && performance.now() - start < SLICE_MS) done = job.advance(8);
    this.collect();
    const state = this.shown;
    const share = Math.round((100 * job.runsDone) / job.runsTotal);
    const { t } = this.page.words;
    const capped = state.t > CURVES_MAX_T ? ` ${t('curves.capped', { max: CURVES_MAX_T, t: state.t })}` : '';
    this.progress.textContent = done
      ? `${t('curves.done', { trials: job.trials, runs: job.runsTotal })}${capped}`
      : t('curves.computing', { share, done: job.runsDone, total: job.runsTotal });
    this.root.classList.toggle('computing', !done);
    this.draw(state);
    if (!done && !job.remote) this.channel.port2.postMessage(generation);
    else if (done && !this.tableBox.hidden) this.fillTables();
  }

  collect() {
    const n = this.page.dims.length;
    for (const name of METRIC_NAMES) {
      const b = this.job.bands(name);
      this.bands.set(name, { mean: b.subarray(0, n), lo: b.subarray(n, 2 * n), hi: b.subarray(2 * n) });
      this.theory.set(name, this.job.theory(name));
    }
  }

  draw(state) {
    if (state) this.axes = drawCurves(this.charts, state, this.page.dims, this.bands, this.theory, this.sketch, this.page.words);
  }

  /** Shows a student's sketch on the std chart (null: none); until it is revealed, the chart takes drawing instead of clicks. */
  setSketch(sketch) {
    this.sketch = sketch;
    const sketching = Boolean(sketch && !sketch.revealed);
    const std = this.charts.get('std').figure;
    std.classList.toggle('sketching', sketching);
    if (!sketching) std.querySelector('canvas').setAttribute('aria-label', this.stdLabel);
    // The tables would show the curve a sketch is to predict.
    const tables = this.root.querySelector('#show-tables');
    tables.disabled = sketching;
    if (sketching && !this.tableBox.hidden) tables.click();
    this.draw(this.shown);
  }

  fillTables() {
    if (!this.distributions) return;
    const { dims, labels } = this.page;
    const state = this.shown;
    this.tableBox.replaceChildren(...curvesTables({
      dims, metrics: METRIC_NAMES, bands: this.bands, trials: state.trials, dk: state.dk, d: this.distributions, names: labels(),
    }, this.page.words));
  }

  bindDownloads() {
    const $ = (s) => this.root.querySelector(s);
    const stem = () => {
      const s = this.shown;
      return `${s.qk}-${s.score}-T${s.t}-dk${s.dk}-seed${s.seed}`;
    };
    $('#download-histograms').addEventListener('click', () => {
      if (this.distributions) download(`attention-histograms-${stem()}.csv`, histogramsCsv(this.distributions));
    });
    $('#download-row').addEventListener('click', () => {
      const d = this.distributions;
      if (d) download(`attention-row${d.row}-${stem()}.csv`, rowCsv(d, this.page.labels()));
    });
    $('#download-csv').addEventListener('click', () => {
      const s = this.shown;
      if (this.bands.size) {
        download(`attention-curves-${s.qk}-${s.score}-T${s.t}-seed${s.seed}-trials${s.trials}.csv`,
          curvesCsv(this.page.dims, METRIC_NAMES, this.bands, this.theory));
      }
    });
    const button = $('#show-tables');
    button.addEventListener('click', () => {
      this.tableBox.hidden = !this.tableBox.hidden;
      button.setAttribute('aria-expanded', String(!this.tableBox.hidden));
      button.textContent = this.page.words.markup(this.tableBox.hidden ? 'Show as tables' : 'Hide tables');
      if (!this.tableBox.hidden) this.fillTables();
    });
  }

  // Clicking a chart, or arrow keys on it, picks the d_k nearest the point
  // (on the std chart while a sketch waits, they draw instead: curves-sketch.js).
  bindCharts() {
    const { page } = this;
    const sketching = bindSketching(this.charts.get('std').figure.querySelector('canvas'), {
      sketch: () => (this.sketch && !this.sketch.revealed ? this.sketch : null),
      axis: () => this.axes.get('std'),
      redraw: () => this.draw(this.shown),
      words: this.page.words,
    });
    for (const chart of this.charts.values()) {
      const canvas = chart.figure.querySelector('canvas');
      canvas.addEventListener('click', (event) => {
        const axis = this.axes.get(chart.id);
        if (!axis || sketching(chart.id)) return;
        const rect = canvas.getBoundingClientRect();
        page.setDk(page.dims[axis.nearestIndex(event.clientX - rect.left)]);
      });
      canvas.addEventListener('keydown', (event) => {
        if (sketching(chart.id)) return;
        // The grid points either side of d_k, which may lie off the grid
        // (above it, with "Large sizes"): then ← goes to the grid's top.
        const { dims } = page;
        const dk = page.state.dk;
        const below = dims.findLastIndex((d) => d < dk);
        const above = dims.findIndex((d) => d > dk);
        const moves = { ArrowLeft: below, ArrowDown: below, ArrowRight: above, ArrowUp: above, Home: 0, End: dims.length - 1 };
        if (!(event.key in moves)) return;
        event.preventDefault();
        if (moves[event.key] >= 0) page.setDk(dims[moves[event.key]]);
      });
    }
  }
}

/** Wires the section in `root`; returns `{ update(state), destroy() }`. */
export function createCurves(root, page) {
  return new Curves(root, page);
}
