// Shrinks built files in place: `node xtask/minify.mjs <file.js|file.css>...`.
//
// Called by `cargo xtask dist` / `serve` / `test` / `bench` after the site is
// assembled, when terser is installed (`npm ci`), with the site's scripts and
// stylesheets (site.rs lists them). Every ES module stays its own file (no
// bundling): terser only renames local names and drops comments and spaces.
// Each gets a source map with its original text, so the browser's developer
// tools show web/ as written; the page itself never requests the maps.
// Stylesheets lose their comments and indentation, nothing else.
//
// The readable sources are web/ and the wasm-bindgen glue; this is about
// 17 KB of the page's gzipped payload.

import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { minify } from 'terser';

const paths = process.argv.slice(2);
if (paths.length === 0) {
  console.error('usage: node xtask/minify.mjs <file.js|file.css>...');
  process.exit(2);
}

/**
 * A stylesheet without comments, indentation or blank lines. Quoted strings
 * are copied as they are, so a `/*` inside one survives.
 */
function shrinkCss(css) {
  let out = '';
  for (let i = 0; i < css.length; ) {
    const c = css[i];
    if (c === '"' || c === "'") {
      let end = i + 1;
      while (end < css.length && css[end] !== c) end += css[end] === '\\' ? 2 : 1;
      out += css.slice(i, end + 1);
      i = end + 1;
    } else if (c === '/' && css[i + 1] === '*') {
      const end = css.indexOf('*/', i + 2);
      i = end < 0 ? css.length : end + 2;
    } else {
      out += c;
      i += 1;
    }
  }
  return out
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .join('\n') + '\n';
}

let before = 0;
let after = 0;
for (const path of paths) {
  const text = readFileSync(path, 'utf8');
  let shrunk;
  if (path.endsWith('.js')) {
    // nomodule.js is a classic script for browsers without modules.
    const module = basename(path) !== 'nomodule.js';
    const result = await minify(
      { [basename(path)]: text },
      {
        module,
        ecma: 2020,
        compress: { passes: 2 },
        format: { comments: false },
        sourceMap: { url: `${basename(path)}.map`, includeSources: true },
      },
    );
    shrunk = result.code;
    writeFileSync(`${path}.map`, result.map);
  } else {
    shrunk = shrinkCss(text);
  }
  writeFileSync(path, shrunk);
  before += text.length;
  after += shrunk.length;
}
console.log(`  minified scripts and styles: ${before} B -> ${after} B`);
