// A student's sketched curve: a value (or nothing yet) at each d_k of the
// curves' grid. It is drawn freehand on the std chart (pointer: mouse,
// touch or pen), set point by point with the keyboard, or typed at a few
// d_k (the knots); all three edit the same values. Pure: no DOM.

/** The d_k where a sketch can be typed or moved with the keyboard. */
export const KNOTS = Object.freeze([4, 16, 64, 144, 256]);

/** An empty sketch over `dims` with a y axis from 0 to `max`. */
export function createSketch(dims, max, saved = null) {
  const values = Float64Array.from(dims, (_, i) => (saved && Number.isFinite(saved[i]) ? saved[i] : Number.NaN));
  return { dims, max, values, knot: 2, revealed: false };
}

/** Whether the sketch says anything yet: at least two d_k drawn. */
export const isDrawn = (sketch) => sketch.values.filter(Number.isFinite).length >= 2;

/** The values as JSON can hold them (null where nothing is drawn). */
export const sketchValues = (sketch) => Array.from(sketch.values, (v) => (Number.isFinite(v) ? v : null));

const clampValue = (sketch, v) => Math.min(sketch.max, Math.max(0, v));

/** Draws a straight stroke from (dk0, v0) to (dk1, v1): every grid d_k between them gets its point on the line. */
export function stroke(sketch, dk0, v0, dk1, v1) {
  const [a, b] = dk0 <= dk1 ? [[dk0, v0], [dk1, v1]] : [[dk1, v1], [dk0, v0]];
  sketch.dims.forEach((d, i) => {
    if (d < a[0] || d > b[0]) return;
    const share = b[0] === a[0] ? 0 : (d - a[0]) / (b[0] - a[0]);
    sketch.values[i] = clampValue(sketch, a[1] + share * (b[1] - a[1]));
  });
  // A stroke between two grid points still marks the nearer one.
  if (!sketch.dims.some((d) => d >= a[0] && d <= b[0])) {
    const i = nearest(sketch.dims, dk1);
    sketch.values[i] = clampValue(sketch, v1);
  }
}

const nearest = (dims, dk) => dims.reduce((best, d, i) => (Math.abs(d - dk) < Math.abs(dims[best] - dk) ? i : best), 0);

/** The sketch's value at each knot (NaN where it has none). */
export const atKnots = (sketch) => KNOTS.map((k) => sketch.values[nearest(sketch.dims, k)]);

/**
 * Sets the sketch from values at the knots: straight lines between
 * neighbouring knots that have a value, nothing where a knot has none.
 */
export function fromKnots(sketch, knotValues) {
  sketch.values.fill(Number.NaN);
  const given = KNOTS.map((k, i) => [k, knotValues[i]]).filter(([, v]) => Number.isFinite(v));
  for (const [k, v] of given) sketch.values[nearest(sketch.dims, k)] = clampValue(sketch, v);
  for (let i = 1; i < given.length; i += 1) stroke(sketch, ...given[i - 1], ...given[i]);
}

/**
 * Moves the selected knot's value by `delta` (from 0 when it has none), as a
 * control point: the lines to the neighbouring knots that have a value are
 * redrawn, and nothing else changes.
 */
export function nudge(sketch, delta) {
  const knots = atKnots(sketch);
  const k = sketch.knot;
  const value = clampValue(sketch, (Number.isFinite(knots[k]) ? knots[k] : 0) + delta);
  sketch.values[nearest(sketch.dims, KNOTS[k])] = value;
  for (const n of [k - 1, k + 1]) {
    if (n >= 0 && n < KNOTS.length && Number.isFinite(knots[n])) stroke(sketch, KNOTS[n], knots[n], KNOTS[k], value);
  }
}
