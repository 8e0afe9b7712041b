// Small modules: no source file of the page or the crates over ~500 lines
// (ARCHITECTURE.md names the exceptions and says why).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('../../', import.meta.url).pathname;
const EXCEPTIONS = new Set(['crates/core/src/experiment/tests.rs']);

function files(dir, ext) {
  return readdirSync(join(root, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith(ext))
    .map((e) => join(e.parentPath ?? e.path, e.name).slice(root.length));
}

test('no file in web/ or the crates is over 500 lines, but the named exceptions', () => {
  const sources = [...files('web', '.js'), ...files('crates/core/src', '.rs'), ...files('crates/wasm/src', '.rs')];
  assert.ok(sources.length > 30, String(sources.length));
  const long = sources
    .filter((f) => !EXCEPTIONS.has(f))
    .map((f) => [f, readFileSync(join(root, f), 'utf8').split('\n').length])
    .filter(([, n]) => n > 500);
  assert.deepEqual(long, []);
  for (const f of EXCEPTIONS) assert.match(readFileSync(join(root, 'ARCHITECTURE.md'), 'utf8'), new RegExp(f.replace(/[.]/g, '\\.')));
});

test('the lexer finds function bodies and ignores braces in strings, templates, comments and regular expressions', async () => {
  const { functionBodies } = await import('./js-functions.mjs');
  const source = [
    'function a(x) {', // 1
    "  const s = '{{{' + `${x}{` + /[{]/.source; // {",
    '  if (x) { return { y: 1 }; }',
    '}',
    'class C {',
    '  m() {', // 6
    '    return [1].map((v) => {',
    '      return v;',
    '    });',
    '  }',
    '}',
  ].join('\n');
  assert.deepEqual(functionBodies(source), [
    { name: 'a', start: 1, lines: 4 },
    { name: 'arrow function', start: 7, lines: 3 },
    { name: 'm', start: 6, lines: 5 },
  ]);
});

test('no function in web/ is over 80 lines', async () => {
  const { functionBodies } = await import('./js-functions.mjs');
  const found = files('web', '.js').flatMap((f) => functionBodies(readFileSync(join(root, f), 'utf8')).map((b) => ({ file: f, ...b })));
  assert.ok(found.length > 150, String(found.length));
  assert.deepEqual(found.filter((b) => b.lines > 80), []);
});
