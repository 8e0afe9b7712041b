// A lesson inside the explorer: one step at a time, predict, then reveal,
// then the explanation. Each step sets the explorer's state; its reveal
// state (a change, such as a larger d_k) is applied only once the student
// has predicted or chosen to skip, and the result is read from the engine
// and shown beside the prediction. Progress stays in this browser (see
// lesson-progress.js); the step is also in the address's fragment for the
// page's own explorer. All lesson text is set as text, never as markup.

import { PARAMS } from './state.js';
import { STEP_PARAMS, isClose } from './lesson-format.js';
import { clearProgress, emptyProgress, readProgress, writeProgress } from './lesson-progress.js';
import { knotText, lessonCard, predictionFields, readPrediction } from './lesson-card.js';
import { loadLesson } from './lesson-load.js';
import { atKnots, createSketch, fromKnots, isDrawn, sketchValues } from './sketch.js';
import { DIMS } from './view-curves.js';

/** What every step starts from, besides its own state: the page's defaults for what the numbers depend on. */
const DEFAULTS = Object.fromEntries(STEP_PARAMS.map((name) => [name, PARAMS[name].fallback]));

/**
 * The step in the address's fragment (1-based there; one past the last is
 * the end), or null; only for the lesson it was written for (`lid`).
 */
function stepInHash(lesson) {
  const params = new URLSearchParams(location.hash.slice(1));
  const n = Number(params.get('step'));
  if (params.get('lid') !== lesson.id) return null;
  return Number.isInteger(n) && n >= 1 && n <= lesson.steps.length + 1 ? n - 1 : null;
}

function writeHash(lesson, step) {
  const params = new URLSearchParams(location.hash.slice(1));
  params.set('lid', lesson.id);
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
export async function openLesson(host, spec, { syncUrl, words, stale }) {
  const lesson = await loadLesson(spec, { page: location.href, words });
  if (stale()) return null;
  return new LessonRun(host, lesson, { words, storage: localStore(), syncUrl });
}

/** What to say about a prediction: right or wrong, close or not; null when there is nothing to judge. */
function verdictOf(step, answer, observed, words) {
const { t } = words;
  const p = step.predict;
  // A sketch is judged by the eye, against the curve drawn over it.
  if (!p || answer.skipped || p.kind === 'text' || p.kind === 'sketch') return null;
  if (p.kind === 'choice') return p.answer === null ? null : answer.value === p.answer ? t('lesson.right') : t('lesson.wrong', { answer: p.choices[p.answer] });
  const truth = p.answer ?? observed?.value;
  if (truth === undefined || truth === null) return null;
  if (p.tolerance === 0) return answer.value === truth ? t('lesson.right') : t('lesson.wrong', { answer: words.number(truth) });
  return isClose(answer.value, truth, p.tolerance)
    ? t('lesson.close', { tolerance: words.percent(p.tolerance), answer: words.number(truth) })
    : t('lesson.far', { answer: words.number(truth) });
}

/**
 * `lesson` shown in the explorer. `host`: `{ app, before, update(values),
 * statistics(), shown(), sketch(sketch), chart(), leave() }` (see
 * View.setLesson); `words`: a translator (i18n.js).
 */
class LessonRun {
  sketch = null; // the sketch of the step shown, when it asks for one

  constructor(host, lesson, { words, storage, syncUrl }) {
    Object.assign(this, { host, lesson, words, storage, syncUrl });
    this.card = lessonCard(lesson, words);
    this.progress = readProgress(storage, lesson);
    if (syncUrl) this.progress.step = stepInHash(lesson) ?? this.progress.step;
    host.app.classList.add('lesson-on');
    host.before.before(this.card.root);
    this.bindCard();
    this.showStep(this.progress.step, { focus: false });
  }

  bindCard() {
    const { card, host, lesson } = this;
    card.onSubmit = () => this.submit(false);
    card.onSkip = () => this.submit(true);
    card.onBack = () => this.showStep(Math.max(0, this.progress.step - 1), { focus: true });
    card.onNext = () => this.showStep(this.progress.step + 1, { focus: true });
    card.onRestart = () => {
      clearProgress(this.storage, lesson);
      Object.assign(this.progress, emptyProgress(lesson));
      this.showStep(0, { focus: true });
    };
    card.onLeave = () => host.leave();
    card.onKnots = () => {
      fromKnots(this.sketch, card.readKnots());
      host.sketch(this.sketch);
    };
    card.onToChart = () => {
      const canvas = host.chart();
      canvas.scrollIntoView({ block: 'center' });
      canvas.focus({ preventScroll: true });
    };
  }

  save() {
    writeProgress(this.storage, this.lesson, this.progress);
    if (this.syncUrl) writeHash(this.lesson, this.progress.step);
  }

  apply(step, revealed) {
    // Play would move d_k away from the step's on the next frame.
    this.host.stopPlay();
    this.host.update({ ...DEFAULTS, ...step.state, ...(revealed ? step.reveal : {}) });
  }

  /** A sketch step's curve on the std chart, its fields kept in step with it; or none. */
  showSketch(step, answer) {
    const { card } = this;
    const sketch = step?.predict?.kind === 'sketch' ? createSketch(DIMS, step.predict.max, answer?.skipped ? null : answer?.value) : null;
    this.sketch = sketch;
    if (sketch) {
      sketch.revealed = Boolean(answer?.revealed);
      sketch.onChange = () => card.setKnots(atKnots(sketch));
      card.setKnots(atKnots(sketch));
      if (sketch.revealed) card.lockPrediction();
    }
    this.host.sketch(sketch);
  }

  showStep(index, { focus }) {
    const { card, lesson, progress } = this;
    progress.step = index;
    this.save();
    this.showSketch(null);
    if (index >= lesson.steps.length) {
      card.showDone();
      if (focus) card.done.focus();
      return;
    }
    const step = lesson.steps[index];
    const answer = progress.answers[index];
    this.apply(step, Boolean(answer?.revealed));
    card.showStep(index, step);
    predictionFields(card, step, answer, this.words);
    this.showSketch(step, answer);
    if (answer?.revealed) this.reveal(index, { focus: false });
    if (focus) card.heading.focus();
  }

  reveal(index, { focus }) {
    const { host, words } = this;
    const step = this.lesson.steps[index];
    const answer = this.progress.answers[index];
    this.apply(step, true);
    const observed = step.observe ? { ...step.observe, value: host.statistics()[step.observe.panel][step.observe.stat] } : null;
    this.card.showReveal(step, answer, observed, host.shown(), verdictOf(step, answer, observed, words), words);
    if (focus) this.card.result.focus();
  }

  /** Whether a knot's field was typed in since the sketch last filled it (Enter submits before its change event). */
  knotsTyped() {
    const shown = atKnots(this.sketch).map(knotText);
    return this.card.knots.some((input, i) => input.value.trim() !== shown[i]);
  }

  /** The prediction made (or skipped) as `{ value }`, or `{ error }`. */
  prediction(step, skipped) {
    const { sketch } = this;
    if (skipped) return { value: null };
    if (!sketch) return readPrediction(this.card, step, this.words);
    if (this.knotsTyped()) this.card.onKnots();
    return isDrawn(sketch) ? { value: sketchValues(sketch) } : { error: this.words.t('lesson.predictFirst') };
  }

  submit(skipped) {
    const index = this.progress.step;
    const step = this.lesson.steps[index];
    const read = this.prediction(step, skipped);
    if (read.error) {
      this.card.showError(read.error);
      return;
    }
    this.progress.answers[index] = { value: read.value, skipped: skipped && Boolean(step.predict), revealed: true };
    this.save();
    this.card.lockPrediction();
    if (this.sketch) {
      this.sketch.revealed = true;
      this.host.sketch(this.sketch);
    }
    this.reveal(index, { focus: true });
  }

  /** Takes the card away; `leaving` (the student's choice) also takes the lesson out of the address. */
  destroy({ leaving }) {
    this.host.sketch(null);
    // Chromium keeps radio groups by name past their removal (see View.destroy).
    for (const radio of this.card.root.querySelectorAll('input[type="radio"]')) radio.removeAttribute('name');
    this.card.root.remove();
    this.host.app.classList.remove('lesson-on');
    if (this.syncUrl && leaving) {
      const params = new URLSearchParams(location.search);
      params.delete('lesson');
      history.replaceState(history.state, '', `${location.pathname}${params.size ? `?${params}` : ''}`);
    }
  }
}
