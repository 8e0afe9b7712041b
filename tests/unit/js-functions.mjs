// A small lexer for the page's own JavaScript: enough to find every
// function body (declarations, methods, arrow functions with a block) and
// its length in lines. Strings, template literals, comments and regular
// expressions are skipped, so braces inside them do not count.

const KEYWORDS = new Set(['if', 'for', 'while', 'switch', 'catch', 'with', 'return', 'typeof', 'in', 'of']);
// After one of these (or at the start) a `/` begins a regular expression, not a division.
const BEFORE_REGEX = new Set(['(', ',', '=', ':', '[', '!', '&', '|', '?', '{', '}', ';', '+', '-', '*', '%', '<', '>', '~', '^']);

/** Every function body in `source`: `{ name, start, lines }` (start is 1-based). */
export function functionBodies(source) {
  const out = [];
  const stack = []; // open braces: { fn, line } or a template's `${`
  let line = 1;
  let last = ''; // the last significant character outside strings and comments
  let i = 0;
  const templates = []; // depth of open template literals, for `${ … }`
  const skipString = (quote) => {
    for (i += 1; i < source.length && source[i] !== quote; i += 1) {
      if (source[i] === '\\') i += 1;
      else if (source[i] === '\n') line += 1;
    }
  };
  const skipTemplate = () => {
    // Returns at the closing backtick, or just after `${` (a nested expression).
    for (i += 1; i < source.length; i += 1) {
      const c = source[i];
      if (c === '\\') i += 1;
      else if (c === '\n') line += 1;
      else if (c === '`') return false;
      else if (c === '$' && source[i + 1] === '{') {
        i += 1;
        return true;
      }
    }
    return false;
  };
  const skipRegex = () => {
    let inClass = false;
    for (i += 1; i < source.length; i += 1) {
      const c = source[i];
      if (c === '\\') i += 1;
      else if (c === '[') inClass = true;
      else if (c === ']') inClass = false;
      else if (c === '/' && !inClass) return;
    }
  };
  for (; i < source.length; i += 1) {
    const c = source[i];
    if (c === '\n') {
      line += 1;
      continue;
    }
    if (/\s/.test(c)) continue;
    if (c === '/' && source[i + 1] === '/') {
      while (i < source.length && source[i] !== '\n') i += 1;
      i -= 1;
      continue;
    }
    if (c === '/' && source[i + 1] === '*') {
      const end = source.indexOf('*/', i + 2);
      for (let j = i; j < end; j += 1) if (source[j] === '\n') line += 1;
      i = end + 1;
      continue;
    }
    if (c === '"' || c === "'") {
      skipString(c);
      last = 'x';
      continue;
    }
    if (c === '`') {
      if (skipTemplate()) {
        templates.push(stack.length);
        stack.push({ template: true });
      }
      last = 'x';
      continue;
    }
    if (c === '/' && (last === '' || BEFORE_REGEX.has(last) || /\b(return|typeof|of|in)$/.test(source.slice(Math.max(0, i - 8), i).trimEnd()))) {
      skipRegex();
      last = 'x';
      continue;
    }
    if (c === '{') {
      stack.push({ fn: functionName(source.slice(Math.max(0, i - 400), i)), line });
    } else if (c === '}') {
      const open = stack.pop();
      if (open?.template) {
        templates.pop();
        // Back inside the template literal: carry on to its end or next `${`.
        if (skipTemplate()) {
          templates.push(stack.length);
          stack.push({ template: true });
        }
        last = 'x';
        continue;
      }
      if (open?.fn) out.push({ name: open.fn, start: open.line, lines: line - open.line + 1 });
    }
    last = c;
  }
  return out;
}

/** The function a `{` opens, from the text before it, or null for a plain block or object. */
function functionName(before) {
  const text = before.trimEnd();
  if (text.endsWith('=>')) return 'arrow function';
  if (!text.endsWith(')')) return null;
  // The matching `(` of the parameter list.
  let depth = 0;
  let at = text.length - 1;
  for (; at >= 0; at -= 1) {
    if (text[at] === ')') depth += 1;
    else if (text[at] === '(' && (depth -= 1) === 0) break;
  }
  const head = text.slice(0, at).trimEnd();
  const name = /([A-Za-z_$#][\w$]*)$/.exec(head)?.[1];
  if (!name || KEYWORDS.has(name)) return null;
  return name;
}
