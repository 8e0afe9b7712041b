// A lesson inside the explorer: one step at a time, predict, then reveal,
// then the explanation. Each step sets the explorer's state; its reveal
// state (a change, such as a larger d_k) is applied only once the student
// has predicted or chosen to skip, and the result is read from the engine
// and shown beside the prediction. Progress stays in this browser (see
// lesson-progress.js); the step is also in the address's fragment for the
// page's own explorer. All lesson text is set as text, never as markup.

import { PARAMS } from './state.js';
import { isClose } from './lesson-format.js';
import { clearProgress, emptyProgress, readProgress, writeProgress } from './lesson-progress.js';
import { lessonCard, predictionFields, readPrediction } from './lesson-card.js';
import { loadLesson } from './lesson-load.js';
import { translator } from './i18n.js';

/** What every step starts from, besides its own state: the page's defaults for what the numbers depend on. */
const RESET = ['dk', 't', 'seed', 'qk', 'x', 'score', 'scale', 'tau', 'softmax', 'precision', 'text', 'row'];
const DEFAULTS = Object.fromEntries(RESET.map((name) => [name, PARAMS[name].fallback]));

/** The step in the address's fragment (1-based there), or null. */
function stepInHash(lesson) {
  const n = Number(new URLSearchParams(location.hash.slice(1)).get('step'));
  return Number.isInteger(n) && n >= 1 && n <= lesson.steps.length ? n - 1 : null;
}

function writeHash(step) {
  const params = new URLSearchParams(location.hash.slice(1));
  params.set('step', String(step + 1));
  history.replaceState(history.state, '', `${location.pathname}${location.search}#${params}`);
}

/** Local storage, or null where the browser refuses it (a sandboxed frame throws on access). */
function localStore() {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

/**
 * Loads the lesson `spec` names and shows it; resolves to its controller, or
 * null when `stale()` says it is no longer wanted. Throws a LessonError.
 */
export async function openLesson(host, spec, { syncUrl, stale }) {
  const words = translator('en');
  const lesson = await loadLesson(spec, { page: location.href, t: words.t });
  if (stale()) return null;
  return bindLesson(host, lesson, { words, storage: localStore(), syncUrl });
}

/** What to say about a prediction: right or wrong, close or not; null when there is nothing to judge. */
function verdictOf(step, answer, observed, words) {
const { t } = words;
  const p = step.predict;
  if (!p || answer.skipped || p.kind === 'text') return null;
  if (p.kind === 'choice') return p.answer === null ? null : answer.value === p.answer ? t('lesson.right') : t('lesson.wrong', { answer: p.choices[p.answer] });
  const truth = p.answer ?? observed?.value;
  if (truth === undefined || truth === null) return null;
  if (p.tolerance === 0) return answer.value === truth ? t('lesson.right') : t('lesson.wrong', { answer: words.number(truth) });
  return isClose(answer.value, truth, p.tolerance)
    ? t('lesson.close', { tolerance: words.percent(p.tolerance), answer: words.number(truth) })
    : t('lesson.far', { answer: words.number(truth) });
}

/**
 * Shows `lesson` in the explorer. `host`: `{ app, before, update(values),
 * statistics(), shown(), leave() }` (see View.setLesson); `words`: a
 * translator (i18n.js).
 * Returns `{ destroy() }`.
 */
function bindLesson(host, lesson, { words, storage, syncUrl }) {
  const card = lessonCard(lesson, words);
  const progress = readProgress(storage, lesson);
  if (syncUrl) progress.step = stepInHash(lesson) ?? progress.step;
  host.app.classList.add('lesson-on');
  host.before.before(card.root);

  const save = () => {
    writeProgress(storage, lesson, progress);
    if (syncUrl && progress.step < lesson.steps.length) writeHash(progress.step);
  };

  function apply(step, revealed) {
    host.update({ ...DEFAULTS, ...step.state, ...(revealed ? step.reveal : {}) });
  }

  function showStep(index, { focus }) {
    progress.step = index;
    save();
    if (index >= lesson.steps.length) {
      card.showDone();
      if (focus) card.done.focus();
      return;
    }
    const step = lesson.steps[index];
    const answer = progress.answers[index];
    apply(step, Boolean(answer?.revealed));
    card.showStep(index, step);
    predictionFields(card, step, answer, words);
    if (answer?.revealed) reveal(index, { focus: false });
    if (focus) card.heading.focus();
  }

  function reveal(index, { focus }) {
    const step = lesson.steps[index];
    apply(step, true);
    const observed = step.observe ? { ...step.observe, value: host.statistics()[step.observe.panel][step.observe.stat] } : null;
    card.showReveal(step, progress.answers[index], observed, host.shown(), verdictOf(step, progress.answers[index], observed, words), words);
    if (focus) card.result.focus();
  }

  function submit(skipped) {
    const index = progress.step;
    const step = lesson.steps[index];
    const read = skipped ? { value: null } : readPrediction(card, step, words);
    if (read.error) {
      card.showError(read.error);
      return;
    }
    progress.answers[index] = { value: read.value, skipped: skipped && Boolean(step.predict), revealed: true };
    save();
    card.lockPrediction();
    reveal(index, { focus: true });
  }

  card.onSubmit = () => submit(false);
  card.onSkip = () => submit(true);
  card.onBack = () => showStep(Math.max(0, progress.step - 1), { focus: true });
  card.onNext = () => showStep(progress.step + 1, { focus: true });
  card.onRestart = () => {
    clearProgress(storage, lesson);
    Object.assign(progress, emptyProgress(lesson));
    showStep(0, { focus: true });
  };
  card.onLeave = () => host.leave();
  showStep(progress.step, { focus: false });

  return {
    /** Takes the card away; `leaving` (the student's choice) also takes the lesson out of the address. */
    destroy({ leaving }) {
      card.root.remove();
      host.app.classList.remove('lesson-on');
      if (syncUrl && leaving) {
        const params = new URLSearchParams(location.search);
        params.delete('lesson');
        history.replaceState(history.state, '', `${location.pathname}${params.size ? `?${params}` : ''}`);
      }
    },
  };
}
