// Building DOM from nodes and text only: for every part made from text that
// is not ours (a lesson's, a student's), which must never be parsed as markup.

/** An element with properties and children (strings become text nodes). */
export function h(tag, props = {}, ...children) {
  const el = Object.assign(document.createElement(tag), props);
  el.append(...children.filter((c) => c !== null && c !== undefined));
  return el;
}

/** A button of `className` saying `text`. */
export const button = (className, text, type = 'button') => h('button', { type, className, textContent: text });
