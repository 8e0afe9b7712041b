// Drawing a prediction on the std chart: a pointer (mouse, touch, pen)
// draws freehand, the keyboard moves one knot at a time (← → choose the
// d_k, ↑ ↓ change its value; Page Up/Down by more). The sketch itself is
// sketch.js's; whoever made it (a lesson) hears of each change through
// `sketch.onChange`.

import { KNOTS, atKnots, nudge, stroke } from './sketch.js';

/** What the chart says to a screen reader about the knot the keyboard is on, in the language of `words`. */
export function describe(canvas, sketch, { t, precise }) {
  canvas.setAttribute('aria-valuenow', String(KNOTS[sketch.knot]));
  canvas.setAttribute('aria-label', t('sketch.label'));
  const value = atKnots(sketch)[sketch.knot];
  const said = Number.isFinite(value) ? precise(value, 2) : t('sketch.none');
  canvas.setAttribute('aria-valuetext', t('sketch.value', { dk: KNOTS[sketch.knot], value: said }));
}

/**
 * Wires `canvas` for sketching. `page` gives `sketch()` (the sketch being
 * drawn, or null), `axis()` (the chart's last axes), `redraw()` and `words`.
 * Returns `sketching(chartId)`: whether that chart's clicks and keys are the sketch's now.
 */
export function bindSketching(canvas, page) {
  let last = null; // the previous point of a stroke, as [d_k, value]
  const point = (event) => {
    const axis = page.axis();
    const rect = canvas.getBoundingClientRect();
    const x = event.clientX - rect.left;
    const sketch = page.sketch();
    // The x axis maps d_k to pixels; between grid points, d_k is interpolated.
    const i = axis.nearestIndex(x);
    const d = sketch.dims;
    const j = Math.min(d.length - 1, Math.max(0, axis.px(d[i]) < x ? i + 1 : i - 1));
    const [p, q] = [axis.px(d[i]), axis.px(d[j])];
    const dk = p === q ? d[i] : d[i] + ((x - p) / (q - p)) * (d[j] - d[i]);
    return [Math.min(d.at(-1), Math.max(d[0], dk)), axis.value(event.clientY - rect.top)];
  };
  const changed = (sketch) => {
    page.redraw();
    describe(canvas, sketch, page.words);
    sketch.onChange?.();
  };

  canvas.addEventListener('pointerdown', (event) => {
    const sketch = page.sketch();
    if (!sketch || !page.axis()) return;
    event.preventDefault();
    canvas.setPointerCapture(event.pointerId);
    last = point(event);
    stroke(sketch, ...last, ...last);
    changed(sketch);
  });
  canvas.addEventListener('pointermove', (event) => {
    const sketch = page.sketch();
    if (!sketch || !last || !canvas.hasPointerCapture(event.pointerId)) return;
    const next = point(event);
    stroke(sketch, ...last, ...next);
    last = next;
    changed(sketch);
  });
  const end = () => {
    last = null;
  };
  canvas.addEventListener('pointerup', end);
  canvas.addEventListener('pointercancel', end);

  canvas.addEventListener('keydown', (event) => {
    const sketch = page.sketch();
    if (!sketch) return;
    const step = sketch.max / 40;
    const moves = {
      ArrowLeft: () => (sketch.knot = Math.max(0, sketch.knot - 1)),
      ArrowRight: () => (sketch.knot = Math.min(KNOTS.length - 1, sketch.knot + 1)),
      Home: () => (sketch.knot = 0),
      End: () => (sketch.knot = KNOTS.length - 1),
      ArrowUp: () => nudge(sketch, step),
      ArrowDown: () => nudge(sketch, -step),
      PageUp: () => nudge(sketch, 4 * step),
      PageDown: () => nudge(sketch, -4 * step),
    };
    if (!(event.key in moves)) return;
    event.preventDefault();
    moves[event.key]();
    changed(sketch);
  });
  canvas.addEventListener('focus', () => page.sketch() && describe(canvas, page.sketch(), page.words));
  return (chartId) => chartId === 'std' && Boolean(page.sketch());
}
