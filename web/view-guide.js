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
