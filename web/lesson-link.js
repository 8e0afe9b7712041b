// A lesson carried in a link's fragment (`#lesson=…`), which browsers never
// send to a server: the lesson's JSON, deflated where the browser can
// (CompressionStream) and written in base64url. "z" marks deflated text,
// "j" plain. Decoding stops at the lesson size limit, so a small link cannot
// inflate into a huge lesson.

import { english } from './i18n.js';
import { LIMITS, LessonError, tooLarge } from './lesson-format.js';

const toBase64Url = (bytes) => {
  let text = '';
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
};

function fromBase64Url(text, { t }) {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new LessonError(t('link.badCharacters'));
  try {
    return Uint8Array.from(atob(text.replaceAll('-', '+').replaceAll('_', '/')), (c) => c.charCodeAt(0));
  } catch {
    throw new LessonError(t('link.cut'));
  }
}

/**
 * Reads a stream of bytes into text, refusing more than the lesson limit
 * (a link's unpacked lesson, a lesson file's body). `fatal`: malformed
 * UTF-8 is an error (a damaged link) rather than replaced (a file as text).
 * `words`: the language of the error.
 */
export async function readLimited(stream, { fatal = true, words = english() } = {}) {
  const decoder = new TextDecoder('utf-8', { fatal });
  const reader = stream.getReader();
  let text = '';
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.length;
    if (bytes > LIMITS.chars * 4) {
      await reader.cancel();
      throw tooLarge(bytes, words);
    }
    text += decoder.decode(value, { stream: true });
  }
  return text + decoder.decode();
}

/**
 * Unpacks deflated bytes into text, a kilobyte of input at a time: a
 * decompressor expands each input chunk whole before passing any of it on,
 * so small chunks keep a bomb from growing far past the limit before
 * `readLimited` stops reading.
 */
function inflate(bytes, words) {
  const stream = new DecompressionStream('deflate-raw');
  const writer = stream.writable.getWriter();
  const text = readLimited(stream.readable, { words });
  (async () => {
    for (let i = 0; i < bytes.length; i += 1024) {
      await writer.ready;
      await writer.write(bytes.subarray(i, i + 1024));
    }
    await writer.close();
  })().catch(() => {
    // The reader stopped (limit) or the data is damaged: `text` says which.
  });
  return text;
}

/** The fragment value for `lesson` (its JSON as a value). */
export async function encodeLesson(lesson) {
  const bytes = new TextEncoder().encode(JSON.stringify(lesson));
  if (typeof CompressionStream !== 'function') return `j${toBase64Url(bytes)}`;
  const stream = new Blob([bytes]).stream().pipeThrough(new CompressionStream('deflate-raw'));
  return `z${toBase64Url(new Uint8Array(await new Response(stream).arrayBuffer()))}`;
}

/**
 * The lesson JSON text a fragment value holds; throws a LessonError (in the
 * language of `words`) when it holds none.
 */
export async function decodeLesson(value, words = english()) {
  const text = String(value);
  if (text.length > LIMITS.chars * 2) throw tooLarge(text.length, words);
  const bytes = fromBase64Url(text.slice(1), words);
  try {
    if (text[0] === 'j') return await readLimited(new Blob([bytes]).stream(), { words });
    if (text[0] === 'z' && typeof DecompressionStream === 'function') return await inflate(bytes, words);
  } catch (error) {
    if (error instanceof LessonError) throw error;
    throw new LessonError(words.t('link.unpack'));
  }
  throw new LessonError(words.t(text[0] === 'z' ? 'link.noDecompression' : 'link.none'));
}
