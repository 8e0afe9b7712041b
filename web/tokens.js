// Turning a visitor's text into tokens: words found by the browser's
// Intl.Segmenter (which splits Chinese, Japanese and Thai without a
// dictionary of ours), word-like segments only. The engine turns each
// token's normalised text into a fixed random vector; here we only find the
// tokens, their labels, and what had to be dropped.

import { english } from './i18n.js';

/** The most tokens the heatmaps show. */
const MAX_TOKENS = 64;
/** Longer tokens are shortened in axis labels (never in tooltips). */
const MAX_LABEL = 24;

/** Presets: at least one right-to-left, one CJK, one Indic, one with repeated words. */
export const PRESETS = Object.freeze([
  { name: 'English', lang: 'en', text: 'the cat sat on the mat because the mat was warm' },
  { name: 'Español', lang: 'es', text: 'el perro mira al gato y el gato mira al perro' },
  { name: 'العربية', lang: 'ar', text: 'القطة تجلس على السجادة والكلب ينظر إلى القطة' },
  { name: '中文', lang: 'zh', text: '注意力机制让模型关注句子中最相关的词语' },
  { name: '日本語', lang: 'ja', text: '猫は窓のそばで静かに眠っています' },
  { name: 'हिन्दी', lang: 'hi', text: 'ध्यान तंत्र वाक्य के सबसे ज़रूरी शब्दों पर ध्यान देता है' },
  { name: 'ไทย', lang: 'th', text: 'แมวนอนอยู่บนเสื่อในบ้าน' },
]);

const WORD_FALLBACK = /[\p{L}\p{N}\p{M}]+(?:['’][\p{L}\p{N}\p{M}]+)*/gu;

/** Splits `text` into word tokens. Returns `{ tokens, notices, segmenter }`, the notices in the language of `words`. */
export function tokenize(text, words = english()) {
  const notices = [];
  let found;
  const segmenter = typeof Intl === 'object' && typeof Intl.Segmenter === 'function';
  if (segmenter) {
    found = Array.from(new Intl.Segmenter(undefined, { granularity: 'word' }).segment(text))
      .filter((s) => s.isWordLike)
      .map((s) => s.segment);
  } else {
    found = text.match(WORD_FALLBACK) ?? [];
    notices.push(words.t('text.noSegmenter'));
  }
  if (found.length > MAX_TOKENS) {
    notices.push(words.t('text.tooMany', { n: words.number(found.length), max: MAX_TOKENS, word: found[MAX_TOKENS] }));
    found = found.slice(0, MAX_TOKENS);
  }
  const tokens = found.map((word) => ({ text: word, key: word.normalize('NFC').toLowerCase() }));
  return { tokens, notices, segmenter };
}

/**
 * The tokens of a visitor's text, and what to say about them: its words
 * (the first 64), none for fewer than two (a heatmap needs two, and the
 * explorer then draws T random tokens).
 */
export function readText(source, words = english()) {
  const { tokens, notices } = source !== '' ? tokenize(source, words) : { tokens: [], notices: [] };
  if (source !== '' && tokens.length < 2) notices.push(words.t(tokens.length === 0 ? 'text.noWords' : 'text.oneWord'));
  return { source, tokens: tokens.length >= 2 ? tokens : [], notices };
}

/** An axis label: at most MAX_LABEL characters, with an ellipsis when cut. */
export function label(token) {
  const chars = Array.from(token);
  return chars.length > MAX_LABEL ? `${chars.slice(0, MAX_LABEL - 1).join('')}…` : token;
}
