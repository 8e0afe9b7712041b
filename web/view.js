// One explorer view inside a root (an <attention-explorer>'s shadow root):
// wires the controls, and paints on the next animation frame after any
// change. All statistics and matrices come from the engine; this file moves
// values between the state, the controls, the engine and the DOM, and never
// inserts user-supplied text as HTML (only textContent and DOM nodes).

import { ISOLATE, MODES, PARAMS, clampParam, isLarge, keyOf, writeState } from './state.js';
import { fillTicks, indexLabels, snappedSize } from './axes.js';
import { PRESETS, label, tokenize } from './tokens.js';
import { caseText, colourLegend, modesText, panelWords, pytorchCall, readoutsText, scaleFactorText, viewLines } from './explain.js';

// The curves section and the exports load on first use: most visits never
// open them, and the page's first paint should not wait for their code.
const loadCurves = () => import('./curves.js');
/** The export module; a failed load (offline) is marked as such, unlike a bug. */
const loadExport = () =>
  import('./export.js').catch((error) => {
    throw Object.assign(new Error(`the export tools could not be loaded (${error.message})`), { offline: true });
  });

const $ = (selector, root) => root.querySelector(selector);
const $$ = (selector, root) => [...root.querySelectorAll(selector)];

/** The two panels, in page order; their titles follow the modes (`panelWords`). */
const PANELS = [{ which: 'unscaled' }, { which: 'scaled' }];

// How long the URL may lag behind the view. Chromium refuses (and logs)
// more than ~200 history updates per 10 s, which a slider drag at 60 Hz would
// exceed; one write per interval keeps the URL current without that.
const URL_WRITE_INTERVAL_MS = 150;

// Largest heatmap side in CSS pixels (matches --heatmap-max in style.css).
const HEATMAP_MAX_CSS_PX = 340;

// How long the numbers must stay still before they are announced to screen
// readers: long enough that a drag is announced once, at its end.
const ANNOUNCE_DELAY_MS = 700;

// Runs bigger than one slice are carried out a slice at a time between
// frames (the engine counts work in units of one f32 multiply-add, ~0.1 ns),
// so that at T = 1024, d_k = 4096 the page still paints every ~40 ms.
const SLICE_MS = 25;
// A first guess of the engine's speed, in work units per millisecond; each
// slice's timing then corrects it.
const FIRST_UNITS_PER_MS = 4e6;
// When only d_k moves (a drag) while a run is in progress, a run with at
// most this much left is finished and shown before the newest d_k starts:
// dragging at T = 1024 then shows results every ~100-250 ms instead of
// nothing until the drag stops. A run with more left is abandoned.
const FINISH_MS = 250;

// The heatmaps' text alternative as a table is offered up to this T (a
// larger one would be thousands of cells; the CSV export has them all).
const TABLE_MAX_T = 64;

// Width in canvas pixels of a full gradient bar.
const GRADIENT_BAR_PX = 16;

// The temperature slider is logarithmic: position 0..1000 maps to τ in
// [min, max], with τ = 1 in the middle.
const TAU = PARAMS.tau;
const tauFromPosition = (u) => Number((TAU.min * (TAU.max / TAU.min) ** (u / 1000)).toPrecision(3));
const positionFromTau = (tau) => Math.round((1000 * Math.log(tau / TAU.min)) / Math.log(TAU.max / TAU.min));

/** A number for display: fixed decimals, or a dash when there is none. */
const fixed = (x, digits) => (Number.isFinite(x) ? x.toFixed(digits) : '—');

/** Clones the panel template once per panel, before the colour bar. */
function buildPanels(root) {
  const template = $('#panel-template', root);
  const legend = $('.legend', root);
  return PANELS.map(({ which }) => {
    const panel = template.content.firstElementChild.cloneNode(true);
    panel.dataset.panel = which;
    $('canvas.cells', panel).dataset.testid = `heatmap-${which}`;
    $('.std', panel).dataset.testid = `std-${which}`;
    $('.metrics', panel).dataset.testid = `metrics-${which}`;
    $('.alarm', panel).dataset.testid = `alarm-${which}`;
    $('.grad-bars', panel).dataset.testid = `gradient-${which}`;
    $('.cell-table', panel).dataset.testid = `table-${which}`;
    legend.before(panel);
    return {
      root: panel,
      title: $('.panel-title', panel),
      formula: $('.formula', panel),
      cells: $('canvas.cells', panel),
      hatch: $('canvas.hatch', panel),
      bars: $('.grad-bars', panel),
      plot: $('.plot', panel),
      std: $('.std', panel),
      alarm: $('.alarm', panel),
      metrics: $('.metrics', panel),
      ticks: $$('.ticks', panel),
      rowMark: $('.row-mark', panel),
      cellRow: $('.cell-row', panel),
      cellCol: $('.cell-col', panel),
      table: $('.cell-table', panel),
      tableToggle: $('.table-toggle', panel),
    };
  });
}

function showNotice(ui, messages) {
  // User text arrives between ISOLATE marks: each piece becomes a <bdi>.
  const nodes = messages.join(' ').split(new RegExp(`[${ISOLATE.join('')}]`)).map((part, i) =>
    i % 2 ? Object.assign(document.createElement('bdi'), { textContent: part }) : document.createTextNode(part),
  );
  ui.notice.replaceChildren(...nodes);
  ui.notice.hidden = messages.length === 0;
}

/** Adds one message (no user text in it) to the notices shown. */
function addNotice(ui, message) {
  ui.notice.append(ui.notice.hidden ? message : ` ${message}`);
  ui.notice.hidden = false;
}

/** The view's elements, found once. */
function findElements(root) {
  const q = (selector) => $(selector, root);
  return {
    dk: q('#dk'),
    dkValue: q('#dk-value'),
    seed: q('#seed'),
    newSample: q('#new-sample'),
    tokens: q('#tokens'),
    large: q('#large'),
    computing: q('[data-testid="computing"]'),
    computingBar: q('.computing progress'),
    computingText: q('.computing-text'),
    panels: q('.panels'),
    text: q('#text'),
    ownText: q('#own-text'),
    presets: q('[data-testid="presets"]'),
    tooltip: q('#cell-tooltip'),
    trials: q('#trials'),
    curves: q('#curves'),
    scaleRule: q('#scale-rule'),
    scaleCustom: q('#scale-custom'),
    tau: q('#tau'),
    tauValue: q('#tau-value'),
    precision: q('#precision'),
    cmap: q('#cmap'),
    shade: q('#shade'),
    colorbarCaption: q('[data-testid="colorbar-caption"]'),
    colorbarTicks: $$('.bar-ticks li', root),
    uniformMark: q('[data-testid="uniform-mark"]'),
    notice: q('#notice'),
    status: q('#status'),
    app: q('.app'),
    dkReadouts: $$('.dk-readout', root),
    sqrtDk: q('[data-testid="sqrt-dk"]'),
    unscaledPerRoot: q('[data-testid="unscaled-per-root"]'),
    scaledStd: q('[data-testid="scaled-std"]'),
    readouts: q('[data-testid="readouts-text"]'),
    scaleFactor: q('[data-testid="scale-factor"]'),
    caseTitle: q('.case-title'),
    caseText: q('.case-text'),
    caseTry: q('.case-try'),
    modes: q('[data-testid="modes"]'),
    pytorch: q('[data-testid="pytorch"]'),
    colorbar: q('#colorbar'),
    nanSwatch: q('#nan-swatch'),
    copyLink: q('#copy-link'),
    copyEmbed: q('#copy-embed'),
    shareStatus: q('#share-status'),
    shareText: q('#share-text'),
    announce: q('#announce'),
    copyNumpy: q('#copy-numpy'),
    png0: q('#export-png-unscaled'),
    png1: q('#export-png-scaled'),
    exportCsv: q('#export-csv'),
    exportJson: q('#export-json'),
  };
}

/** Shows why the view could not start, in place of the heatmaps. */
export function showFailure(root, error) {
  const ui = findElements(root);
  const reason = error && error.message ? error.message : String(error);
  ui.status.textContent =
    `The explorer could not start: ${reason}. It needs a browser with WebAssembly ` +
    '(any current Chrome, Edge, Firefox or Safari), and the page must be served over ' +
    'http(s) with .wasm files sent as application/wasm.';
  ui.status.hidden = false;
  ui.status.classList.add('failed');
  ui.app.classList.add('unavailable');
}

/** "1 row", "2 rows": a count with its noun in the right number. */
const count = (n, noun) => `${n} ${noun}${n === 1 ? '' : 's'}`;

/** Writes one panel's numbers; `report` is the engine's, freed by the caller. */
function showReport(panel, report, state) {
  panel.std.textContent = fixed(report.std, 4);
  const t = state.t;
  const set = (cls, text) => {
    $(cls, panel.root).textContent = text;
  };
  set('.m-diagonal', `mean ${fixed(report.diagonalMean, 3)}, std ${fixed(report.diagonalStd, 3)}`);
  set('.m-off', `mean ${fixed(report.offDiagonalMean, 3)}, std ${fixed(report.offDiagonalStd, 3)}`);
  set('.m-max', `mean ${fixed(report.maxProbMean, 3)}, min ${fixed(report.maxProbMin, 3)}`);
  set('.m-entropy', `${fixed(report.entropyMean, 3)} nats (${fixed(100 * report.entropyFraction, 1)} % of ln T)`);
  set('.m-effective', `${fixed(report.effectiveTokens, 2)} of ${t}`);
  set('.m-gradient', `${fixed(report.gradientMean, 4)} (a uniform row: ${fixed(report.gradientUniform, 4)}; at most 0.5, two keys tied)`);
  set('.m-saturated', `${report.saturatedRows} of ${t}`);
  if (report.finiteRows === 0) {
    for (const cls of ['.m-max', '.m-entropy', '.m-effective', '.m-gradient', '.m-saturated']) set(cls, 'no finite row');
  }
  for (const row of $$('.split', panel.root)) row.hidden = state.qk !== 'self';
  $('.metrics-summary', panel.root).textContent =
    `Saturation: ${report.saturatedRows} of ${t} rows saturated, gradient signal ${fixed(report.gradientMean, 3)}`;

  const broken = report.nanRows > 0;
  panel.alarm.hidden = !broken;
  if (broken) {
    panel.alarm.textContent =
      `${count(report.nanRows, 'row')} produced NaN: exp overflowed to ∞ in ${count(report.expOverflows, 'cell')}, ` +
      `and ∞ / ∞ is NaN (${count(report.nanCells, 'NaN weight')}, hatched). ` +
      (report.finiteRows === 0
        ? 'No row is finite, so there are no saturation numbers.'
        : `The saturation numbers cover the ${report.finiteRows} finite rows.`);
  }
  return broken;
}

/**
 * Mounts a view in `root` (which already holds MARKUP) and returns its
 * controller. `initial` is a validated state, `notices` what validation
 * said; `syncUrl` makes the view read and write the page's address;
 * `onChange(state)` is called after each paint.
 */
export function mountView(root, engine, { initial, notices, syncUrl = false, onChange = () => {} }) {
  const panels = buildPanels(root);
  const ui = findElements(root);
  const explorer = new engine.Explorer();
  const contexts = panels.map((p) => p.cells.getContext('2d'));
  const hatchContexts = panels.map((p) => p.hatch.getContext('2d'));
  const barContexts = panels.map((p) => p.bars.getContext('2d'));
  const state = { ...initial };
  // The visitor's text as tokens; recomputed only when the text changes.
  let text = { source: null, tokens: [], notices: [] };
  let randomT = state.t;
  let hiddenFor = null;
  let announceTimer = 0;
  let caseTry = null; // the state the case text's button sets

  // A heatmap's text alternative: its weights as a table, labelled by token.
  function fillTable(panel, i) {
    const t = state.t;
    if (t > TABLE_MAX_T) {
      const note = document.createElement('p');
      note.textContent = `The table is offered up to T = ${TABLE_MAX_T}; this view has ${t * t} cells per panel. ` +
        'Export the matrices as CSV (under “Share and export”) to see every value.';
      panel.table.replaceChildren(note);
      return;
    }
    const names = labels();
    const probs = explorer.probabilities(i); // a view, read before the engine runs again
    const table = document.createElement('table');
    table.createCaption().textContent = `${panelWords(state)[i].title} at d_k ${state.dk}: rows are queries, columns keys.`;
    const head = table.createTHead().insertRow();
    head.append(Object.assign(document.createElement('th'), { scope: 'col', textContent: 'query \\ key' }));
    for (const name of names) head.append(Object.assign(document.createElement('th'), { scope: 'col', textContent: name }));
    const body = table.createTBody();
    for (let r = 0; r < t; r += 1) {
      const row = body.insertRow();
      row.append(Object.assign(document.createElement('th'), { scope: 'row', textContent: names[r] }));
      for (let c = 0; c < t; c += 1) row.insertCell().textContent = Number.isFinite(probs[r * t + c]) ? probs[r * t + c].toPrecision(4) : 'NaN';
    }
    panel.table.replaceChildren(table);
  }
  // "Show as table", and for screen readers which table.
  function toggleLabel(panel) {
    const which = Object.assign(document.createElement('span'), {
      className: 'visually-hidden',
      textContent: `: ${panel.tableToggle.dataset.title}`,
    });
    panel.tableToggle.replaceChildren(panel.table.hidden ? 'Show as table' : 'Hide table', which);
  }
  // Titles, formulas and the labels that name a panel, for the modes of the run shown.
  // Only when the words change: a slider step need not rewrite them.
  let namedFor = '';
  function namePanels(shown) {
    const words = panelWords(shown);
    const key = JSON.stringify(words);
    if (key === namedFor) return;
    namedFor = key;
    words.forEach(({ title, formula }, i) => {
      const panel = panels[i];
      panel.title.textContent = title;
      panel.formula.textContent = formula;
      panel.table.setAttribute('aria-label', `${title} as a table`);
      panel.tableToggle.dataset.title = title;
      toggleLabel(panel);
    });
  }
  namePanels(state);
  for (const [i, panel] of panels.entries()) {
    panel.tableToggle.addEventListener('click', () => {
      panel.table.hidden = !panel.table.hidden;
      panel.tableToggle.setAttribute('aria-expanded', String(!panel.table.hidden));
      toggleLabel(panel);
      if (!panel.table.hidden) fillTable(panel, i);
    });
  }
  // A notice from the text field (text cut to length), shown with the tokens' own.
  let textNotice = [];
  // The cell under the pointer or the keyboard cursor: [panel, row, column].
  let cursor = null;
  const dims = [];
  for (let d = PARAMS.dk.min; d <= PARAMS.dk.usual; d += PARAMS.dk.step) dims.push(d);
  let curves = null;
  let curvesLoading = null;
  let destroyed = false;
  // Draws the curves section if it is open, loading its code the first time.
  function updateCurves(shownState = state) {
    if (!ui.curves.open) return;
    if (curves) {
      curves.update(shownState);
      return;
    }
    curvesLoading ??= loadCurves().then(({ createCurves }) => {
      if (destroyed) return;
      curves = createCurves(ui.curves, {
        state,
        engine,
        explorer,
        dims,
        labels: () => labels(),
        setDk(value) {
          state.dk = value;
          ui.dk.value = String(value);
          schedule();
        },
      });
      schedule();
    }, () => {
      // Offline before the module arrived: say so, and try again next time.
      curvesLoading = null;
      $('[data-testid="sweep-progress"]', root).textContent = 'The curves could not be loaded (offline?); close and open this section to try again.';
    }).catch((error) => {
      // A bug, not the network: say what failed (and log it for developers).
      $('[data-testid="sweep-progress"]', root).textContent = `The curves failed: ${error.message}`;
      console.error(error);
    });
  }
  let frame = 0;
  let urlTimer = 0;
  let ticksFor = '';
  let configured = '';

  function useText() {
    if (text.source === state.text) return false;
    const typed = state.text !== '';
    const { tokens, notices } = typed ? tokenize(state.text) : { tokens: [], notices: [] };
    if (typed && tokens.length < 2) {
      notices.push(
        tokens.length === 0
          ? 'No words found in the text (spaces, punctuation and emoji are left out); showing random tokens.'
          : 'One word is not enough to compare; add another. Showing random tokens.',
      );
    }
    const wasText = text.tokens.length > 0;
    text = { source: state.text, tokens: tokens.length >= 2 ? tokens : [], notices };
    explorer.setTokens(text.tokens.map((t) => t.key));
    // T follows the text; without one, it goes back to what it was.
    if (text.tokens.length && !wasText) randomT = state.t;
    if (text.tokens.length) state.t = text.tokens.length;
    else if (wasText) state.t = randomT;
    return true;
  }

  function labels() {
    return text.tokens.length ? text.tokens.map((t) => t.text) : indexLabels(state.t);
  }

  // The d_k slider and the T field span the usual range, or with "Large
  // sizes" (or a state beyond the usual range) everything the engine takes.
  function applyRange() {
    if (isLarge(state)) ui.large.checked = true;
    for (const [name, input] of [['dk', ui.dk], ['t', ui.tokens]]) {
      input.min = String(PARAMS[name].min);
      input.max = String(ui.large.checked ? PARAMS[name].max : PARAMS[name].usual);
      input.step = String(PARAMS[name].step);
    }
  }
  ui.large.addEventListener('change', () => {
    if (!ui.large.checked && isLarge(state)) {
      state.dk = Math.min(state.dk, PARAMS.dk.usual);
      if (!text.tokens.length) state.t = Math.min(state.t, PARAMS.t.usual);
      showNotice(ui, [`Back to the usual sizes: d_k ${state.dk}, T ${state.t}.`]);
    }
    showControls();
    schedule();
  });

  // Puts the state into the controls (on start, and after a value is fixed).
  function showControls() {
    applyRange();
    ui.dk.value = String(state.dk);
    ui.tokens.value = String(state.t);
    ui.seed.value = String(state.seed);
    for (const name of ['qk', 'x', 'score', 'softmax', 'xscale']) {
      for (const radio of $$(`input[name="${name}"]`, root)) radio.checked = radio.value === state[name];
    }
    const custom = !PARAMS.scale.choices.includes(state.scale);
    ui.scaleRule.value = custom ? 'custom' : state.scale;
    if (custom) ui.scaleCustom.value = state.scale;
    ui.scaleCustom.parentElement.hidden = !custom;
    ui.tau.value = String(positionFromTau(state.tau));
    ui.tauValue.textContent = `τ = ${state.tau}`;
    ui.precision.value = state.precision;
    ui.cmap.value = state.cmap;
    ui.shade.value = state.shade;
    ui.trials.value = String(state.trials);
    if (ui.text.value !== state.text) ui.text.value = state.text;
  }
  showControls();
  useText();
  showNotice(ui, [...notices, ...text.notices]);
  if (state.text) ui.ownText.open = true;
  if (notices.length > 0) $('#modes', root).open = $('#modes', root).open || notices.some((n) => !/^(d_k|T|Seed) /.test(n));

  engine.paintNanSwatch(ui.nanSwatch.getContext('2d'), 2);

  function writeUrl() {
    urlTimer = 0;
    if (syncUrl) {
      const search = writeState(location.search, state);
      if (search !== location.search) history.replaceState(history.state, '', search);
    }
    // Preset links keep the rest of the view and swap in their text.
    for (const a of $$('a', ui.presets)) a.href = writeState(location.search, { ...state, text: a.dataset.text });
  }

  ui.presets.append(
    ...PRESETS.map((preset) => {
      const a = Object.assign(document.createElement('a'), { textContent: preset.name, lang: preset.lang });
      a.dataset.text = preset.text;
      a.href = `?text=${encodeURIComponent(preset.text)}`;
      return a;
    }),
  );

  // Sizes each plot to a whole number of device pixels per cell, within the
  // room its panel leaves beside the axis labels and gradient bars.
  function layout() {
    const dpr = window.devicePixelRatio || 1;
    for (const { plot, root } of panels) {
      const heatmap = plot.parentElement;
      const labels = heatmap.offsetWidth - plot.offsetWidth;
      const room = Math.min(HEATMAP_MAX_CSS_PX, root.clientWidth - labels);
      const { size, dense } = snappedSize(room, state.t, dpr);
      plot.style.width = `${size}px`;
      plot.classList.toggle('dense', dense);
    }
  }

  let paintedMap = '';
  function configure() {
    const map = `${state.cmap}|${state.shade}|${state.t}`;
    if (paintedMap !== map) {
      explorer.setColormap(state.cmap);
      explorer.setShading(state.shade);
      explorer.paintColorBar(ui.colorbar.getContext('2d'), 256);
      labelColourBar();
      paintedMap = map;
    }
    const key = keyOf(state, MODES);
    if (key === configured) return;
    const named = PARAMS.scale.choices.includes(state.scale);
    const [rule, factor] = named ? [state.scale, Number.NaN] : ['custom', Number(state.scale)];
    explorer.configure(state.qk, state.score, rule, factor, state.tau, state.softmax, state.precision);
    explorer.setColumns(state.x);
    configured = key;
  }

  // The colour bar's caption, ticks and the mark of a uniform row's weight.
  function labelColourBar() {
    const legend = colourLegend(state.shade, state.cmap, state.t);
    ui.colorbarCaption.textContent = legend.caption;
    legend.ticks.forEach((tick, i) => {
      ui.colorbarTicks[i].textContent = tick;
    });
    ui.colorbar.setAttribute('aria-label', legend.description);
    ui.uniformMark.hidden = legend.uniform === null;
    ui.uniformMark.textContent = legend.uniformLabel;
    if (legend.uniform !== null) ui.uniformMark.style.bottom = `${(100 * legend.uniform).toFixed(2)}%`;
  }

  // The key of the run in progress (sliced) and of the run shown.
  let job = null;
  let jobRest = null;
  let shown = null;
  let jobFrame = 0;
  let unitsPerMs = FIRST_UNITS_PER_MS;
  const waiting = [];

  function render({ whole = false } = {}) {
    frame = 0;
    if (destroyed) return; // a frame or a host's call that came after destroy()
    configure();
    if (hiddenFor !== state.hide) {
      hiddenFor = state.hide;
      const names = state.hide ? state.hide.split(',') : [];
      // A part may belong to several hideable groups ("qk modes"): hiding any hides it.
      for (const el of $$('[data-control]', root)) el.hidden = el.dataset.control.split(' ').some((n) => names.includes(n));
    }
    if (useText()) {
      showNotice(ui, [...textNotice, ...text.notices]);
      textNotice = [];
    }
    ui.tokens.disabled = text.tokens.length > 0;
    ui.tokens.value = String(state.t);
    // Everything the engine's run depends on; other changes (row, colour
    // map, hidden parts) only repaint the results already there.
    const rest = [configured, state.t, state.seed, text.source ?? ''].join('|');
    const key = `${rest}|${state.dk}`;
    ui.dkValue.textContent = String(state.dk);
    if (key !== job && key !== shown) {
      if (job && !whole && rest === jobRest && explorer.workLeft / unitsPerMs <= FINISH_MS) return carryOn();
      // Abandoning a run: its slice may already have run in this frame, so
      // the new run's first slice waits for the next one.
      const abandoning = job !== null;
      explorer.start(state.t, state.dk, state.seed);
      job = key;
      jobRest = rest;
      shown = null;
      if (whole) explorer.advance(Infinity);
      if (whole || (!abandoning && slice())) return show();
      return carryOn();
    }
    if (job && whole) explorer.advance(Infinity);
    else if (job) return carryOn();
    show();
  }

  // One slice of the run in progress, timed to correct the speed estimate;
  // true when the run is done.
  function slice() {
    const budget = SLICE_MS * unitsPerMs;
    const start = performance.now();
    const done = explorer.advance(budget);
    const ms = performance.now() - start;
    // Only a slice that used its whole budget tells the speed; the square
    // root damps one slow slice (a garbage collection, a busy machine).
    if (!done && ms >= 1) unitsPerMs = Math.sqrt(unitsPerMs * Math.min(1e9, Math.max(1e4, budget / ms)));
    return done;
  }

  // Shows how far the run is and does the next slice on the next frame, so
  // that the page paints (and takes input) between slices.
  function carryOn() {
    const progress = explorer.progress;
    ui.computing.hidden = false;
    ui.computingBar.value = progress;
    ui.computingText.textContent = `Computing T = ${explorer.tokens}, d_k = ${explorer.dK}: ${Math.floor(100 * progress)} %`;
    ui.panels.setAttribute('aria-busy', 'true');
    ui.panels.classList.add('stale');
    if (!jobFrame) jobFrame = requestAnimationFrame(nextSlice);
  }

  function nextSlice() {
    jobFrame = 0;
    if (destroyed || !job) return;
    if (slice()) show();
    else carryOn();
  }

  // Brings the results up to the current state at once (a run in progress
  // is finished, or a d_k still to come during a drag is run whole).
  function finishNow() {
    if (job || runInputs(state) !== shownInputs) render({ whole: true });
  }

  // Every input that changes the numbers, of a state: what `result` must
  // match (a seed, T or mode set a moment ago included).
  const runInputs = (s) => keyOf(s, [...MODES, 't', 'seed', 'text', 'dk']);
  let shownInputs = '';

  /** A promise that resolves when no run is in progress. */
  function whenDone() {
    return job ? new Promise((resolve) => waiting.push(resolve)) : Promise.resolve();
  }

  // Shows the results of the finished run: heatmaps, numbers, text. The
  // run's d_k may lag the slider's during a drag (see FINISH_MS), so the
  // numbers are labelled with the run's, and the newest d_k follows.
  function show() {
    if (destroyed) return;
    if (job) {
      shown = job;
      job = null;
      ui.computing.hidden = true;
      ui.panels.removeAttribute('aria-busy');
      ui.panels.classList.remove('stale');
      for (const resolve of waiting.splice(0)) resolve();
    }
    const s = { ...state, dk: explorer.dK };
    shownInputs = runInputs(s);
    explorer.paint(contexts[0], contexts[1]);
    const full = labels();
    const tickKey = `${state.t}\u0000${full.join('\u0000')}`;
    if (ticksFor !== tickKey) {
      ticksFor = tickKey;
      const shown = full.map(label);
      for (const panel of panels) {
        for (const ticks of panel.ticks) {
          fillTicks(ticks, shown, full, { words: text.tokens.length > 0 });
          ticks.classList.toggle('words', text.tokens.length > 0);
        }
      }
      layout();
    }
    const stds = [];
    const saturated = [];
    panels.forEach((panel, i) => {
      const report = explorer.report(i);
      stds.push(report.std);
      saturated.push(report.saturatedRows);
      const broken = showReport(panel, report, s);
      report.free();
      panel.hatch.hidden = !broken;
      if (broken) explorer.paintNanHatch(i, hatchContexts[i]);
      explorer.paintGradientBars(i, barContexts[i], GRADIENT_BAR_PX);
      panel.cells.setAttribute(
        'aria-label',
        `Heatmap of ${panelWords(s)[i].title}: ${state.t} query rows by ${state.t} key columns, ` +
          `d_k ${s.dk}, score standard deviation ${fixed(stds[i], 4)}.`,
      );
    });
    namePanels(s);
    for (const out of ui.dkReadouts) out.textContent = String(s.dk);
    ui.dkValue.textContent = String(state.dk);
    ui.sqrtDk.textContent = fixed(explorer.sqrtDk, 4);
    ui.unscaledPerRoot.textContent = fixed(explorer.unscaledStdPerRootDk, 4);
    ui.scaledStd.textContent = fixed(stds[1], 4);
    ui.scaleFactor.textContent = scaleFactorText(s, explorer.scaleFactor);
    ui.readouts.textContent = readoutsText(s);
    const shownCase = caseText(s);
    ui.caseTitle.textContent = shownCase.title;
    ui.caseText.textContent = shownCase.body;
    ui.caseTry.textContent = shownCase.tryIt.label;
    caseTry = shownCase.tryIt.change;
    ui.modes.textContent = modesText(s);
    ui.pytorch.textContent = pytorchCall(s, explorer.effectiveScale);
    if (state.row > state.t - 1) {
      const asked = state.row;
      state.row = state.t - 1;
      addNotice(ui, `Row ${asked} is past the last row of T = ${state.t}; using ${state.row}.`);
    }
    for (const { rowMark } of panels) {
      rowMark.hidden = !ui.curves.open;
      rowMark.style.top = `${(100 * state.row) / state.t}%`;
      rowMark.style.height = `${100 / state.t}%`;
    }
    updateCurves(s);
    if (cursor) showCell(...cursor);
    panels.forEach((panel, i) => {
      if (!panel.table.hidden) fillTable(panel, i);
    });
    clearTimeout(announceTimer);
    const announcement = `d_k ${s.dk}, T ${state.t}. ${PANELS.map(({ which }, i) => `${which}: std ${fixed(stds[i], 3)}, ${saturated[i]} of ${state.t} rows saturated`).join('; ')}.`;
    announceTimer = setTimeout(() => {
      ui.announce.textContent = announcement;
    }, ANNOUNCE_DELAY_MS);
    if (!urlTimer) urlTimer = setTimeout(writeUrl, URL_WRITE_INTERVAL_MS);
    onChange(s);
    if (s.dk !== state.dk) schedule();
  }

  // The tooltip of one cell: both tokens and all four numbers, to 4
  // significant digits, with the cell's row and column outlined.
  function showCell(p, row, col) {
    const t = state.t;
    if (row >= t || col >= t) return hideCell();
    cursor = [p, row, col];
    if (job) return hideCell();
    const names = labels();
    const [su, ss, pu, ps] = explorer.cell(row, col);
    const sig = (x) => (Number.isFinite(x) ? Number(x.toPrecision(4)).toString() : 'NaN');
    const line = (...parts) => {
      const div = document.createElement('div');
      for (const part of parts) {
        if (typeof part === 'string') div.append(part);
        else div.append(Object.assign(document.createElement(part[0]), { textContent: part[1] }));
      }
      return div;
    };
    ui.tooltip.replaceChildren(
      line('query ', ['bdi', names[row]], ` (row ${row}) → key `, ['bdi', names[col]], ` (column ${col})`),
      line('score ', ['b', sig(su)], ' · scaled ', ['b', sig(ss)]),
      line('weight: unscaled ', ['b', sig(pu)], ' · scaled ', ['b', sig(ps)]),
    );
    ui.tooltip.dataset.cell = `${row},${col}`;
    ui.tooltip.hidden = false;
    // Placed below and right of the cell, in the host's coordinates.
    const host = root.host.getBoundingClientRect();
    const rect = panels[p].cells.getBoundingClientRect();
    const size = rect.width / t;
    const x = rect.left - host.left + (col + 1) * size + 8;
    const y = rect.top - host.top + (row + 1) * size + 6;
    const width = ui.tooltip.offsetWidth;
    ui.tooltip.style.left = `${Math.max(4, Math.min(x, host.width - width - 4))}px`;
    ui.tooltip.style.top = `${y}px`;
    for (const panel of panels) {
      Object.assign(panel.cellRow.style, { top: `${(100 * row) / t}%`, height: `${100 / t}%` });
      Object.assign(panel.cellCol.style, { left: `${(100 * col) / t}%`, width: `${100 / t}%` });
      panel.cellRow.hidden = false;
      panel.cellCol.hidden = false;
    }
  }

  function hideCell() {
    cursor = null;
    ui.tooltip.hidden = true;
    for (const panel of panels) {
      panel.cellRow.hidden = true;
      panel.cellCol.hidden = true;
    }
  }

  // Input events arrive faster than frames while dragging; each one only
  // updates the state, and one paint per frame shows the latest state.
  function schedule() {
    if (!frame) frame = requestAnimationFrame(render);
  }

  function set(name, value) {
    state[name] = value;
    schedule();
  }

  ui.dk.addEventListener('input', () => set('dk', clampParam('dk', ui.dk.value).value));
  ui.tau.addEventListener('input', () => {
    const tau = tauFromPosition(Number(ui.tau.value));
    ui.tauValue.textContent = `τ = ${tau}`;
    set('tau', tau);
  });
  for (const name of ['qk', 'x', 'score', 'softmax', 'xscale']) {
    for (const radio of $$(`input[name="${name}"]`, root)) {
      radio.addEventListener('change', () => radio.checked && set(name, radio.value));
    }
  }
  ui.precision.addEventListener('change', () => set('precision', ui.precision.value));
  ui.cmap.addEventListener('change', () => set('cmap', ui.cmap.value));
  ui.shade.addEventListener('change', () => set('shade', ui.shade.value));

  // Typed fields: a number is clamped (and the field shows what is used);
  // anything else is reported and kept in the field for the user to fix,
  // while the view stays on the last good value.
  function bindTyped(input, name, onValue = (value) => set(name, value)) {
    input.addEventListener('change', () => {
      const { value, notice, rejected } = clampParam(name, input.value);
      input.setAttribute('aria-invalid', String(rejected));
      showNotice(ui, notice ? [rejected ? `${notice} Still showing ${state[name]}.` : notice] : []);
      if (rejected) return;
      onValue(value);
      showControls();
    });
  }
  bindTyped(ui.seed, 'seed');
  bindTyped(ui.tokens, 't');
  bindTyped(ui.scaleCustom, 'scale');
  bindTyped(ui.trials, 'trials');

  // A heatmap: hover for a cell's numbers; click picks the query row; with
  // focus, the arrow keys move a cell cursor (↑ ↓ also pick the row).
  const cellAt = (canvas, event) => {
    const rect = canvas.getBoundingClientRect();
    const clamp = (v) => Math.max(0, Math.min(state.t - 1, Math.floor(v * state.t)));
    return [clamp((event.clientY - rect.top) / rect.height), clamp((event.clientX - rect.left) / rect.width)];
  };
  panels.forEach(({ cells }, p) => {
    cells.addEventListener('click', (event) => set('row', cellAt(cells, event)[0]));
    cells.addEventListener('pointermove', (event) => showCell(p, ...cellAt(cells, event)));
    cells.addEventListener('pointerleave', () => {
      if (document.activeElement !== cells) hideCell();
    });
    cells.addEventListener('focus', () => showCell(p, state.row, cursor ? cursor[2] : 0));
    cells.addEventListener('blur', hideCell);
    cells.addEventListener('keydown', (event) => {
      const col = cursor ? cursor[2] : 0;
      const last = state.t - 1;
      const moves = {
        ArrowUp: [state.row - 1, col],
        ArrowDown: [state.row + 1, col],
        ArrowLeft: [state.row, col - 1],
        ArrowRight: [state.row, col + 1],
        Home: [state.row, 0],
        End: [state.row, last],
      };
      if (event.key === 'Escape') return hideCell();
      if (!(event.key in moves)) return;
      event.preventDefault();
      const [row, column] = moves[event.key].map((v) => Math.max(0, Math.min(last, v)));
      showCell(p, row, column);
      set('row', row);
    });
  });

  ui.text.addEventListener('input', () => {
    const { value, notice } = clampParam('text', ui.text.value);
    if (notice) ui.text.value = value;
    state.text = value;
    textNotice = notice ? [notice] : [];
    schedule();
  });
  ui.curves.addEventListener('toggle', schedule);
  // The case text's suggestion, and its way back (the label flips with the case).
  ui.caseTry.addEventListener('click', () => {
    if (!caseTry) return;
    Object.assign(state, caseTry);
    showControls();
    schedule();
  });

  ui.scaleRule.addEventListener('change', () => {
    const custom = ui.scaleRule.value === 'custom';
    ui.scaleCustom.parentElement.hidden = !custom;
    if (!custom) return set('scale', ui.scaleRule.value);
    const { value, rejected } = clampParam('scale', ui.scaleCustom.value);
    if (!rejected) set('scale', value);
    ui.scaleCustom.focus();
  });

  /**
   * Copies of the last run's matrices (row-major Float32Arrays) and
   * statistics, for the current state: a run in progress is finished first.
   */
  function result() {
    finishNow();
    const panel = (p) => {
      const r = explorer.report(p);
      const stats = {};
      for (const key of ['std', 'diagonalMean', 'diagonalStd', 'offDiagonalMean', 'offDiagonalStd', 'maxProbMean', 'maxProbMin',
        'entropyMean', 'entropyFraction', 'effectiveTokens', 'gradientMean', 'gradientUniform', 'saturatedRows', 'finiteRows',
        'nanRows', 'nanCells', 'expOverflows']) stats[key] = r[key];
      r.free();
      // The engine returns views of its own buffers; the caller gets copies.
      return {
        scores: explorer.scores(p).slice(),
        probabilities: explorer.probabilities(p).slice(),
        rowGradients: explorer.rowGradients(p).slice(),
        stats,
      };
    };
    return {
      t: explorer.tokens,
      dk: explorer.dK,
      seed: explorer.seed,
      tokens: labels(),
      q: explorer.q().slice(),
      k: explorer.k().slice(),
      scaleFactor: explorer.scaleFactor,
      unscaled: panel(engine.Panel.Unscaled),
      scaled: panel(engine.Panel.Scaled),
    };
  }

  // Sharing: the full-state link to the site, and the two ways to embed this
  // view. The site's address is where these modules live.
  const site = new URL('./', import.meta.url);
  const query = () => writeState('', state);
  const snippets = {
    link: () => new URL(query(), site).href,
    embed: () => {
      const frame = new URL(`${query()}&embed=1`, site).href.replaceAll('&', '&amp;');
      const attributes = Object.keys(PARAMS)
        .filter((name) => ['dk', 't', 'seed'].includes(name) || String(state[name]) !== String(PARAMS[name].fallback))
        .map((name) => ` ${name}="${String(state[name]).replaceAll('&', '&amp;').replaceAll('"', '&quot;')}"`)
        .join('');
      return [
        '<!-- As an iframe (works in any LMS page): -->',
        `<iframe src="${frame}" title="Attention-scaling explorer" width="100%" height="900" loading="lazy"></iframe>`,
        '',
        '<!-- Or as an element, on a page that may load scripts from this site: -->',
        `<script type="module" src="${new URL('attention-explorer.js', site).href}"></script>`,
        `<attention-explorer${attributes}></attention-explorer>`,
      ].join('\n');
    },
  };
  snippets.numpy = async () => (await loadExport()).numpySnippet({ ...state }, text.tokens.map((t) => t.key), explorer.scaleFactor);
  async function share(kind, done) {
    const text = await snippets[kind]();
    ui.shareText.value = text;
    try {
      await navigator.clipboard.writeText(text);
      ui.shareText.hidden = true;
      ui.shareStatus.textContent = done;
    } catch {
      // No clipboard (permissions, an old browser): show the text to copy by hand.
      ui.shareText.hidden = false;
      ui.shareText.select();
      ui.shareStatus.textContent = 'Copy the text below (Ctrl+C or ⌘C).';
    }
  }
  // A click's work, with any failure said in the status line rather than
  // lost as an unhandled rejection.
  const reported = (task) => () =>
    task().catch((error) => {
      ui.shareStatus.textContent = error.offline
        ? 'The export tools could not be loaded (offline?); try again once the page can reach its site.'
        : `That did not work: ${error.message}`;
      if (!error.offline) console.error(error);
    });
  ui.copyLink.addEventListener('click', reported(() => share('link', 'Link copied.')));
  ui.copyEmbed.addEventListener('click', reported(() => share('embed', 'Embed code copied: an iframe, and the element.')));
  ui.copyNumpy.addEventListener('click', reported(() => share('numpy', 'NumPy snippet copied.')));

  // Downloads, named after the view.
  const stem = () => `attention-dk${state.dk}-t${state.t}-seed${state.seed}`;
  panels.forEach((panel, i) => {
    ui[`png${i}`].addEventListener('click', reported(async () => {
      await whenDone();
      finishNow();
      const report = explorer.report(i);
      const std = report.std;
      report.free();
      const { heatmapPng, saveBlob } = await loadExport();
      const blob = await heatmapPng({
        title: panelWords(state)[i].title,
        subtitle: viewLines(state, text.tokens.map((t) => t.text), fixed(std, 4)),
        labels: labels(),
        cells: panel.cells,
        hatch: panel.hatch.hidden ? null : panel.hatch,
        colorbar: ui.colorbar,
        legend: colourLegend(state.shade, state.cmap, state.t),
        dark: window.matchMedia('(prefers-color-scheme: dark)').matches,
      });
      saveBlob(`${stem()}-${PANELS[i].which}.png`, blob);
    }));
  });
  ui.exportCsv.addEventListener('click', reported(async () => {
    await whenDone();
    const { matricesCsv, saveBlob } = await loadExport();
    const name = `${stem()}-matrices.csv`;
    const blob = await matricesCsv(result(), (share) => {
      ui.shareStatus.textContent = `Preparing ${name}: ${Math.floor(100 * share)} %`;
    });
    ui.shareStatus.textContent = '';
    saveBlob(name, blob);
  }));
  ui.exportJson.addEventListener('click', reported(async () => {
    await whenDone();
    const { stateJson, saveBlob } = await loadExport();
    saveBlob(`${stem()}-state.json`, new Blob([stateJson({ ...state }, result())], { type: 'application/json' }));
  }));

  ui.newSample.addEventListener('click', () => {
    state.seed = engine.randomSeed();
    ui.seed.value = String(state.seed);
    ui.seed.setAttribute('aria-invalid', 'false');
    showNotice(ui, []);
    schedule();
  });

  const resizes = new ResizeObserver(layout);
  for (const { root: panelRoot } of panels) resizes.observe(panelRoot);
  render();
  // A clamped URL is rewritten at once, so the address bar shows what is used.
  writeUrl();
  ui.status.hidden = true;
  ui.app.classList.remove('loading');
  // Fetch the deferred modules once the page is idle, so that a page loaded
  // once keeps working offline (the browser shares them between views).
  // Cancelled in destroy(): a callback still waiting for idle time would
  // keep this whole view (and its DOM) alive, one per remove and re-add.
  const idle = window.requestIdleCallback
    ? { cancel: window.cancelIdleCallback.bind(window), handle: window.requestIdleCallback(prefetch) }
    : { cancel: clearTimeout, handle: setTimeout(prefetch, 300) };
  function prefetch() {
    if (!destroyed) Promise.all([loadCurves(), loadExport()]).catch(() => {});
  }

  return {
    state,
    /** Paints now instead of on the next frame (for hosts and the benchmark). */
    renderNow: () => render({ whole: true }),
    /**
     * Sets parameters from outside (attributes, properties), through the
     * same validation as the URL. Returns the notices, which are also shown.
     */
    update(values) {
      const said = [];
      for (const [name, raw] of Object.entries(values)) {
        if (!Object.hasOwn(PARAMS, name)) continue;
        const { value, notice, rejected } = clampParam(name, raw);
        if (notice) said.push(rejected ? `${notice} Still showing ${state[name]}.` : notice);
        if (rejected) continue;
        // While a text is shown, T is its number of words; the T asked for
        // applies once the text is cleared (also when that is this update).
        if (name === 't') randomT = value;
        if (name === 't' && text.tokens.length && !('text' in values)) {
          if (value !== state.t) said.push(`T follows the ${state.t} words of the text; T = ${value} applies once the text is cleared.`);
          continue;
        }
        state[name] = value;
      }
      // Also when empty: a notice about an earlier value is stale now.
      showNotice(ui, said);
      showControls();
      schedule();
      return said;
    },
    /** Copies of the last run's matrices (row-major Float32Arrays) and statistics. */
    result,
    /** A promise that resolves when no run is in progress (at once, usually). */
    whenDone,
    /** Stops everything and frees the engine's memory. */
    destroy() {
      cancelAnimationFrame(frame);
      cancelAnimationFrame(jobFrame);
      job = null;
      for (const resolve of waiting.splice(0)) resolve(); // nothing left to wait for
      clearTimeout(urlTimer);
      clearTimeout(announceTimer);
      idle.cancel(idle.handle);
      // Chromium's radio groups hold their inputs by name, per shadow root,
      // past the inputs' removal: without this, each remove-and-add of the
      // element kept the old view and its ~1,300 nodes alive.
      for (const radio of $$('input[type="radio"]', root)) radio.removeAttribute('name');
      resizes.disconnect();
      destroyed = true;
      curves?.destroy();
      explorer.free();
    },
  };
}
