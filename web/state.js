// The page's state and its one validator. Every value that comes from
// outside (the URL; form fields; later element attributes) goes through
// `clampParam`, so PARAMS below is the single source of truth for what the
// page accepts; the controls' own attributes are set from it. The names of
// the modes are the engine's (attention-core's config.rs); a browser test
// checks that the engine accepts every one of them.

// `usual`: the top of the control's range unless "large sizes" is on (or the
// value is beyond it); min..max is what the URL and attributes may ask for.
const int = (label, min, max, step, fallback, usual = max) => Object.freeze({ kind: 'int', label, min, max, step, fallback, usual });
const choice = (label, choices, fallback = choices[0]) => Object.freeze({ kind: 'choice', label, choices, fallback });

/** Parts of the explorer a host can hide (`hide="seed,temperature"`). */
const HIDEABLE = Object.freeze([
  'dk', 'seed', 'text', 'modes', 'qk', 'x', 'score', 'scale', 'temperature', 'softmax', 'precision', 'tokens',
  'pytorch', 'case', 'ratio', 'metrics', 'curves', 'share', 'export', 'cmap', 'shade', 'play',
]);

/** Accepted values and defaults of each URL parameter, in URL order. */
export const PARAMS = Object.freeze({
  dk: int('d_k', 4, 4096, 4, 16, 256),
  t: int('T', 2, 1024, 1, 10, 64),
  seed: int('Seed', 0, 4294967295, 1, 42),
  qk: choice('Q/K source', ['self', 'independent']),
  x: choice('Tokens as d_k grows', ['fresh', 'keep']),
  score: choice('Score function', ['dot', 'cosine']),
  scale: Object.freeze({ kind: 'scale', label: 'Scale', choices: ['sqrt', 'dk', 'none'], min: 0.001, max: 10, fallback: 'sqrt' }),
  tau: Object.freeze({ kind: 'number', label: 'Temperature τ', min: 0.05, max: 20, fallback: 1 }),
  softmax: choice('Softmax', ['stable', 'naive']),
  precision: choice('Precision', ['f32', 'bf16', 'f16']),
  trials: int('Trials', 1, 256, 1, 32),
  xscale: choice('d_k axis', ['linear', 'log']),
  // The d_k slider: steps of 4, or quarter octaves (most of the change happens below 64).
  dkscale: choice('d_k slider', ['linear', 'log']),
  row: int('Row', 0, 1023, 1, 0),
  text: Object.freeze({ kind: 'text', label: 'Text', maxChars: 2000, fallback: '' }),
  cmap: choice('Colour map', ['viridis', 'cividis', 'grey']),
  shade: choice('Colour scale', ['linear', 'row', 'log']),
  // auto: the host page's color-scheme if it names one only, else the reader's setting.
  theme: choice('Theme', ['auto', 'light', 'dark']),
  // large: the whole explorer scaled up, for a projector.
  type: choice('Type size', ['normal', 'large']),
  // The interface's language (a tag such as es-MX is read by its language, es).
  lang: Object.freeze({ kind: 'lang', label: 'Language', choices: ['en', 'es', 'zh', 'ar'], fallback: 'en' }),
  hide: Object.freeze({ kind: 'list', label: 'Hide', choices: HIDEABLE, fallback: '' }),
});

/** The modes the engine's numbers depend on (besides T, the seed, the text and d_k). */
export const MODES = Object.freeze(['qk', 'x', 'score', 'scale', 'tau', 'softmax', 'precision']);

/** A key of `state`'s values of `names`, for telling whether any of them changed. */
export const keyOf = (state, names) => names.map((name) => String(state[name])).join('|');

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
function clampNumber(spec, raw, number) {
  let value = spec.step ? spec.min + Math.round((number - spec.min) / spec.step) * spec.step : number;
  let reason = null;
  if (number < spec.min) {
    value = spec.min;
    reason = `below the minimum ${spec.min}`;
  } else if (number > spec.max) {
    value = spec.max;
    reason = `above the maximum ${spec.max}`;
  } else if (value !== number) {
    value = Math.min(value, spec.max);
    reason = spec.step === 1 ? 'not a whole number' : `not a multiple of ${spec.step}`;
  }
  return { value, notice: reason ? `${spec.label} ${quote(raw)} is ${reason}; using ${value}.` : null, rejected: false };
}

function reject(spec, raw, expected) {
  const text = asText(raw).trim();
  const what = text === '' ? 'is empty' : `${quote(raw)} is not ${expected}`;
  return { value: spec.fallback, notice: `${spec.label} ${what}.`, rejected: true };
}

/**
 * Validates one raw value for parameter `name`.
 * Returns `{ value, notice, rejected }`:
 * - a number is snapped to the step grid and clamped into range, with a
 *   notice when that changed it; a known name is used as it is;
 * - anything else is rejected: `value` is the fallback and `rejected` is true,
 *   so a form can keep the user's text and the previous value instead.
 */
export function clampParam(name, raw) {
  const spec = PARAMS[name];
  if (raw === undefined || raw === null) return { value: spec.fallback, notice: null, rejected: false };
  const text = asText(raw).trim();
  if (spec.kind !== 'text' && text.length > MAX_VALUE_CHARS) {
    return reject(spec, raw, `a value (it is ${text.length.toLocaleString('en')} characters long)`);
  }
  switch (spec.kind) {
    case 'text': {
      // Lone surrogates (possible in a hand-made URL) become U+FFFD.
      const whole = typeof raw === 'string' ? raw.toWellFormed?.() ?? raw : asText(raw);
      const chars = Array.from(whole);
      if (chars.length <= spec.maxChars) return { value: whole, notice: null, rejected: false };
      const notice = `The text is limited to ${spec.maxChars.toLocaleString('en')} characters; the last ${(chars.length - spec.maxChars).toLocaleString('en')} were not taken.`;
      return { value: chars.slice(0, spec.maxChars).join(''), notice, rejected: false };
    }
    case 'list': {
      const names = text.split(',').map((n) => n.trim().toLowerCase()).filter(Boolean);
      const unknown = names.filter((n) => !spec.choices.includes(n));
      const known = [...new Set(names.filter((n) => spec.choices.includes(n)))];
      // At most five of them named: a URL may hold thousands.
      const named = unknown.slice(0, 5).map(quote).join(', ') + (unknown.length > 5 ? ` and ${unknown.length - 5} more` : '');
      const notice = unknown.length
        ? `${spec.label}: ${named} ${unknown.length === 1 ? 'is' : 'are'} not a part that can be hidden (${spec.choices.join(', ')}).`
        : null;
      return { value: known.join(','), notice, rejected: false };
    }
    case 'lang': {
      const language = text.toLowerCase().split(/[-_]/)[0];
      if (spec.choices.includes(language)) return { value: language, notice: null, rejected: false };
      return reject(spec, raw, `one of ${spec.choices.join(', ')}`);
    }
    case 'choice': {
      const lower = text.toLowerCase();
      if (spec.choices.includes(lower)) return { value: lower, notice: null, rejected: false };
      return reject(spec, raw, `one of ${spec.choices.join(', ')}`);
    }
    case 'scale': {
      const lower = text.toLowerCase();
      if (spec.choices.includes(lower)) return { value: lower, notice: null, rejected: false };
      if (!NUMBER.test(text)) return reject(spec, raw, `${spec.choices.join(', ')} or a number`);
      const clamped = clampNumber(spec, raw, Number(text));
      return { ...clamped, value: String(clamped.value) };
    }
    default: {
      if (!NUMBER.test(text)) {
        const expected = spec.kind === 'int' ? `a whole number from ${spec.min} to ${spec.max}` : `a number from ${spec.min} to ${spec.max}`;
        return reject(spec, raw, expected);
      }
      return clampNumber(spec, raw, Number(text));
    }
  }
}

/** Reads the URL's query into a full state, with a notice per fixed value. */
export function readState(search) {
  const params = new URLSearchParams(search);
  const state = {};
  const notices = [];
  for (const name of Object.keys(PARAMS)) {
    const { value, notice, rejected } = clampParam(name, params.get(name));
    state[name] = value;
    if (notice) notices.push(rejected ? `${notice} Using ${value}.` : notice);
    const given = params.getAll(name).length;
    if (given > 1) notices.push(`${PARAMS[name].label} is given ${given} times in the address; the first is used.`);
  }
  return { state, notices };
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
