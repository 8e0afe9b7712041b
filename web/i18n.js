// The interface's languages: one table of strings per language
// (web/i18n/<lang>.js: `default`, the strings the code asks for by key, and
// `markup`, the fixed markup's text by its English wording), and numbers
// formatted for the language. English is built in; the others load when
// asked for.

import en from './i18n/en.js';

/** The languages, and how each is written. */
export const LANGUAGES = Object.freeze({
  en: { name: 'English', dir: 'ltr', load: async () => ({ default: en, markup: {} }) },
  es: { name: 'Español', dir: 'ltr', load: () => import('./i18n/es.js') },
  zh: { name: '中文（简体）', dir: 'ltr', locale: 'zh-Hans', load: () => import('./i18n/zh.js') },
  ar: { name: 'العربية', dir: 'rtl', load: () => import('./i18n/ar.js') },
});

/** A translator from loaded tables: `t(key, values)`, `plural`, `markup(english)`, `number(x, digits)`, `fixed`, `precise`, `short`, `percent(x)`. */
function translator(lang, table, markupTable) {
  const locale = LANGUAGES[lang].locale ?? lang;
  const t = (key, values = {}) => {
    const template = table[key] ?? en[key];
    if (template === undefined) throw new Error(`no string "${key}"`);
    return template.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole));
  };
  const formats = new Map();
  /** `x` with `digits` significant digits (whole numbers as they are), in the language's digits and separators. */
  const number = (x, digits = 3) => {
    if (Number.isNaN(x)) return 'NaN';
    const key = Number.isInteger(x) ? 0 : digits;
    if (!formats.has(key)) {
      formats.set(key, new Intl.NumberFormat(locale, key ? { maximumSignificantDigits: key } : { maximumFractionDigits: 0 }));
    }
    return formats.get(key).format(x);
  };
  const decimals = new Map();
  /** `x` with exactly `digits` decimals (no grouping), or a dash when it is not finite. */
  const fixed = (x, digits) => {
    if (!Number.isFinite(x)) return '—';
    if (!decimals.has(digits)) {
      decimals.set(digits, new Intl.NumberFormat(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits, useGrouping: false }));
    }
    return decimals.get(digits).format(x === 0 ? 0 : x); // −0 as 0, as toFixed writes it
  };
  /** A JS number's text ("1.5e-7", "0.25") in the language's digits and decimal mark, its digits kept. */
  const local = (text) => {
    const [mantissa, exponent] = text.split('e');
    const digits = fixed(Number(mantissa), (mantissa.split('.')[1] ?? '').length);
    return exponent === undefined ? digits : `${digits}e${exponent}`;
  };
  const other = (x) => (Number.isNaN(x) ? 'NaN' : x > 0 ? '∞' : '−∞');
  /** `x` to `digits` significant digits, as toPrecision writes it (trailing zeros kept). */
  const precise = (x, digits) => (Number.isFinite(x) ? local(x.toPrecision(digits)) : other(x));
  /** `x` to at most `digits` significant digits, as JS writes that number (no trailing zeros). */
  const short = (x, digits) => (Number.isFinite(x) ? local(String(Number(x.toPrecision(digits)))) : other(x));
  const percent = (x) => new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 }).format(x);
  const rules = new Intl.PluralRules(locale);
  /** `key.<plural form>` for count `n` (Intl.PluralRules: one, two, few, many, other), else `key.other`. */
  const plural = (key, n, values = {}) => {
    const form = `${key}.${rules.select(n)}`;
    return t(form in table || form in en ? form : `${key}.other`, { n, ...values });
  };
  // Maths in right-to-left text: isolated, so it keeps its own order (U+2066 … U+2069).
  const math = LANGUAGES[lang].dir === 'rtl' ? (text) => `\u2066${text}\u2069` : (text) => text;
  return { lang, dir: LANGUAGES[lang].dir, t, plural, math, markup: (english) => markupTable[english] ?? english, number, fixed, precise, short, percent };
}

/**
 * A number as a person types it, in any of the languages: full-width and
 * Arabic-Indic digits, the Arabic decimal and thousands marks, a decimal
 * comma, and thousands separated by commas ("65,504") where the language
 * writes them so (in Spanish "2,500" is two and a half). NaN if it is none.
 */
export function readNumber(raw, lang = 'en') {
  let s = String(raw).normalize('NFKC').trim()
    .replace(/[\u0660-\u0669]/g, (d) => String(d.charCodeAt(0) - 0x660))
    .replace(/[\u06F0-\u06F9]/g, (d) => String(d.charCodeAt(0) - 0x6f0))
    .replace(/\u066B/g, '.')
    .replace(/[\u066C\u00A0\u202F ]/g, '')
    .replace(/^\u2212/, '-');
  if (lang !== 'es' && /^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$/.test(s)) s = s.replaceAll(',', '');
  else if (!s.includes('.')) s = s.replace(',', '.');
  return /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(s) ? Number(s) : Number.NaN;
}

let ENGLISH = null;
/** English, at once (no loading). */
export const english = () => {
  ENGLISH ??= translator('en', en, {});
  return ENGLISH;
};

/** The translator for `lang` (one of LANGUAGES), its tables loaded. */
export async function loadLanguage(lang) {
  if (!Object.hasOwn(LANGUAGES, lang) || lang === 'en') return english();
  const module = await LANGUAGES[lang].load();
  return translator(lang, module.default, module.markup);
}

// Text inside these is code or maths, never translated.
const SKIP = new Set(['CODE', 'PRE', 'MATH', 'SCRIPT', 'STYLE']);
const ATTRIBUTES = ['aria-label', 'placeholder', 'title', 'label'];

/**
 * Puts the fixed markup under `root` into the translator's language: each
 * text node and labelling attribute whose English wording is in the table
 * (templates' content too). Text only: nothing is parsed as markup.
 */
export function translateTree(root, words) {
  if (words.lang === 'en') return;
  const walk = (node) => {
    for (const child of node.childNodes) {
      if (child.nodeType === Node.TEXT_NODE) {
        const [, before, text, after] = child.data.match(/^(\s*)([\s\S]*?)(\s*)$/);
        const english = text.replace(/\s+/g, ' ');
        if (english && words.markup(english) !== english) child.data = `${before}${words.markup(english)}${after}`;
      } else if (child.nodeType === Node.ELEMENT_NODE && !SKIP.has(child.tagName.toUpperCase())) {
        for (const name of ATTRIBUTES) {
          const value = child.getAttribute(name);
          if (value) child.setAttribute(name, words.markup(value));
        }
        walk(child.tagName === 'TEMPLATE' ? child.content : child);
      }
    }
  };
  walk(root);
}
