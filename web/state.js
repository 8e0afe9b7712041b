// The page's state and its one validator. Every value that comes from
// outside (the URL; form fields; later element attributes) goes through
// `clampParam`, so PARAMS below is the single source of truth for what the
// page accepts; the controls' own attributes are set from it. The names of
// the modes are the engine's (attention-core's config.rs); a browser test
// checks that the engine accepts every one of them.

import { english } from './i18n.js';

// `usual`: the top of the control's range unless "large sizes" is on (or the
// value is beyond it); min..max is what the URL and attributes may ask for.
const int = (min, max, step, fallback, usual = max) => Object.freeze({ kind: 'int', min, max, step, fallback, usual });
const choice = (choices, fallback = choices[0]) => Object.freeze({ kind: 'choice', choices, fallback });

/** Parts of the explorer a host can hide (`hide="seed,temperature"`). */
const HIDEABLE = Object.freeze([
  'dk', 'seed', 'text', 'modes', 'qk', 'x', 'inputs', 'logits', 'mask', 'score', 'scale', 'temperature', 'softmax', 'precision', 'tokens',
  'pytorch', 'case', 'ratio', 'metrics', 'curves', 'share', 'export', 'cmap', 'shade', 'play', 'lang',
]);

/** Accepted values and defaults of each URL parameter, in URL order (their names for people: `param.<name>` in i18n/en.js). */
export const PARAMS = Object.freeze({
  dk: int(4, 4096, 4, 16, 256),
  t: int(2, 1024, 1, 10, 64),
  seed: int(0, 4294967295, 1, 42),
  qk: choice(['self', 'independent']),
  x: choice(['fresh', 'keep']),
  // The inputs (the core's inputs.rs): the components' distribution, σ and
  // μ, LayerNorm'ed rows, and keys correlated with their queries (independent Q, K only).
  dist: choice(['normal', 'uniform', 'rademacher']),
  sigma: Object.freeze({ kind: 'number', min: 0.1, max: 10, fallback: 1 }),
  mu: Object.freeze({ kind: 'number', min: -5, max: 5, fallback: 0 }),
  ln: choice(['0', '1']),
  rho: Object.freeze({ kind: 'number', min: 0, max: 1, fallback: 0 }),
  score: choice(['dot', 'cosine']),
  scale: Object.freeze({ kind: 'scale', choices: ['sqrt', 'dk', 'none', 'ssmax'], min: 0.001, max: 10, fallback: 'sqrt' }),
  // Scalable-Softmax's s (scale=ssmax): the right panel's logits are s·ln n·S/√d_k, n the keys a row sees.
  ssmax_s: Object.freeze({ kind: 'number', min: 0.05, max: 10, fallback: 1 }),
  // Logit control (the core's logits.rs): QK-norm, its gain g, and the soft cap c (0: none).
  qknorm: choice(['none', 'l2', 'layernorm']),
  g: Object.freeze({ kind: 'number', min: 0.1, max: 100, fallback: 1 }),
  // 0 is no cap; a cap must be at least 0.1 (a tiny one rounds to 0 in a 16-bit format).
  cap: Object.freeze({ kind: 'number', off: 0, min: 0.1, max: 1000, fallback: 0 }),
  // The mask (the core's mask.rs): causal or padding, the number of padded keys (the first ones; at most T
  // counts, see padOf), and what a row that sees no key becomes: PyTorch SDPA's zeros, −∞'s NaN, or uniform.
  mask: choice(['none', 'causal', 'padding']),
  pad: int(0, 1024, 1, 0),
  fill: choice(['sdpa', 'inf', 'min']),
  tau: Object.freeze({ kind: 'number', min: 0.05, max: 20, fallback: 1 }),
  softmax: choice(['stable', 'naive']),
  precision: choice(['f32', 'bf16', 'f16']),
  trials: int(1, 256, 1, 32),
  xscale: choice(['linear', 'log']),
  // The d_k slider: steps of 4, or quarter octaves (most of the change happens below 64).
  dkscale: choice(['linear', 'log']),
  row: int(0, 1023, 1, 0),
  text: Object.freeze({ kind: 'text', maxChars: 2000, fallback: '' }),
  cmap: choice(['viridis', 'cividis', 'grey']),
  shade: choice(['linear', 'row', 'log']),
  // auto: the host page's color-scheme if it names one only, else the reader's setting.
  theme: choice(['auto', 'light', 'dark']),
  // large: the whole explorer scaled up, for a projector.
  type: choice(['normal', 'large']),
  // The interface's language (a tag such as es-MX is read by its language, es).
  lang: Object.freeze({ kind: 'lang', choices: ['en', 'es', 'zh', 'ar'], fallback: 'en' }),
  hide: Object.freeze({ kind: 'list', choices: HIDEABLE, fallback: '' }),
});

/** The modes the engine's numbers depend on (besides T, the seed, the text and d_k). */
export const MODES = Object.freeze([
  'qk', 'x', 'dist', 'sigma', 'mu', 'ln', 'rho', 'score', 'scale', 'ssmax_s', 'qknorm', 'g', 'cap', 'mask', 'pad', 'fill', 'tau', 'softmax', 'precision',
]);

/** The padded keys of a view: none without a mask, and at most T (all of them). */
export const padOf = (state) => (state.mask === 'none' ? 0 : Math.min(Number(state.pad), state.t));

/** How many queries see no key: with a causal mask the first `pad` ones (they see only padding); all T once every key is padding. */
export function emptyRowsOf(state) {
  const pad = padOf(state);
  if (state.mask === 'causal') return pad;
  return pad >= state.t ? state.t : 0;
}

/** A key of `state`'s values of `names`, for telling whether any of them changed. */
export const keyOf = (state, names) => names.map((name) => String(state[name])).join('|');

/**
 * Whether a query's score with its own key stands apart from the rest, so
 * that the diagonal deserves its own numbers and chart: |x|² with Q = K,
 * ρ·σ²·d_k above the others with correlated keys (an offset μ moves every
 * score alike).
 */
export const hasDiagonal = (state) => state.qk === 'self' || (state.qk === 'independent' && Number(state.rho) > 0);

/** Whether the state needs the large range of the d_k slider and the T field. */
export const isLarge = (state) => state.dk > PARAMS.dk.usual || state.t > PARAMS.t.usual;

/** Parameters always written to the URL; the others only when not default. */
const ALWAYS_WRITTEN = new Set(['dk', 't', 'seed']);

// Linear in the length: one way to match any digit string. (`\d+\.?\d*`
// could split a run of digits between its two parts in n ways, and a long
// run ending in a non-digit froze the tab for seconds.)
const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

// No value but the text is longer than this; the text has its own limit.
const MAX_VALUE_CHARS = 200;

/**
 * Any value as text: a property may be set to anything, including objects
 * whose conversion throws (`Object.create(null)`), which must not break the
 * element.
 */
function asText(raw) {
  try {
    return String(raw);
  } catch {
    return '[a value with no text form]';
  }
}

// Around user text in a notice: First Strong Isolate … Pop Directional
// Isolate, which the view renders as a <bdi> element, so that a
// right-to-left override in a value cannot reverse the sentence around it.
export const ISOLATE = ['\u2068', '\u2069'];

/** Shortens user text for a notice (a pasted essay cannot flood the page) and isolates it. */
function quote(raw) {
  const text = asText(raw).replace(/[\u2066-\u2069]/g, '\ufffd');
  const shown = text.length > 40 ? `${text.slice(0, 39)}…` : text;
  return `"${ISOLATE[0]}${shown}${ISOLATE[1]}"`;
}

/** Clamps a finite number into [min, max], snapping to `step` when given. */
function clampNumber(name, raw, number, { t }) {
  const spec = PARAMS[name];
  if (number === spec.off) return { value: spec.off, notice: null, rejected: false };
  let value = spec.step ? spec.min + Math.round((number - spec.min) / spec.step) * spec.step : number;
  let reason = null;
  if (number < spec.min) {
    value = spec.min;
    reason = t('notice.below', { min: spec.min });
  } else if (number > spec.max) {
    value = spec.max;
    reason = t('notice.above', { max: spec.max });
  } else if (value !== number) {
    value = Math.min(value, spec.max);
    reason = spec.step === 1 ? t('notice.notWhole') : t('notice.notMultiple', { step: spec.step });
  }
  const notice = reason ? t('notice.fixed', { label: t(`param.${name}`), raw: quote(raw), reason, value }) : null;
  return { value, notice, rejected: false };
}

function reject(name, raw, expected, { t }) {
  const label = t(`param.${name}`);
  const notice = asText(raw).trim() === '' ? t('notice.empty', { label }) : t('notice.not', { label, raw: quote(raw), expected });
  return { value: PARAMS[name].fallback, notice, rejected: true };
}

/** The names in a `hide` list: the known ones, and a notice naming (at most five of) the others. */
function hideList(name, text, words) {
  const { choices } = PARAMS[name];
  const names = text.split(',').map((n) => n.trim().toLowerCase()).filter(Boolean);
  const unknown = names.filter((n) => !choices.includes(n));
  const known = [...new Set(names.filter((n) => choices.includes(n)))];
  // At most five of them named: a URL may hold thousands.
  const more = unknown.length > 5 ? words.t('notice.andMore', { n: words.number(unknown.length - 5) }) : '';
  const named = unknown.slice(0, 5).map(quote).join(', ') + more;
  const notice = unknown.length
    ? words.plural('notice.notHideable', unknown.length, { label: words.t(`param.${name}`), named, choices: choices.join(', ') })
    : null;
  return { value: known.join(','), notice, rejected: false };
}

/** A text value, cut at its limit (counted in characters, not UTF-16 units). */
function textValue(name, raw, words) {
  const { maxChars } = PARAMS[name];
  // Lone surrogates (possible in a hand-made URL) become U+FFFD.
  const whole = typeof raw === 'string' ? raw.toWellFormed?.() ?? raw : asText(raw);
  const chars = Array.from(whole);
  if (chars.length <= maxChars) return { value: whole, notice: null, rejected: false };
  const notice = words.t('notice.textLimit', { max: words.number(maxChars), cut: words.number(chars.length - maxChars) });
  return { value: chars.slice(0, maxChars).join(''), notice, rejected: false };
}

/**
 * Validates one raw value for parameter `name`.
 * Returns `{ value, notice, rejected }`:
 * - a number is snapped to the step grid and clamped into range, with a
 *   notice when that changed it; a known name is used as it is;
 * - anything else is rejected: `value` is the fallback and `rejected` is true,
 *   so a form can keep the user's text and the previous value instead.
 * The notice is in the language of `words` (a translator, i18n.js).
 */
export function clampParam(name, raw, words = english()) {
  const spec = PARAMS[name];
  if (raw === undefined || raw === null) return { value: spec.fallback, notice: null, rejected: false };
  const text = asText(raw).trim();
  const { t } = words;
  if (spec.kind !== 'text' && text.length > MAX_VALUE_CHARS) {
    return reject(name, raw, t('expect.short', { n: words.number(text.length) }), words);
  }
  const oneOf = () => reject(name, raw, t('expect.oneOf', { choices: spec.choices.join(', ') }), words);
  switch (spec.kind) {
    case 'text':
      return textValue(name, raw, words);
    case 'list':
      return hideList(name, text, words);
    case 'lang': {
      const language = text.toLowerCase().split(/[-_]/)[0];
      return spec.choices.includes(language) ? { value: language, notice: null, rejected: false } : oneOf();
    }
    case 'choice': {
      const lower = text.toLowerCase();
      return spec.choices.includes(lower) ? { value: lower, notice: null, rejected: false } : oneOf();
    }
    case 'scale': {
      const lower = text.toLowerCase();
      if (spec.choices.includes(lower)) return { value: lower, notice: null, rejected: false };
      if (!NUMBER.test(text)) return reject(name, raw, t('expect.ruleOrNumber', { choices: spec.choices.join(', ') }), words);
      const clamped = clampNumber(name, raw, Number(text), words);
      return { ...clamped, value: String(clamped.value) };
    }
    default: {
      if (!NUMBER.test(text)) {
        return reject(name, raw, t(spec.kind === 'int' ? 'expect.whole' : 'expect.number', { min: spec.min, max: spec.max }), words);
      }
      return clampNumber(name, raw, Number(text), words);
    }
  }
}

/**
 * A rejected value's notice, with what is used instead: the fallback
 * (`Using …`, on start) or the value still shown (`Still showing …`).
 */
export const keptNotice = (notice, value, { t }, start = false) => t(start ? 'notice.using' : 'notice.stillShowing', { notice, value });

/**
 * Reads the URL's query into a full state, with a notice per fixed value
 * (in the language of `words`) and the names of the parameters they are about.
 */
export function readState(search, words = english()) {
  const params = new URLSearchParams(search);
  const state = {};
  const notices = [];
  const noticed = new Set();
  for (const name of Object.keys(PARAMS)) {
    const { value, notice, rejected } = clampParam(name, params.get(name), words);
    state[name] = value;
    if (notice) notices.push(rejected ? keptNotice(notice, value, words, true) : notice);
    const given = params.getAll(name).length;
    if (given > 1) notices.push(words.t('notice.repeated', { label: words.t(`param.${name}`), n: words.number(given) }));
    if (notice || given > 1) noticed.add(name);
  }
  return { state, notices, noticed };
}

/**
 * The query for `state`: its parameters first, in PARAMS order (modes only
 * when not at their default), then every parameter of `search` it does not
 * own, unchanged.
 */
export function writeState(search, state) {
  const params = new URLSearchParams();
  for (const name of Object.keys(PARAMS)) {
    if (ALWAYS_WRITTEN.has(name) || String(state[name]) !== String(PARAMS[name].fallback)) {
      params.set(name, String(state[name]));
    }
  }
  for (const [key, value] of new URLSearchParams(search)) {
    if (!Object.hasOwn(PARAMS, key)) params.append(key, value); // not `in`: "constructor" is no parameter
  }
  return `?${params}`;
}
