// Exports of the current view: a high-resolution PNG of each heatmap (title,
// axis labels, colour bar), a CSV of every matrix, a JSON of the state and
// statistics, and a NumPy snippet that recomputes the same matrices. The
// numbers are the engine's (`result`); this module only formats them.

import { maskedSoftmaxLines, ssmaxFactor, visibleCells, visibleLines } from './mask-code.js';

/** Saves `blob` as `name` through a blob: URL (no request leaves the page). */
export function saveBlob(name, blob) {
  const url = URL.createObjectURL(blob);
  const a = Object.assign(document.createElement('a'), { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

// Lines per piece of the CSV, and the time the page gives to building it
// before it yields a frame: at T = 1024, d_k = 4096 the file is 430 MB.
const CSV_LINES_PER_PIECE = 65536;
const CSV_SLICE_MS = 30;

/**
 * Every matrix of `result` in long form, `matrix,row,column,value`, as a
 * Blob built a piece at a time. Between slices of ~30 ms it yields to the
 * browser (which paints and takes input) and calls `onProgress(share)`.
 */
export async function matricesCsv(result, onProgress = () => {}) {
  const matrices = [['Q', result.q, result.dk], ['K', result.k, result.dk]];
  for (const which of ['unscaled', 'scaled']) {
    matrices.push([`scores_${which}`, result[which].scores, result.t]);
    matrices.push([`probabilities_${which}`, result[which].probabilities, result.t]);
  }
  const total = matrices.reduce((n, [, values]) => n + values.length, 0);
  const pieces = ['matrix,row,column,value\n'];
  let done = 0;
  let sliceStart = performance.now();
  for (const [name, values, cols] of matrices) {
    for (let start = 0; start < values.length; start += CSV_LINES_PER_PIECE) {
      const end = Math.min(values.length, start + CSV_LINES_PER_PIECE);
      const lines = [];
      for (let i = start; i < end; i += 1) {
        const v = values[i];
        lines.push(`${name},${Math.floor(i / cols)},${i % cols},${Number.isFinite(v) ? v : 'NaN'}\n`);
      }
      pieces.push(lines.join(''));
      done += end - start;
      if (performance.now() - sliceStart > CSV_SLICE_MS) {
        onProgress(done / total);
        await new Promise((resolve) => setTimeout(resolve, 0));
        sliceStart = performance.now();
      }
    }
  }
  return new Blob(pieces, { type: 'text/csv' });
}

/** The state, the tokens and both panels' statistics. */
export function stateJson(state, result) {
  const finite = (stats) => Object.fromEntries(Object.entries(stats).map(([k, v]) => [k, Number.isFinite(v) ? v : null]));
  return `${JSON.stringify(
    {
      state,
      tokens: result.tokens,
      scaleFactor: result.scaleFactor,
      statistics: { unscaled: finite(result.unscaled.stats), scaled: finite(result.scaled.stats) },
    },
    null,
    2,
  )}\n`;
}

const py = (s) => JSON.stringify(s); // a JSON string is a valid Python string literal

/**
 * The rest of the snippet for a float16 or bfloat16 view: the page's own
 * order of operations with every product, sum, quotient and exp rounded to
 * the format (NumPy's float16, ml_dtypes' bfloat16: each operation is done
 * in float32 and rounded, as the engine does it). The same steps as the
 * reference generator's, vectorised over rows and columns.
 */
function lowPrecisionLines(state, scale) {
  const dtype = state.precision === 'bf16' ? 'ml_dtypes.bfloat16  # pip install ml_dtypes' : 'np.float16';
  const lines = [
    '',
    `# The page computes in ${state.precision === 'bf16' ? 'bfloat16' : 'float16'}, rounding every step; so does this.`,
    ...(state.precision === 'bf16' ? ['import ml_dtypes'] : []),
    `D = ${dtype}`,
    'def rounded_matmul(A, B):',
    '    # A @ B.T: products and sums rounded; d_k split over eight lanes in order,',
    '    # then ((l0 + l4) + (l2 + l6)) + ((l1 + l5) + (l3 + l7)).',
    '    lanes = np.zeros((8, A.shape[0], B.shape[0]), dtype=D)',
    '    for i in range(A.shape[1]):',
    '        lanes[i % 8] = lanes[i % 8] + np.outer(A[:, i], B[:, i])',
    '    l = lanes',
    '    return ((l[0] + l[4]) + (l[2] + l[6])) + ((l[1] + l[5]) + (l[3] + l[7]))',
    '',
    'def rounded_softmax(L, stable):',
    "    with np.errstate(over='ignore', invalid='ignore'):",
    '        e = np.exp(L - L.max(axis=1, keepdims=True) if stable else L)',
    '        total = np.zeros(L.shape[0], dtype=D)',
    '        for j in range(L.shape[1]):  # the row sum, one rounded addition at a time',
    '            total = total + e[:, j]',
    '        return e / total[:, None]',
    '',
    'Q = Q.astype(np.float32).astype(D)',
    `K = ${state.qk === 'self' ? 'Q' : 'K.astype(np.float32).astype(D)'}`,
    // QK-norm from the format's values in float64, rounded once, as the engine does it.
    ...qkNormLines(state, (m) => `qk_norm(${m}.astype(np.float64)).astype(np.float32).astype(D)`),
  ];
  if (state.score === 'cosine') {
    lines.push(
      '',
      "# The notebook's cosine_sim, eps = 1e-9 (0 in float16), each step rounded",
      'def normalise(A):',
      '    norm = np.sqrt(np.diagonal(rounded_matmul(A, A)).astype(np.float32)).astype(D)',
      '    return A / (norm + D(np.float32(1e-9)))[:, None]',
      'Q = normalise(Q)',
      `K = ${state.qk === 'self' ? 'Q' : 'normalise(K)'}`,
    );
  }
  const mask = maskedSoftmaxLines(state);
  const stable = state.softmax === 'stable' ? 'True' : 'False';
  lines.push(
    ...visibleLines(state),
    ...mask.defs,
    '',
    'S_unscaled = rounded_matmul(Q, K)',
    ...(Number(state.g) !== 1 ? [`S_unscaled = S_unscaled * D(np.float32(${state.g}))  # the gain g`] : []),
    state.scale === 'ssmax'
      ? `S_scaled = S_unscaled * ${ssmaxFactor(state, true)}  # SSMax: s ln n / sqrt(d_k), n the keys each query sees`
      : `S_scaled = S_unscaled * D(np.float32(${scale}))`,
    ...capLines(state, (m) => `c * np.tanh((${m} / c).astype(np.float32)).astype(D)`, 'c = D(np.float32(CAP))'),
    `tau = D(np.float32(${state.tau}))`,
    `P_unscaled = rounded_softmax(${mask.apply('S_unscaled / tau')}, ${stable})`,
    ...mask.after('P_unscaled'),
    `P_scaled = rounded_softmax(${mask.apply('S_scaled / tau')}, ${stable})`,
    ...mask.after('P_scaled'),
    `print('std of scores:', ${visibleCells(state, 'S_unscaled')}.astype(np.float64).std(), ${visibleCells(state, 'S_scaled')}.astype(np.float64).std())`,
    "print('NaN weights:', int(np.isnan(P_unscaled.astype(np.float64)).sum()), int(np.isnan(P_scaled.astype(np.float64)).sum()))",
  );
  return lines;
}

/** How one matrix of components is drawn from NumPy's `RandomState` `rs`: the distribution's recipe. */
const DRAWS = {
  normal: (rs, shape) => `${rs}.randn(${shape})`,
  uniform: (rs, shape) => `${rs}.uniform(-np.sqrt(3), np.sqrt(3), (${shape}))`,
  rademacher: (rs, shape) => `np.where(${rs}.random_sample((${shape})) < 0.5, -1.0, 1.0)`,
};

/**
 * The lines that make Q and K: the draw (random tokens, or each word's own
 * stream), then σ and μ, LayerNorm and ρ where the view has them: the
 * steps of the core's inputs.rs, in its order.
 */
function inputLines(state, tokenKeys) {
  const draw = DRAWS[state.dist] ?? DRAWS.normal;
  const independent = state.qk === 'independent';
  const lines = [];
  if (tokenKeys.length) {
    lines.push(
      '',
      '# Each word has its own NumPy stream, seeded from the word and the seed.',
      'def token_seed(text, seed, role):',
      '    h = 0xCBF29CE484222325',
      "    for byte in seed.to_bytes(4, 'little') + bytes([role]) + text.encode('utf-8'):",
      '        h = ((h ^ byte) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF',
      '    return (h & 0xFFFFFFFF) ^ (h >> 32)',
      '',
      `words = [${tokenKeys.map(py).join(', ')}]  # NFC, lower case`,
      `Q = np.stack([${draw('np.random.RandomState(token_seed(w, seed, 0))', 'd_k')} for w in words])`,
      ...(independent ? [`K = np.stack([${draw('np.random.RandomState(token_seed(w, seed, 1))', 'd_k')} for w in words])`] : []),
    );
  } else {
    // Kept tokens: the first d_k columns of one draw 4096 wide, so that
    // growing d_k appends components.
    const keep = state.x === 'keep';
    const matrix = `${draw('np.random', keep ? 'T, 4096' : 'T, d_k')}${keep ? '[:, :d_k]' : ''}`;
    lines.push(
      'np.random.seed(seed)',
      `Q = ${matrix}${keep ? '  # the same tokens at every d_k' : ''}`,
      ...(independent ? [`K = ${matrix}  # drawn after Q`] : []),
    );
  }
  const both = (step) => [`Q = ${step('Q')}`, ...(independent ? [`K = ${step('K')}`] : [])];
  if (Number(state.sigma) !== 1 || Number(state.mu) !== 0) {
    lines.push(`mu, sigma = ${state.mu}, ${state.sigma}  # each component's mean and standard deviation`, ...both((m) => `mu + sigma * ${m}`));
  }
  if (state.ln === '1') {
    lines.push(
      'def layer_norm(X, eps=1e-5):  # torch.nn.functional.layer_norm over each row, no gain',
      '    mean = X.mean(axis=-1, keepdims=True)',
      '    var = ((X - mean) ** 2).mean(axis=-1, keepdims=True)',
      '    return (X - mean) / np.sqrt(var + eps)',
      ...both((m) => `layer_norm(${m})`),
    );
  }
  if (independent && Number(state.rho) !== 0) {
    const m = state.ln === '1' ? 0 : Number(state.mu);
    lines.push(
      `rho, m = ${state.rho}, ${m}  # each key leans towards its own query, around the rows' mean`,
      'K = m + rho * (Q - m) + np.sqrt(1 - rho * rho) * (K - m)',
    );
  }
  if (!independent) lines.push('K = Q  # Q = K = X, as in the notebook');
  return lines;
}

/**
 * QK-norm of Q and K (the core's logits.rs): `apply(m)` is the expression
 * that normalises matrix `m` (in float64; a rounded view rounds it once).
 */
function qkNormLines(state, apply) {
  if (state.qknorm === 'none' || !state.qknorm) return [];
  const body = state.qknorm === 'l2'
    ? ['def qk_norm(X):  # QK-norm, as torch.nn.functional.normalize', '    return X / np.maximum(np.linalg.norm(X, axis=-1, keepdims=True), 1e-12)']
    : [
      'def qk_norm(X):  # QK-norm, as torch.nn.functional.layer_norm without gain',
      '    mean = X.mean(axis=-1, keepdims=True)',
      '    return (X - mean) / np.sqrt(((X - mean) ** 2).mean(axis=-1, keepdims=True) + 1e-5)',
    ];
  return ['', ...body, `Q = ${apply('Q')}`, state.qk === 'self' ? 'K = Q' : `K = ${apply('K')}`];
}

/** The soft cap of both panels, after the scale: `capped(m)` caps matrix `m` with `c` set by `setC`. */
function capLines(state, capped, setC) {
  if (!(Number(state.cap) > 0)) return [];
  return [
    `${setC.replace('CAP', String(state.cap))}  # the soft cap, as Gemma 2: c * tanh(z / c)`,
    `S_unscaled = ${capped('S_unscaled')}`,
    `S_scaled = ${capped('S_scaled')}`,
  ];
}

/**
 * Python that recomputes this view's matrices with NumPy: in float64, as
 * the notebook, for a float32 view (equal to the page's within float32
 * rounding); step by step in the format for a float16 or bfloat16 view
 * (`lowPrecisionLines`), so that its rounding, overflows and NaN cells are
 * the page's. Defines Q, K, S_unscaled, S_scaled, P_unscaled, P_scaled.
 */
export function numpySnippet(state, tokenKeys, scaleFactor) {
  const lines = [
    '# Recomputes the attention-scaling explorer view with NumPy.',
    `# ${new URLSearchParams(Object.entries(state).filter(([, v]) => v !== '')).toString()}`,
    'import numpy as np',
    '',
    'def softmax(x, axis=-1):',
    '    x = x - np.max(x, axis=axis, keepdims=True)',
    '    e = np.exp(x)',
    '    return e / np.sum(e, axis=axis, keepdims=True)',
    '',
  ];
  if (state.softmax === 'naive') {
    lines.push(
      'def naive_softmax(x, axis=-1):',
      '    # No max subtraction: in float32, exp overflows above 88.72 and rows turn to NaN.',
      "    with np.errstate(over='ignore', invalid='ignore'):",
      '        e = np.exp(x.astype(np.float32))',
      '        return e / np.sum(e, axis=axis, keepdims=True)',
      '',
    );
  }
  lines.push(`T, d_k, seed = ${state.t}, ${state.dk}, ${state.seed}`, ...inputLines(state, tokenKeys));
  if (state.precision === 'f32') lines.push(...qkNormLines(state, (m) => `qk_norm(${m})`));
  const scale = { sqrt: '1 / np.sqrt(d_k)', dk: '1 / d_k', none: '1.0' }[state.scale] ?? String(scaleFactor);
  if (state.precision !== 'f32') return `${[...lines, ...lowPrecisionLines(state, scale)].join('\n')}\n`;
  if (state.score === 'cosine') {
    lines.push(
      '',
      "# The notebook's cosine_sim, eps = 1e-9",
      'Q = Q / (np.linalg.norm(Q, axis=-1, keepdims=True) + 1e-9)',
      'K = K / (np.linalg.norm(K, axis=-1, keepdims=True) + 1e-9)',
    );
  }
  const soft = state.softmax === 'naive' ? 'naive_softmax' : 'softmax';
  const mask = maskedSoftmaxLines(state);
  lines.push(
    ...visibleLines(state),
    ...mask.defs,
    '',
    'S_unscaled = Q @ K.T',
    ...(Number(state.g) !== 1 ? [`S_unscaled = ${state.g} * S_unscaled  # the gain g`] : []),
    state.scale === 'ssmax'
      ? `S_scaled = S_unscaled * ${ssmaxFactor(state, false)}  # SSMax: s ln n / sqrt(d_k), n the keys each query sees`
      : `S_scaled = S_unscaled * (${scale})`,
    ...capLines(state, (m) => `c * np.tanh(${m} / c)`, 'c = CAP'),
    `tau = ${state.tau}`,
    `P_unscaled = ${soft}(${mask.apply('S_unscaled / tau')}, -1)`,
    ...mask.after('P_unscaled'),
    `P_scaled = ${soft}(${mask.apply('S_scaled / tau')}, -1)`,
    ...mask.after('P_scaled'),
    `print('std of scores:', ${visibleCells(state, 'S_unscaled')}.std(), ${visibleCells(state, 'S_scaled')}.std())`,
  );
  return `${lines.join('\n')}\n`;
}

/** Masked cells are transparent: the page's checkerboard (colours `[a, b]`) behind them, one square per 8 px. */
function checkerboard(ctx, [a, b], left, top, side, ink) {
  for (let y = 0; y < side; y += 8) {
    for (let x = 0; x < side; x += 8) {
      ctx.fillStyle = ((x + y) / 8) % 2 ? b : a;
      ctx.fillRect(left + x, top + y, Math.min(8, side - x), Math.min(8, side - y));
    }
  }
  ctx.fillStyle = ink;
}

/**
 * A PNG of one heatmap for slides and handouts: title, settings, token
 * labels, the cells (and NaN hatch), and the colour bar, with whole
 * pixels per cell.
 */
export function heatmapPng({ title, subtitle, axes: [keys, queries] = ['keys →', '← queries'], dir = 'ltr', labels, cells, hatch, colorbar, legend, dark, masked }) {
  const lines = [subtitle].flat();
  const t = labels.length;
  // Whole pixels per cell: at least 12 while the heatmap fits 720 px or so,
  // and never a side over 2048 px (at T = 1024 that is 2 pixels per cell;
  // 12 would make a canvas of 150 million pixels).
  const cell = Math.max(1, Math.min(Math.max(12, Math.floor(720 / t)), Math.floor(2048 / t)));
  const side = cell * t;
  const font = (px, weight = 400) => `${weight} ${px}px system-ui, sans-serif`;
  const measure = document.createElement('canvas').getContext('2d');
  measure.font = font(14);
  const labelWidth = Math.min(180, Math.ceil(Math.max(...labels.map((l) => measure.measureText(l).width))) + 12);
  const extra = 18 * (lines.length - 1);
  const [left, top, right, bottom] = [labelWidth + 30, 90 + extra + labelWidth, 230, 50];
  const canvas = Object.assign(document.createElement('canvas'), { width: left + side + right, height: top + side + bottom });
  const ctx = canvas.getContext('2d');
  const ink = dark ? '#e8e8ee' : '#1d1d24';
  ctx.fillStyle = dark ? '#16161d' : '#ffffff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.fillStyle = ink;
  // The title and settings in the language's direction (right-aligned for Arabic); the heatmap stays left to right.
  const rtl = dir === 'rtl';
  Object.assign(ctx, { direction: rtl ? 'rtl' : 'ltr', textAlign: rtl ? 'right' : 'left' });
  const x = rtl ? canvas.width - 20 : 20;
  ctx.font = font(24, 700);
  ctx.fillText(title, x, 36);
  ctx.font = font(14);
  lines.forEach((line, i) => ctx.fillText(line, x, 62 + 18 * i, canvas.width - 40));
  Object.assign(ctx, { direction: 'ltr', textAlign: 'left' });
  ctx.imageSmoothingEnabled = false;
  if (masked) checkerboard(ctx, masked, left, top, side, ink);
  ctx.drawImage(cells, left, top, side, side);
  if (hatch) ctx.drawImage(hatch, left, top, side, side);
  const every = Math.ceil(t / 40);
  ctx.font = font(Math.min(14, Math.max(10, every * cell - 4)));
  ctx.textBaseline = 'middle';
  labels.forEach((name, i) => {
    if (i % every) return;
    ctx.textAlign = 'right';
    ctx.fillText(name, left - 6, top + (i + 0.5) * cell, labelWidth);
    ctx.save();
    ctx.translate(left + (i + 0.5) * cell, top - 6);
    ctx.rotate(-Math.PI / 2);
    ctx.textAlign = 'left';
    ctx.fillText(name, 0, 0, labelWidth);
    ctx.restore();
  });
  ctx.textAlign = 'left';
  ctx.fillText(keys, left, 80 + extra);
  ctx.save();
  ctx.translate(14, top + side / 2);
  ctx.rotate(-Math.PI / 2);
  ctx.textAlign = 'center';
  ctx.fillText(queries, 0, 0); // rotated: the arrow points down the rows
  ctx.restore();
  // Room left of the bar for the 1/T label, right of it for the ticks.
  const barX = left + side + 90;
  ctx.drawImage(colorbar, barX, top, 22, side);
  ctx.strokeStyle = ink;
  ctx.strokeRect(barX - 0.5, top - 0.5, 23, side + 1);
  ctx.font = font(13);
  legend.ticks.forEach((tick, i) => ctx.fillText(tick, barX + 30, top + (i / 4) * side));
  if (legend.uniform !== null) {
    const y = top + (1 - legend.uniform) * side;
    ctx.fillRect(barX - 6, y - 0.5, 34, 1);
    ctx.textAlign = 'right';
    ctx.fillText(legend.uniformLabel, barX - 8, y);
    ctx.textAlign = 'left';
  }
  ctx.fillText(legend.caption, barX - 66, top + side + 24);
  return new Promise((resolve) => canvas.toBlob(resolve, 'image/png'));
}
