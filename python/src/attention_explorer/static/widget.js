// The Jupyter widget's front end (anywidget). The explorer's files come from
// the kernel, not from a server: a notebook has none for a package's files,
// and the widget must work offline, in JupyterLab, Notebook 7, VS Code and
// Colab alike. The model carries them as `_site` (path → text, the same
// files as the web page, as gzipped JSON) and `_wasm` (the engine, gzipped). Each ES module becomes a
// blob: URL whose relative imports point at the others' blob: URLs; site.js,
// the one module that knows where the files are, is replaced by a table of
// those URLs. The element is then the page's own <attention-explorer>, and
// each of its parameters is a traitlet, synced both ways.
//
// The same module serves pages with no kernel (MyST's {anywidget}, in
// Jupyter Book 2): `cargo xtask wheel` also writes a copy of it with the
// files inside (EMBEDDED), and the model is then only the parameters the
// page gives.

const BASE = 'https://attention-explorer.invalid/';
const STATIC_IMPORT = /(\bfrom\s*|\bimport\s*)(["'])(\.{1,2}\/[^"']+)\2/g;
const DYNAMIC_IMPORT = /\bimport\s*\(\s*(["'])(\.{1,2}\/[^"']+)\1\s*\)/g;
const MAP_COMMENT = /\n\/\/# sourceMappingURL=\S+\s*$/;
const TYPES = { '.css': 'text/css', '.json': 'application/json', '.wasm': 'application/wasm' };

/** The site's files, in the copy of this module made for pages with no kernel (`{ id, files, wasm }`, wasm in base64). */
const EMBEDDED = null;

/** The site's files as modules, built once per page for each version of them (`_site_id`). */
const sites = new Map();

/** `specifier` written in the file at `from`, as a path of the site. */
const resolve = (from, specifier) => new URL(specifier, new URL(from, BASE)).pathname.slice(1);

const blobUrl = (text, type) => URL.createObjectURL(new Blob([text], { type }));

/**
 * site.js for blob: URLs. The assets' URLs are written into it, so that a
 * worker's own copy of the module knows them too; the modules' URLs, made
 * after it, are added to `URLS` on the page's copy.
 */
function siteModule(assets) {
  return `export const URLS = ${JSON.stringify(assets)};
const key = (path) => new URL(path, ${JSON.stringify(BASE)}).pathname.slice(1);
export const siteUrl = (path) => URLS[key(path)] ?? null;
export const wasmUrl = () => siteUrl('pkg/attention_wasm_bg.wasm');
export const moduleUrl = (path) => {
  const url = URLS[path];
  if (!url) throw new Error(\`the widget has no file \${path}\`);
  return url;
};
`;
}

/** The paths a module imports statically, resolved. */
const staticImports = (path, text) => [...text.matchAll(STATIC_IMPORT)].map((m) => resolve(path, m[3]));

/**
 * Blob URLs for every module, each made after the modules it imports (so a
 * static import can name its URL); a dynamic import asks site.js at the
 * time it runs, so it may point anywhere, even back.
 */
function buildModules(files, siteUrl) {
  const urls = { 'site.js': siteUrl };
  const visiting = new Set();
  const build = (path) => {
    if (urls[path]) return urls[path];
    const source = files[path];
    if (source === undefined) throw new Error(`the widget has no module ${path}`);
    if (visiting.has(path)) throw new Error(`a cycle of static imports through ${path}`);
    visiting.add(path);
    for (const dependency of staticImports(path, source)) build(dependency);
    let text = source.replace(MAP_COMMENT, '\n').replace(STATIC_IMPORT, (_, keyword, quote, specifier) => `${keyword}${quote}${build(resolve(path, specifier))}${quote}`);
    const lazy = text.replace(DYNAMIC_IMPORT, (_, quote, specifier) => `import(__moduleUrl(${JSON.stringify(resolve(path, specifier))}))`);
    if (lazy !== text) text = `import { moduleUrl as __moduleUrl } from ${JSON.stringify(siteUrl)};\n${lazy}`;
    visiting.delete(path);
    urls[path] = blobUrl(text, 'text/javascript');
    return urls[path];
  };
  for (const path of Object.keys(files)) if (path.endsWith('.js') && path !== 'site.js') build(path);
  return urls;
}

/** Gzipped bytes (a DataView, as a model gives them), inflated by the browser. */
const gunzip = (bytes) => new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip')));

/** The explorer's files: from the kernel (gzipped), or inside this module; `{ id, files(), wasm() }`, both async. */
function filesOf(model) {
  if (model.get('_site')) {
    return { id: model.get('_site_id'), files: async () => gunzip(model.get('_site')).json(), wasm: async () => gunzip(model.get('_wasm')).arrayBuffer() };
  }
  if (EMBEDDED) return { id: EMBEDDED.id, files: async () => EMBEDDED.files, wasm: async () => Uint8Array.from(atob(EMBEDDED.wasm), (c) => c.charCodeAt(0)) };
  throw new Error('no files of the explorer came with this widget (build it with cargo xtask wheel)');
}

/**
 * Loads the site's modules from `model`'s files (once per page for each
 * version); resolves to `{ names, readText }`: the parameters, and how the
 * page splits a text into words.
 */
function siteOf(model) {
  const source = filesOf(model);
  if (!sites.has(source.id)) {
    sites.set(source.id, (async () => {
      const files = await source.files();
      const assets = { 'pkg/attention_wasm_bg.wasm': blobUrl(await source.wasm(), TYPES['.wasm']) };
      for (const [path, text] of Object.entries(files)) {
        const suffix = path.slice(path.lastIndexOf('.'));
        if (suffix !== '.js') assets[path] = blobUrl(text, TYPES[suffix] ?? 'text/plain');
      }
      const siteUrl = blobUrl(siteModule(assets), 'text/javascript');
      const urls = buildModules(files, siteUrl);
      const site = await import(siteUrl);
      Object.assign(site.URLS, urls);
      const { PARAMS } = await import(urls['state.js']);
      const { readText } = await import(urls['tokens.js']);
      await import(urls['attention-explorer.js']);
      return { names: Object.keys(PARAMS), readText };
    })());
  }
  return sites.get(source.id);
}

/** Whether the kernel's value and the element's are the same (numbers as numbers, the rest as text). */
const same = (a, b) => (typeof a === 'number' || typeof b === 'number' ? Number(a) === Number(b) : String(a) === String(b));

const alert = (text) => Object.assign(document.createElement('p'), { role: 'alert', textContent: text });

/** The element's lesson and guide from `model` (a lesson may be a name, JSON text, or, in MyST's JSON, an object). */
function applyTeaching(element, model) {
  const lesson = model.get('lesson');
  if (lesson) element.setAttribute('lesson', typeof lesson === 'object' ? JSON.stringify(lesson) : String(lesson));
  else element.removeAttribute('lesson');
  element.toggleAttribute('guide', Boolean(model.get('guide')));
}

/**
 * The element with `model`'s parameters, validated by the element as its
 * attributes are (a value it had to change or refuse is a notice on it),
 * and its lesson and guide. Where no kernel is (a MyST page) the model holds
 * only the parameters the page gives, and can only be asked for a name, so
 * a name the explorer does not take goes unseen.
 */
function explorerOf(model, names) {
  const element = document.createElement('attention-explorer');
  for (const name of names) if (model.get(name) !== undefined) element[name] = model.get(name);
  applyTeaching(element, model);
  return element;
}

async function render({ model, el }) {
  let site;
  try {
    site = await siteOf(model);
  } catch (error) {
    el.replaceChildren(alert(`The explorer could not start: ${error.message}`));
    return undefined;
  }
  const { names } = site;
  const element = explorerOf(model, names);
  if (!model.get('_site')) {
    el.replaceChildren(element); // no kernel to sync with
    return undefined;
  }
  // The kernel computes `w.result()` itself, but for one thing only a
  // browser does as the page does: split own text into words (any script).
  const sendWords = () => {
    const text = model.get('text');
    if (model.get('_words')?.text === text) return;
    model.set('_words', { text, keys: site.readText(text).tokens.map((token) => token.key) });
    model.save_changes();
  };
  // The explorer's changes (a drag, a typed value, Reset, a lesson's step)
  // go to the kernel: its state, the values asked for. Not the event's
  // detail, which is the run shown: there T is own text's number of words,
  // and during a big drag d_k trails the slider.
  const toKernel = (event) => {
    if (!(event instanceof CustomEvent) || event.target !== element) return;
    const state = element.state ?? event.detail;
    const changed = names.filter((name) => !same(model.get(name), state[name]));
    for (const name of changed) model.set(name, state[name]);
    if (changed.length) model.save_changes();
  };
  // The kernel's changes (`w.dk = 128`) go to the explorer.
  const fromKernel = names.map((name) => {
    const listener = () => {
      if (!same(element[name], model.get(name))) element[name] = model.get(name);
    };
    model.on(`change:${name}`, listener);
    return [name, listener];
  });
  const teaching = () => applyTeaching(element, model);
  // The reader left the lesson: the kernel's `lesson` is "" again, so that setting it opens it anew.
  const lessonLeft = () => {
    model.set('lesson', '');
    model.save_changes();
  };
  element.addEventListener('change', toKernel);
  element.addEventListener('lessonleave', lessonLeft);
  model.on('change:text', sendWords);
  model.on('change:lesson', teaching);
  model.on('change:guide', teaching);
  sendWords();
  // The explorer's keys are the explorer's: JupyterLab's shortcuts (arrows
  // and letters in command mode) would otherwise take them, since from
  // outside the shadow root a key's target is the element itself, not a
  // field. Lumino looks for this attribute from the target up, so it must
  // be on the element (on `el` it comes too late: a notebook's selectors
  // match the element first).
  element.dataset.lmSuppressShortcuts = 'true';
  el.replaceChildren(element);
  return () => {
    element.removeEventListener('change', toKernel);
    element.removeEventListener('lessonleave', lessonLeft);
    for (const [name, listener] of fromKernel) model.off(`change:${name}`, listener);
    model.off('change:text', sendWords);
    model.off('change:lesson', teaching);
    model.off('change:guide', teaching);
  };
}

export default { render };
