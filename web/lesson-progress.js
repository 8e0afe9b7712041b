// Where a student is in a lesson and what they predicted: kept in this
// browser only (local storage, one entry per lesson id), never sent
// anywhere. What is read back is checked against the lesson like any other
// outside value: storage can hold anything, from an older lesson of the same
// id to a hand-edited entry.

/**
 * The storage key: the lesson's id and a fingerprint of what its steps
 * show and ask (FNV-1a of their states, reveals, observations and the
 * shape of each prediction), so two lessons that share an id, or a lesson
 * whose steps changed since, never read each other's answers, while the
 * same lesson in another language (only its words differ) keeps them.
 */
export function progressKey(lesson) {
  const shape = lesson.steps.map(({ state, reveal, observe, predict }) => [
    state, reveal, observe,
    predict && { ...predict, choices: predict.choices?.length, unit: undefined },
  ]);
  let hash = 0x811c9dc5;
  for (const ch of JSON.stringify(shape)) hash = Math.imul(hash ^ ch.codePointAt(0), 0x01000193) >>> 0;
  return `attention-explorer.lesson.${lesson.id}.${hash.toString(36)}`;
}

/** A fresh record: at the first step, nothing predicted. */
export const emptyProgress = (lesson) => ({ step: 0, answers: lesson.steps.map(() => null) });

/** Whether `answer` (one step's record) fits `step`'s prediction. */
function fits(step, answer) {
  if (answer === null || typeof answer !== 'object') return false;
  if (typeof answer.revealed !== 'boolean' || typeof answer.skipped !== 'boolean') return false;
  if (answer.skipped) return answer.value === null;
  const kind = step.predict?.kind;
  if (!kind) return answer.value === null;
  if (kind === 'choice') return Number.isInteger(answer.value) && answer.value >= 0 && answer.value < step.predict.choices.length;
  if (kind === 'number') return typeof answer.value === 'number' && Number.isFinite(answer.value);
  if (kind === 'sketch') {
    return Array.isArray(answer.value) && answer.value.length <= 1024 && answer.value.every((v) => v === null || (typeof v === 'number' && Number.isFinite(v)));
  }
  return typeof answer.value === 'string' && answer.value.length <= 2000;
}

/** The record kept for `lesson`, or a fresh one when there is none or it does not fit. */
export function readProgress(storage, lesson) {
  let saved;
  try {
    saved = JSON.parse(storage?.getItem(progressKey(lesson)) ?? 'null');
  } catch {
    return emptyProgress(lesson);
  }
  if (!saved || !Array.isArray(saved.answers) || saved.answers.length !== lesson.steps.length) return emptyProgress(lesson);
  const answers = saved.answers.map((a, i) => (fits(lesson.steps[i], a) ? { value: a.value, skipped: a.skipped, revealed: a.revealed } : null));
  const step = Number.isInteger(saved.step) && saved.step >= 0 && saved.step <= lesson.steps.length ? saved.step : 0;
  return { step, answers };
}

/** Keeps the record; a browser that refuses storage (private mode, quota) only loses it on reload. */
export function writeProgress(storage, lesson, progress) {
  try {
    storage?.setItem(progressKey(lesson), JSON.stringify(progress));
  } catch {
    // Nothing to do: the lesson goes on in memory.
  }
}

/** Forgets the record, for "Start again". */
export function clearProgress(storage, lesson) {
  try {
    storage?.removeItem(progressKey(lesson));
  } catch {
    // As above.
  }
}
