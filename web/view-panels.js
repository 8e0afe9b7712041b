// What one panel shows in words: its title and formula, its numbers and NaN
// alarm, and its text alternative as a table. Values come from the engine's
// report of the run shown; nothing here computes a statistic.

import { panelWords } from './explain.js';
import { hasDiagonal } from './state.js';
import { $, $$ } from './view-elements.js';

// The heatmaps' text alternative as a table is offered up to this T (a
// larger one would be thousands of cells; the CSV export has them all).
const TABLE_MAX_T = 64;

/**
 * Writes one panel's numbers for the run's inputs `shown`, in the words of
 * `words` (i18n.js); `report` is the engine's, freed by the caller. Returns
 * whether any row is NaN.
 */
export function showReport(panel, report, shown, { t, plural, fixed }) {
  panel.std.textContent = fixed(report.std, 4);
  const n = shown.t;
  const set = (cls, text) => {
    $(cls, panel.root).textContent = text;
  };
  set('.m-diagonal', t('metrics.meanStd', { mean: fixed(report.diagonalMean, 3), std: fixed(report.diagonalStd, 3) }));
  set('.m-off', t('metrics.meanStd', { mean: fixed(report.offDiagonalMean, 3), std: fixed(report.offDiagonalStd, 3) }));
  set('.m-max', t('metrics.meanMin', { mean: fixed(report.maxProbMean, 3), min: fixed(report.maxProbMin, 3) }));
  set('.m-entropy', t('metrics.entropy', { nats: fixed(report.entropyMean, 3), share: fixed(100 * report.entropyFraction, 1) }));
  // Under a mask a row weighs the keys it sees: the effective tokens are of those, on average.
  const seen = report.keysMean;
  set('.m-effective', t('metrics.of', { n: fixed(report.effectiveTokens, 2), t: seen === n ? n : fixed(seen, 1) }));
  set('.m-gradient', t('metrics.gradient', { value: fixed(report.gradientMean, 4), uniform: fixed(report.gradientUniform, 4) }));
  set('.m-saturated', t('metrics.of', { n: report.saturatedRows, t: n - report.emptyRows }));
  if (report.finiteRows === 0) {
    for (const cls of ['.m-max', '.m-entropy', '.m-effective', '.m-gradient', '.m-saturated']) set(cls, t('metrics.noFinite'));
  }
  for (const row of $$('.split', panel.root)) row.hidden = !hasDiagonal(shown);
  $('.metrics-summary', panel.root).textContent =
    t('metrics.summary', { saturated: report.saturatedRows, t: n, gradient: fixed(report.gradientMean, 3) });

  const broken = report.nanRows > 0 || report.emptyRows > 0;
  panel.alarm.hidden = !broken;
  if (broken) {
    const overflow = report.nanRows > 0
      ? `${plural('alarm.rows', report.nanRows)}: ${plural('alarm.cells', report.expOverflows)}, ${plural('alarm.nans', report.nanCells)} ` +
        (report.finiteRows === 0 ? t('alarm.noFinite') : t('alarm.finite', { n: report.finiteRows }))
      : '';
    panel.alarm.textContent = [overflow, emptyRowsAlarm(report, shown, { t, plural })].filter(Boolean).join(' ');
  }
  return broken;
}

/**
 * The rows a mask leaves no key to see, flagged with what this fill made of
 * them and what the other conventions would: PyTorch SDPA's zeros, −∞'s NaN
 * (−∞ − (−∞)), the lowest value's uniform row (naive softmax: every exp is
 * 0, and 0/0 is NaN).
 */
function emptyRowsAlarm(report, state, { t, plural }) {
  if (report.emptyRows === 0) return '';
  const fill = state.fill === 'min' && state.softmax === 'naive' ? 'min.naive' : state.fill;
  return `${plural('alarm.empty', report.emptyRows)} ${t(`alarm.empty.${fill}`, { t: state.t })}`;
}

/** The colour bar's caption, ticks and the mark of a uniform row's weight. */
export function labelColourBar(ui, legend) {
  ui.colorbarCaption.textContent = legend.caption;
  legend.ticks.forEach((tick, i) => {
    ui.colorbarTicks[i].textContent = tick;
  });
  ui.colorbar.setAttribute('aria-label', legend.description);
  ui.uniformMark.hidden = legend.uniform === null;
  ui.uniformMark.textContent = legend.uniformLabel;
  if (legend.uniform !== null) ui.uniformMark.style.bottom = `${(100 * legend.uniform).toFixed(2)}%`;
}

/** A table of `probs` (row-major, T × T) labelled by `names`. */
function weightsTable(caption, names, probs, { t, precise }) {
  const n = names.length;
  const table = document.createElement('table');
  table.createCaption().textContent = caption;
  const head = table.createTHead().insertRow();
  head.append(Object.assign(document.createElement('th'), { scope: 'col', textContent: t('table.corner') }));
  for (const name of names) head.append(Object.assign(document.createElement('th'), { scope: 'col', textContent: name }));
  const body = table.createTBody();
  for (let r = 0; r < n; r += 1) {
    const row = body.insertRow();
    row.append(Object.assign(document.createElement('th'), { scope: 'row', textContent: names[r] }));
    for (let c = 0; c < n; c += 1) row.insertCell().textContent = precise(probs[r * n + c], 4);
  }
  return table;
}

const note = (text) => Object.assign(document.createElement('p'), { textContent: text });

/**
 * The panels' titles and "Show as table" buttons. `view` gives `panels`,
 * `runs` (whose shown run has `inputs` and `labels`) and `explorer`.
 * Returns `refresh()`, called whenever a run is shown.
 */
export function bindPanelText({ panels, runs, explorer, words: language }) {
  // Titles, formulas and the labels that name a panel, for the modes of the
  // run shown; only when the words change (a slider step need not rewrite them).
  let namedFor = '';
  function name(shown) {
    const words = panelWords(shown, language);
    const key = JSON.stringify(words);
    if (key === namedFor) return;
    namedFor = key;
    words.forEach(({ title, formula }, i) => {
      const panel = panels[i];
      panel.title.textContent = title;
      panel.formula.textContent = formula;
      panel.table.setAttribute('aria-label', language.t('panel.asTable', { title }));
      panel.tableToggle.dataset.title = title;
      toggleLabel(panel);
    });
  }
  // "Show as table", and for screen readers which table.
  function toggleLabel(panel) {
    const which = Object.assign(document.createElement('span'), {
      className: 'visually-hidden',
      textContent: `: ${panel.tableToggle.dataset.title}`,
    });
    panel.tableToggle.replaceChildren(language.markup(panel.table.hidden ? 'Show as table' : 'Hide table'), which);
  }
  // A heatmap's text alternative: its weights as a table, labelled by token.
  // While a run is in progress the engine's matrices are not readable: the
  // table says so, and is filled when the run is shown.
  function fill(panel, i) {
    const run = runs.shown;
    if (runs.busy || !run) return panel.table.replaceChildren(note(language.t('table.computing')));
    const { t, dk } = run.inputs;
    if (t > TABLE_MAX_T) {
      return panel.table.replaceChildren(note(language.t('table.tooLarge', { max: TABLE_MAX_T, cells: t * t })));
    }
    const caption = language.t('table.caption', { title: panelWords(run.inputs, language)[i].title, dk });
    panel.table.replaceChildren(weightsTable(caption, run.labels, explorer.probabilities(i), language));
  }
  panels.forEach((panel, i) => {
    panel.tableToggle.addEventListener('click', () => {
      panel.table.hidden = !panel.table.hidden;
      panel.tableToggle.setAttribute('aria-expanded', String(!panel.table.hidden));
      toggleLabel(panel);
      if (!panel.table.hidden) fill(panel, i);
    });
  });
  return {
    name,
    refresh() {
      name(runs.shown.inputs);
      panels.forEach((panel, i) => {
        if (!panel.table.hidden) fill(panel, i);
      });
    },
  };
}
