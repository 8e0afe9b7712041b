// The words of web/explain.js, without a browser: each sentence is a claim
// about the state it is written for (checked against NumPy where it has a
// number in it: see the comments beside the functions).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { caseText, colourLegend, modesText, panelWords, pytorchCall, readoutsText, scaleFactorText, viewLines } from '../../web/explain.js';

// A full state, as the page has it (state.js's PARAMS): the notebook's view.
const NOTEBOOK = {
  dk: 16, t: 10, seed: 42, qk: 'self', x: 'fresh', dist: 'normal', sigma: 1, mu: 0, ln: '0', rho: 0,
  score: 'dot', scale: 'sqrt', qknorm: 'none', g: 1, cap: 0, tau: 1, softmax: 'stable', precision: 'f32', text: '',
};
const view = (change) => ({ ...NOTEBOOK, ...change });

test('a PNG names the case always, and every mode', () => {
  assert.deepEqual(viewLines(NOTEBOOK, [], '5.3991'), [
    'Q = K = X (as in the notebook), dot product, random tokens X ~ N(0, 1)',
    'd_k = 16 · seed 42 · scale 1/√d_k · τ = 1 · stable softmax · float32 · T = 10 · std of scores 5.3991',
  ]);
  const [line] = viewLines(view({ qk: 'independent', score: 'cosine' }), ['the', 'cat', 'sat', 'on', 'the', 'mat', 'today'], '1');
  assert.equal(line, 'independent Q and K, cosine similarity, the words of “the cat sat on the mat …”');
});

test('kept tokens are named in the modes line and on a PNG', () => {
  const kept = view({ x: 'keep' });
  assert.match(viewLines(kept, [], '1')[0], /random tokens X ~ N\(0, 1\), kept as d_k grows/);
  assert.match(viewLines(kept, [], '1')[1], /tokens kept as d_k grows/);
  assert.doesNotMatch(viewLines(NOTEBOOK, [], '1')[1], /kept/);
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
  assert.match(caseText(view({ tau: 0.25 })).body, /multiplies every logit by 4, so both panels are sharper/);
  // A factor above 1 enlarges cosine scores: no claim that scaling shrinks them.
  assert.doesNotMatch(caseText(view({ score: 'cosine', scale: '10' })).body, /shrinks/);
});

test('the readouts sentence says what the stds do in this case and under this scale rule', () => {
  assert.match(readoutsText(NOTEBOOK), /unscaled std ÷ √d_k grows with d_k, faster the smaller T is/);
  assert.match(readoutsText(NOTEBOOK), /the scaled std is that same ratio, so it grows too/);
  const independent = view({ qk: 'independent' });
  assert.match(readoutsText(independent), /stays near 1 at every d_k/);
  assert.match(readoutsText(independent), /near 1, which is what 1\/√d_k is for/);
  // 1/d_k: std √d_k ÷ d_k = 1/√d_k, not 1.
  assert.match(readoutsText({ ...independent, scale: 'dk' }), /the scaled std is about 1\/√d_k: it shrinks/);
  assert.doesNotMatch(readoutsText({ ...independent, scale: 'dk' }), /near 1, which/);
  assert.match(readoutsText(view({ scale: 'none' })), /not scaled: its std is the unscaled one/);
  assert.match(readoutsText(view({ scale: '10', score: 'cosine' })), /Multiplied by 10, the scaled std is 10 × the unscaled one/);
  assert.doesNotMatch(readoutsText(view({ scale: '10', score: 'cosine' })), /shrink/);
  assert.match(readoutsText(view({ tau: 3 })), /before the temperature τ = 3/);
  // Cosine with τ > 1: softer, with no claim about saturating at larger d_k.
  assert.doesNotMatch(caseText(view({ score: 'cosine', tau: 3 })).body, /larger d_k/);
  assert.equal(scaleFactorText(view({ scale: '0.001' }), 0.0010000000474974513), '0.001');
  assert.equal(scaleFactorText(NOTEBOOK, 0.25), '0.2500 (1/√d_k)');
});

test('the PyTorch code computes the weights of the heatmap and the output', () => {
  const code = pytorchCall(view({ scale: 'dk', tau: 2 }), 1 / 32);
  assert.match(code, /weights = torch\.softmax\(q @ k\.mT \* 0\.03125, dim=-1\)/);
  assert.match(code, /scaled_dot_product_attention\(q, k, v, scale=0\.03125\)/);
  assert.doesNotMatch(code, /accumulates in float32/);
  assert.match(pytorchCall(view({ precision: 'f16' }), 0.25), /float16 matmul typically accumulates in float32/);
});

test('the colour bar marks a uniform row where 1/T sits on each scale', () => {
  assert.equal(colourLegend('linear', 'viridis', 10).uniform, 0.1);
  // log10(1/100) = -2: halfway up four decades.
  assert.equal(colourLegend('log', 'viridis', 100).uniform, 0.5);
  assert.equal(colourLegend('log', 'viridis', 100000).uniform, 0); // below 10^-4: the bottom
  assert.equal(colourLegend('row', 'viridis', 10).uniform, null);
  assert.match(colourLegend('linear', 'cividis', 10).description, /dark blue is 0/);
  assert.deepEqual(colourLegend('linear', 'viridis', 3).uniformLabel, '1/T = 0.33');
});

test('in Arabic, formulas and the modes’ maths are isolated so they keep their left-to-right order; in English nothing is added', async () => {
  const { loadLanguage, english } = await import('../../web/i18n.js');
  const ar = await loadLanguage('ar');
  const state = { ...NOTEBOOK, tau: 2 };
  const [left, right] = panelWords(state, ar);
  assert.match(left.formula, /^\u2066softmax\(Q Kᵀ \/ τ\)\u2069،/);
  assert.match(right.formula, /^\u2066softmax\(Q Kᵀ \/ √d_k \/ τ\)\u2069/);
  assert.match(modesText(state, ar), /\u20661\/√d_k\u2069.*\u2066τ = 2\u2069.*\u2066T = 10\u2069/);
  assert.doesNotMatch(`${panelWords(state, english())[1].formula} ${modesText(state, english())}`, /[\u2066-\u2069]/);
});

test('the inputs change what the sentences may claim: no "near 1" for other σ and μ, the own key for correlated keys', () => {
  // σ = 2, μ = 0.5: the unscaled std ÷ √d_k is σ·√(σ² + 2μ²) = 2·√4.5 ≈ 4.24, not 1.
  const spread = view({ qk: 'independent', sigma: 2, mu: 0.5 });
  assert.match(readoutsText(spread), /stays near σ·√\(σ² \+ 2μ²\) = 4\.24 at every d_k/);
  assert.match(readoutsText(spread), /steady at every d_k/);
  assert.doesNotMatch(`${readoutsText(spread)} ${caseText(spread).body}`, /near 1/);
  assert.match(caseText(spread).body, /mean μ² and variance σ²·\(σ² \+ 2μ²\)/);
  assert.match(caseText(spread).body, /their spread stays the same at every d_k/);
  // LayerNorm undoes σ and μ: the notebook's sentences hold again.
  const normed = view({ qk: 'independent', sigma: 2, mu: 0.5, ln: '1' });
  assert.match(readoutsText(normed), /stays near 1 at every d_k/);
  // Correlated keys: the own key stands out, and grows.
  const leaning = view({ qk: 'independent', rho: 0.5 });
  assert.match(readoutsText(leaning), /grows like ρ·d_k/);
  assert.match(readoutsText(leaning), /so it grows too/);
  assert.match(caseText(leaning).body, /sharpen onto their own key/);
  assert.match(caseText(view({ qk: 'independent', rho: 0.5, scale: 'dk' })).body, /μP's 1\/d_k/);
  // ρ means nothing with Q = K.
  assert.doesNotMatch(caseText(view({ rho: 0.5 })).body, /ρ/);
  assert.match(readoutsText(view({ mu: 1 })), /lead the others’ mean by about σ²·d_k/);
  assert.match(caseText(view({ mu: 1 })).body, /\|x\|² ≈ \(σ² \+ μ²\)·d_k, σ²·d_k above the other scores' mean μ²·d_k/);
});

test('QK-norm and the cap change which sentences hold: no σ² or growing own-key score under L2, bounds under a cap', () => {
  const l2 = view({ qk: 'independent', sigma: 2, rho: 0.5, qknorm: 'l2', g: 12 });
  const body = caseText(l2).body;
  assert.doesNotMatch(body, /σ² = 4|grows like ρ·d_k/);
  assert.match(body, /cosine is about ρ, so that score stays near ρ·g/);
  assert.match(body, /g·cos θ, between −12 and 12/);
  assert.match(readoutsText(l2), /between −g and g: the stds no longer grow/);
  assert.doesNotMatch(readoutsText(l2), /g\/√d_k/); // ρ = 0.5: the own keys, at about ρ·g, dominate
  assert.match(readoutsText(view({ qk: 'independent', qknorm: 'l2', g: 12 })), /about g\/√d_k/);
  // Cosine scores do not depend on σ; an offset moves them; the cap bound counts τ.
  assert.doesNotMatch(caseText(view({ score: 'cosine', sigma: 3, mu: 1 })).body, /σ² = 9|μ²·d_k/);
  assert.match(caseText(view({ cap: 1, tau: 0.25 })).body, /can pass 0\.997/);
  // Correlated keys: the other keys' scores are described, not the own key's.
  assert.match(caseText(view({ qk: 'independent', rho: 0.5 })).body, /another token's key still sums/);
  assert.match(caseText(view({ qk: 'independent', rho: 0.5, ln: '1', sigma: 3 })).body, /about 0\.5·√d_k above the rest/);
  // LayerNorm QK-norm undoes σ and μ: the notebook's sentences about unit components hold.
  assert.match(readoutsText(view({ qk: 'independent', sigma: 3, mu: 2, qknorm: 'layernorm' })), /stays near 1 at every d_k/);
  // A cap: 1 / (1 + 9 e^(−10)) = 0.99959 for T = 10 and c = 5.
  const capped = caseText(view({ cap: 5 })).body;
  assert.match(capped, /can pass 0\.9996/);
  assert.doesNotMatch(capped, /turn one-hot/);
  assert.equal(panelWords(view({ cap: 5, qknorm: 'l2' }))[1].title, 'Softmax(scaled by 1/√d_k) — L2 QK-norm, capped at 5');
  assert.equal(panelWords(view({ cap: 5, g: 2, qknorm: 'l2' }))[1].formula, 'softmax(5·tanh(2·Q̂ K̂ᵀ / √d_k / 5)), row by row');
});
