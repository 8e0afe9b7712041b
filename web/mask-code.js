// Masks and SSMax as code: the lines of the NumPy snippet (export.js) and
// of the PyTorch call (explain.js) that build the mask, scale each row for
// SSMax and fill the masked logits, in the engine's order (core mask.rs):
// scores → scale → cap → τ → mask → softmax.

import { emptyRowsOf, padOf } from './state.js';
import { masked } from './explain-mask.js';

/** Whether the code needs a matrix of which keys each query sees. */
const needsVisible = (state) => masked(state) || state.scale === 'ssmax';

/** NumPy: the matrix `visible` (T × T booleans), when the view has a mask or SSMax. */
export function visibleLines(state) {
  if (!needsVisible(state)) return [];
  const pad = padOf(state);
  return [
    '',
    state.mask === 'causal'
      ? 'visible = np.tril(np.ones((T, T), dtype=bool))  # causal: query i sees keys 0..i'
      : 'visible = np.ones((T, T), dtype=bool)  # which keys each query sees',
    ...(pad > 0 ? [`visible[:, :${pad}] = False  # the first ${pad} keys are padding`] : []),
  ];
}

/** NumPy: the right panel's factor for SSMax, one per row (`D` rounds it to the format when given). */
export function ssmaxFactor(state, rounded) {
  const f = `${state.ssmax_s} * np.log(np.maximum(visible.sum(axis=1), 1)) / np.sqrt(d_k)`;
  return rounded ? `(${f}).astype(np.float32).astype(D)[:, None]` : `(${f})[:, None]`;
}

/** NumPy: the value masked logits are filled with (`D`: the rounded format's lowest, for the lowest-value fill). */
function numpyFill(state) {
  if (state.fill !== 'min') return '-np.inf';
  if (state.precision === 'f32') return 'np.finfo(np.float32).min';
  return state.precision === 'bf16' ? 'D(ml_dtypes.finfo(D).min)' : 'D(np.finfo(D).min)';
}

/**
 * NumPy: `def masked_fill(L)` with this view's fill, and the line that
 * zeroes the rows that see no key after a softmax (PyTorch SDPA), when the
 * view is masked; `softmaxOf(expr)` is the softmax call.
 */
export function maskedSoftmaxLines(state) {
  if (!masked(state)) return { defs: [], apply: (expr) => expr, after: () => [] };
  const zeroes = state.fill === 'sdpa' && emptyRowsOf(state) > 0;
  return {
    defs: [
      '',
      ...(emptyRowsOf(state) > 0 && state.fill !== 'min' ? ["np.seterr(invalid='ignore')  # -inf - (-inf) in a row that sees no key is NaN"] : []),
      `def masked_fill(L):  # masked logits, as scores.masked_fill(~mask, ${state.fill === 'min' ? 'torch.finfo(dtype).min' : "float('-inf')"})`,
      `    return np.where(visible, L, ${numpyFill(state)})`,
    ],
    apply: (expr) => `masked_fill(${expr})`,
    // -inf - (-inf) is NaN in a row that sees nothing; SDPA (PyTorch 2.5+) returns zeros there.
    after: (name) => (zeroes ? [`${name}[~visible.any(axis=1)] = 0  # rows that see no key: zeros, as PyTorch SDPA`] : []),
  };
}

/** NumPy: the statistic's cells (the visible ones under a mask). */
export const visibleCells = (state, name) => (masked(state) ? `${name}[visible]` : name);

/** PyTorch: the boolean `mask` (True: the query sees the key), when the view has a mask or SSMax. */
export function torchMaskLines(state) {
  if (!needsVisible(state)) return [];
  const pad = padOf(state);
  return [
    state.mask === 'causal'
      ? `mask = torch.ones(${state.t}, ${state.t}, dtype=torch.bool).tril()  # causal: query i sees keys 0..i`
      : `mask = torch.ones(${state.t}, ${state.t}, dtype=torch.bool)  # True: the query sees the key`,
    ...(pad > 0 ? [`mask[:, :${pad}] = False  # the first ${pad} keys are padding`] : []),
  ];
}

/** PyTorch: the factor of the right panel's logits, over τ (SSMax: one per query, from the keys it sees). */
export function torchFactor(state, factor) {
  if (state.scale !== 'ssmax') return String(factor);
  const tau = state.tau === 1 ? '' : ` / ${state.tau}`;
  return `(${state.ssmax_s} * mask.sum(-1, keepdim=True).clamp(min=1).log() / q.size(-1) ** 0.5${tau})`;
}

/** PyTorch: the masked weights from `logits`, and SDPA's result where one call gives it. */
export function torchMaskedWeights(state, { sdpa }) {
  const fill = state.fill === 'min' ? 'torch.finfo(logits.dtype).min' : "float('-inf')";
  const lines = [];
  if (masked(state)) lines.push(`logits = logits.masked_fill(~mask, ${fill})  # masked keys get no weight`);
  const empty = masked(state) && emptyRowsOf(state) > 0;
  const nanToZero = empty && state.fill === 'sdpa' ? '.nan_to_num(0.0)' : '';
  lines.push(`weights = torch.softmax(logits, dim=-1)${nanToZero}  # the heatmap: rows sum to 1${empty ? ' (rows that see no key: see the alarm)' : ''}`);
  if (!sdpa) return lines;
  const tau = state.tau === 1 ? '' : `, scale=${Number((1 / (Math.sqrt(state.dk) * state.tau)).toPrecision(8))}`;
  if (state.scale === 'ssmax') {
    // SDPA has one scale; SSMax's factor per query scales q's row instead.
    const n = 'mask.sum(-1, keepdim=True).clamp(min=1).log()';
    lines.push(`out = F.scaled_dot_product_attention(q * (${state.ssmax_s} * ${n}), k, v${masked(state) ? ', attn_mask=mask' : ''}${tau})  # SSMax as a factor on each query`);
  } else {
    const causalOnly = state.mask === 'causal' && padOf(state) === 0;
    lines.push(`out = F.scaled_dot_product_attention(q, k, v, ${causalOnly ? 'is_causal=True' : 'attn_mask=mask'}${sdpa.scale})  # = weights @ v`);
  }
  if (empty && state.fill !== 'sdpa') lines.push('# SDPA (PyTorch 2.5+) returns zeros for a query that sees no key, not this fill\'s result.');
  return lines;
}
