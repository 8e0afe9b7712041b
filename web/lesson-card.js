// The lesson card's DOM: built from nodes and text only (a lesson's text
// comes from whoever wrote the lesson, so it is never parsed as markup).
// view-lesson.js decides what the card shows; this module only shows it and
// reads the student's prediction back.

import { KNOTS, atKnots, createSketch } from './sketch.js';
import { button, h } from './dom.js';
import { DIMS } from './view-curves.js';
import { readNumber } from './i18n.js';

/** A knot's value as its field shows it: two significant digits, no grouping (read back as typed). */
export const knotText = (v) => (Number.isFinite(v) ? String(Number(v.toPrecision(2))) : '');

/** Builds the card for `lesson`; the returned object holds its parts and the handlers view-lesson.js sets. */
export function lessonCard(lesson, { t }) {
  const card = {};
  const steps = lesson.steps.length;
  card.count = h('p', { className: 'lesson-count' });
  card.progress = h('progress', { max: steps, value: 0 });
  card.progress.setAttribute('aria-hidden', 'true');
  const leave = button('lesson-leave', t('lesson.leave'));
  const name = h('p', { className: 'lesson-name', dir: 'auto' }, h('strong', { textContent: `${t('lesson.label')}: ` }), lesson.title);
  card.heading = h('h2', { className: 'lesson-title', tabIndex: -1, dir: 'auto' });
  card.prompt = h('p', { className: 'lesson-prompt', dir: 'auto' });
  card.fields = h('div', { className: 'lesson-fields' });
  card.error = h('p', { className: 'lesson-error', hidden: true });
  card.error.setAttribute('role', 'alert');
  card.submit = button('lesson-submit primary', t('lesson.reveal'), 'submit');
  card.skip = button('lesson-skip', t('lesson.skip'));
  card.form = h('form', { className: 'lesson-form', noValidate: true }, card.fields, card.error, h('p', { className: 'lesson-actions' }, card.submit, ' ', card.skip));
  card.result = h('h3', { tabIndex: -1, textContent: t('lesson.result') });
  card.facts = h('dl', { className: 'lesson-facts' });
  card.verdict = h('p', { className: 'lesson-verdict' });
  card.explain = h('p', { className: 'lesson-explain', dir: 'auto' });
  card.reveal = h('div', { className: 'lesson-reveal', hidden: true }, card.result, card.facts, card.verdict, h('h3', { textContent: t('lesson.why') }), card.explain);
  card.back = button('lesson-back', t('lesson.back'));
  card.next = button('lesson-next primary', t('lesson.next'));
  card.body = h('div', { className: 'lesson-body' }, card.heading, card.prompt, card.form, card.reveal, h('p', { className: 'lesson-nav' }, card.back, ' ', card.next));
  card.done = h('div', { className: 'lesson-done', tabIndex: -1, hidden: true });
  card.root = h('section', { className: 'lesson' }, h('div', { className: 'lesson-head' }, name, card.count, card.progress, leave), card.body, card.done);
  card.root.dataset.testid = 'lesson';
  // The lesson's own words are in its language, which may differ from the interface's.
  for (const el of [name, card.heading, card.prompt, card.explain]) el.lang = lesson.lang;
  card.fields.lang = lesson.lang;
  card.root.setAttribute('aria-label', `${t('lesson.label')}: ${lesson.title}`);

  card.form.addEventListener('submit', (event) => {
    event.preventDefault();
    card.onSubmit();
  });
  card.skip.addEventListener('click', () => card.onSkip());
  card.back.addEventListener('click', () => card.onBack());
  card.next.addEventListener('click', () => card.onNext());
  leave.addEventListener('click', () => card.onLeave());
  Object.assign(card, bindCardViews(card, lesson, t));
  return card;
}

function bindCardViews(card, lesson, t) {
  const steps = lesson.steps.length;
  return {
    showStep(index, step) {
      card.body.hidden = false;
      card.done.hidden = true;
      card.count.textContent = t('lesson.step', { n: index + 1, total: steps });
      card.progress.value = index + 1;
      card.heading.textContent = step.title ? `${index + 1}. ${step.title}` : t('lesson.untitled', { n: index + 1 });
      card.prompt.textContent = step.prompt;
      card.error.hidden = true;
      card.form.hidden = false;
      card.submit.textContent = step.predict ? t('lesson.reveal') : t('lesson.show');
      card.submit.hidden = false;
      card.skip.hidden = !step.predict;
      card.reveal.hidden = true;
      card.back.disabled = index === 0;
      card.next.hidden = true;
      card.next.textContent = index === steps - 1 ? t('lesson.finish') : t('lesson.next');
    },
    showError(message) {
      card.error.textContent = message;
      card.error.hidden = false;
    },
    lockPrediction() {
      card.error.hidden = true;
      for (const field of card.fields.querySelectorAll('input, textarea')) field.disabled = true;
    },
    showReveal(step, answer, observed, state, verdict, words) {
      card.form.hidden = !step.predict;
      card.submit.hidden = true;
      card.skip.hidden = true;
      card.facts.replaceChildren(...facts(step, answer, observed, state, words));
      card.verdict.textContent = verdict ?? '';
      card.verdict.hidden = !verdict;
      card.explain.textContent = step.explain;
      card.reveal.hidden = false;
      card.next.hidden = false;
    },
    showDone() {
      card.body.hidden = true;
      card.count.textContent = t('lesson.step', { n: steps, total: steps });
      card.progress.value = steps;
      const restart = button('lesson-restart', t('lesson.restart'));
      restart.addEventListener('click', () => card.onRestart());
      const back = button('lesson-back', t('lesson.back'));
      back.addEventListener('click', () => card.onBack());
      card.done.replaceChildren(h('p', { dir: 'auto', textContent: t('lesson.done', { title: lesson.title }) }), h('p', {}, back, ' ', restart));
      card.done.hidden = false;
    },
  };
}

/** The rows of the result: the prediction, the expected value, the observed one. */
function facts(step, answer, observed, state, words) {
  const { t, number, percent } = words;
  const row = (term, value, dir) => [h('dt', {}, ...[term].flat()), h('dd', { textContent: value, ...(dir ? { dir } : {}) })];
  const rows = [];
  const p = step.predict;
  if (p) {
    const said = answer.skipped ? t('lesson.skipped')
      : p.kind === 'choice' ? p.choices[answer.value]
        : p.kind === 'number' ? `${number(answer.value)}${p.unit ? ` ${p.unit}` : ''}`
          : p.kind === 'sketch' ? sketchSaid(answer.value, words) : answer.value;
    rows.push(...row(t('lesson.predicted'), said, 'auto'));
    if (p.kind === 'number' && p.answer !== null) rows.push(...row(t('lesson.expected'), number(p.answer)));
  }
  if (observed) {
    const what = t(`stat.${observed.stat}`, { panel: t(`panel.${observed.panel}`) });
    const value = observed.stat === 'entropyFraction' ? percent(observed.value) : number(observed.value);
    // The state in its own left-to-right island, so a right-to-left sentence keeps its order.
    rows.push(...row([`${t('lesson.observed', { what })} `, h('bdi', { dir: 'ltr', textContent: `(d_k = ${state.dk}, T = ${state.t})` })], value));
  }
  return rows;
}

/** A sketch in words: its values at the knots. */
function sketchSaid(values, { t, number }) {
  const at = atKnots(createSketch(DIMS, Infinity, values));
  const shown = KNOTS.filter((_, i) => Number.isFinite(at[i]));
  return t('lesson.sketchSaid', { values: at.filter(Number.isFinite).map((v) => number(v, 2)).join(', '), dims: shown.join(', ') });
}

/** The fields for `step`'s prediction, filled in and locked when `answer` is already given. */
export function predictionFields(card, step, answer, words) {
  const { t } = words;
  const p = step.predict;
  const given = answer && !answer.skipped ? answer.value : null;
  let fields = [];
  if (p?.kind === 'choice') {
    const legend = h('legend', { textContent: t('lesson.yourChoice') });
    const options = p.choices.map((choice, i) =>
      h('label', { dir: 'auto' }, h('input', { type: 'radio', name: 'lesson-choice', value: String(i), checked: given === i }), ' ', choice));
    fields = [h('fieldset', {}, legend, ...options)];
  } else if (p?.kind === 'number') {
    const input = h('input', { type: 'text', inputMode: 'decimal', autocomplete: 'off', spellcheck: false, className: 'lesson-number', value: given === null ? '' : String(given) });
    fields = [h('label', {}, `${t('lesson.yourNumber')} `, input, p.unit ? ` ${p.unit}` : '')];
  } else if (p?.kind === 'sketch') {
    fields = sketchFields(card, p, words);
  } else if (p?.kind === 'text') {
    const area = h('textarea', { rows: 3, maxLength: 2000, dir: 'auto', className: 'lesson-text', value: given ?? '' });
    fields = [h('label', { className: 'lesson-text-label' }, t('lesson.yourText'), area)];
  }
  card.fields.replaceChildren(...fields);
  if (answer?.revealed) for (const field of card.fields.querySelectorAll('input, textarea')) field.disabled = true;
}

/** The knots' fields of a sketch (the way to draw it without a pointer), and a way to the chart. */
function sketchFields(card, p, { t, lang }) {
  const what = t('stat.std', { panel: t(`panel.${p.panel}`) });
  card.knots = KNOTS.map((dk) => h('input', { type: 'text', inputMode: 'decimal', autocomplete: 'off', spellcheck: false, className: 'lesson-number' }));
  card.setKnots = (values) => card.knots.forEach((input, i) => {
    input.value = knotText(values[i]);
  });
  card.readKnots = () => card.knots.map((input) => {
    const raw = input.value.trim();
    return raw === '' ? Number.NaN : readNumber(raw, lang);
  });
  for (const input of card.knots) input.addEventListener('change', () => card.onKnots());
  const toChart = button('lesson-to-chart', t('lesson.toChart'));
  toChart.addEventListener('click', () => card.onToChart());
  const legend = h('legend', { textContent: t('lesson.yourSketch', { what }) });
  const labels = KNOTS.map((dk, i) => h('label', { className: 'lesson-knot' }, `${t('lesson.knot', { dk })} `, card.knots[i]));
  return [h('fieldset', { className: 'lesson-sketch' }, legend, h('p', { className: 'hint', textContent: t('lesson.sketchHint') }), ...labels, h('p', {}, toChart))];
}

/** The student's prediction as `{ value }`, or `{ error }` saying what to do. */
export function readPrediction(card, step, { t, lang }) {
  const p = step.predict;
  if (!p) return { value: null };
  if (p.kind === 'choice') {
    const checked = card.fields.querySelector('input:checked');
    return checked ? { value: Number(checked.value) } : { error: t('lesson.predictFirst') };
  }
  const raw = card.fields.querySelector('input, textarea').value.trim();
  if (raw === '') return { error: t('lesson.predictFirst') };
  if (p.kind === 'text') return { value: raw.slice(0, 2000) };
  // A decimal comma is read as a point, as many students write it.
  const value = readNumber(raw, lang);
  return Number.isFinite(value) ? { value } : { error: t('lesson.notNumber', { value: raw.slice(0, 40) }) };
}
