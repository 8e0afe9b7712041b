// Writing a lesson without code: set up a view, "Add this view as a step",
// type the prompt, the prediction and the explanation; reorder, preview,
// and export it as a link (the lesson in the fragment) or a JSON file, or
// open a JSON lesson to change it. The draft is kept in this browser as it
// is typed (lesson-draft.js); preview and export validate it like any lesson.

import { OBSERVABLE, parseLesson } from './lesson-format.js';
import { draftToLesson, lessonToDraft, newStep, readDraft, viewQuery, writeDraft } from './lesson-draft.js';
import { encodeLesson } from './lesson-link.js';
import { button, h } from './dom.js';
import { translateTree } from './i18n.js';

const KINDS = [['none', 'No prediction'], ['choice', 'Multiple choice'], ['number', 'A number'], ['text', 'A written answer'], ['sketch', 'A sketch of the std curve']];

/** A labelled field bound to `step[name]`; `multiline` makes it a textarea. */
function field(step, name, label, onInput, { multiline = false, hint = '' } = {}) {
  const input = multiline ? h('textarea', { rows: 3, value: step[name] }) : h('input', { type: 'text', value: step[name], autocomplete: 'off' });
  input.dataset.field = name;
  input.addEventListener('input', () => {
    step[name] = input.value;
    onInput();
  });
  return h('label', { className: 'author-field' }, label, hint ? h('span', { className: 'hint', textContent: ` ${hint}` }) : null, input);
}

function select(step, name, label, options, onChange) {
  const el = h('select', {}, ...options.map(([value, text]) => h('option', { value, textContent: text, selected: step[name] === value })));
  el.dataset.field = name;
  el.addEventListener('change', () => {
    step[name] = el.value;
    onChange();
  });
  return h('label', { className: 'author-field' }, label, el);
}

/** The right-answer choices follow the lines typed as choices. */
function answerOptions(step) {
  const choices = step.choices.split('\n').map((l) => l.trim()).filter(Boolean);
  return choices.length ? choices.map((c, i) => [String(i), `${i + 1}. ${c.slice(0, 60)}`]) : [['0', '(type the choices first)']];
}

/** One step's editor. `on` gives `save()`, `show(step)`, `move(delta)`, `remove()`, `current()`. */
function stepEditor(step, index, count, on, t) {
  const answer = select(step, 'answer', 'Right answer', answerOptions(step), on.save);
  const refreshAnswers = () => answer.querySelector('select').replaceChildren(
    ...answerOptions(step).map(([value, text]) => h('option', { value, textContent: text, selected: step.answer === value })));
  const groups = {
    choice: h('div', {}, field(step, 'choices', 'Choices, one per line', () => { refreshAnswers(); on.save(); }, { multiline: true }), answer),
    number: h('div', {}, field(step, 'number', 'Answer', on.save, { hint: '(empty: judged against the observed value)' }),
      field(step, 'tolerance', 'Tolerance', on.save, { hint: '(a share of the answer: 0.25 is ±25 %, 0 exact)' }),
      field(step, 'unit', 'Unit', on.save, { hint: '(optional, shown after the number)' })),
    sketch: h('div', {}, select(step, 'panel', 'Panel', OBSERVABLE.panels.map((p) => [p, p]), on.save),
      field(step, 'max', 'Top of the chart', on.save, { hint: '(the largest value a student can draw)' })),
  };
  const showGroups = () => Object.entries(groups).forEach(([kind, el]) => {
    el.hidden = step.kind !== kind;
  });
  showGroups();
  const observe = [['', 'Nothing'], ...OBSERVABLE.panels.flatMap((p) => OBSERVABLE.stats.map((s) => [`${p}.${s}`, t(`stat.${s}`, { panel: t(`panel.${p}`) })]))];
  const reveal = field(step, 'reveal', 'Reveal: the change to make when the student reveals', on.save, { hint: '(URL parameters, e.g. dk=64)' });
  const useView = button('author-use-view', 'Use the current view as the reveal');
  useView.addEventListener('click', () => {
    step.reveal = changeFrom(step.state, viewQuery(on.current()));
    reveal.querySelector('input').value = step.reveal;
    on.save();
  });
  const actions = [['Show this view', 'show', () => on.show(step)], ['Move up', 'up', () => on.move(-1)], ['Move down', 'down', () => on.move(1)], ['Remove', 'remove', on.remove]]
    .map(([text, name, act]) => {
      const b = Object.assign(button('author-action', text), { onclick: act, disabled: (name === 'up' && index === 0) || (name === 'down' && index === count - 1) });
      b.dataset.action = name;
      return b;
    });
  return h('li', { className: 'author-step' }, h('fieldset', {},
    h('legend', { textContent: t('lesson.untitled', { n: index + 1 }) }),
    field(step, 'state', 'View', on.save, { hint: '(URL parameters; added from the explorer as it was)' }),
    field(step, 'title', 'Title', on.save, { hint: '(optional)' }),
    field(step, 'prompt', 'Prompt', on.save, { multiline: true }),
    select(step, 'kind', 'Prediction', KINDS, () => { showGroups(); on.save(); }),
    groups.choice, groups.number, groups.sketch,
    reveal, h('p', {}, useView),
    select(step, 'observe', 'Show beside the prediction', observe, on.save),
    field(step, 'explain', 'Explanation', on.save, { multiline: true }),
    h('p', { className: 'author-actions' }, ...actions)));
}

/** The parameters of `to` that differ from `from`, as a query (what a reveal changes). */
function changeFrom(from, to) {
  const before = new URLSearchParams(from);
  const change = new URLSearchParams();
  for (const [name, value] of new URLSearchParams(to)) if (before.get(name) !== value) change.set(name, value);
  return change.toString();
}

/**
 * Opens the authoring panel after `anchor`. `view` gives `current()` (the
 * shown state), `update(values)`, `setLesson(spec)` and `saveBlob(name, blob)`;
 * `words` the translator (the form's fixed wordings go through its markup
 * table, like the view's). Returns `{ root, close() }`.
 */
export function openAuthoring(anchor, view, { storage, words, site }) {
  const { t } = words;
  const draft = readDraft(storage, words.lang);
  const list = h('ol', { className: 'author-steps' });
  const status = h('output', { className: 'author-status' });
  status.setAttribute('aria-live', 'polite');
  const link = h('input', { type: 'text', readOnly: true, className: 'author-link', hidden: true });
  link.setAttribute('aria-label', 'Link to the lesson');
  const save = () => writeDraft(storage, draft);
  const title = h('input', { type: 'text', value: draft.title, autocomplete: 'off' });
  title.addEventListener('input', () => {
    draft.title = title.value;
    save();
  });
  const lang = h('input', { type: 'text', value: draft.lang, autocomplete: 'off', size: 8 });
  lang.dataset.field = 'lang';
  lang.addEventListener('input', () => {
    draft.lang = lang.value;
    save();
  });

  function render() {
    list.replaceChildren(...draft.steps.map((step, i) => stepEditor(step, i, draft.steps.length, {
      save,
      current: () => view.current(),
      show: (s) => view.update(Object.fromEntries(new URLSearchParams(s.state))),
      move(delta) {
        draft.steps.splice(i + delta, 0, ...draft.steps.splice(i, 1));
        save();
        render();
        // The focus follows the step, on the same button (or the other one at an end).
        const moved = list.children[i + delta];
        const again = moved.querySelector(`[data-action="${delta < 0 ? 'up' : 'down'}"]`);
        (again && !again.disabled ? again : moved.querySelector('[data-field="state"]')).focus();
      },
      remove() {
        draft.steps.splice(i, 1);
        save();
        render();
        (list.children[Math.min(i, draft.steps.length - 1)]?.querySelector('[data-field="state"]') ?? title).focus();
      },
    }, t)));
    translateTree(list, words);
  }

  /** The draft as a valid lesson, or null with the reason in the status line. */
  function valid() {
    try {
      const lesson = draftToLesson(draft, t('author.untitled'), words.lang);
      // As text, as students will receive it: so the size limit counts too.
      parseLesson(JSON.stringify(lesson), words);
      return lesson;
    } catch (error) {
      status.textContent = t('author.notYet', { reason: error.message });
      return null;
    }
  }

  const actions = authoringActions({ draft, view, valid, status, link, save, render, site, fields: { title, lang }, words });
  const root = h('section', { className: 'lesson-author' },
    h('h2', { textContent: 'Make a lesson', tabIndex: -1 }),
    h('p', { className: 'help', textContent: 'Set up a view with the controls, then add it as a step: students see each step’s view, predict, and then see the result beside their prediction. The draft stays in this browser; export it as a link or a file to share it.' }),
    h('label', { className: 'author-field' }, 'Lesson title', title),
    h('label', { className: 'author-field' }, 'Language of the lesson', h('span', { className: 'hint', textContent: ' (a tag such as en, es, zh-Hans or ar)' }), lang),
    h('p', { className: 'author-actions' }, ...actions),
    status, link, list);
  root.dataset.testid = 'author';
  translateTree(root, words);
  anchor.after(root);
  render();
  root.querySelector('h2').focus();
  return { root, close: () => root.remove() };
}

/** The panel's buttons: add, preview, the link, the JSON file out and in, close. */
function authoringActions({ draft, view, valid, status, link, save, render, site, fields, words }) {
  const { t } = words;
  const act = (text, task) => Object.assign(button('author-action', text), {
    onclick: () => Promise.resolve().then(task).catch((error) => {
      status.textContent = t('share.failed', { reason: error.message });
    }),
  });
  const file = h('input', { type: 'file', accept: '.json,application/json', className: 'visually-hidden', tabIndex: -1 });
  file.setAttribute('aria-label', 'Open a JSON lesson');
  file.addEventListener('change', async () => {
    const chosen = file.files[0];
    file.value = '';
    if (!chosen) return;
    try {
      Object.assign(draft, lessonToDraft(parseLesson(await chosen.text(), words)));
      fields.title.value = draft.title;
      fields.lang.value = draft.lang;
      save();
      render();
      status.textContent = t('author.opened', { title: draft.title, n: draft.steps.length });
    } catch (error) {
      status.textContent = t('author.notLesson', { reason: error.message });
    }
  });
  return [
    act('Add this view as a step', () => {
      draft.steps.push(newStep(view.current()));
      save();
      render();
      status.textContent = t('author.added', { n: draft.steps.length, state: draft.steps.at(-1).state });
    }),
    act('Preview', () => {
      const lesson = valid();
      if (lesson) view.setLesson(JSON.stringify(lesson));
    }),
    act('Copy link', async () => {
      const lesson = valid();
      if (!lesson) return;
      link.value = new URL(`#lesson=${await encodeLesson(lesson)}`, site).href;
      link.hidden = false;
      link.select();
      try {
        await navigator.clipboard.writeText(link.value);
        status.textContent = t('author.copied');
      } catch {
        status.textContent = t('author.copyBelow');
      }
    }),
    act('Download JSON', async () => {
      const lesson = valid();
      if (lesson) await view.saveBlob(`${lesson.id}.json`, new Blob([`${JSON.stringify(lesson, null, 2)}\n`], { type: 'application/json' }));
    }),
    act('Open a JSON lesson…', () => file.click()),
    file,
    act('Close', () => view.closeAuthoring()),
  ];
}
