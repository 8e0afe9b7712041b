// The elements of one view, found once in its root (an <attention-explorer>'s
// shadow root, which already holds MARKUP), and the two panels cloned from
// their <template>.

import { english } from './i18n.js';

export const $ = (selector, root) => root.querySelector(selector);
export const $$ = (selector, root) => [...root.querySelectorAll(selector)];

/** The two panels, in page order; their titles follow the modes (`panelWords`). */
export const PANELS = ['unscaled', 'scaled'];

/** Clones the panel template once per panel, before the colour bar. */
export function buildPanels(root) {
  const template = $('#panel-template', root);
  const legend = $('.legend', root);
  return PANELS.map((which) => {
    const panel = template.content.firstElementChild.cloneNode(true);
    panel.dataset.panel = which;
    for (const [selector, name] of [['canvas.cells', 'heatmap'], ['.std', 'std'], ['.metrics', 'metrics'], ['.alarm', 'alarm'],
      ['.grad-bars', 'gradient'], ['.cell-table', 'table']]) {
      $(selector, panel).dataset.testid = `${name}-${which}`;
    }
    legend.before(panel);
    return {
      which,
      root: panel,
      title: $('.panel-title', panel),
      formula: $('.formula', panel),
      cells: $('canvas.cells', panel),
      hatch: $('canvas.hatch', panel),
      bars: $('.grad-bars', panel),
      plot: $('.plot', panel),
      std: $('.std', panel),
      readout: $('.readout', panel),
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

// Element ids of the view, by the name the view modules use.
const IDS = {
  dk: 'dk', dkValue: 'dk-value', seed: 'seed', newSample: 'new-sample', tokens: 'tokens', large: 'large', text: 'text',
  ownText: 'own-text', tooltip: 'cell-tooltip', trials: 'trials', curves: 'curves', scaleRule: 'scale-rule',
  scaleCustom: 'scale-custom', tau: 'tau', tauValue: 'tau-value', precision: 'precision', cmap: 'cmap', shade: 'shade',
  notice: 'notice', status: 'status', colorbar: 'colorbar', nanSwatch: 'nan-swatch', copyLink: 'copy-link',
  copyEmbed: 'copy-embed', shareStatus: 'share-status', shareText: 'share-text', announce: 'announce',
  copyNumpy: 'copy-numpy', cellAnnounce: 'cell-announce', dkDown: 'dk-down', dkUp: 'dk-up', dkLog: 'dk-log', reset: 'reset', play: 'play', playSpeed: 'play-speed', largeType: 'large-type', lang: 'lang', dist: 'dist', sigma: 'sigma', mu: 'mu', ln: 'ln', rho: 'rho', qknorm: 'qknorm', gain: 'gain', cap: 'cap', mask: 'mask', maskLegend: 'mask-legend', pad: 'pad', fill: 'fill', ssmaxS: 'ssmax-s', makeLesson: 'make-lesson', exportCsv: 'export-csv', exportJson: 'export-json', modesBox: 'modes',
};
// Elements known by their test id.
const TEST_IDS = {
  computing: 'computing', presets: 'presets', colorbarCaption: 'colorbar-caption', uniformMark: 'uniform-mark',
  sqrtDk: 'sqrt-dk', unscaledPerRoot: 'unscaled-per-root', scaledStd: 'scaled-std', readouts: 'readouts-text',
  scaleFactor: 'scale-factor', modes: 'modes', pytorch: 'pytorch', sweepProgress: 'sweep-progress',
};

/** The view's elements, found once. */
export function findElements(root) {
  const ui = {};
  for (const [name, id] of Object.entries(IDS)) ui[name] = $(`#${id}`, root);
  for (const [name, id] of Object.entries(TEST_IDS)) ui[name] = $(`[data-testid="${id}"]`, root);
  return Object.assign(ui, {
    dkBar: $('.dk-bar', root),
    dkMin: $('.dk-min', root),
    dkMax: $('.dk-max', root),
    computingBar: $('.computing progress', root),
    computingText: $('.computing-text', root),
    panels: $('.panels', root),
    app: $('.app', root),
    colorbarTicks: $$('.bar-ticks li', root),
    dkReadouts: $$('.dk-readout', root),
    caseLine: $('.case', root),
    caseTitle: $('.case-title', root),
    caseText: $('.case-text', root),
    caseTry: $('.case-try', root),
    png: PANELS.map((which) => $(`#export-png-${which}`, root)),
  });
}

/** Shows why the view could not start, in place of the heatmaps (in the language of `words` when it has loaded). */
export function showFailure(root, error, words = english()) {
  const ui = findElements(root);
  const reason = error && error.message ? error.message : String(error);
  ui.status.textContent = words.t('failure.start', { reason });
  ui.status.hidden = false;
  ui.status.classList.add('failed');
  ui.app.classList.add('unavailable');
}
