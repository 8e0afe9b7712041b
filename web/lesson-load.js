// Finds the lesson a page or an element asks for: a built-in lesson by name
// (`lesson=notebook-03`), a JSON file from the page's own site
// (`lesson=lessons/my-lesson.json`), or the JSON itself (an element's
// attribute or its `<script type="application/json" slot="lesson">`). Every
// one goes through `parseLesson`; a failure is a LessonError whose message
// the view shows.

import { LIMITS, LessonError, parseLesson, tooLarge } from './lesson-format.js';
import { decodeLesson, readLimited } from './lesson-link.js';
import { siteUrl } from './site.js';

/** The lessons that ship with the explorer, in web/lessons/. */
export const BUILT_IN = Object.freeze(['notebook-03']);

/** A response's text, refused over the lesson limit: at once by its declared size, else as it streams in. */
async function limitedText(response, words, url) {
  const declared = Number(response.headers.get('content-length'));
  // A byte count: UTF-8 text has at most 4 bytes per character.
  if (declared > LIMITS.chars * 4) throw tooLarge(declared, words);
  const body = response.body ? await readLimited(response.body, { fatal: false, words }) : '';
  if (!response.ok) throw new LessonError(words.t('lesson.notFound', { url, status: response.status }));
  return body;
}

/**
 * The lesson `spec` names, relative to `page` (the page's URL) for files;
 * the language of `words` picks a built-in lesson's translation when there
 * is one, and is the errors' language.
 */
export async function loadLesson(spec, { page, words }) {
  const { t, lang } = words;
  if (spec?.encoded) return parseLesson(await decodeLesson(spec.encoded, words), words);
  const source = String(spec).trim();
  if (source.startsWith('{')) return parseLesson(source, words);
  if (/^[a-z0-9-]+$/.test(source)) {
    if (!BUILT_IN.includes(source)) throw new LessonError(t('lesson.unknown', { name: source.slice(0, 40), names: BUILT_IN.join(', ') }));
    // A built-in lesson in the interface's language (English is the one without a suffix).
    const url = new URL(siteUrl(`lessons/${source}${lang === 'en' ? '' : `.${lang}`}.json`));
    return parseLesson(await limitedText(await fetch(url), words, url.href), words);
  }
  let url;
  try {
    url = new URL(source, page);
  } catch {
    throw new LessonError(t('lesson.unknown', { name: source.slice(0, 40), names: BUILT_IN.join(', ') }));
  }
  const origin = new URL(page).origin;
  if (url.origin !== origin) throw new LessonError(t('lesson.otherOrigin', { origin, url: url.href.slice(0, 80) }));
  // Only a .json file: never any other address of the site, fetched with the visitor's cookies.
  if (!url.pathname.endsWith('.json')) throw new LessonError(t('lesson.notJson', { url: url.pathname.slice(0, 80) }));
  return parseLesson(await limitedText(await fetch(url, { credentials: 'same-origin' }), words, url.href), words);
}
