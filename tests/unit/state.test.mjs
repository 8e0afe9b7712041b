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

test('user text in a notice is isolated, so a right-to-left override cannot reverse the sentence', () => {
  const { notice } = clampParam('seed', '\u202e12x');
  assert.equal(notice, 'Seed "\u2068\u202e12x\u2069" is not a whole number from 0 to 4294967295.');
  // Isolation marks typed by the visitor cannot close the isolate early.
  assert.match(clampParam('seed', '\u2069x').notice, /"\u2068\ufffdx\u2069"/);
});

test('unknown hide names: five named, the rest counted', () => {
  const names = Array.from({ length: 2000 }, (_, i) => `part${i}`).join(',');
  const { notice, value } = clampParam('hide', `seed,${names}`.slice(0, 200));
  assert.equal(value, 'seed');
  assert.match(notice, / and \d+ more are not a part that can be hidden/);
  assert.ok(notice.length < 400, notice);
});

test('the address: repeated keys are reported, and foreign keys, "constructor" too, are kept', async () => {
  const { readState, writeState } = await import('../../web/state.js');
  const { state, notices } = readState('?dk=16&dk=32&t=10');
  assert.equal(state.dk, 16);
  assert.ok(notices.includes('d_k is given 2 times in the address; the first is used.'), notices.join(' | '));
  assert.equal(writeState('?constructor=1&toString=2&chapter=de', state), '?dk=16&t=10&seed=42&constructor=1&toString=2&chapter=de');
});

test('notices are in the language of the translator given, and say which parameters they are about', async () => {
  const { english, loadLanguage } = await import('../../web/i18n.js');
  const { readState } = await import('../../web/state.js');
  const es = await loadLanguage('es');
  const iso = (text) => `"\u2068${text}\u2069"`;
  assert.equal(clampParam('dk', '5000', es).notice, `d_k ${iso('5000')} está por encima del máximo 4096; se usa 4096.`);
  assert.equal(clampParam('tau', 'hot', es).notice, `Temperatura τ ${iso('hot')} no es un número de 0.05 a 20.`);
  const { state, notices, noticed } = readState('?dk=7&dk=8&qk=both&seed=1', es);
  assert.deepEqual([state.dk, state.qk], [8, 'self']);
  assert.deepEqual(notices, [
    `d_k ${iso('7')} no es múltiplo de 4; se usa 8.`,
    'd_k aparece 2 veces en la dirección; se usa la primera.',
    `Origen de Q/K ${iso('both')} no es uno de self, independent. Se usa self.`,
  ]);
  assert.deepEqual([...noticed], ['dk', 'qk']);
  // Every kind of notice, in every language, differs from the English one.
  const raws = [['dk', '1'], ['dk', '9999'], ['dk', '5'], ['t', '2.5'], ['seed', 'x'], ['seed', ''], ['seed', '9'.repeat(300)],
    ['qk', 'x'], ['scale', 'x'], ['scale', '99'], ['lang', 'xx'], ['text', 'a'.repeat(2001)], ['hide', 'a,b'], ['hide', 'a']];
  for (const lang of ['es', 'zh', 'ar']) {
    const words = await loadLanguage(lang);
    for (const [name, raw] of raws) {
      const said = clampParam(name, raw, words).notice;
      assert.ok(said, `${lang} ${name}=${raw}`);
      assert.notEqual(said, clampParam(name, raw, english()).notice, `${lang} ${name}=${raw}`);
    }
  }
});
