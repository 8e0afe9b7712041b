// The "how magnitudes grow" section: Monte-Carlo curves over d_k (computed
// by the engine a slice at a time, so the page never freezes and a sweep is
// dropped as soon as the settings change), histograms of the current scores,
// and one query row's weights. Drawing and formatting only; every number is
// the engine's.

import { STYLE, barChart, histogramChart, lineChart } from './charts.js';
import { saveBlob } from './export.js';
import { MODES, keyOf } from './state.js';

/** The charts of the curves panel: which metrics, how to label them. */
const CHARTS = [
  {
    id: 'std',
    title: 'Spread of the scores (std)',
    yLabel: 'std',
    metrics: ['std_unscaled', 'std_scaled'],
    yMin: 0,
  },
  {
    id: 'diagonal',
    title: 'Diagonal scores |x|² (Q = K)',
    yLabel: 'mean',
    metrics: ['diagonal_unscaled', 'diagonal_scaled'],
    yMin: 0,
    only: (state) => state.qk === 'self',
  },
  { id: 'max', title: 'Largest weight per row (mean)', yLabel: 'weight', metrics: ['max_prob_unscaled', 'max_prob_scaled'], yMin: 0 },
  { id: 'entropy', title: 'Entropy / ln T (mean)', yLabel: 'share', metrics: ['entropy_unscaled', 'entropy_scaled'], yMin: 0 },
  { id: 'gradient', title: 'Gradient signal ‖diag(p) − ppᵀ‖ (mean)', yLabel: '‖J‖', metrics: ['gradient_unscaled', 'gradient_scaled'], yMin: 0 },
];

const METRIC_NAMES = CHARTS.flatMap((c) => c.metrics);
const SLICE_MS = 10;
const HIST_BINS = 40; // both panels share the range, so the scaled one needs the resolution

const fmt = (v, digits = 4) => (Number.isFinite(v) ? Number(v.toPrecision(digits)).toString() : '');

/** Saves CSV `text` as `name`, through the exports' one download path. */
const download = (name, text) => saveBlob(name, new Blob([text], { type: 'text/csv' }));

function table(headers, rows) {
  const t = document.createElement('table');
  const head = t.createTHead().insertRow();
  for (const h of headers) head.append(Object.assign(document.createElement('th'), { scope: 'col', textContent: h }));
  const body = t.createTBody();
  for (const row of rows) {
    const tr = body.insertRow();
    row.forEach((cell, i) => {
      const el = document.createElement(i === 0 ? 'th' : 'td');
      if (i === 0) el.scope = 'row';
      el.textContent = cell;
      tr.append(el);
    });
  }
  return t;
}

/**
 * Wires the section. `page` gives `state`, `engine`, `explorer`, `dims`
 * (the slider's d_k values) and `setDk(value)` / `setRow(value)`.
 */
// Largest T of a sweep: 2,048 runs (the default grid and trials) take about
// 4 s at T = 256, and 16 times that at T = 1024.
const CURVES_MAX_T = 256;

export function createCurves(root, page) {
  const $ = (s) => root.querySelector(s);
  const charts = new Map(CHARTS.map((c) => [c.id, { ...c, figure: root.querySelector(`[data-chart="${c.id}"]`) }]));
  const progress = $('[data-testid="sweep-progress"]');
  const tableBox = $('.curves-tables');
  const tableButton = $('#show-tables');
  let job = null;
  let jobKey = '';
  let bands = new Map();
  let theory = new Map();
  let axis = null;
  let generation = 0;
  const channel = new MessageChannel();

  // The sweep's T: the view's, up to CURVES_MAX_T.
  const sweepT = (state) => Math.min(state.t, CURVES_MAX_T);

  function sweepKey(state) {
    return `${keyOf(state, [...MODES, 'seed', 'trials', 'text'])}|${sweepT(state)}`;
  }

  function collect() {
    bands = new Map();
    theory = new Map();
    const n = page.dims.length;
    for (const name of METRIC_NAMES) {
      const b = job.bands(name);
      bands.set(name, { mean: b.subarray(0, n), lo: b.subarray(n, 2 * n), hi: b.subarray(2 * n) });
      theory.set(name, job.theory(name));
    }
  }

  // One slice of the sweep, then yield to the browser (input and painting)
  // through a message, which unlike setTimeout is not clamped to 4 ms.
  function slice(event) {
    if (!job || event.data !== generation) return;
    const start = performance.now();
    let done = false;
    while (!done && performance.now() - start < SLICE_MS) done = job.advance(8);
    collect();
    const share = Math.round((100 * job.runsDone) / job.runsTotal);
    const capped = page.state.t > CURVES_MAX_T ? ` The curves use T = ${CURVES_MAX_T}, their largest (at T = ${page.state.t} a sweep would take minutes).` : '';
    progress.textContent = done
      ? `${job.trials} trials per d_k, ${job.runsTotal} runs.${capped}`
      : `Computing: ${share} % (${job.runsDone} of ${job.runsTotal} runs)…`;
    root.classList.toggle('computing', !done);
    drawCurves(page.state);
    if (done) {
      if (!tableBox.hidden) fillTables();
    } else {
      channel.port2.postMessage(generation);
    }
  }
  channel.port1.onmessage = slice;

  function restart(state) {
    job?.free();
    job = new page.engine.Curves(page.explorer, sweepT(state), state.seed, Uint32Array.from(page.dims), state.trials);
    jobKey = sweepKey(state);
    // A new generation: slices still queued for the old sweep are dropped.
    generation += 1;
    channel.port2.postMessage(generation);
  }

  function drawCurves(state) {
    if (!bands.size) return;
    for (const chart of charts.values()) {
      const visible = !chart.only || chart.only(state);
      chart.figure.hidden = !visible;
      if (!visible) continue;
      const [u, s] = chart.metrics;
      const canvas = chart.figure.querySelector('canvas');
      axis = lineChart(canvas, {
        xs: page.dims,
        log: state.xscale === 'log',
        series: [
          { style: STYLE.unscaled, ...bands.get(u) },
          { style: STYLE.scaled, ...bands.get(s) },
        ],
        theory: [
          { style: STYLE.theoryUnscaled, values: theory.get(u) },
          { style: STYLE.theoryScaled, values: theory.get(s) },
        ].filter((t) => t.values.some(Number.isFinite)),
        marker: state.dk,
        xLabel: state.xscale === 'log' ? 'd_k (log scale)' : 'd_k',
        yLabel: chart.yLabel,
        yMin: chart.yMin,
      });
      canvas.setAttribute('aria-valuenow', String(state.dk));
      canvas.setAttribute('aria-valuetext', `d_k ${state.dk}`);
      const legend = chart.figure.querySelector('.chart-legend');
      const hasTheory = theory.get(u).some(Number.isFinite) || theory.get(s).some(Number.isFinite);
      legend.querySelector('.theory').hidden = !hasTheory;
    }
  }

  function drawDistributions(state) {
    const { engine, explorer } = page;
    const stats = [];
    for (const [panel, which] of [[engine.Panel.Unscaled, 'unscaled'], [engine.Panel.Scaled, 'scaled']]) {
      const h = explorer.histogram(panel, HIST_BINS);
      stats.push({ which, lo: h.lo, hi: h.hi, off: h.offDiagonal(), diag: h.diagonal(), expected: h.expected() });
      h.free();
    }
    // The engine bins both panels over one range; one count axis too, so
    // the two charts compare like one chart.
    const yMax = Math.max(1, ...stats.flatMap((s) => [...s.off.map((c, i) => c + s.diag[i]), ...s.expected.map((v) => v * 1.05)]));
    for (const { which, lo, hi, off, diag, expected } of stats) {
      histogramChart($(`[data-chart="hist-${which}"] canvas`), {
        lo,
        hi,
        yMax,
        stacks: [
          { style: STYLE[which], counts: off },
          { style: { color: null }, counts: diag }, // the theme's ink
        ],
        expected: expected.length ? expected : null,
        xLabel: `${which} score`,
        yLabel: 'count',
      });
    }
    const row = Math.min(state.row, state.t - 1);
    const probs = [engine.Panel.Unscaled, engine.Panel.Scaled].map((p) => explorer.probabilityRow(p, row));
    const labels = page.labels();
    barChart($('[data-chart="row"] canvas'), {
      labels,
      groups: labels.map((_, i) => [
        { style: STYLE.unscaled, value: probs[0][i] },
        { style: STYLE.scaled, value: probs[1][i] },
      ]),
      xLabel: 'key',
      yLabel: 'weight',
    });
    $('[data-chart="row"] .row-title').textContent = labels[row];
    for (const el of root.querySelectorAll('.dk-now')) el.textContent = String(state.dk);
    return { stats, probs, row };
  }

  let lastDistributions = null;

  function fillTables() {
    const state = page.state;
    const curveRows = page.dims.map((d, i) => [
      String(d),
      ...METRIC_NAMES.map((m) => {
        const b = bands.get(m);
        return b ? `${fmt(b.mean[i])} (${fmt(b.lo[i])}–${fmt(b.hi[i])})` : '';
      }),
    ]);
    const curves = table(['d_k', ...METRIC_NAMES.map((m) => `${m} mean (p10–p90)`)], curveRows);
    curves.dataset.testid = 'curves-table';
    curves.createCaption().textContent = `Curves: mean over ${state.trials} trials, 10th–90th percentile in brackets.`;
    const d = lastDistributions;
    const histRows = Array.from(d.stats[0].off, (_, i) => {
      const cells = [];
      for (const s of d.stats) {
        const [a, b] = [s.lo + ((s.hi - s.lo) * i) / s.off.length, s.lo + ((s.hi - s.lo) * (i + 1)) / s.off.length];
        cells.push(`${fmt(a)} to ${fmt(b)}`, String(s.off[i]), String(s.diag[i]), s.expected.length ? fmt(s.expected[i]) : '');
      }
      return [String(i + 1), ...cells];
    });
    const hist = table(
      ['bin', ...d.stats.flatMap((s) => [`${s.which} range`, `${s.which} off-diagonal`, `${s.which} diagonal`, `${s.which} expected`])],
      histRows,
    );
    hist.createCaption().textContent = `Score histograms at d_k = ${state.dk}.`;
    const names = page.labels();
    const rowTable = table(['key', 'unscaled weight', 'scaled weight'], Array.from(d.probs[0], (_, i) => [names[i], fmt(d.probs[0][i], 6), fmt(d.probs[1][i], 6)]));
    rowTable.createCaption().textContent = `Weights of query row ${names[d.row]} at d_k = ${state.dk}.`;
    tableBox.replaceChildren(curves, hist, rowTable);
  }

  function curvesCsv() {
    const header = ['d_k', ...METRIC_NAMES.flatMap((m) => [`${m}_mean`, `${m}_p10`, `${m}_p90`, `${m}_theory`])];
    const lines = [header.join(',')];
    page.dims.forEach((d, i) => {
      const cells = [d];
      for (const m of METRIC_NAMES) {
        const b = bands.get(m);
        cells.push(fmt(b.mean[i], 10), fmt(b.lo[i], 10), fmt(b.hi[i], 10), fmt(theory.get(m)[i], 10));
      }
      lines.push(cells.join(','));
    });
    return `${lines.join('\n')}\n`;
  }

  function histogramsCsv() {
    const d = lastDistributions;
    const header = ['bin', ...d.stats.flatMap((s) => ['lo', 'hi', 'off_diagonal', 'diagonal', 'expected'].map((c) => `${s.which}_${c}`))];
    const lines = [header.join(',')];
    for (let i = 0; i < d.stats[0].off.length; i += 1) {
      const cells = [i];
      for (const s of d.stats) {
        const width = (s.hi - s.lo) / s.off.length;
        cells.push(fmt(s.lo + width * i, 10), fmt(s.lo + width * (i + 1), 10), s.off[i], s.diag[i], s.expected.length ? fmt(s.expected[i], 10) : '');
      }
      lines.push(cells.join(','));
    }
    return `${lines.join('\n')}\n`;
  }

  function rowCsv() {
    const d = lastDistributions;
    const lines = ['key,unscaled_weight,scaled_weight'];
    const names = page.labels();
    const quoted = (v) => `"${v.replaceAll('"', '""')}"`;
    d.probs[0].forEach((p, i) => lines.push([quoted(names[i]), fmt(p, 9), fmt(d.probs[1][i], 9)].join(',')));
    return `${lines.join('\n')}\n`;
  }

  const fileStem = () => {
    const s = page.state;
    return `${s.qk}-${s.score}-T${s.t}-dk${s.dk}-seed${s.seed}`;
  };
  $('#download-histograms').addEventListener('click', () => {
    if (lastDistributions) download(`attention-histograms-${fileStem()}.csv`, histogramsCsv());
  });
  $('#download-row').addEventListener('click', () => {
    if (lastDistributions) download(`attention-row${lastDistributions.row}-${fileStem()}.csv`, rowCsv());
  });

  $('#download-csv').addEventListener('click', () => {
    const s = page.state;
    if (bands.size) download(`attention-curves-${s.qk}-${s.score}-T${s.t}-seed${s.seed}-trials${s.trials}.csv`, curvesCsv());
  });
  tableButton.addEventListener('click', () => {
    tableBox.hidden = !tableBox.hidden;
    tableButton.setAttribute('aria-expanded', String(!tableBox.hidden));
    tableButton.textContent = tableBox.hidden ? 'Show as tables' : 'Hide tables';
    if (!tableBox.hidden && lastDistributions) fillTables();
  });

  // Clicking a chart, or arrow keys on it, picks the d_k nearest the point.
  for (const chart of charts.values()) {
    const canvas = chart.figure.querySelector('canvas');
    canvas.addEventListener('click', (event) => {
      if (!axis) return;
      const rect = canvas.getBoundingClientRect();
      page.setDk(page.dims[axis.nearestIndex(event.clientX - rect.left)]);
    });
    canvas.addEventListener('keydown', (event) => {
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

  return {
    /** Drops the running sweep and frees it. */
    destroy() {
      generation += 1;
      job?.free();
      job = null;
      channel.port1.close();
    },
    /** Called after every render of the page. */
    update(state) {
      if (!root.open) return;
      if (sweepKey(state) !== jobKey) restart(state);
      drawCurves(state);
      lastDistributions = drawDistributions(state);
      if (!tableBox.hidden && job && job.runsDone === job.runsTotal) fillTables();
    },
  };
}
