// The words for masks and Scalable-Softmax (the core's mask.rs and its
// ScaleRule::Scalable): the case text's sentences, the modes line, the
// panel titles and formulas. Each sentence is a claim for the state it is
// written for; explain.js puts them in place.

import { emptyRowsOf, padOf } from './state.js';

/** Whether the view has a mask that hides any cell. */
export const masked = (state) => state.mask === 'causal' || (state.mask === 'padding' && padOf(state) > 0);

/**
 * The case text's sentences on the mask: which keys each query sees, the
 * padding, and the queries that see none (their result is in the alarm).
 */
export function maskSentences(state, { t, plural }) {
  if (!masked(state)) return [];
  const pad = padOf(state);
  const said = [];
  if (state.mask === 'causal') said.push(t('mask.causal'));
  if (pad >= state.t) said.push(t('mask.allPadding'));
  else if (pad > 0) said.push(plural(state.mask === 'causal' ? 'mask.causalPadding' : 'mask.padding', pad));
  const empty = emptyRowsOf(state);
  if (empty > 0 && empty < state.t) said.push(plural('mask.emptyRows', empty));
  said.push(t('mask.drawn'));
  return said;
}

/** The case text's sentence on SSMax (the right panel only). */
export function ssmaxSentences(state, { t }) {
  return state.scale === 'ssmax' ? [t('ssmax.case', { s: state.ssmax_s })] : [];
}

/** The mask in the modes line. */
export function maskModes(state, { t, plural }) {
  if (!masked(state)) return [];
  const pad = padOf(state);
  const kind = state.mask === 'causal' ? [t('modes.causal')] : [];
  return [...kind, ...(pad > 0 ? [plural('modes.padded', pad)] : []), ...(emptyRowsOf(state) > 0 ? [t(`modes.fill.${state.fill}`)] : [])];
}

/** The panel titles' note of the mask (empty without one). */
export function maskTitle(state, { t }) {
  if (!masked(state)) return '';
  return t(state.mask === 'causal' ? 'panel.causal' : 'panel.padded');
}

/** The right panel's title and logits for SSMax: `scores` is the formula of the scores (Q Kᵀ, cos(Q, K), with controls). */
export function ssmaxPanel(state, { t }) {
  return { title: t('panel.title.ssmax', { s: state.ssmax_s }), scale: ` · ${state.ssmax_s}·ln n / √d_k` };
}
