// A lesson being written: the fields as the teacher typed them (nothing
// typed is lost, even while it is not valid yet), kept in this browser, and
// turned into lesson JSON for preview and export, where lesson-format.js
// judges it. Pure but for the storage it is given.

import { FORMAT, STEP_PARAMS } from './lesson-format.js';
import { PARAMS } from './state.js';
import { readNumber } from './i18n.js';

const KEY = 'attention-explorer.lesson-draft';

/** A view as a step's state: d_k always, the rest when not at its default. */
export function viewQuery(state) {
  const params = new URLSearchParams();
  for (const name of STEP_PARAMS) {
    if (name === 'dk' || String(state[name]) !== String(PARAMS[name].fallback)) params.set(name, String(state[name]));
  }
  return params.toString();
}

/** A new step showing `state`. */
export const newStep = (state) => ({
  state: viewQuery(state), title: '', prompt: '', kind: 'choice', choices: '', answer: '0', number: '', tolerance: '0.25', unit: '',
  panel: 'unscaled', max: '20', reveal: '', observe: '', explain: '',
});

/** A new draft, its lesson written in `lang` (the interface's language, until the teacher says otherwise). */
export const emptyDraft = (lang = 'en') => ({ title: '', lang, steps: [] });

const lines = (text) => text.split('\n').map((l) => l.trim()).filter(Boolean);

function predictOf(s, lang) {
  const decimal = (text) => readNumber(text, lang);
  switch (s.kind) {
    case 'choice':
      return { kind: 'choice', choices: lines(s.choices), answer: Number(s.answer) };
    case 'number':
      return {
        kind: 'number',
        ...(s.number.trim() ? { answer: decimal(s.number) } : {}),
        tolerance: decimal(s.tolerance || '0.25'),
        ...(s.unit.trim() ? { unit: s.unit.trim() } : {}),
      };
    case 'text':
      return { kind: 'text' };
    case 'sketch':
      return { kind: 'sketch', panel: s.panel, max: decimal(s.max || '20') };
    default:
      return undefined;
  }
}

/**
 * The lesson JSON (a value, not yet validated) a draft describes; `untitled`
 * names a lesson with no title, and numbers are read as people write them
 * in `lang` (the interface's language: "0,125" is an eighth in Spanish).
 */
export function draftToLesson(draft, untitled = 'A lesson', lang = 'en') {
  const title = draft.title.trim() || untitled;
  const id = title.toLowerCase().normalize('NFKD').replace(/\p{M}/gu, '').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 48) || 'lesson';
  return {
    format: FORMAT,
    version: 1,
    id,
    title,
    lang: (draft.lang ?? '').trim() || 'en',
    steps: draft.steps.map((s) => {
      const step = { state: s.state, prompt: s.prompt, explain: s.explain };
      if (s.title.trim()) step.title = s.title;
      const predict = predictOf(s, lang);
      if (predict) step.predict = predict;
      if (s.reveal.trim()) step.reveal = s.reveal.trim();
      if (s.observe) step.observe = s.observe;
      return step;
    }),
  };
}

/** A draft of a (parsed) lesson, to edit it. */
export function lessonToDraft(lesson) {
  const query = (state) => new URLSearchParams(Object.entries(state).map(([k, v]) => [k, String(v)])).toString();
  return {
    title: lesson.title,
    lang: lesson.lang,
    steps: lesson.steps.map((step) => {
      const p = step.predict;
      return {
        state: query(step.state), title: step.title, prompt: step.prompt, kind: p?.kind ?? 'none',
        choices: p?.kind === 'choice' ? p.choices.join('\n') : '', answer: String(p?.answer ?? 0),
        number: p?.kind === 'number' && p.answer !== null ? String(p.answer) : '', tolerance: String(p?.tolerance ?? 0.25),
        unit: p?.unit ?? '', panel: p?.panel ?? 'unscaled', max: String(p?.max ?? 20), reveal: query(step.reveal), observe: step.observe ? `${step.observe.panel}.${step.observe.stat}` : '',
        explain: step.explain,
      };
    }),
  };
}

const DEFAULTS = newStep({ dk: 4 });
const FIELDS = Object.keys(DEFAULTS);
// Fields that drafts kept before they existed lack; every other one must be there.
const LATER = new Set(['unit', 'max']);
const isText = (v) => typeof v === 'string';

/**
 * The draft kept in `storage`, or an empty one in `lang` (a stored value is
 * checked like any outside value; a field an older draft lacks gets its default).
 */
export function readDraft(storage, lang = 'en') {
  try {
    const saved = JSON.parse(storage?.getItem(KEY) ?? 'null');
    if (saved && isText(saved.title) && Array.isArray(saved.steps)
      && saved.steps.every((s) => s && FIELDS.every((f) => isText(s[f]) || (LATER.has(f) && s[f] === undefined)))) {
      return {
        title: saved.title,
        lang: isText(saved.lang) ? saved.lang : lang,
        steps: saved.steps.slice(0, 40).map((s) => Object.fromEntries(FIELDS.map((f) => [f, s[f] ?? DEFAULTS[f]]))),
      };
    }
  } catch {
    // Unreadable: start afresh.
  }
  return emptyDraft(lang);
}

export function writeDraft(storage, draft) {
  try {
    storage?.setItem(KEY, JSON.stringify(draft));
  } catch {
    // A browser refusing storage keeps the draft for this visit only.
  }
}
