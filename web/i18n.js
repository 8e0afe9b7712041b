// The interface's languages: one table of strings per language
// (web/i18n/<lang>.js), and the numbers formatted for that language.

import en from './i18n/en.js';

const TABLES = { en };

/** A translator for `lang` (English for a language without a table): `t(key, values)`, `number(x, digits)`. */
export function translator(lang = 'en') {
  const base = String(lang).toLowerCase().split('-')[0];
  const table = TABLES[base] ?? en;
  const locale = TABLES[base] ? lang : 'en';
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
  const percent = (x) => new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 }).format(x);
  return { lang: locale, t, number, percent };
}
