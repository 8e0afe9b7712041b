// The one validator of outside values (URL, attributes, properties, typed
// fields), without a browser.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clampParam } from '../../web/state.js';

test('numbers in every form NumPy or a person writes are read; anything else is rejected', () => {
  for (const [raw, value] of [['42', 42], ['+7', 7], ['4.', 4], ['1e3', 1000], ['0.5e1', 5]]) {
    assert.equal(clampParam('seed', raw).value, value, raw);
  }
  for (const raw of ['', '.', '1e', '--1', '1x', '0x10', '1 2']) {
    assert.equal(clampParam('seed', raw).rejected, true, raw);
  }
  assert.deepEqual(clampParam('tau', '.5'), { value: 0.5, notice: null, rejected: false });
});

test('a value of 100,000 digits is refused for its length, before any pattern sees it', () => {
  const { value, notice, rejected } = clampParam('seed', `${'1'.repeat(100_000)}x`);
  assert.equal(rejected, true);
  assert.equal(value, 42);
  assert.match(notice, /is not a value \(it is 100,001 characters long\)/);
  // The notice quotes at most 40 characters of it.
  assert.ok(notice.length < 120, notice);
  assert.equal(clampParam('hide', 'seed,'.repeat(100)).rejected, true);
  // The text has its own, larger limit, and is cut rather than refused.
  assert.equal(clampParam('text', 'a'.repeat(3000)).value.length, 2000);
});

test('a value whose conversion to text throws is rejected, not thrown', () => {
  const { rejected, notice } = clampParam('dk', Object.create(null));
  assert.equal(rejected, true);
  assert.match(notice, /\[a value with no text form\]/);
  assert.equal(clampParam('text', Object.create(null)).value, '[a value with no text form]');
});
