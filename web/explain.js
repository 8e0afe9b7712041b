// The words that depend on the mode: which case the page shows, the modes in
// one line, and the equivalent PyTorch call. Every sentence here must be true
// for the state it is written for; the numbers come from the engine.

const SCALE_NAMES = { sqrt: '1/√d_k', dk: '1/d_k', none: 'none' };
const FORMAT_NAMES = { f32: 'float32', bf16: 'bfloat16', f16: 'float16' };
const TORCH_DTYPES = { bf16: 'torch.bfloat16', f16: 'torch.float16' };

/** `{ title, body }` naming the Q/K case and the score function. */
export function caseText(state) {
  if (state.score === 'cosine') {
    return {
      title: state.qk === 'self' ? 'Case: cosine similarity, Q = K = X.' : 'Case: cosine similarity, independent Q and K.',
      body:
        'Every score lies between −1 and 1 whatever d_k is' +
        (state.qk === 'self' ? ' (a token with itself scores exactly 1)' : '') +
        ', so growing d_k does not push the scores apart as it does for dot products; ' +
        'dividing by √d_k only flattens the rows further.',
    };
  }
  if (state.qk === 'self') {
    return {
      title: 'Case: Q = K = X, as in the notebook.',
      body:
        "Each token's score with itself is |x|² ≈ d_k, while the other scores spread like √d_k around 0. " +
        'Divided by √d_k the diagonal is still ≈ √d_k, far above the rest, so with this case even the ' +
        '1/√d_k-scaled rows turn one-hot as d_k grows. Learned projections make Q and K differ: try independent Q and K.',
    };
  }
  return {
    title: 'Case: independent Q and K, as with learned projections.',
    body:
      'Each score q · k sums d_k independent products of variance 1, so its variance is d_k (the paper’s footnote): ' +
      'scores divided by √d_k keep a standard deviation near 1 at every d_k.',
  };
}

/**
 * One sentence on what the std readouts do as d_k grows, in this case (the
 * ratio line's words). Checked against NumPy: with Q = K (seed 42, T 10) the
 * unscaled std is 5.40, 19.95, 76.6 at d_k 16, 64, 256 and the scaled one
 * 1.35, 2.49, 4.79.
 */
export function readoutsText(state) {
  const before = state.tau === 1 ? '' : ` Both stds are of the scores before the temperature τ = ${state.tau} divides them.`;
  if (state.score === 'cosine') {
    return 'Cosine scores lie between −1 and 1 whatever d_k is, so the unscaled std does not grow and its ratio to √d_k falls; ' +
      'scaling only shrinks them further.' + before;
  }
  if (state.qk === 'self') {
    return 'With Q = K the diagonal |x|² ≈ d_k dominates the spread: the unscaled std grows about like d_k and the scaled one ' +
      'like √d_k, so neither ratio stays near 1. With independent Q and K both would.' + before;
  }
  return 'With independent Q and K each score has variance d_k, so the unscaled std ÷ √d_k and the scaled std both stay near 1 ' +
    'at every d_k.' + before;
}

/** The factor the scaled panel multiplies the scores by, as the visitor gave it. */
export function scaleFactorText(state, factor) {
  if (!(state.scale in SCALE_NAMES)) return String(state.scale);
  return `${factor.toPrecision(4)} (${SCALE_NAMES[state.scale] === 'none' ? 'no scaling' : SCALE_NAMES[state.scale]})`;
}

/** The current modes in one short line. */
export function modesText(state) {
  const scale = SCALE_NAMES[state.scale] ?? `× ${state.scale}`;
  return [
    `scale ${scale}`,
    `τ = ${state.tau}`,
    `${state.softmax} softmax`,
    FORMAT_NAMES[state.precision],
    `T = ${state.t}`,
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
  if (TORCH_DTYPES[state.precision]) {
    lines.push(`q, k, v = q.to(${TORCH_DTYPES[state.precision]}), k.to(${TORCH_DTYPES[state.precision]}), v.to(${TORCH_DTYPES[state.precision]})`);
  }
  if (state.score === 'cosine') {
    lines.push('# cosine similarity (F.normalize divides by max(|x|, 1e-12); the notebook by |x| + 1e-9)');
    lines.push('q, k = F.normalize(q, dim=-1), F.normalize(k, dim=-1)');
  }
  if (state.scale === 'sqrt' && state.tau === 1) {
    lines.push('out = F.scaled_dot_product_attention(q, k, v)  # scale=None means 1/sqrt(d_k)');
  } else {
    const why = state.tau === 1 ? `scale ${SCALE_NAMES[state.scale] ?? state.scale}` : `scale ${SCALE_NAMES[state.scale] ?? state.scale} / τ ${state.tau}`;
    lines.push(`out = F.scaled_dot_product_attention(q, k, v, scale=${Number(effectiveScale.toPrecision(8))})  # ${why}`);
  }
  if (state.softmax === 'naive') lines.push("# PyTorch's softmax always subtracts the row maximum: it has no naive mode.");
  return lines.join('\n');
}
