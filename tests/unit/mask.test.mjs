// The words and code of masks and SSMax (web/explain-mask.js,
// web/mask-code.js), without a browser: which queries see no key, what the
// case text claims, and the PyTorch and NumPy lines.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { caseText, modesText, panelWords, pytorchCall } from '../../web/explain.js';
import { masked } from '../../web/explain-mask.js';
import { visibleLines } from '../../web/mask-code.js';
import { emptyRowsOf, padOf } from '../../web/state.js';

const NOTEBOOK = {
  dk: 16, t: 10, seed: 42, qk: 'self', x: 'fresh', dist: 'normal', sigma: 1, mu: 0, ln: '0', rho: 0, score: 'dot', scale: 'sqrt',
  ssmax_s: 1, qknorm: 'none', g: 1, cap: 0, mask: 'none', pad: 0, fill: 'sdpa', tau: 1, softmax: 'stable', precision: 'f32', text: '',
};
const view = (change) => ({ ...NOTEBOOK, ...change });

test('which queries see no key: the padded ones under a causal mask, all once every key is padding', () => {
  assert.equal(emptyRowsOf(view({ mask: 'causal', pad: 3 })), 3);
  assert.equal(emptyRowsOf(view({ mask: 'padding', pad: 3 })), 0);
  assert.equal(emptyRowsOf(view({ mask: 'padding', pad: 10 })), 10);
  // More padding than tokens is all of them; without a mask the padding means nothing.
  assert.equal(padOf(view({ mask: 'padding', pad: 40 })), 10);
  assert.equal(emptyRowsOf(view({ mask: 'none', pad: 5 })), 0);
  assert.equal(masked(view({ mask: 'padding', pad: 0 })), false);
  assert.equal(masked(view({ mask: 'causal', pad: 0 })), true);
});

test('the case text says what the mask hides, and names the queries that see nothing only when some do', () => {
  const causal = caseText(view({ mask: 'causal' })).body;
  assert.match(causal, /is_causal=True/);
  assert.match(causal, /drawn as masked, not as weight 0/);
  assert.doesNotMatch(causal, /padding/);
  const both = caseText(view({ mask: 'causal', pad: 3 })).body;
  assert.match(both, /The first 3 tokens are padding/);
  assert.match(both, /So the first 3 queries see only padding/);
  const all = caseText(view({ mask: 'padding', pad: 10 })).body;
  assert.match(all, /Every key is padding: no query sees any key\./);
  assert.doesNotMatch(all, /first 10 queries/);
  assert.match(caseText(view({ mask: 'padding', pad: 1 })).body, /The first key is padding: masked in every row, it gets no weight\./);
  assert.doesNotMatch(caseText(view({ mask: 'padding', pad: 0 })).body, /mask|padding/i);
});

test('SSMax replaces the scale sentence, and the title, formula and modes line name it', () => {
  const state = view({ scale: 'ssmax', ssmax_s: 0.5, qk: 'independent' });
  const { body } = caseText(state);
  assert.match(body, /0\.5·ln n·S\/√d_k/);
  assert.doesNotMatch(body, /Divided by √d_k/);
  const [, right] = panelWords(state);
  assert.equal(right.title, 'Softmax(SSMax, s = 0.5)');
  assert.match(right.formula, /softmax\(Q Kᵀ · 0\.5·ln n \/ √d_k\)/);
  assert.match(modesText(state), /scale 0\.5·ln n\/√d_k/);
  // With a cap: the cap goes around the SSMax logits.
  assert.match(panelWords(view({ scale: 'ssmax', cap: 5 }))[1].formula, /5·tanh\(Q Kᵀ · 1·ln n \/ √d_k \/ 5\)/);
});

test('PyTorch: SSMax as a factor on each query, with τ folded into SDPA’s scale; a cap is written out', () => {
  const code = pytorchCall(view({ scale: 'ssmax', tau: 2, qk: 'independent' }), 0.2878);
  assert.match(code, /mask = torch\.ones\(10, 10, dtype=torch\.bool\)/);
  assert.match(code, /logits = \(q @ k\.mT\) \* \(1 \* mask\.sum\(-1, keepdim=True\)\.clamp\(min=1\)\.log\(\) \/ q\.size\(-1\) \*\* 0\.5 \/ 2\)/);
  assert.match(code, /F\.scaled_dot_product_attention\(q \* \(1 \* mask\.sum\(-1, keepdim=True\)\.clamp\(min=1\)\.log\(\)\), k, v, scale=0\.125\)/);
  const capped = pytorchCall(view({ mask: 'causal', cap: 5, fill: 'min' }), 0.25);
  assert.match(capped, /logits = 5 \* torch\.tanh\(logits \/ 5\)/);
  assert.match(capped, /masked_fill\(~mask, torch\.finfo\(logits\.dtype\)\.min\)/);
  assert.doesNotMatch(capped, /scaled_dot_product_attention\(/); // SDPA has no cap
});

test('NumPy: the visible keys as the engine has them', () => {
  assert.deepEqual(visibleLines(view({ mask: 'causal', pad: 2 })), [
    '',
    'visible = np.tril(np.ones((T, T), dtype=bool))  # causal: query i sees keys 0..i',
    'visible[:, :2] = False  # the first 2 keys are padding',
  ]);
  assert.deepEqual(visibleLines(NOTEBOOK), []);
});
