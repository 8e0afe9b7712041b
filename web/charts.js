// Small canvas charts: lines with percentile bands, bars, and histograms.
// Drawing only: every number comes from the engine. Canvases are sized in
// device pixels for crisp lines at any devicePixelRatio. Colours are the
// Okabe–Ito palette (safe for colour-blind readers) and every series also has
// its own dash pattern or fill, so colour is never the only cue.

export const STYLE = Object.freeze({
  unscaled: { color: '#0072B2', dash: [], label: 'unscaled' },
  scaled: { color: '#D55E00', dash: [7, 4], label: 'scaled' },
  theoryUnscaled: { color: '#0072B2', dash: [2, 3], label: 'theory, unscaled' },
  theoryScaled: { color: '#D55E00', dash: [2, 3], label: 'theory, scaled' },
  // A student's sketch: wide and pale, drawn first, so the measured curve reads on top of it.
  sketch: { color: '#b9a0d6', dash: [], label: 'your sketch' },
});

const MARGIN = { left: 46, right: 10, top: 10, bottom: 34 };
const FONT = '11px system-ui, sans-serif';

// Text and grid colours follow the element's theme (custom properties), so
// the charts stay readable in the dark theme.
let INK = '#1d1d24';
let MUTED = '#545463';
let GRID = '#e3e3ea';
function takeTheme(canvas) {
  const style = getComputedStyle(canvas);
  INK = style.getPropertyValue('--ink').trim() || INK;
  MUTED = style.getPropertyValue('--muted').trim() || MUTED;
  GRID = style.getPropertyValue('--grid').trim() || GRID;
}

/** Sizes the canvas for its CSS box and returns a context in CSS pixels. */
function prepare(canvas) {
  takeTheme(canvas);
  const dpr = window.devicePixelRatio || 1;
  const { width, height } = canvas.getBoundingClientRect();
  const w = Math.max(1, Math.round(width * dpr));
  const h = Math.max(1, Math.round(height * dpr));
  if (canvas.width !== w || canvas.height !== h) Object.assign(canvas, { width: w, height: h });
  const ctx = canvas.getContext('2d');
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, width, height);
  return { ctx, width, height };
}

/** About five round tick values covering [lo, hi]. */
function niceTicks(lo, hi, count = 5) {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= raw);
  const ticks = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) ticks.push(Number(v.toPrecision(12)));
  return ticks;
}

// A tick's text: `format` writes it in the page's language (its digits and
// decimal mark); very large and small ticks as powers of ten.
const label = (v, format) => (Math.abs(v) >= 1000 || (v !== 0 && Math.abs(v) < 0.01) ? v.toExponential(0) : format(v));

/** An x axis over `xs` (linear or log), mapping values and pixels both ways. */
function xAxis(xs, log, left, right) {
  const f = log ? Math.log : (v) => v;
  const [a, b] = [f(xs[0]), f(xs[xs.length - 1])];
  const span = b - a || 1;
  return {
    px: (v) => left + ((f(v) - a) / span) * (right - left),
    nearestIndex(px) {
      let best = 0;
      xs.forEach((v, i) => {
        if (Math.abs(this.px(v) - px) < Math.abs(this.px(xs[best]) - px)) best = i;
      });
      return best;
    },
  };
}

function frame(ctx, width, height, yTicks, y, xTicks, x, { xLabel, yLabel, format = String }) {
  ctx.font = FONT;
  ctx.lineWidth = 1;
  ctx.strokeStyle = GRID;
  ctx.fillStyle = MUTED;
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  for (const t of yTicks) {
    const py = Math.round(y(t)) + 0.5;
    ctx.beginPath();
    ctx.moveTo(MARGIN.left, py);
    ctx.lineTo(width - MARGIN.right, py);
    ctx.stroke();
    ctx.fillText(label(t, format), MARGIN.left - 5, py);
  }
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  for (const t of xTicks) ctx.fillText(label(t, format), x(t), height - MARGIN.bottom + 5);
  ctx.strokeStyle = MUTED;
  ctx.beginPath();
  ctx.moveTo(MARGIN.left + 0.5, MARGIN.top);
  ctx.lineTo(MARGIN.left + 0.5, height - MARGIN.bottom + 0.5);
  ctx.lineTo(width - MARGIN.right, height - MARGIN.bottom + 0.5);
  ctx.stroke();
  ctx.fillStyle = INK;
  ctx.fillText(xLabel, (MARGIN.left + width - MARGIN.right) / 2, height - 14);
  if (yLabel) {
    ctx.save();
    ctx.translate(11, (MARGIN.top + height - MARGIN.bottom) / 2);
    ctx.rotate(-Math.PI / 2);
    ctx.textBaseline = 'middle';
    ctx.fillText(yLabel, 0, 0);
    ctx.restore();
  }
}

/** The y range of a line chart: its values with a margin, or [yMin, yMax] when both are given. */
function yRange(values, yMin, yMax) {
  if (yMin !== undefined && yMax !== undefined) return [yMin, yMax];
  let lo = Math.min(...values, yMin ?? Infinity);
  let hi = Math.max(...values);
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) [lo, hi] = [0, 1];
  if (hi - lo < 1e-9) [lo, hi] = [lo - 0.5, hi + 0.5];
  const pad = (hi - lo) * 0.05;
  return [yMin === 0 && lo >= 0 ? 0 : lo - pad, hi + pad];
}

/**
 * Lines with shaded bands over `xs`. Each series is `{ style, mean, lo, hi }`
 * (lo/hi optional), each theory `{ style, values }` (NaN values are skipped);
 * `sketch` (values over `xs`) is drawn under everything, with a ring at
 * `sketchAt` (an x) when given. Returns the x axis and the y scale, so
 * points can be mapped back to values.
 */
export function lineChart(canvas, { xs, log, series, theory = [], sketch = null, sketchAt, marker, markerName = 'd_k', xLabel, yLabel, format, yMin, yMax }) {
  const { ctx, width, height } = prepare(canvas);
  const values = [...series.flatMap((s) => [...s.mean, ...(s.lo ?? []), ...(s.hi ?? [])]), ...theory.flatMap((t) => t.values), ...(sketch ?? [])]
    .filter(Number.isFinite);
  const [lo, hi] = yRange(values, yMin, yMax);
  const top = MARGIN.top;
  const bottom = height - MARGIN.bottom;
  const y = (v) => bottom - ((v - lo) / (hi - lo)) * (bottom - top);
  const axis = xAxis(xs, log, MARGIN.left + 4, width - MARGIN.right - 4);
  const xTicks = log ? xs.filter((v) => Number.isInteger(Math.log2(v))) : niceTicks(xs[0], xs[xs.length - 1], 4);
  frame(ctx, width, height, niceTicks(lo, hi), y, xTicks, (v) => axis.px(v), { xLabel, yLabel, format });

  const path = (ys) => {
    ctx.beginPath();
    let open = false;
    ys.forEach((v, i) => {
      if (!Number.isFinite(v)) {
        open = false;
        return;
      }
      const [px, py] = [axis.px(xs[i]), y(v)];
      if (open) ctx.lineTo(px, py);
      else ctx.moveTo(px, py);
      open = true;
    });
  };
  if (sketch) drawSketch(ctx, sketch, sketchAt, xs, axis, y, path);
  for (const s of series) {
    if (!s.lo) continue;
    ctx.beginPath();
    xs.forEach((v, i) => ctx[i ? 'lineTo' : 'moveTo'](axis.px(v), y(Number.isFinite(s.hi[i]) ? s.hi[i] : lo)));
    for (let i = xs.length - 1; i >= 0; i -= 1) ctx.lineTo(axis.px(xs[i]), y(Number.isFinite(s.lo[i]) ? s.lo[i] : lo));
    ctx.closePath();
    ctx.fillStyle = `${s.style.color}26`;
    ctx.fill();
  }
  // Theory lines first and thinner, so the measured means draw over them.
  const lines = [...theory.map((t) => [t.style, t.values, 1.5]), ...series.map((s) => [s.style, s.mean, 2])];
  for (const [style, values, width] of lines) {
    ctx.setLineDash(style.dash);
    ctx.strokeStyle = style.color;
    ctx.lineWidth = width;
    path(values);
    ctx.stroke();
  }
  ctx.setLineDash([]);
  if (marker !== undefined) {
    const px = Math.round(axis.px(marker)) + 0.5;
    ctx.strokeStyle = INK;
    ctx.lineWidth = 1;
    ctx.setLineDash([3, 3]);
    ctx.beginPath();
    ctx.moveTo(px, top);
    ctx.lineTo(px, bottom);
    ctx.stroke();
    ctx.setLineDash([]);
    ctx.fillStyle = INK;
    ctx.textAlign = px > width - 60 ? 'right' : 'left';
    ctx.textBaseline = 'top';
    ctx.fillText(`${markerName} ${marker}`, px + (px > width - 60 ? -4 : 4), top);
  }
  return { ...axis, value: (py) => lo + ((bottom - py) / (bottom - top)) * (hi - lo) };
}

/** The sketch: a wide pale line (single points as dots), and a ring at the knot the keyboard moves. */
function drawSketch(ctx, values, at, xs, axis, y, path) {
  ctx.strokeStyle = STYLE.sketch.color;
  ctx.fillStyle = STYLE.sketch.color;
  ctx.lineWidth = 10;
  ctx.lineCap = 'round';
  ctx.lineJoin = 'round';
  path(values);
  ctx.stroke();
  values.forEach((v, i) => {
    if (!Number.isFinite(v)) return;
    ctx.beginPath();
    ctx.arc(axis.px(xs[i]), y(v), 5, 0, 2 * Math.PI);
    ctx.fill();
  });
  ctx.lineCap = 'butt';
  ctx.lineJoin = 'miter';
  if (at === undefined) return;
  const i = xs.indexOf(at);
  ctx.strokeStyle = INK;
  ctx.lineWidth = 2;
  ctx.beginPath();
  ctx.arc(axis.px(at), y(Number.isFinite(values[i]) ? values[i] : 0), 8, 0, 2 * Math.PI);
  ctx.stroke();
}

/**
 * Bars: `groups[i]` is a list of `{ style, value }` drawn side by side at
 * category `labels[i]`. The second series of a group is drawn hollow.
 */
export function barChart(canvas, { labels, groups, xLabel, yLabel, format, yMax = 1 }) {
  const { ctx, width, height } = prepare(canvas);
  const top = MARGIN.top;
  const bottom = height - MARGIN.bottom;
  const y = (v) => bottom - (v / yMax) * (bottom - top);
  const slot = (width - MARGIN.left - MARGIN.right) / labels.length;
  const ticks = [];
  frame(ctx, width, height, niceTicks(0, yMax, 4), y, ticks, () => 0, { xLabel, yLabel, format });
  ctx.font = FONT;
  // At most 12 labels, and never closer than the widest one (hundreds of keys).
  const widest = Math.max(...labels.map((text) => ctx.measureText(text).width));
  const every = Math.max(Math.ceil(labels.length / 12), Math.ceil((widest + 8) / slot));
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  labels.forEach((text, i) => {
    ctx.fillStyle = MUTED;
    if (i % every === 0) ctx.fillText(text, MARGIN.left + slot * (i + 0.5), bottom + 5);
    const group = groups[i];
    const w = Math.max(1, (slot * 0.8) / group.length);
    group.forEach(({ style, value }, k) => {
      const x0 = MARGIN.left + slot * 0.1 + slot * i + w * k;
      const h = Number.isFinite(value) ? bottom - y(Math.min(value, yMax)) : 0;
      if (k === 0) {
        ctx.fillStyle = style.color;
        ctx.fillRect(x0, bottom - h, w, h);
      } else {
        ctx.strokeStyle = style.color;
        ctx.lineWidth = 1.5;
        ctx.fillStyle = `${style.color}33`;
        ctx.fillRect(x0, bottom - h, w, h);
        ctx.strokeRect(x0 + 0.75, bottom - h + 0.75, Math.max(0, w - 1.5), Math.max(0, h - 1.5));
      }
    });
  });
}

/**
 * A histogram over the engine's bin `edges` (one more than the bins) with stacked counts
 * (`stacks`: `{ style, counts }`, drawn bottom up) and an optional expected
 * curve (counts per bin from theory); `yMax` fixes the count axis, so that
 * charts drawn side by side share it.
 */
export function histogramChart(canvas, { edges, stacks, expected, xLabel, yLabel, format, yMax: sharedMax }) {
  const { ctx, width, height } = prepare(canvas);
  const bins = stacks[0].counts.length;
  const [lo, hi] = [edges[0], edges[bins]];
  const totals = Array.from({ length: bins }, (_, i) => stacks.reduce((sum, s) => sum + s.counts[i], 0));
  const yMax = sharedMax ?? Math.max(1, ...totals, ...(expected ?? []).map((v) => v * 1.05));
  const top = MARGIN.top;
  const bottom = height - MARGIN.bottom;
  const y = (v) => bottom - (v / yMax) * (bottom - top);
  const x = (v) => MARGIN.left + 4 + ((v - lo) / (hi - lo)) * (width - MARGIN.left - MARGIN.right - 8);
  frame(ctx, width, height, niceTicks(0, yMax, 4), y, niceTicks(lo, hi, 4), x, { xLabel, yLabel, format });
  const edge = (i) => edges[i];
  for (let i = 0; i < bins; i += 1) {
    let base = 0;
    for (const [k, s] of stacks.entries()) {
      const c = s.counts[i];
      if (!c) continue;
      const [x0, x1] = [x(edge(i)) + 0.5, x(edge(i + 1)) - 0.5];
      ctx.fillStyle = s.style.color ?? INK;
      ctx.globalAlpha = k === 0 ? 0.85 : 1;
      ctx.fillRect(x0, y(base + c), x1 - x0, y(base) - y(base + c));
      ctx.globalAlpha = 1;
      base += c;
    }
  }
  if (expected && expected.length === bins) {
    ctx.strokeStyle = INK;
    ctx.lineWidth = 1.5;
    ctx.setLineDash([2, 3]);
    ctx.beginPath();
    expected.forEach((v, i) => {
      const px = x((edge(i) + edge(i + 1)) / 2);
      ctx[i ? 'lineTo' : 'moveTo'](px, y(v));
    });
    ctx.stroke();
    ctx.setLineDash([]);
  }
}
