// The words of web/explain.js, without a browser: each sentence is a claim
// about the state it is written for (checked against NumPy where it has a
// number in it: see the comments beside the functions).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { caseText, panelWords, pytorchCall, readoutsText, scaleFactorText, viewLines } from '../../web/explain.js';

const NOTEBOOK = { dk: 16, t: 10, seed: 42, qk: 'self', score: 'dot', scale: 'sqrt', tau: 1, softmax: 'stable', precision: 'f32' };
const view = (change) => ({ ...NOTEBOOK, ...change });

test('a PNG names the case always, and every mode', () => {
  assert.deepEqual(viewLines(NOTEBOOK, [], '5.3991'), [
    'Q = K = X (as in the notebook), dot product, random tokens X ~ N(0, 1)',
    'd_k = 16 · seed 42 · scale 1/√d_k · τ = 1 · stable softmax · float32 · T = 10 · std of scores 5.3991',
  ]);
  const [line] = viewLines(view({ qk: 'independent', score: 'cosine' }), ['the', 'cat', 'sat', 'on', 'the', 'mat', 'today'], '1');
  assert.equal(line, 'independent Q and K, cosine similarity, the words of “the cat sat on the mat …”');
});

test('the right-hand panel is called scaled only when its rule scales', () => {
  assert.equal(panelWords(NOTEBOOK)[1].title, 'Softmax(scaled by 1/√d_k)');
  assert.equal(panelWords(view({ scale: 'none' }))[1].title, 'Softmax(not scaled)');
  assert.equal(panelWords(view({ scale: 'dk' }))[1].formula, 'softmax(Q Kᵀ / d_k), row by row');
  assert.equal(panelWords(view({ scale: '0.3', tau: 2 }))[1].formula, 'softmax(Q Kᵀ · 0.3 / τ), τ = 2, row by row');
  assert.equal(panelWords(NOTEBOOK)[0].title, 'Softmax(unscaled)');
});

test('the case text follows the scale rule and τ, and suggests the other case', () => {
  const notebook = caseText(NOTEBOOK);
  assert.match(notebook.body, /even the 1\/√d_k-scaled rows turn one-hot as d_k grows/);
  assert.deepEqual(notebook.tryIt, { label: 'Try independent Q and K', change: { qk: 'independent' } });
  assert.deepEqual(caseText(view({ qk: 'independent' })).tryIt.change, { qk: 'self' });
  assert.doesNotMatch(caseText(view({ scale: 'none' })).body, /Divided by/);
  assert.match(caseText(view({ tau: 20 })).body, /τ = 20 divides every logit by 20/);
  assert.match(caseText(view({ tau: 0.25 })).body, /multiplies every logit by 4/);
  // A factor above 1 enlarges cosine scores: no claim that scaling shrinks them.
  assert.doesNotMatch(caseText(view({ score: 'cosine', scale: '10' })).body, /shrinks/);
});

test('the readouts sentence says what the stds do in this case', () => {
  assert.match(readoutsText(NOTEBOOK), /unscaled std grows about like d_k and the scaled one like √d_k/);
  assert.match(readoutsText(view({ qk: 'independent' })), /both stay near 1/);
  assert.match(readoutsText(view({ tau: 3 })), /before the temperature τ = 3/);
  assert.equal(scaleFactorText(view({ scale: '0.001' }), 0.0010000000474974513), '0.001');
  assert.equal(scaleFactorText(NOTEBOOK, 0.25), '0.2500 (1/√d_k)');
});

test('the PyTorch code computes the weights of the heatmap and the output', () => {
  const code = pytorchCall(view({ scale: 'dk', tau: 2 }), 1 / 32);
  assert.match(code, /weights = torch\.softmax\(q @ k\.mT \* 0\.03125, dim=-1\)/);
  assert.match(code, /scaled_dot_product_attention\(q, k, v, scale=0\.03125\)/);
  assert.doesNotMatch(code, /accumulates in float32/);
  assert.match(pytorchCall(view({ precision: 'f16' }), 0.25), /float16 matmul accumulates in float32/);
});
