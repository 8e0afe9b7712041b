// The words for the logit controls (the core's logits.rs): QK-norm with a
// gain, and the soft cap. Each sentence is a claim for the state it is
// written for; explain.js puts them in the case text, the ratio line, the
// modes line, the panel titles and formulas, and the PyTorch call.

/** Whether QK-norm, a gain or a cap changes the scores, so that the 2017 recipe's sentences about them no longer hold. */
export const controlled = (state) =>
  state.qknorm === 'l2' || Number(state.g) !== 1 || Number(state.cap) > 0;

/**
 * The case text's sentences: what QK-norm does (with its source), the
 * gain, and the cap's bound on a row's largest weight: with every logit in
 * [−c, c] (before τ divides them) a row's logits differ by at most 2c/τ, so
 * its largest weight is at most e^{2c/τ} / (e^{2c/τ} + T − 1).
 */
export function logitsSentences(state, { t, number }) {
  const said = [];
  const g = Number(state.g);
  if (state.qknorm === 'l2') said.push(t('logits.l2', { g }));
  if (state.qknorm === 'layernorm') said.push(t('logits.layernorm'));
  if (state.qknorm !== 'l2' && g !== 1) said.push(t('logits.gain', { g }));
  const c = Number(state.cap);
  if (c > 0) {
    // The cap comes before τ, so the logits softmax sees lie in [−c/τ, c/τ].
    const top = 1 / (1 + (state.t - 1) * Math.exp((-2 * c) / state.tau));
    said.push(t('logits.cap', { c, top: number(top, 4) }));
  }
  return said;
}

/**
 * The ratio line under control: what the stds do now. L2: every score is
 * g·cos θ, bounded; with independent, centred, uncorrelated rows cos θ has
 * standard deviation about 1/√d_k. A gain scales both stds only without a cap.
 */
export function logitsReadouts(state, { t }) {
  const said = [];
  const cap = Number(state.cap) > 0;
  if (state.qknorm === 'l2') {
    said.push(t('ratio.l2'));
    const centred = Number(state.mu) === 0 || state.ln === '1';
    if (state.qk === 'independent' && Number(state.rho) === 0 && centred && !cap) said.push(t('ratio.l2.independent'));
  } else if (Number(state.g) !== 1 && !cap) said.push(t('ratio.gain', { g: state.g }));
  if (Number(state.cap) > 0) said.push(t('ratio.cap', { c: state.cap }));
  return said;
}

/** The controls in the modes line. */
export function logitsModes(state, { t, math }) {
  return [
    ...(state.qknorm !== 'none' ? [t(`modes.qknorm.${state.qknorm}`)] : []),
    ...(Number(state.g) !== 1 ? [math(`g = ${state.g}`)] : []),
    ...(Number(state.cap) > 0 ? [t('modes.cap', { c: state.cap })] : []),
  ];
}

/** The panel titles' note of the controls (empty without any). */
export function logitsTitle(state, { t }) {
  const parts = [
    ...(state.qknorm !== 'none' ? [t(`modes.qknorm.${state.qknorm}`)] : []),
    ...(Number(state.cap) > 0 ? [t('panel.capped', { c: state.cap })] : []),
  ];
  return parts.join(', ');
}

/**
 * A panel's logits as a formula: `scores` (Q Kᵀ, or cos(Q, K)) with hats
 * for QK-norm and the gain in front, then `scale` (" / √d_k", or ""), then
 * the cap around it all.
 */
export function logitsFormula(state, scores, scale) {
  const normed = state.qknorm === 'none' ? scores : scores.replace('Q Kᵀ', 'Q̂ K̂ᵀ').replace('cos(Q, K)', 'cos(Q̂, K̂)');
  const gained = Number(state.g) === 1 ? normed : `${state.g}·${normed}`;
  const c = Number(state.cap);
  return c > 0 ? `${c}·tanh(${gained}${scale} / ${c})` : `${gained}${scale}`;
}

/** PyTorch's QK-norm of q and k, as the page does it (none: no line). */
export function qkNormTorch(state) {
  return {
    none: [],
    l2: ['q, k = F.normalize(q, dim=-1), F.normalize(k, dim=-1)  # QK-norm (Henry et al. 2020)'],
    layernorm: ['q, k = F.layer_norm(q, q.shape[-1:]), F.layer_norm(k, k.shape[-1:])  # QK-norm (ViT-22B)'],
  }[state.qknorm] ?? [];
}

/** Whether the logits need writing out by hand: F.scaled_dot_product_attention has neither a gain nor a cap. */
export const manualLogits = (state) => Number(state.g) !== 1 || Number(state.cap) > 0;

/** PyTorch for a gain and a cap: the logits by hand (`factor` is the scale rule over τ). */
export function logitsTorch(state, factor) {
  const lines = [];
  const g = Number(state.g) === 1 ? '' : `${state.g} * `;
  lines.push(`logits = ${g}(q @ k.mT) * ${factor}  # the scale rule${state.tau === 1 ? '' : ' / τ'}`);
  if (Number(state.cap) > 0) {
    const c = Number(state.cap);
    const tau = state.tau === 1 ? '' : ` * ${state.tau}`;
    // The cap comes before τ: undo τ, cap, divide by τ again.
    lines.push(`logits = ${c} * torch.tanh(logits${tau} / ${c})${state.tau === 1 ? '' : ` / ${state.tau}`}  # soft cap, as Gemma 2`);
  }
  lines.push('weights = torch.softmax(logits, dim=-1)  # the heatmap: rows sum to 1; F.scaled_dot_product_attention has no gain or cap');
  return lines;
}
