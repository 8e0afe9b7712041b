// The page's state and its one validator. Every value that comes from
// outside (the URL today; form fields; later element attributes) goes
// through `clampParam`, so the ranges below are the single source of truth
// for what the page accepts, and the slider's own attributes are set from them.

/** Accepted range, step and default of each URL parameter. */
export const PARAMS = Object.freeze({
  dk: Object.freeze({ label: 'd_k', min: 4, max: 256, step: 4, fallback: 16 }),
  t: Object.freeze({ label: 'T', min: 2, max: 64, step: 1, fallback: 10 }),
  seed: Object.freeze({ label: 'Seed', min: 0, max: 4294967295, step: 1, fallback: 42 }),
});

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Shortens user text for a notice, so a pasted essay cannot flood the page. */
export function quote(raw) {
  const text = String(raw);
  return text.length > 40 ? `"${text.slice(0, 39)}…"` : `"${text}"`;
}

/**
 * Validates one raw value for parameter `name`.
 * Returns `{ value, notice, rejected }`:
 * - a number is snapped to the step grid and clamped into range, with a
 *   notice when that changed it;
 * - anything else is rejected: `value` is the fallback and `rejected` is true,
 *   so a form can keep the user's text and the previous value instead.
 */
export function clampParam(name, raw) {
  const spec = PARAMS[name];
  if (raw === undefined || raw === null) return { value: spec.fallback, notice: null, rejected: false };
  const text = String(raw).trim();
  if (!NUMBER.test(text)) {
    const what = text === '' ? 'is empty' : `${quote(raw)} is not a number`;
    return {
      value: spec.fallback,
      notice: `${spec.label} ${what}; it must be a whole number from ${spec.min} to ${spec.max}.`,
      rejected: true,
    };
  }
  const number = Number(text);
  let value = spec.min + Math.round((number - spec.min) / spec.step) * spec.step;
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
  const notice = reason ? `${spec.label} ${quote(raw)} is ${reason}; using ${value}.` : null;
  return { value, notice, rejected: false };
}

/** Reads `?dk=&t=&seed=` into a full state, with a notice per fixed value. */
export function readState(search) {
  const params = new URLSearchParams(search);
  const state = {};
  const notices = [];
  for (const name of Object.keys(PARAMS)) {
    const { value, notice, rejected } = clampParam(name, params.get(name));
    state[name] = value;
    if (notice) notices.push(rejected ? `${notice} Using ${value}.` : notice);
  }
  return { state, notices };
}

/** Writes the state into `search`, keeping any parameters it does not own. */
export function writeState(search, state) {
  const params = new URLSearchParams(search);
  for (const name of Object.keys(PARAMS)) params.set(name, String(state[name]));
  return `?${params}`;
}
