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
