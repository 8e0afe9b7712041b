// A lesson's one validator. A lesson comes from outside (a teacher's JSON
// file, a link's fragment, an element's attribute), so nothing in it is
// trusted: every field is checked for its type and size, unknown fields are
// refused (a misspelt "explain" must not vanish silently), every step's
// state goes through the URL's own validator, and the text is only ever
// shown as text. `parseLesson` returns the lesson or throws a LessonError
// whose message says what is wrong and where.

import { english } from './i18n.js';
import { PARAMS, clampParam } from './state.js';

export const FORMAT = 'attention-explorer-lesson';

/** The limits: generous for a lesson, small enough that none can flood the page. */
export const LIMITS = Object.freeze({ chars: 256 * 1024, steps: 40, title: 200, text: 2000, choice: 300, choices: 6 });

/** The panels and statistics a step may observe, as `"<panel>.<statistic>"`. */
export const OBSERVABLE = Object.freeze({
  panels: ['unscaled', 'scaled'],
  stats: ['std', 'maxProbMean', 'maxProbMin', 'entropyFraction', 'effectiveTokens', 'gradientMean', 'saturatedRows', 'nanRows'],
});

/** What each step starts from besides its own state: these parameters at their defaults. */
export const STEP_PARAMS = Object.freeze(['dk', 't', 'seed', 'qk', 'x', 'dist', 'sigma', 'mu', 'ln', 'rho', 'score', 'scale', 'ssmax_s', 'qknorm', 'g', 'cap', 'mask', 'pad', 'fill', 'tau', 'softmax', 'precision', 'text', 'row', 'trials']);

/** Parameters a lesson may not set: they choose how the page looks, not what it shows. */
const DISPLAY_ONLY = new Set(['theme', 'lang', 'type']);

export class LessonError extends Error {
  constructor(message) {
    super(message);
    this.name = 'LessonError';
  }
}

// The language of the messages: set by `parseLesson` for the length of one
// (synchronous) call, so the checks below need not pass it along.
let words = english();

/** Throws the error "<where>: <what>", `what` being the message `key` with `values`. */
const fail = (where, key, values = {}) => {
  throw new LessonError(words.t('lessonError.at', { where, what: words.t(`lessonError.${key}`, values) }));
};

const KINDS = ['string', 'number', 'boolean', 'undefined'];
const kindOf = (value) => {
  const kind = value === null ? 'null' : Array.isArray(value) ? 'list' : typeof value;
  return KINDS.includes(kind) || ['null', 'list', 'object'].includes(kind) ? words.t(`kind.${kind}`) : kind;
};

function text(where, value, max, { optional = false } = {}) {
  if (value === undefined && optional) return undefined;
  if (value === undefined) fail(where, 'missing');
  if (typeof value !== 'string') fail(where, 'text', { kind: kindOf(value) });
  const trimmed = value.trim();
  if (trimmed === '') fail(where, 'empty');
  if (trimmed.length > max) fail(where, 'long', { n: words.number(trimmed.length), max: words.number(max) });
  return trimmed.toWellFormed?.() ?? trimmed;
}

function object(where, value, allowed) {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) fail(where, 'object', { kind: kindOf(value) });
  const unknown = Object.keys(value).filter((key) => !allowed.includes(key));
  if (unknown.length) fail(where, 'field', { name: unknown[0].slice(0, 40), known: allowed.join(', ') });
  return value;
}

function finite(where, value) {
  if (value === undefined) fail(where, 'missing');
  if (typeof value !== 'number' || !Number.isFinite(value)) fail(where, 'number', { kind: kindOf(value) });
  return value;
}

/**
 * A step's parameters, as a query string ("qk=independent&dk=64") or an
 * object; each must be valid as it is: a value the page would clamp or
 * refuse is an error here, so a lesson shows exactly what its author meant.
 */
export function lessonState(where, value) {
  if (value === undefined) return {};
  const entries = typeof value === 'string'
    ? [...new URLSearchParams(value.length > LIMITS.text ? fail(where, 'tooLong') : value)]
    : Object.entries(object(where, value, Object.keys(PARAMS)));
  const state = {};
  for (const [name, raw] of entries) {
    if (!Object.hasOwn(PARAMS, name)) fail(where, 'param', { name: name.slice(0, 40) });
    if (DISPLAY_ONLY.has(name)) fail(where, 'display', { name });
    if (typeof raw !== 'string' && typeof raw !== 'number') fail(`${where}.${name}`, 'value', { kind: kindOf(raw) });
    const { value: valid, notice } = clampParam(name, raw, words);
    if (notice) throw new LessonError(words.t('lessonError.at', { where, what: notice }));
    state[name] = valid;
  }
  return state;
}

function prediction(where, value) {
  if (value === undefined) return null;
  const kind = object(where, value, ['kind', 'choices', 'answer', 'tolerance', 'unit', 'panel', 'max']).kind;
  switch (kind) {
    case 'choice': {
      object(where, value, ['kind', 'choices', 'answer']);
      const { choices, answer } = value;
      if (!Array.isArray(choices) || choices.length < 2 || choices.length > LIMITS.choices) {
        fail(`${where}.choices`, 'choices', { max: LIMITS.choices });
      }
      const texts = choices.map((c, i) => text(`${where}.choices[${i}]`, c, LIMITS.choice));
      if (answer !== undefined && !(Number.isInteger(answer) && answer >= 0 && answer < texts.length)) {
        fail(`${where}.answer`, 'answer', { last: texts.length - 1 });
      }
      return { kind, choices: texts, answer: answer ?? null };
    }
    case 'number': {
      object(where, value, ['kind', 'answer', 'tolerance', 'unit']);
      const answer = value.answer === undefined ? null : finite(`${where}.answer`, value.answer);
      const tolerance = value.tolerance === undefined ? 0.25 : finite(`${where}.tolerance`, value.tolerance);
      if (tolerance < 0 || tolerance > 10) fail(`${where}.tolerance`, 'tolerance');
      return { kind, answer, tolerance, unit: text(`${where}.unit`, value.unit, 40, { optional: true }) ?? '' };
    }
    case 'text':
      object(where, value, ['kind']);
      return { kind };
    case 'sketch': {
      // A curve of the scores' std against d_k, drawn on the std chart.
      object(where, value, ['kind', 'panel', 'max']);
      const panel = value.panel ?? 'unscaled';
      if (!OBSERVABLE.panels.includes(panel)) fail(`${where}.panel`, 'panel', { panels: OBSERVABLE.panels.join(', ') });
      const max = value.max === undefined ? 20 : finite(`${where}.max`, value.max);
      if (!(max > 0 && max <= 1e6)) fail(`${where}.max`, 'max');
      return { kind, panel, max };
    }
    default:
      return fail(`${where}.kind`, 'kind');
  }
}

function observed(where, value) {
  if (value === undefined) return null;
  const [panel, stat, ...rest] = typeof value === 'string' ? value.split('.') : [];
  if (rest.length || !OBSERVABLE.panels.includes(panel) || !OBSERVABLE.stats.includes(stat)) {
    fail(where, 'observe', { panels: OBSERVABLE.panels.join(', '), stats: OBSERVABLE.stats.join(', ') });
  }
  return { panel, stat };
}

const STEP_FIELDS = ['title', 'state', 'prompt', 'predict', 'reveal', 'observe', 'explain'];

function step(value, i) {
  const where = words.t('lessonError.step', { n: i + 1 });
  object(where, value, STEP_FIELDS);
  return Object.freeze({
    title: text(`${where}.title`, value.title, LIMITS.title, { optional: true }) ?? '',
    state: lessonState(`${where}.state`, value.state),
    prompt: text(`${where}.prompt`, value.prompt, LIMITS.text),
    predict: prediction(`${where}.predict`, value.predict),
    reveal: lessonState(`${where}.reveal`, value.reveal),
    observe: observed(`${where}.observe`, value.observe),
    explain: text(`${where}.explain`, value.explain, LIMITS.text),
  });
}

/** The error for a lesson of `size` characters (or bytes), over the limit, in the language of `say`. */
export const tooLarge = (size, say = english()) =>
  new LessonError(say.t('lessonError.size', { n: say.number(Math.ceil(size / 1024)), max: LIMITS.chars / 1024 }));

/**
 * Reads a lesson from JSON text or a parsed value; throws a LessonError
 * saying what is wrong, in the language of `say` (a translator, i18n.js).
 */
export function parseLesson(source, say = english()) {
  const before = words;
  words = say;
  try {
    return checked(source);
  } finally {
    words = before;
  }
}

function checked(source) {
  let value = source;
  if (typeof source === 'string') {
    if (source.length > LIMITS.chars) throw tooLarge(source.length, words);
    try {
      value = JSON.parse(source);
    } catch (error) {
      throw new LessonError(words.t('lessonError.json', { detail: String(error.message).slice(0, 120) }));
    }
  }
  const lesson = object('lesson', value, ['format', 'version', 'id', 'title', 'lang', 'steps']);
  if (lesson.format !== FORMAT) fail('lesson.format', 'format', { format: FORMAT });
  if (lesson.version !== 1) fail('lesson.version', 'version');
  const id = text('lesson.id', lesson.id, 64);
  if (!/^[a-z0-9][a-z0-9-]*$/.test(id)) fail('lesson.id', 'id');
  const lang = text('lesson.lang', lesson.lang, 35, { optional: true }) ?? 'en';
  if (!/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(lang)) fail('lesson.lang', 'lang');
  if (!Array.isArray(lesson.steps) || lesson.steps.length === 0) fail('lesson.steps', 'steps');
  if (lesson.steps.length > LIMITS.steps) fail('lesson.steps', 'manySteps', { n: lesson.steps.length, max: LIMITS.steps });
  return Object.freeze({ id, lang, title: text('lesson.title', lesson.title, LIMITS.title), steps: Object.freeze(lesson.steps.map(step)) });
}

/** Whether a number prediction is within the step's tolerance of `truth`. */
export function isClose(predicted, truth, tolerance) {
  if (!Number.isFinite(predicted) || !Number.isFinite(truth)) return predicted === truth;
  return Math.abs(predicted - truth) <= tolerance * Math.max(Math.abs(truth), 1e-12);
}
