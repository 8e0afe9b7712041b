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
