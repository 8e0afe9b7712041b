// The words that depend on the mode: which case the page shows, the modes in
// one line, and the equivalent PyTorch call. Every sentence here must be true
// for the state it is written for; the numbers come from the engine.

import { english } from './i18n.js';
import {
  controlled, logitsFormula, logitsModes, logitsReadouts, logitsSentences, logitsTitle, logitsTorch, manualLogits, qkNormTorch,
} from './explain-logits.js';
import { masked, maskModes, maskSentences, maskTitle, ssmaxPanel, ssmaxSentences } from './explain-mask.js';
import { torchFactor, torchMaskLines, torchMaskedWeights } from './mask-code.js';

const SCALE_NAMES = { sqrt: '1/√d_k', dk: '1/d_k', none: 'none' };
const ENGLISH = english();
const MAPS = new Set(['viridis', 'cividis', 'grey']);
const FORMAT_NAMES = { f32: 'float32', bf16: 'bfloat16', f16: 'float16' };
const TORCH_DTYPES = { bf16: 'torch.bfloat16', f16: 'torch.float16' };

/**
 * `{ title, body, tryIt }`: the Q/K case and the score function in words
 * that follow the scale rule and the temperature, and the state the case
 * suggests trying next (`{ label, change }`), with a way back. `words` is a
 * translator (i18n.js); English by default.
 */
export function caseText(state, words = ENGLISH) {
  const { t } = words;
  const title = t({
    'self dot': 'case.title.selfDot',
    'independent dot': 'case.title.independentDot',
    'self cosine': 'case.title.selfCosine',
    'independent cosine': 'case.title.independentCosine',
  }[`${state.qk} ${state.score}`]);
  // Under QK-norm, a gain or a cap the scale rule's sentences about the raw scores no longer hold: the controls' do.
  const control = controlled(state);
  const body = [
    state.qknorm === 'l2' ? '' : caseSentence(state, t),
    ...inputsSentences(state, words),
    ...logitsSentences(state, words),
    control || state.scale === 'ssmax' ? '' : scaleSentence(state, words),
    ...ssmaxSentences(state, words),
    ...maskSentences(state, words),
    temperatureSentence(state, words),
  ].filter(Boolean).join(' ');
  const tryIt = state.qk === 'self'
    ? { label: t('case.tryIndependent'), change: { qk: 'independent' } }
    : { label: t('case.backToSelf'), change: { qk: 'self' } };
  return { title, body, tryIt };
}

/** Whether the components have mean 0 and variance 1 (LayerNorm'ed rows do, to within its epsilon). */
const unitComponents = (state) =>
  state.ln === '1' || state.qknorm === 'layernorm' || (Number(state.sigma) === 1 && Number(state.mu) === 0);

/** Whether each key leans towards its own query (ρ, with independent Q and K). */
const correlated = (state) => state.qk === 'independent' && Number(state.rho) > 0;

/**
 * Which sentence of a family holds: `<key>.correlated` for correlated keys,
 * `<key>.spread` where the notebook's sentence names numbers that only
 * mean-0, variance-1 components give (the keys listed in SPREAD), else `<key>`.
 */
const SPREAD = new Set(['scale.sqrt.self', 'scale.sqrt.independent', 'scale.dk.self', 'scale.factor.self', 'scale.factor.independent']);
function variant(state, family) {
  if (correlated(state)) return `${family}.correlated`;
  const who = `${family}.${state.qk === 'self' ? 'self' : 'independent'}`;
  return !unitComponents(state) && SPREAD.has(who) ? `${who}.spread` : who;
}

/**
 * With ±1 components and LayerNorm, a row of equal components (a chance of
 * 2^(1−d_k)) has no variance and becomes zeros: at small d_k that happens.
 */
const constantRows = (state) =>
  state.dist === 'rademacher' && (state.ln === '1' || state.qknorm === 'layernorm') && state.dk <= 16;

function caseSentence(state, t) {
  if (state.score === 'cosine') {
    return t(state.qk === 'self' && !constantRows(state) ? 'case.cosine.self' : 'case.cosine.independent');
  }
  const spread = unitComponents(state) ? '' : '.spread';
  if (correlated(state)) return t(`case.correlated${spread}`);
  return t(`${state.qk === 'self' ? 'case.self' : 'case.independent'}${spread}`);
}

/**
 * The inputs in words (the core's inputs.rs), each claim true for any
 * d_k: with mean μ and variance σ² per component, a score of independent
 * rows sums d_k products of mean μ² and variance σ²(σ² + 2μ²); along a row
 * only the key's part varies, with standard deviation σ √((σ² + μ²) d_k);
 * a key correlated with its query (ρ) scores ρ σ² d_k + μ² d_k with it.
 */
function inputsSentences(state, { t, number }) {
  const said = [];
  if (state.dist !== 'normal') said.push(t(`inputs.${state.dist}`));
  if (constantRows(state)) said.push(t('inputs.constantRows', { dk: state.dk, odds: number(2 ** (state.dk - 1)) }));
  // QK-norm normalises the rows again (σ, and for LayerNorm μ, no longer matter, as its own sentence says);
  // cosines do not depend on σ, and an offset moves them rather than adding μ²·d_k.
  const normed = state.qknorm !== 'none' && state.qknorm !== undefined;
  const cosines = state.score === 'cosine' || state.qknorm === 'l2';
  if (state.ln === '1') said.push(t('inputs.ln'));
  else if (!normed && !cosines && Number(state.mu) !== 0) said.push(t('inputs.mu', { mu: state.mu }));
  else if (!normed && !cosines && Number(state.sigma) !== 1) {
    said.push(t('inputs.sigma', { sigma: state.sigma, square: number(state.sigma * state.sigma, 4) }));
  }
  if (!correlated(state)) return said;
  // A key's cosine with its own query is about ρ when the rows are centred (μ = 0, or LayerNorm'ed).
  const centred = Number(state.mu) === 0 || state.ln === '1' || state.qknorm === 'layernorm';
  if (!cosines) said.push(t('inputs.rho', { rho: state.rho }));
  else if (centred) said.push(t('inputs.rho.l2', { rho: state.rho }));
  return said;
}

/** What the right-hand panel's rule does to this case's scores. */
function scaleSentence(state, { t, number }) {
  if (state.scale === 'none') return t('scale.none');
  if (state.score === 'cosine') return state.scale in SCALE_NAMES ? t('scale.cosineRule') : t('scale.cosineFactor', { f: state.scale });
  // A correlated key's lead over the others: ρ·σ² (σ = 1 for unit components).
  const lead = number(Number(state.rho) * (unitComponents(state) ? 1 : Number(state.sigma) ** 2), 3);
  if (state.scale === 'sqrt' || state.scale === 'dk') return t(variant(state, `scale.${state.scale}`), { lead });
  return t(variant(state, 'scale.factor'), { f: state.scale, lead });
}

/** The temperature divides every logit (never the scores the stds are of). */
function temperatureSentence(state, { t, number }) {
  if (state.tau === 1) return '';
  if (state.tau > 1) return t(state.score === 'dot' ? 'tau.softerDot' : 'tau.softer', { tau: state.tau });
  return t('tau.sharper', { tau: state.tau, inverse: number(1 / state.tau, 3) });
}

/**
 * What the std readouts do as d_k grows, in this case and under this scale
 * rule (the ratio line's words). With Q = K the T diagonal scores
 * |x|² ≈ d_k widen the spread: unscaled std ÷ √d_k is about
 * √((T+1)/T + d_k (T−1)/T²) ≈ √(1 + d_k/T), which grows with d_k for any T
 * (NumPy, mean of 40 seeds: 1.61, 2.62, 4.91 at T 10 and d_k 16, 64, 256;
 * 1.003, 1.03, 1.12 at T 1024).
 */
export function readoutsText(state, words = ENGLISH) {
  const { t } = words;
  const tau = state.tau === 1 ? '' : t('ratio.tau', { tau: state.tau });
  if (controlled(state)) return [...logitsReadouts(state, words), tau].filter(Boolean).join(' ');
  return [unscaledSentence(state, words), scaledSentence(state, t), tau].filter(Boolean).join(' ');
}

/**
 * The unscaled std ÷ √d_k, for the inputs: with independent rows of
 * components of mean μ and variance σ², σ √(σ² + 2μ²) at every d_k (the
 * core's sweep theory); correlated keys add T scores near ρ σ² d_k, so it
 * grows like √(σ²(σ² + 2μ²) + ρ² σ⁴ d_k / T).
 */
function unscaledSentence(state, { t, number }) {
  if (state.score === 'cosine') return t('ratio.cosine');
  const unit = unitComponents(state);
  if (state.qk === 'self') return t(unit ? 'ratio.self' : 'ratio.self.spread');
  if (correlated(state)) return t('ratio.correlated');
  if (unit) return t('ratio.independent');
  const [sigma, mu] = [Number(state.sigma), Number(state.mu)];
  return t('ratio.independent.spread', { value: number(sigma * Math.sqrt(sigma * sigma + 2 * mu * mu), 3) });
}

function scaledSentence(state, t) {
  const steady = state.score === 'dot' && state.qk === 'independent' && !correlated(state);
  switch (state.scale) {
    case 'sqrt':
      if (state.score === 'cosine') return t('ratio.sqrt.cosine');
      if (!steady) return t('ratio.sqrt.growing');
      return t(unitComponents(state) ? 'ratio.sqrt.steady' : 'ratio.sqrt.spread');
    case 'dk':
      return t(steady && unitComponents(state) ? 'ratio.dk.independent' : 'ratio.dk.other');
    case 'none':
      return t('ratio.none');
    case 'ssmax':
      return t('ratio.ssmax');
    default:
      return t('ratio.factor', { f: state.scale });
  }
}

/** The factor the scaled panel multiplies the scores by, as the visitor gave it. */
export function scaleFactorText(state, factor, { t, precise } = ENGLISH) {
  if (state.scale === 'ssmax') return t('factor.ssmax', { f: precise(factor, 4) });
  if (!(state.scale in SCALE_NAMES)) return String(state.scale);
  return `${precise(factor, 4)} (${state.scale === 'none' ? t('factor.noScaling') : SCALE_NAMES[state.scale]})`;
}

/**
 * Title and formula of each panel, `[unscaled, scaled]`, for the current
 * score function, scale rule and temperature: the right-hand panel is only
 * "scaled" when the rule scales.
 */
export function panelWords(state, words = ENGLISH) {
  const { t, math } = words;
  const scores = state.score === 'cosine' ? 'cos(Q, K)' : 'Q Kᵀ';
  const tau = state.tau === 1 ? '' : ' / τ';
  const rowByRow = state.tau === 1 ? t('panel.rowByRow') : t('panel.rowByRowTau', { tau: state.tau });
  const logits = (scale) => logitsFormula(state, scores, scale);
  const right = {
    sqrt: { title: t('panel.title.sqrt'), formula: math(`softmax(${logits(' / √d_k')}${tau})`) },
    dk: { title: t('panel.title.dk'), formula: math(`softmax(${logits(' / d_k')}${tau})`) },
    none: { title: t('panel.title.none'), formula: `${math(`softmax(${logits('')}${tau})`)}${t('panel.sameAsLeft')}` },
    ssmax: { title: ssmaxPanel(state, words).title, formula: math(`softmax(${logits(ssmaxPanel(state, words).scale)}${tau})`) },
  }[state.scale] ?? { title: t('panel.title.factor', { factor: state.scale }), formula: math(`softmax(${logits(` · ${state.scale}`)}${tau})`) };
  const controls = [logitsTitle(state, words), maskTitle(state, words)].filter(Boolean).join(', ');
  const titled = (title) => (controls ? t('panel.controls', { title, controls }) : title);
  return [
    { title: titled(t('panel.title.unscaled')), formula: `${math(`softmax(${logits('')}${tau})`)}${rowByRow}` },
    { title: titled(right.title), formula: right.formula + rowByRow },
  ];
}

/**
 * What a picture of the view shows, for an exported PNG: the case in words
 * (always), then the numbers and every mode, so a slide says whether it is
 * the notebook's Q = K or independent Q and K, dot or cosine, random tokens
 * or a text. `tokens` are the words of the text shown (none for random tokens).
 */
export function viewLines(state, tokens, std, words = ENGLISH) {
  const { t } = words;
  const shown = `${tokens.slice(0, 6).join(' ')}${tokens.length > 6 ? ' …' : ''}`;
  const what = tokens.length ? t('png.words', { words: shown }) : t(state.x === 'keep' ? 'png.randomKept' : 'png.random');
  return [
    `${t(state.qk === 'self' ? 'png.self' : 'png.independent')}, ${t(state.score === 'cosine' ? 'png.cosine' : 'png.dot')}, ${what}`,
    t('png.numbers', { dk: state.dk, seed: state.seed, modes: modesText(state, words), std }),
  ];
}

/**
 * The colour bar's words for a colour scale (`shade`), colour map and T:
 * its caption, five tick labels from top to bottom (evenly spaced, as every
 * scale's positions are), an accessible description, and where a uniform
 * row's weight 1/T sits (0 bottom to 1 top; null where it has no fixed place).
 */
export function colourLegend(shade, cmap, t, words = ENGLISH) {
  const say = words.t;
  const [low, mid, high] = say(`legend.colours.${MAPS.has(cmap) ? cmap : 'viridis'}`).split('|');
  const uniform = 1 / t;
  const shown = words.number(uniform, 2);
  const colours = { low, mid, high, uniform: shown };
  const uniformLabel = `1/T = ${shown}`;
  if (shade === 'row') {
    const ticks = [say('legend.row.top'), ...[0.75, 0.5, 0.25, 0].map((v) => words.number(v))];
    return { caption: say('legend.row.caption'), ticks, description: say('legend.row.description', colours), uniform: null, uniformLabel: '' };
  }
  if (shade === 'log') {
    return {
      caption: say('legend.log.caption'),
      ticks: ['1', '10⁻¹', '10⁻²', '10⁻³', '≤ 10⁻⁴'],
      description: say('legend.log.description', colours),
      uniform: Math.max(0, Math.log10(uniform) / 4 + 1),
      uniformLabel,
    };
  }
  return {
    caption: say('legend.linear.caption'),
    ticks: [1, 0.75, 0.5, 0.25, 0].map((v) => words.fixed(v, v % 0.5 ? 2 : 1)),
    description: say('legend.linear.description', colours),
    uniform,
    uniformLabel,
  };
}

/** The inputs that differ from the notebook's, for the modes line. */
function inputsModes(state, { t, math }) {
  return [
    ...(state.dist !== 'normal' ? [t(`modes.dist.${state.dist}`)] : []),
    ...(Number(state.sigma) !== 1 ? [math(`σ = ${state.sigma}`)] : []),
    ...(Number(state.mu) !== 0 ? [math(`μ = ${state.mu}`)] : []),
    ...(state.ln === '1' ? [t('modes.ln')] : []),
    ...(state.qk === 'independent' && Number(state.rho) !== 0 ? [math(`ρ = ${state.rho}`)] : []),
  ];
}

/** The current modes in one short line. */
export function modesText(state, words = ENGLISH) {
  const { t, math } = words;
  const ssmax = state.scale === 'ssmax' ? math(`${state.ssmax_s}·ln n/√d_k`) : null;
  const scale = state.scale === 'none' ? t('modes.none') : ssmax ?? math(SCALE_NAMES[state.scale] ?? `× ${state.scale}`);
  return [
    ...(state.x === 'keep' && !state.text ? [t('modes.kept')] : []),
    ...inputsModes(state, { t, math }),
    t('modes.scale', { scale }),
    ...logitsModes(state, { t, math }),
    ...maskModes(state, words),
    math(`τ = ${state.tau}`),
    t(`modes.softmax.${state.softmax}`),
    FORMAT_NAMES[state.precision],
    math(`T = ${state.t}`),
  ].join(' · ');
}

/**
 * `F.scaled_dot_product_attention` for the scaled panel. PyTorch has no
 * temperature, so τ is folded into `scale` (`effectiveScale` = scale / τ,
 * computed by the engine); PyTorch's softmax is always the stable one.
 */
export function pytorchCall(state, effectiveScale) {
  const lines = ['import torch', 'import torch.nn.functional as F', ''];
  lines.push(`# q, k, v: tensors of shape (T, d_k) = (${state.t}, ${state.dk})`);
  if (state.qk === 'self') lines.push('k = q  # Q = K = X');
  const inputs = inputsModes(state, { t: ENGLISH.t, math: (text) => text });
  if (inputs.length) lines.push(`# the inputs: ${inputs.join(', ')} (the NumPy snippet makes them exactly)`);
  if (TORCH_DTYPES[state.precision]) {
    lines.push(`q, k, v = q.to(${TORCH_DTYPES[state.precision]}), k.to(${TORCH_DTYPES[state.precision]}), v.to(${TORCH_DTYPES[state.precision]})`);
  }
  // QK-norm first, then the cosine: the page's order.
  lines.push(...qkNormTorch(state));
  if (state.score === 'cosine') {
    lines.push('# cosine similarity (F.normalize divides by max(|x|, 1e-12); the notebook by |x| + 1e-9)');
    lines.push('q, k = F.normalize(q, dim=-1), F.normalize(k, dim=-1)');
  }
  if (masked(state) || state.scale === 'ssmax') {
    lines.push(...torchMaskLines(state));
    const factor = torchFactor(state, Number(effectiveScale.toPrecision(8)));
    // Without a gain or a cap one SDPA call gives the same output.
    const call = manualLogits(state) ? null : { scale: state.scale === 'sqrt' && state.tau === 1 ? '' : `, scale=${Number(effectiveScale.toPrecision(8))}` };
    lines.push(...logitsTorch(state, factor).slice(0, -1), ...torchMaskedWeights(state, { sdpa: call }));
  } else if (manualLogits(state)) {
    lines.push(...logitsTorch(state, Number(effectiveScale.toPrecision(8))));
  } else if (state.scale === 'sqrt' && state.tau === 1) {
    lines.push('weights = torch.softmax(q @ k.mT / q.size(-1) ** 0.5, dim=-1)  # the heatmap: rows sum to 1');
    lines.push('out = F.scaled_dot_product_attention(q, k, v)  # = weights @ v; scale=None means 1/sqrt(d_k)');
  } else {
    const factor = Number(effectiveScale.toPrecision(8));
    const why = state.tau === 1 ? `scale ${SCALE_NAMES[state.scale] ?? state.scale}` : `scale ${SCALE_NAMES[state.scale] ?? state.scale} / τ ${state.tau}`;
    lines.push(`weights = torch.softmax(q @ k.mT * ${factor}, dim=-1)  # the heatmap: rows sum to 1; ${why}`);
    lines.push(`out = F.scaled_dot_product_attention(q, k, v, scale=${factor})  # = weights @ v`);
  }
  if (TORCH_DTYPES[state.precision]) {
    lines.push(`# PyTorch's ${FORMAT_NAMES[state.precision]} matmul typically accumulates in float32 and rounds once; this page`);
    lines.push('# rounds every product and sum to the format, so its numbers show more rounding than PyTorch\'s.');
  }
  if (state.softmax === 'naive') lines.push("# PyTorch's softmax always subtracts the row maximum: it has no naive mode.");
  return lines.join('\n');
}
