// Lecture mode's walk, without a browser.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { playPath, walk } from '../../web/view-play.js';

test('Play walks the slider steps from 4 to 256: 64 linear steps of 4, or the log scale quarter octaves', () => {
  const linear = playPath('linear');
  assert.equal(linear.length, 64);
  assert.deepEqual([linear[0], linear[1], linear.at(-1)], [4, 8, 256]);
  const log = playPath('log');
  assert.deepEqual(log.slice(0, 9), [4, 8, 12, 16, 20, 24, 28, 32, 40]);
  assert.equal(log.at(-1), 256);
});

test('the walk bounces at both ends and keeps its direction between frames', () => {
  assert.deepEqual(walk(0, 1, 3, 5), { index: 3, direction: 1 });
  assert.deepEqual(walk(3, 1, 3, 5), { index: 2, direction: -1 }); // 4, bounce, 3, 2
  assert.deepEqual(walk(1, -1, 2, 5), { index: 1, direction: 1 }); // 0, bounce, 1
  // A whole round trip comes back to the start, going the same way.
  assert.deepEqual(walk(0, 1, 8, 5), { index: 0, direction: -1 });
  assert.deepEqual(walk(0, -1, 1, 5), { index: 1, direction: 1 });
});

test('a sketch: strokes fill the grid between two points; typed knots make straight lines; a keyboard knot is a control point', async () => {
  const { createSketch, stroke, atKnots, fromKnots, nudge, isDrawn, sketchValues } = await import('../../web/sketch.js');
  const dims = Array.from({ length: 64 }, (_, i) => 4 * (i + 1));
  const s = createSketch(dims, 20);
  assert.equal(isDrawn(s), false);
  stroke(s, 10, 1, 22, 4); // grid points 12, 16, 20 lie on the line
  assert.deepEqual(sketchValues(s).slice(1, 6), [null, 1.5, 2.5, 3.5, null]);
  stroke(s, 30, 50, 30, 50); // no grid point between: the nearest one, clamped to the top
  assert.equal(s.values[dims.indexOf(28)], 20);
  fromKnots(s, [2, Number.NaN, 8, 12, 16]);
  // A knot left empty is skipped: the line runs from 4 to 64, through 16 at 2 + 12/60 · 6.
  assert.deepEqual(atKnots(s).map((v) => Number(v.toFixed(9))), [2, 3.2, 8, 12, 16]);
  fromKnots(s, [Number.NaN, Number.NaN, 8, 12, 16]);
  assert.equal(s.values[dims.indexOf(8)], Number.NaN); // nothing before the first typed knot
  assert.equal(s.values[dims.indexOf(104)], 10);
  const k = createSketch(dims, 20);
  k.knot = 4;
  nudge(k, 3);
  assert.deepEqual(sketchValues(k).filter((v) => v !== null), [3]);
  k.knot = 2;
  nudge(k, 1);
  k.knot = 3;
  nudge(k, 2); // joins 64 and 256 through 144
  assert.deepEqual(atKnots(k).slice(2), [1, 2, 3]);
  assert.equal(k.values[dims.indexOf(200)], 2 + (56 / 112) * 1);
  assert.deepEqual(createSketch(dims, 20, sketchValues(k)).values, k.values); // what is stored comes back
});
