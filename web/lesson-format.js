// A lesson's one validator. A lesson comes from outside (a teacher's JSON
// file, a link's fragment, an element's attribute), so nothing in it is
// trusted: every field is checked for its type and size, unknown fields are
// refused (a misspelt "explain" must not vanish silently), every step's
// state goes through the URL's own validator, and the text is only ever
// shown as text. `parseLesson` returns the lesson or throws a LessonError
// whose message says what is wrong and where.

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
export const STEP_PARAMS = Object.freeze(['dk', 't', 'seed', 'qk', 'x', 'score', 'scale', 'tau', 'softmax', 'precision', 'text', 'row', 'trials']);

/** Parameters a lesson may not set: they choose how the page looks, not what it shows. */
const DISPLAY_ONLY = new Set(['theme', 'lang', 'type']);

export class LessonError extends Error {
  constructor(message) {
    super(message);
    this.name = 'LessonError';
  }
}

const fail = (where, what) => {
  throw new LessonError(`${where}: ${what}`);
};

const kindOf = (value) => (value === null ? 'null' : Array.isArray(value) ? 'a list' : typeof value === 'object' ? 'an object' : `a ${typeof value}`);

function text(where, value, max, { optional = false } = {}) {
  if (value === undefined && optional) return undefined;
  if (typeof value !== 'string') fail(where, `must be text, not ${kindOf(value)}`);
  const trimmed = value.trim();
  if (trimmed === '') fail(where, 'is empty');
  if (trimmed.length > max) fail(where, `is ${trimmed.length.toLocaleString('en')} characters long; at most ${max.toLocaleString('en')}`);
  return trimmed.toWellFormed?.() ?? trimmed;
}

function object(where, value, allowed) {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) fail(where, `must be an object, not ${kindOf(value)}`);
  const unknown = Object.keys(value).filter((key) => !allowed.includes(key));
  if (unknown.length) fail(where, `has no field "${unknown[0].slice(0, 40)}" (known: ${allowed.join(', ')})`);
  return value;
}

function finite(where, value) {
  if (typeof value !== 'number' || !Number.isFinite(value)) fail(where, `must be a number, not ${kindOf(value)}`);
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
    ? [...new URLSearchParams(value.length > LIMITS.text ? fail(where, 'is too long') : value)]
    : Object.entries(object(where, value, Object.keys(PARAMS)));
  const state = {};
  for (const [name, raw] of entries) {
    if (!Object.hasOwn(PARAMS, name)) fail(where, `"${name.slice(0, 40)}" is not a parameter of the explorer`);
    if (DISPLAY_ONLY.has(name)) fail(where, `"${name}" is the reader's choice, not the lesson's`);
    if (typeof raw !== 'string' && typeof raw !== 'number') fail(`${where}.${name}`, `must be text or a number, not ${kindOf(raw)}`);
    const { value: valid, notice } = clampParam(name, raw);
    if (notice) fail(where, notice);
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
        fail(`${where}.choices`, `must be a list of 2 to ${LIMITS.choices} answers`);
      }
      const texts = choices.map((c, i) => text(`${where}.choices[${i}]`, c, LIMITS.choice));
      if (answer !== undefined && !(Number.isInteger(answer) && answer >= 0 && answer < texts.length)) {
        fail(`${where}.answer`, `must be the number of the right choice, from 0 to ${texts.length - 1}`);
      }
      return { kind, choices: texts, answer: answer ?? null };
    }
    case 'number': {
      object(where, value, ['kind', 'answer', 'tolerance', 'unit']);
      const answer = value.answer === undefined ? null : finite(`${where}.answer`, value.answer);
      const tolerance = value.tolerance === undefined ? 0.25 : finite(`${where}.tolerance`, value.tolerance);
      if (tolerance < 0 || tolerance > 10) fail(`${where}.tolerance`, 'must be from 0 to 10 (a share of the answer: 0.25 is ±25 %)');
      return { kind, answer, tolerance, unit: text(`${where}.unit`, value.unit, 40, { optional: true }) ?? '' };
    }
    case 'text':
      object(where, value, ['kind']);
      return { kind };
    case 'sketch': {
      // A curve of the scores' std against d_k, drawn on the std chart.
      object(where, value, ['kind', 'panel', 'max']);
      const panel = value.panel ?? 'unscaled';
      if (!OBSERVABLE.panels.includes(panel)) fail(`${where}.panel`, `must be one of ${OBSERVABLE.panels.join(', ')}`);
      const max = value.max === undefined ? 20 : finite(`${where}.max`, value.max);
      if (!(max > 0 && max <= 1e6)) fail(`${where}.max`, 'must be above 0 and at most 1,000,000 (the top of the chart to draw on)');
      return { kind, panel, max };
    }
    default:
      return fail(`${where}.kind`, 'must be "choice", "number", "text" or "sketch"');
  }
}

function observed(where, value) {
  if (value === undefined) return null;
  const [panel, stat, ...rest] = typeof value === 'string' ? value.split('.') : [];
  if (rest.length || !OBSERVABLE.panels.includes(panel) || !OBSERVABLE.stats.includes(stat)) {
    fail(where, `must name a panel and a statistic, like "unscaled.std" (panels: ${OBSERVABLE.panels.join(', ')}; statistics: ${OBSERVABLE.stats.join(', ')})`);
  }
  return { panel, stat };
}

const STEP_FIELDS = ['title', 'state', 'prompt', 'predict', 'reveal', 'observe', 'explain'];

function step(value, i) {
  const where = `step ${i + 1}`;
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

/** The error for a lesson of `size` characters (or bytes), over the limit. */
export const tooLarge = (size) =>
  new LessonError(`The lesson is ${Math.ceil(size / 1024).toLocaleString('en')} KB; a lesson may be at most ${LIMITS.chars / 1024} KB.`);

/** Reads a lesson from JSON text or a parsed value; throws a LessonError saying what is wrong. */
export function parseLesson(source) {
  let value = source;
  if (typeof source === 'string') {
    if (source.length > LIMITS.chars) throw tooLarge(source.length);
    try {
      value = JSON.parse(source);
    } catch (error) {
      throw new LessonError(`The lesson is not valid JSON (${String(error.message).slice(0, 120)}).`);
    }
  }
  const lesson = object('lesson', value, ['format', 'version', 'id', 'title', 'lang', 'steps']);
  if (lesson.format !== FORMAT) fail('lesson.format', `must be "${FORMAT}"`);
  if (lesson.version !== 1) fail('lesson.version', 'must be 1');
  const id = text('lesson.id', lesson.id, 64);
  if (!/^[a-z0-9][a-z0-9-]*$/.test(id)) fail('lesson.id', 'must be lower-case letters, digits and hyphens');
  const lang = text('lesson.lang', lesson.lang, 35, { optional: true }) ?? 'en';
  if (!/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(lang)) fail('lesson.lang', 'must be a language tag such as "en" or "zh-Hans"');
  if (!Array.isArray(lesson.steps) || lesson.steps.length === 0) fail('lesson.steps', 'must be a list of at least one step');
  if (lesson.steps.length > LIMITS.steps) fail('lesson.steps', `has ${lesson.steps.length} steps; at most ${LIMITS.steps}`);
  return Object.freeze({ id, lang, title: text('lesson.title', lesson.title, LIMITS.title), steps: Object.freeze(lesson.steps.map(step)) });
}

/** Whether a number prediction is within the step's tolerance of `truth`. */
export function isClose(predicted, truth, tolerance) {
  if (!Number.isFinite(predicted) || !Number.isFinite(truth)) return predicted === truth;
  return Math.abs(predicted - truth) <= tolerance * Math.max(Math.abs(truth), 1e-12);
}
