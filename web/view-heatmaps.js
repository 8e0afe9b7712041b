// The two heatmaps of the run shown: cells, NaN hatching, ∇ bars, tick
// labels, sizes, and each panel's numbers beside it.

import { fillTicks, snappedSize } from './axes.js';
import { label } from './tokens.js';
import { panelWords } from './explain.js';
import { showReport } from './view-panels.js';
import { padOf } from './state.js';

// Largest and smallest heatmap side in CSS pixels (the largest matches
// --heatmap-max in explorer.css).
const HEATMAP_MAX_CSS_PX = 640;
const HEATMAP_MIN_CSS_PX = 160;

// In a frame, the height it had when the view started: a frame whose height
// follows its content (an auto-height embed) would otherwise grow the
// heatmaps, and with them itself, without end.
const FRAME_HEIGHT = window.top === window ? null : window.innerHeight;

/**
 * The side that lets the d_k bar, a whole heatmap and its readout share the
 * window (or the frame): its height less what sits above and below the plot.
 */
function sideForWindow(bar, { root, plot, readout }) {
  const panel = root.getBoundingClientRect();
  const cells = plot.getBoundingClientRect();
  const chrome = bar.offsetHeight + (cells.top - panel.top) + (readout.getBoundingClientRect().bottom - cells.bottom) + 24;
  return Math.max(HEATMAP_MIN_CSS_PX, Math.min(HEATMAP_MAX_CSS_PX, (FRAME_HEIGHT ?? window.innerHeight) - chrome));
}

// Width in canvas pixels of a full gradient bar.
const GRADIENT_BAR_PX = 16;

/** The ∇ bars' colour in `app`'s theme, its --bar (#rrggbb) as 0xRRGGBB, read again when the theme changes. */
function barColourOf(app) {
  let theme = null;
  let rgb = 0;
  return () => {
    if (theme !== app.dataset.theme) {
      theme = app.dataset.theme;
      rgb = Number.parseInt(getComputedStyle(app).getPropertyValue('--bar').trim().slice(1), 16) || 0;
    }
    return rgb;
  };
}

/**
 * Returns `{ paint(run), size(t), stop() }` for `view.panels`; `paint` returns each
 * panel's `{ std, saturatedRows }` for the sentences around the panels.
 */
export function bindHeatmaps({ ui, panels, explorer, words: language }) {
  const contexts = panels.map((p) => p.cells.getContext('2d'));
  const hatchContexts = panels.map((p) => p.hatch.getContext('2d'));
  const barContexts = panels.map((p) => p.bars.getContext('2d'));
  let t = 0;
  let ticksFor = '';
  const barColour = barColourOf(ui.app);

  // Sizes each plot to a whole number of device pixels per cell, within the
  // room its panel leaves beside the axis labels and gradient bars.
  function layout() {
    if (!t) return;
    const dpr = window.devicePixelRatio || 1;
    const side = sideForWindow(ui.dkBar, panels[0]);
    for (const { plot, root } of panels) {
      const labels = plot.parentElement.offsetWidth - plot.offsetWidth;
      const room = Math.min(side, root.clientWidth - labels);
      const { size, dense } = snappedSize(room, t, dpr);
      plot.style.width = `${size}px`;
      plot.classList.toggle('dense', dense);
    }
  }
  const resizes = new ResizeObserver(layout);
  for (const { root } of panels) resizes.observe(root);
  // The window's height bounds the side too; a panel's width does not change with it.
  window.addEventListener('resize', layout);

  function labelAxes(run) {
    const words = run.tokens.length > 0;
    const key = `${run.inputs.t}\u0000${run.labels.join('\u0000')}`;
    if (ticksFor === key) return;
    ticksFor = key;
    const short = run.labels.map(label);
    for (const panel of panels) {
      for (const ticks of panel.ticks) {
        fillTicks(ticks, short, run.labels, { words });
        ticks.classList.toggle('words', words);
      }
    }
    layout();
  }

  function paint(run) {
    const shown = run.inputs;
    t = shown.t;
    explorer.paint(contexts[0], contexts[1]);
    labelAxes(run);
    ui.maskLegend.hidden = shown.mask === 'none' || (shown.mask === 'padding' && !padOf(shown));
    return panels.map((panel, i) => {
      const report = explorer.report(i);
      const summary = { std: report.std, saturatedRows: report.saturatedRows };
      const broken = showReport(panel, report, shown, language);
      report.free();
      panel.hatch.hidden = !broken;
      if (broken) explorer.paintNanHatch(i, hatchContexts[i]);
      explorer.paintGradientBars(i, barContexts[i], GRADIENT_BAR_PX, barColour());
      panel.cells.setAttribute(
        'aria-label',
        language.t('heatmap.label', { title: panelWords(shown, language)[i].title, t, dk: shown.dk, std: language.fixed(summary.std, 4) }),
      );
      return summary;
    });
  }

  return {
    paint,
    /** Sizes the plots for T before a first run is shown (its cells come later). */
    size(cells) {
      t = cells;
      layout();
    },
    stop() {
      resizes.disconnect();
      window.removeEventListener('resize', layout);
    },
  };
}
