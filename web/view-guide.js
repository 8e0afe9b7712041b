// The guided explanation: what to try and what to see, with the maths in
// MathML and "Set this up" buttons that set the view up for each point. It
// is part of the element, so an embed can carry it (the `guide` attribute,
// or ?embed=1&guide=1), and is loaded only when asked for.

import { fixedMarkup, fixedNodes } from './markup.js';
import { translateTree } from './i18n.js';

export const GUIDE = fixedMarkup(`
<section class="explain" aria-labelledby="explain-title">
  <h2 id="explain-title">What to try, and what to see</h2>
  <h3>1. Why dot products grow, and why √d<sub>k</sub></h3>
  <p>A score adds up d<sub>k</sub> products:
    <math display="inline"><mi>q</mi><mo>·</mo><mi>k</mi><mo>=</mo><munderover><mo>∑</mo><mrow><mi>i</mi><mo>=</mo><mn>1</mn></mrow><msub><mi>d</mi><mi>k</mi></msub></munderover><msub><mi>q</mi><mi>i</mi></msub><msub><mi>k</mi><mi>i</mi></msub></math>.
    If the components are independent with mean 0 and variance 1, each product has variance 1 and the
    variances add: <math display="inline"><mrow><mi>Var</mi><mo>(</mo><mi>q</mi><mo>·</mo><mi>k</mi><mo>)</mo><mo>=</mo><msub><mi>d</mi><mi>k</mi></msub></mrow></math>,
    so the spread of the scores grows like <math display="inline"><msqrt><msub><mi>d</mi><mi>k</mi></msub></msqrt></math>.
    Multiplying by <math display="inline" displaystyle="true"><mfrac><mn>1</mn><msqrt><msub><mi>d</mi><mi>k</mi></msub></msqrt></mfrac></math>
    brings the variance back to 1 whatever d<sub>k</sub> is.
    <em>Try:</em> with the dot product and the 1/√d<sub>k</sub> scale, choose independent Q and K and drag
    d<sub>k</sub> from 4 to 256: the unscaled std grows, the scaled std stays near 1.
    <button type="button" class="try" data-try="qk=independent&amp;score=dot&amp;scale=sqrt&amp;tau=1&amp;dk=4">Set this up</button></p>
  <h3>2. Numerical stability</h3>
  <p><math display="inline" displaystyle="true"><mrow><mi>softmax</mi><msub><mrow><mo>(</mo><mi>z</mi><mo>)</mo></mrow><mi>i</mi></msub><mo>=</mo><mfrac><msup><mi>e</mi><msub><mi>z</mi><mi>i</mi></msub></msup><mrow><msub><mo>∑</mo><mi>j</mi></msub><msup><mi>e</mi><msub><mi>z</mi><mi>j</mi></msub></msup></mrow></mfrac></mrow></math>.
    Subtracting the row maximum from every <math display="inline"><msub><mi>z</mi><mi>j</mi></msub></math> first changes nothing
    mathematically but keeps every exponent at or below 0, so nothing can overflow. Exponentiated directly,
    <math display="inline"><msup><mi>e</mi><mi>z</mi></msup></math> overflows once z passes 88.72 in float32 and bfloat16,
    or 11.09 in float16; the row sum becomes ∞ and ∞ / ∞ is NaN.
    <em>Try:</em> choose the naive softmax and float16, then set d<sub>k</sub> to 64: the unscaled rows turn into
    hatched NaN cells, while scaling keeps most scaled scores in range. Switch back to the stable softmax:
    no NaN in any format.
    <button type="button" class="try" data-try="qk=self&amp;score=dot&amp;scale=sqrt&amp;tau=1&amp;softmax=naive&amp;precision=f16&amp;dk=64">Set this up</button></p>
  <h3>3. Saturation and vanishing gradients</h3>
  <p>When one score in a row is far above the others, softmax puts nearly all the weight on it: the largest
    weight tends to 1, the entropy to 0. The gradient of softmax is its Jacobian
    <math display="inline"><mrow><mi>J</mi><mo>=</mo><mi>diag</mi><mo>(</mo><mi>p</mi><mo>)</mo><mo>−</mo><mi>p</mi><msup><mi>p</mi><mo>⊤</mo></msup></mrow></math>,
    and for a one-hot row every entry of J is 0: the scores get no gradient to learn from.
    The ∇ bars beside each heatmap show ‖J‖ for each row.
    <em>Try:</em> with the dot product, drag d<sub>k</sub> up and watch the unscaled bars shrink first.
    <button type="button" class="try" data-try="score=dot&amp;scale=sqrt&amp;tau=1&amp;dk=4">Set this up</button>
    Cosine scores stay within ±1, so they never saturate this way. Raising the temperature τ
    flattens both panels; lowering it sharpens them.</p>
  <h3>4. Beyond 1/√d_k: how today’s models keep logits in range</h3>
  <p>Dividing by √d_k assumes that queries and keys are independent. When a key leans towards its own query
    (correlation ρ), their score grows like ρ·d_k, faster than √d_k: μP divides by d_k instead (Yang et al., 2022).
    <em>Try:</em> keys correlated with their queries, ρ = 0.8; drag d_k, then choose the 1/d_k scale.
    <button type="button" class="try" data-try="qk=independent&amp;rho=0.8&amp;score=dot&amp;scale=sqrt&amp;dk=64">Set this up</button></p>
  <p>QK-norm normalises each query and key before the dot product: L2 with a gain g bounds every score by g
    (Henry et al., 2020); LayerNorm makes every |q|² about d_k whatever the inputs (ViT-22B, Dehghani et al., 2023; OLMo 2).
    <em>Try:</em> L2 QK-norm with g = 12, and drag d_k: the unscaled scores stay within ±12.
    <button type="button" class="try" data-try="qknorm=l2&amp;g=12&amp;qk=independent&amp;dk=64">Set this up</button></p>
  <p>Soft-capping passes every logit through c·tanh(z / c), as Gemma 2 does with c = 50: no logit exceeds ±c, so
    with T keys no row’s largest weight can pass 1 / (1 + (T − 1)·e^(−2c/τ)).
    <em>Try:</em> a cap of 2 with Q = K and d_k = 256: the unscaled rows stay below 0.86 instead of turning one-hot.
    <button type="button" class="try" data-try="cap=2&amp;qk=self&amp;score=dot&amp;dk=256&amp;t=10&amp;tau=1">Set this up</button></p>
  <p>With plain softmax a row flattens towards uniform as the context grows: its logits keep their spread while
    there are ever more of them. Scalable-Softmax multiplies each row’s logits by s·ln n, n the keys it sees
    (Nakanishi, 2025), so their spread grows with the context.
    <em>Try:</em> SSMax, then open the curves below: entropy ÷ ln n against T rises for plain softmax and falls for SSMax.
    <button type="button" class="try" data-try="scale=ssmax&amp;qk=independent&amp;dk=64">Set this up</button></p>
  <p>A causal mask lets each query see only itself and the keys before it, as in a decoder; a padding mask hides
    the keys that are only filler. A masked logit is set to −∞ before the softmax, so its weight is exactly 0.
    A query that sees no key at all, such as the first ones under left padding and a causal mask, gets
    −∞ − (−∞) = NaN; PyTorch’s scaled_dot_product_attention returns zeros there since version 2.5, and filling with
    the lowest finite value gives a uniform row instead.
    <em>Try:</em> a causal mask with 2 padded keys, then each choice for a row that sees no key.
    <button type="button" class="try" data-try="mask=causal&amp;pad=2&amp;fill=inf&amp;qk=independent">Set this up</button></p>
</section>
`);

/**
 * Shows the guide at the end of `app` (or takes it away). Each "Set this
 * up" button sets the parameters its `data-try` names through `update`;
 * pressed again, it puts back what those parameters were, leaving anything
 * else the reader changed meanwhile. `state` is the view's live state.
 * Returns `{ remove() }`.
 */
export function showGuide(app, { state, update, words }) {
  const nodes = fixedNodes(GUIDE);
  const section = nodes.querySelector('section');
  translateTree(section, words);
  for (const button of section.querySelectorAll('button[data-try]')) {
    const label = button.textContent;
    const back = words.markup('Back to the view before');
    let before = null;
    button.addEventListener('click', () => {
      const wanted = Object.fromEntries(new URLSearchParams(button.dataset.try));
      if (before) {
        update(before);
        before = null;
      } else {
        before = Object.fromEntries(Object.keys(wanted).map((key) => [key, String(state[key])]));
        update(wanted);
      }
      button.textContent = before ? back : label;
    });
  }
  app.append(section);
  return { remove: () => section.remove() };
}
