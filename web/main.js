// The page: loads the WebAssembly engine, wires the controls, and paints on
// the next animation frame after any change. All arithmetic happens in the
// engine; this file moves values between the URL, the controls, the engine
// and the DOM, and never inserts user-supplied text as HTML.

import { PARAMS, clampParam, readState, writeState } from './state.js';
import { fillTicks, snappedSize } from './axes.js';

const $ = (selector) => document.querySelector(selector);

/** The two panels, in page order. `formula` parts are text or `['sub', text]`. */
const PANELS = [
  { which: 'unscaled', title: 'Softmax(unscaled)', formula: ['softmax(Q Kᵀ), row by row'] },
  { which: 'scaled', title: 'Softmax(scaled)', formula: ['softmax(Q Kᵀ / √d', ['sub', 'k'], '), row by row'] },
];

/** Clones the panel template once per panel, before the colour bar. */
function buildPanels() {
  const template = $('#panel-template');
  const legend = $('.legend');
  for (const { which, title, formula } of PANELS) {
    const panel = template.content.firstElementChild.cloneNode(true);
    panel.dataset.panel = which;
    panel.querySelector('.panel-title').textContent = title;
    panel.querySelector('.formula').append(
      ...formula.map((part) => {
        if (typeof part === 'string') return part;
        const element = document.createElement(part[0]);
        element.textContent = part[1];
        return element;
      }),
    );
    panel.querySelector('canvas').dataset.testid = `heatmap-${which}`;
    panel.querySelector('.std').dataset.testid = `std-${which}`;
    legend.before(panel);
  }
}
buildPanels();

const ui = {
  dk: $('#dk'),
  dkValue: $('#dk-value'),
  seed: $('#seed'),
  newSample: $('#new-sample'),
  tokens: $('#tokens'),
  notice: $('#notice'),
  status: $('#status'),
  app: $('#app'),
  canvases: [$('[data-testid="heatmap-unscaled"]'), $('[data-testid="heatmap-scaled"]')],
  std: [$('[data-testid="std-unscaled"]'), $('[data-testid="std-scaled"]')],
  dkReadouts: [...document.querySelectorAll('.dk-readout')],
  sqrtDk: $('[data-testid="sqrt-dk"]'),
  ratio: $('[data-testid="std-ratio"]'),
  xTicks: [...document.querySelectorAll('.ticks.x')],
  yTicks: [...document.querySelectorAll('.ticks.y')],
  plots: [...document.querySelectorAll('.plot')],
  colorbar: $('#colorbar'),
};

// How long the URL may lag behind the view. Chromium refuses (and logs)
// more than ~200 history updates per 10 s, which a slider drag at 60 Hz would
// exceed; one write per interval keeps the URL current without that.
const URL_WRITE_INTERVAL_MS = 150;

// Largest heatmap side in CSS pixels (matches --heatmap-max in style.css).
const HEATMAP_MAX_CSS_PX = 340;

function showNotice(messages) {
  ui.notice.textContent = messages.join(' ');
  ui.notice.hidden = messages.length === 0;
}

function showFailure(error) {
  const reason = error && error.message ? error.message : String(error);
  ui.status.textContent =
    `The explorer could not start: ${reason}. It needs a browser with WebAssembly ` +
    '(any current Chrome, Edge, Firefox or Safari), and the page must be served over ' +
    'http(s) with .wasm files sent as application/wasm.';
  ui.status.hidden = false;
  ui.status.classList.add('failed');
  ui.app.classList.add('unavailable');
}

async function loadEngine() {
  if (typeof WebAssembly !== 'object') throw new Error('this browser does not support WebAssembly');
  const engine = await import('./pkg/attention_wasm.js');
  await engine.default();
  return engine;
}

function createPage(engine, initial, notices) {
  const explorer = new engine.Explorer();
  const contexts = ui.canvases.map((canvas) => canvas.getContext('2d'));
  const state = { ...initial };
  let frame = 0;
  let urlTimer = 0;
  let ticksFor = 0;

  for (const [name, input] of [['dk', ui.dk], ['t', ui.tokens]]) {
    input.min = String(PARAMS[name].min);
    input.max = String(PARAMS[name].max);
    input.step = String(PARAMS[name].step);
  }
  ui.dk.value = String(state.dk);
  ui.tokens.value = String(state.t);
  ui.seed.value = String(state.seed);
  showNotice(notices);

  engine.paintColorBar(ui.colorbar.getContext('2d'), 256);

  function writeUrl() {
    urlTimer = 0;
    const search = writeState(location.search, state);
    if (search !== location.search) history.replaceState(history.state, '', search);
  }

  // Sizes each plot to a whole number of device pixels per cell, within the
  // room its panel leaves beside the query-axis labels.
  function layout() {
    const dpr = window.devicePixelRatio || 1;
    for (const plot of ui.plots) {
      const panel = plot.closest('.panel');
      const heatmap = plot.parentElement;
      const labels = heatmap.offsetWidth - plot.offsetWidth;
      const room = Math.min(HEATMAP_MAX_CSS_PX, panel.clientWidth - labels);
      plot.style.width = `${snappedSize(room, state.t, dpr)}px`;
    }
  }

  function render() {
    frame = 0;
    explorer.run(state.t, state.dk, state.seed);
    explorer.paint(contexts[0], contexts[1]);
    if (ticksFor !== state.t) {
      ticksFor = state.t;
      for (const ticks of [...ui.xTicks, ...ui.yTicks]) fillTicks(ticks, state.t);
      layout();
    }
    const stds = [explorer.stdUnscaled, explorer.stdScaled];
    for (const [i, std] of stds.entries()) {
      ui.std[i].textContent = std.toFixed(4);
      const which = i === 0 ? 'unscaled' : 'scaled';
      ui.canvases[i].setAttribute(
        'aria-label',
        `Heatmap of softmax of the ${which} scores: ${state.t} query rows by ${state.t} key columns, ` +
          `d_k ${state.dk}, score standard deviation ${std.toFixed(4)}.`,
      );
    }
    for (const out of ui.dkReadouts) out.textContent = String(state.dk);
    ui.dkValue.textContent = String(state.dk);
    ui.sqrtDk.textContent = Math.sqrt(state.dk).toFixed(4);
    ui.ratio.textContent = (stds[0] / stds[1]).toFixed(4);
    if (!urlTimer) urlTimer = setTimeout(writeUrl, URL_WRITE_INTERVAL_MS);
  }

  // Input events arrive faster than frames while dragging; each one only
  // updates the state, and one paint per frame shows the latest state.
  function schedule() {
    if (!frame) frame = requestAnimationFrame(render);
  }

  ui.dk.addEventListener('input', () => {
    state.dk = clampParam('dk', ui.dk.value).value;
    schedule();
  });

  // Typed fields: a number is clamped (and the field shows what is used);
  // anything else is reported and kept in the field for the user to fix,
  // while the view stays on the last good value.
  function bindTyped(input, name) {
    input.addEventListener('change', () => {
      const { value, notice, rejected } = clampParam(name, input.value);
      input.setAttribute('aria-invalid', String(rejected));
      showNotice(notice ? [rejected ? `${notice} Still showing ${state[name]}.` : notice] : []);
      if (rejected) return;
      input.value = String(value);
      state[name] = value;
      schedule();
    });
  }
  bindTyped(ui.seed, 'seed');
  bindTyped(ui.tokens, 't');

  ui.newSample.addEventListener('click', () => {
    state.seed = engine.randomSeed();
    ui.seed.value = String(state.seed);
    ui.seed.setAttribute('aria-invalid', 'false');
    showNotice([]);
    schedule();
  });

  const resizes = new ResizeObserver(layout);
  for (const plot of ui.plots) resizes.observe(plot.closest('.panel'));
  render();
  // A clamped URL is rewritten at once, so the address bar shows what is used.
  writeUrl();
  ui.status.hidden = true;
  ui.app.classList.remove('loading');
  return { state, renderNow: render, explorer };
}

/** Resolves to the running page (for the benchmark), or null if start-up failed. */
export const ready = (async () => {
  const { state, notices } = readState(location.search);
  try {
    const engine = await loadEngine();
    return createPage(engine, state, notices);
  } catch (error) {
    showFailure(error);
    return null;
  }
})();
