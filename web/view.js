// One explorer view inside a root (an <attention-explorer>'s shadow root):
// holds the state, turns it into the run wanted, and shows the run that
// `runs.js` says is done, on the next animation frame after any change. All
// statistics and matrices come from the engine; the view-*.js modules move
// values between the state, the controls, the engine and the DOM, and never
// insert user-supplied text as HTML (only textContent and DOM nodes).

import { MODES, PARAMS, clampParam, keptNotice, keyOf } from './state.js';
import { indexLabels } from './axes.js';
import { readText } from './tokens.js';
import { colourLegend } from './explain.js';
import { createRuns } from './runs.js';
import { runEngine } from './view-engine.js';
import { $$, buildPanels, findElements } from './view-elements.js';
import { bindControls, addNotice, showControls, showNotice } from './view-controls.js';
import { bindPanelText, labelColourBar } from './view-panels.js';
import { bindHeatmaps } from './view-heatmaps.js';
import { bindReadouts } from './view-readouts.js';
import { bindCells } from './view-cells.js';
import { bindShare, loadExport, numpySnippetOf } from './view-share.js';
import { bindUrl } from './view-url.js';
import { bindCurves, loadCurves } from './view-curves.js';
import { bindTheme } from './view-theme.js';
import { bindPlay } from './view-play.js';
import { english } from './i18n.js';

export { showFailure } from './view-elements.js';

/** Every input that changes the numbers, but d_k (which a drag moves alone). */
const REST = [...MODES, 't', 'seed', 'text'];

/** The names of a report's numbers, as `result` copies them. */
const STATS = ['std', 'diagonalMean', 'diagonalStd', 'offDiagonalMean', 'offDiagonalStd', 'maxProbMean', 'maxProbMin',
  'entropyMean', 'entropyFraction', 'effectiveTokens', 'gradientMean', 'gradientUniform', 'saturatedRows', 'finiteRows',
  'nanRows', 'nanCells', 'expOverflows', 'emptyRows', 'keysMean'];

/** One panel's numbers, as plain values. */
function panelStats(explorer, p) {
  const report = explorer.report(p);
  const stats = Object.fromEntries(STATS.map((key) => [key, report[key]]));
  report.free();
  return stats;
}

/** Copies of one panel's matrices (the engine returns views of its own buffers) and numbers. */
function copyPanel(explorer, p) {
  return {
    scores: explorer.scores(p).slice(),
    probabilities: explorer.probabilities(p).slice(),
    rowGradients: explorer.rowGradients(p).slice(),
    stats: panelStats(explorer, p),
  };
}

/**
 * One mounted view. The state is the one source of what is wanted; `runs`
 * the one source of what is shown. Its controller (`update`, `renderNow`,
 * `result`, `whenDone`, `destroy`) is what the element calls.
 */
class View {
  constructor(root, engine, { initial, resetTo, notices, noticed, syncUrl, onChange, onLanguage, onLessonLeft, useWorker, workers, lesson, guide, words }) {
    this.root = root;
    this.engine = engine;
    this.onChange = onChange;
    this.onLanguage = onLanguage;
    this.onLessonLeft = onLessonLeft;
    this.panels = buildPanels(root);
    this.ui = findElements(root);
    this.explorer = new engine.Explorer();
    this.initial = { ...(resetTo ?? initial) };
    this.state = { ...initial };
    // The visitor's text as tokens; read again only when the text changes.
    // While it has words, they set T; `state.t` stays the T asked for, which
    // applies again once the text is cleared (and is what links carry).
    this.text = { source: null, tokens: [], notices: [] };
    this.textNotice = []; // from the text field (text cut to length)
    this.frame = 0;
    this.destroyed = false;
    this.display = { map: '', hidden: null };
    this.runEngine = runEngine(this.explorer, { useWorker, workers });
    this.runs = createRuns({
      engine: this.runEngine,
      now: () => performance.now(),
      frames: { request: (f) => requestAnimationFrame(f), cancel: (id) => cancelAnimationFrame(id) },
      onShow: (run) => this.show(run),
      onProgress: (run, share) => this.showProgress(run, share),
    });
    this.syncUrl = syncUrl;
    this.words = words;
    this.lesson = { ticket: 0, shown: null, spec: null };
    this.guide = { ticket: 0, shown: null };
    this.bind(syncUrl);
    this.start(notices, noticed);
    if (lesson) this.setLesson(lesson);
    if (guide) this.setGuide(true);
  }

  /** The view's parts, each wired to the shared state, engine and runs. */
  bind(syncUrl) {
    const { ui, state } = this;
    // Input events arrive faster than frames while dragging; each one only
    // updates the state, and one paint per frame shows the latest state.
    this.changed = () => {
      if (!this.frame && !this.destroyed) this.frame = requestAnimationFrame(() => this.render());
    };
    this.set = (name, value) => {
      state[name] = value;
      this.changed();
    };
    const view = {
      root: this.root, ui, panels: this.panels, engine: this.engine, explorer: this.explorer, runEngine: this.runEngine, runs: this.runs, state,
      set: this.set,
      changed: this.changed,
      t: () => this.t,
      randomSeed: () => this.engine.randomSeed(),
      setTextNotice: (messages) => {
        this.textNotice = messages;
      },
      caseTry: () => this.readouts.caseTry(),
      reset: () => Object.assign(state, this.initial),
      current: () => this.current(),
      showControls: () => showControls(this.root, ui, state, this.t),
      result: () => this.result(),
      update: (values) => this.update(values),
      setLesson: (spec) => this.setLesson(spec),
      words: this.words,
      relanguage: (lang) => this.onLanguage(lang),
    };
    this.panelText = bindPanelText(view);
    this.heatmaps = bindHeatmaps(view);
    this.readouts = bindReadouts(view);
    this.cells = bindCells(view);
    this.url = bindUrl({ ui, state, syncUrl });
    this.theme = bindTheme(view);
    this.curves = bindCurves(view);
    bindControls(view);
    bindShare(view);
    this.play = bindPlay(view);
  }

  /**
   * Shows the initial state and its notices, and paints the first run; the
   * modes open when a notice is about one of them (`noticed`: the names).
   */
  start(notices, noticed) {
    const { root, ui, state } = this;
    this.useText();
    showControls(root, ui, state, this.t);
    showNotice(ui, [...notices, ...this.text.notices]);
    this.panelText.name(state);
    if (state.text) ui.ownText.open = true;
    if ([...noticed].some((name) => !['dk', 't', 'seed'].includes(name))) ui.modesBox.open = true;
    this.engine.paintNanSwatch(ui.nanSwatch.getContext('2d'), 2);
    this.render();
    // A clamped URL is rewritten at once, so the address bar shows what is used.
    this.url.now();
    ui.status.hidden = true;
    ui.app.classList.remove('loading');
    // Fetch the deferred modules once the page is idle, so that a page loaded
    // once keeps working offline (the browser shares them between views).
    // Cancelled in destroy(): a callback still waiting for idle time would
    // keep this whole view (and its DOM) alive, one per remove and re-add.
    const prefetch = () => !this.destroyed && Promise.all([loadCurves(), loadExport()]).catch(() => {});
    this.idle = window.requestIdleCallback
      ? { cancel: window.cancelIdleCallback.bind(window), handle: window.requestIdleCallback(prefetch) }
      : { cancel: clearTimeout, handle: setTimeout(prefetch, 300) };
  }

  /** Reads the text again if it changed; true if it did. */
  useText() {
    if (this.text.source === this.state.text) return false;
    this.text = readText(this.state.text, this.words);
    return true;
  }

  /** The T of the numbers: the text's number of words, or the T asked for. */
  get t() {
    return this.text.tokens.length || this.state.t;
  }

  /** The run the state asks for. */
  wantedRun() {
    const { state, text } = this;
    const inputs = { ...Object.fromEntries([...REST, 'dk'].map((name) => [name, state[name]])), t: this.t };
    const rest = keyOf(inputs, REST);
    const labels = text.tokens.length ? text.tokens.map((t) => t.text) : indexLabels(inputs.t);
    return { key: `${rest}|${state.dk}`, rest, inputs, tokens: text.tokens, labels };
  }

  /** Display choices that need no new run: the theme, the colour map and scale, hidden parts. */
  applyDisplay() {
    const { ui, state, display, explorer } = this;
    this.theme.apply();
    ui.app.classList.toggle('large-type', state.type === 'large');
    const map = `${state.cmap}|${state.shade}|${this.t}`;
    if (display.map !== map) {
      explorer.setColormap(state.cmap);
      explorer.setShading(state.shade);
      explorer.paintColorBar(ui.colorbar.getContext('2d'), 256);
      labelColourBar(ui, colourLegend(state.shade, state.cmap, this.t, this.words));
      display.map = map;
    }
    if (display.hidden !== state.hide) {
      display.hidden = state.hide;
      const names = state.hide ? state.hide.split(',') : [];
      // A part may belong to several hideable groups ("qk modes"): hiding any hides it.
      for (const el of $$('[data-control]', this.root)) el.hidden = el.dataset.control.split(' ').some((n) => names.includes(n));
    }
  }

  /** Brings the view up to the state: `whole` finishes the run now; without `repaint`, only if it is not shown yet. */
  render({ whole = false, repaint = true } = {}) {
    this.frame = 0;
    if (this.destroyed) return; // a frame or a host's call that came after destroy()
    const { ui, state } = this;
    this.applyDisplay();
    if (this.useText()) {
      showNotice(ui, [...this.textNotice, ...this.text.notices]);
      this.textNotice = [];
    }
    ui.tokens.disabled = this.text.tokens.length > 0;
    ui.tokens.value = String(this.t);
    ui.dkValue.textContent = String(state.dk);
    const run = this.wantedRun();
    if (repaint || this.runs.busy || run.key !== this.runs.shown?.key) this.runs.sync(run, { whole });
  }

  showProgress(run, progress) {
    const { ui } = this;
    if (!this.runs.shown) {
      // The first run: nothing is shown yet, so the panels take its shape.
      this.heatmaps.size(run.inputs.t);
      for (const out of ui.dkReadouts) out.textContent = String(run.inputs.dk);
    }
    ui.computing.hidden = false;
    ui.computingBar.value = progress;
    ui.computingText.textContent = this.words.t('computing', { t: run.inputs.t, dk: run.inputs.dk, share: Math.floor(100 * progress) });
    ui.panels.setAttribute('aria-busy', 'true');
    ui.panels.classList.add('stale');
  }

  // Shows the finished run: heatmaps, numbers, text. Its d_k may lag the
  // slider's during a drag (see runs.js), so the numbers are labelled with
  // the run's, and the newest d_k follows.
  show(run) {
    if (this.destroyed) return;
    const { ui, state } = this;
    ui.computing.hidden = true;
    ui.panels.removeAttribute('aria-busy');
    ui.panels.classList.remove('stale');
    const summaries = this.heatmaps.paint(run);
    this.panelText.refresh();
    this.readouts.show(run, summaries);
    const { t } = run.inputs;
    if (state.row > t - 1) {
      const asked = state.row;
      state.row = t - 1;
      addNotice(ui, this.words.t('notice.rowPast', { asked, t, row: state.row }));
    }
    for (const { rowMark } of this.panels) {
      rowMark.hidden = !ui.curves.open;
      rowMark.style.top = `${(100 * state.row) / t}%`;
      rowMark.style.height = `${100 / t}%`;
    }
    const shown = { ...state, ...run.inputs };
    this.curves.update(shown);
    this.cells.refresh();
    this.url.soon();
    this.onChange(shown);
  }

  /** The state, with its run finished and shown (for exports and `result`). */
  current() {
    this.render({ whole: true, repaint: false });
    return { ...this.state, ...this.runs.shown.inputs };
  }

  /** The statistics of both panels for the current state, its run finished. */
  statistics() {
    this.current();
    const { explorer, engine } = this;
    return { unscaled: panelStats(explorer, engine.Panel.Unscaled), scaled: panelStats(explorer, engine.Panel.Scaled) };
  }

  /**
   * Opens the lesson `spec` names (view-lesson.js, loaded only then), in
   * place of any lesson shown; no spec closes it. A lesson that cannot be
   * opened is a notice, and the explorer goes on without it.
   */
  async setLesson(spec) {
    const lesson = this.lesson;
    const ticket = ++lesson.ticket;
    lesson.spec = spec || null;
    lesson.shown?.destroy({ leaving: false });
    lesson.shown = null;
    if (!spec || this.destroyed) return;
    try {
      const { openLesson } = await import('./view-lesson.js');
      const host = {
        app: this.ui.app,
        before: this.ui.caseLine,
        update: (values) => this.update(values),
        statistics: () => this.statistics(),
        shown: () => this.current(),
        sketch: (sketch) => this.curves.setSketch(sketch),
        chart: () => this.ui.curves.querySelector('[data-chart="std"] canvas'),
        leave: () => {
          lesson.shown?.destroy({ leaving: true });
          lesson.shown = null;
          lesson.spec = null;
          // The card that had the focus is gone: the slider is where the explorer starts.
          this.ui.dk.focus();
          this.onLessonLeft();
        },
        stopPlay: () => this.play.stop(),
      };
      const opened = await openLesson(host, spec, { syncUrl: this.syncUrl, words: this.words, stale: () => ticket !== lesson.ticket || this.destroyed });
      if (opened) lesson.shown = opened;
    } catch (error) {
      if (ticket !== lesson.ticket || this.destroyed) return;
      addNotice(this.ui, this.words.t('lesson.failed', { reason: error.name === 'LessonError' ? error.message : `${error}.` }));
    }
  }

  /** Shows the guided explanation (view-guide.js, loaded only then) at the end of the view, or takes it away. */
  async setGuide(on) {
    const { guide } = this;
    const ticket = ++guide.ticket;
    guide.shown?.remove();
    guide.shown = null;
    if (!on || this.destroyed) return;
    const { showGuide } = await import('./view-guide.js');
    if (ticket !== guide.ticket || this.destroyed) return;
    guide.shown = showGuide(this.ui.app, { state: this.state, update: (values) => this.update(values), words: this.words });
  }

  /** The NumPy snippet of the current view and the state it is of, once no run is in progress. */
  async numpySnippet() {
    await this.runs.whenDone();
    return numpySnippetOf({ current: () => this.current(), runs: this.runs, explorer: this.explorer });
  }

  /** Copies of the shown run's matrices (row-major Float32Arrays) and statistics, for the current state. */
  result() {
    const s = this.current();
    const { explorer, engine } = this;
    return {
      t: s.t,
      dk: s.dk,
      seed: s.seed,
      tokens: this.runs.shown.labels,
      q: explorer.q().slice(),
      k: explorer.k().slice(),
      scaleFactor: explorer.scaleFactor,
      unscaled: copyPanel(explorer, engine.Panel.Unscaled),
      scaled: copyPanel(explorer, engine.Panel.Scaled),
    };
  }

  /**
   * Sets parameters from outside (attributes, properties), through the same
   * validation as the URL. Returns the notices, which are also shown.
   */
  update(values) {
    const { state } = this;
    const said = [];
    for (const [name, raw] of Object.entries(values)) {
      if (!Object.hasOwn(PARAMS, name)) continue;
      const { value, notice, rejected } = clampParam(name, raw, this.words);
      if (notice) said.push(rejected ? keptNotice(notice, state[name], this.words) : notice);
      if (rejected) continue;
      // Another language mounts the view again (the element's): not a value to set here.
      if (name === 'lang') {
        if (value !== state.lang) this.onLanguage(value);
        continue;
      }
      // While a text is shown, T is its number of words; the T asked for
      // applies once the text is cleared (also when that is this update).
      if (name === 't' && this.text.tokens.length && !('text' in values) && value !== this.t) {
        said.push(this.words.t('notice.tFollowsText', { n: this.t, t: value }));
      }
      state[name] = value;
    }
    // Also when empty: a notice about an earlier value is stale now.
    showNotice(this.ui, said);
    showControls(this.root, this.ui, state, this.t);
    this.changed();
    return said;
  }

  /** Stops everything and frees the engine's memory. */
  destroy() {
    this.destroyed = true;
    this.play.stop();
    this.lesson.shown?.destroy({ leaving: false });
    cancelAnimationFrame(this.frame);
    this.runs.destroy();
    this.url.stop();
    this.readouts.stop();
    this.theme.stop();
    this.heatmaps.stop();
    this.idle.cancel(this.idle.handle);
    // Chromium's radio groups hold their inputs by name, per shadow root,
    // past the inputs' removal: without this, each remove-and-add of the
    // element kept the old view and its ~1,300 nodes alive.
    for (const radio of $$('input[type="radio"]', this.root)) radio.removeAttribute('name');
    this.curves.destroy();
    this.runEngine.stop();
    this.explorer.free();
  }
}

/**
 * Mounts a view in `root` (which already holds MARKUP) and returns its
 * controller. `initial` is a validated state, `notices` what validation
 * said; `syncUrl` makes the view read and write the page's address;
 * `onChange(state)` is called after each paint, `onLanguage(lang)` when the
 * reader picks another language (the element mounts the view again in it),
 * `onLessonLeft()` when the reader leaves the lesson;
 * `useWorker` false keeps every run on this thread, `workers` caps how many
 * workers a big run is split over (see view-engine.js).
 */
export function mountView(root, engine, options) {
  const view = new View(root, engine, {
    noticed: new Set(), syncUrl: false, onChange: () => {}, onLanguage: () => {}, onLessonLeft: () => {}, useWorker: true, guide: false, words: english(), ...options,
  });
  return {
    state: view.state,
    /** Paints now instead of on the next frame (for hosts and the benchmark). */
    renderNow: () => view.render({ whole: true }),
    update: (values) => view.update(values),
    /** Copies of the last run's matrices (row-major Float32Arrays) and statistics. */
    result: () => view.result(),
    /** `{ state, text }`: the NumPy snippet that recomputes the view (as "Copy NumPy snippet" gives it), and its state. */
    numpySnippet: () => view.numpySnippet(),
    /** A promise that resolves when no run is in progress (at once, usually). */
    whenDone: () => view.runs.whenDone(),
    /** Opens a lesson (a built-in name, a same-origin JSON file, or the JSON), or closes it (null). */
    setLesson: (spec) => view.setLesson(spec),
    /** The lesson asked for last (to open it again in another language), or null. */
    lessonSpec: () => view.lesson.spec,
    /** The state Reset goes back to (a copy). */
    initial: () => ({ ...view.initial }),
    /** Adds a message to the notices shown (no user text in it). */
    notify: (message) => addNotice(view.ui, message),
    setGuide: (on) => view.setGuide(on),
    destroy: () => view.destroy(),
  };
}
