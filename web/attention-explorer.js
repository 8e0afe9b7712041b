// <attention-explorer>: the whole explorer as one custom element, for any
// page. Include this one module and write the tag:
//
//   <script type="module" src="…/attention-explorer.js"></script>
//   <attention-explorer dk="64" seed="7" qk="independent" hide="seed,temperature"></attention-explorer>
//
// Attributes are the URL parameters (dk, t, seed, qk, score, scale, tau,
// softmax, precision, trials, xscale, row, text, hide) and go through the same
// validation as the URL; so do the same-named properties. `state` and
// `result` (matrices as row-major Float32Arrays, and the statistics) are
// read-only; a `change` event carries the state after every paint. The
// attribute `sync-url` makes an element read and write the page's address.
//
// wasm-bindgen cannot subclass HTMLElement, so the element is plain
// JavaScript around the engine. Every asset is resolved by site.js, from
// the folder's own URL, so the folder can live at any path; the engine is loaded once per
// page and shared; each element has its own shadow root, state and engine
// handle, freed when the element leaves the page.

import { MARKUP } from './view-markup.js';
import { fixedNodes } from './markup.js';
import { LANGUAGES, english, loadLanguage, translateTree } from './i18n.js';
import { PARAMS, clampParam, keptNotice, readState } from './state.js';
import { mountView, showFailure } from './view.js';
import { siteUrl, wasmUrl } from './site.js';

/** The `workers` attribute as a count from 1 to 8, or undefined (the default) for anything else. */
const workersOf = (value) => {
  const n = Number.parseInt(value ?? '', 10);
  return n >= 1 ? Math.min(n, 8) : undefined;
};

const NAMES = Object.keys(PARAMS);
const views = new WeakMap();
let engine = null;
// The one element that reads and writes the page's address: the first with
// `sync-url` to connect. Two writing it would undo each other's changes.
let urlOwner = null;

/** The WebAssembly engine, loaded once for every element of the page. */
function loadEngine() {
  engine ??= (async () => {
    if (typeof WebAssembly !== 'object') throw new Error('this browser does not support WebAssembly');
    const module = await import('./pkg/attention_wasm.js');
    await module.default({ module_or_path: wasmUrl() });
    return module;
  })();
  return engine;
}

/** A visible message made without markup strings, for when markup cannot be used. */
function failureNotice(message) {
  return Object.assign(document.createElement('p'), { role: 'alert', textContent: message, className: 'status failed' });
}

export class AttentionExplorer extends HTMLElement {
  static observedAttributes = [...NAMES, 'lesson', 'guide'];

  constructor() {
    super();
    this._pending = {};
    this._ready = new Promise((resolve) => {
      this._resolve = resolve;
    });
  }

  /**
   * Properties a page set before this class was defined are own properties
   * that hide the accessors: take them through the setters. Done on
   * connection, after the upgrade has replayed the attributes, since the
   * page set those properties later than the markup's attributes.
   */
  _upgradeProperties() {
    for (const name of NAMES) {
      if (Object.prototype.hasOwnProperty.call(this, name)) {
        const value = this[name];
        delete this[name];
        this[name] = value;
      }
    }
  }

  /** Resolves to the element once it has painted (or shown why it cannot). */
  get ready() {
    return this._ready;
  }

  /** A copy of the current state, or null before the engine has loaded. */
  get state() {
    const view = views.get(this);
    return view ? { ...view.state } : null;
  }

  /** The last run's matrices and statistics (fresh copies), or null. */
  get result() {
    return views.get(this)?.result() ?? null;
  }

  /**
   * `{ state, text }`: the NumPy snippet that recomputes the view (what
   * "Copy NumPy snippet" copies) and the state it is of, once the run in
   * progress is done; null before the engine has loaded.
   */
  async numpySnippet() {
    const view = views.get(this);
    return view ? view.numpySnippet() : null;
  }

  /** Paints now rather than on the next animation frame. */
  renderNow() {
    views.get(this)?.renderNow();
  }

  connectedCallback() {
    this._upgradeProperties();
    if (views.has(this)) return;
    const root = this.shadowRoot ?? this.attachShadow({ mode: 'open' });
    const style = Object.assign(document.createElement('link'), {
      rel: 'stylesheet',
      href: siteUrl('explorer.css'),
    });
    let markup;
    try {
      markup = fixedNodes(MARKUP);
    } catch (error) {
      // A host's Trusted Types rules refused our policy: say so, visibly.
      root.replaceChildren(style, failureNotice(english().t('failure.policy', { reason: error.message })));
      this._resolve(this);
      return;
    }
    root.replaceChildren(style, markup);

    const wantsUrl = this.hasAttribute('sync-url');
    if (wantsUrl && (urlOwner === null || !urlOwner.isConnected)) urlOwner = this;
    const syncUrl = wantsUrl && urlOwner === this;

    this._syncUrl = syncUrl;
    loadEngine()
      .then(async (module) => {
        if (!this.isConnected || views.has(this)) return;
        // Read when the view mounts, so that attributes and properties set
        // while the engine loaded (the usual host page: append, then set)
        // all count.
        let words = await loadLanguage(this._initialLang(syncUrl));
        // A language asked for while that one loaded: the first notices are written in it.
        while (words.lang !== this._initialLang(syncUrl)) words = await loadLanguage(this._initialLang(syncUrl));
        this._words = words;
        if (!this.isConnected || views.has(this)) return;
        const { state, notices, noticed } = this._initialState(syncUrl, words);
        if (wantsUrl && !syncUrl) notices.push(words.t('notice.otherSyncs'));
        const view = await this._mount(root, module, { state, notices, noticed }, this._lessonSpec(syncUrl), words);
        // At large sizes the first run takes several frames; `ready` waits for its paint.
        return view?.whenDone();
      })
      .catch((error) => showFailure(root, error, this._words))
      .finally(() => {
        // A User Timing mark, so a host page (and the bench) can read when
        // the first paint happened, not when it got round to asking.
        performance.mark('attention-explorer:ready', { detail: { id: this.id || null } });
        this._resolve(this);
      });
  }

  /**
   * The first state: the address (with `sync-url`), then attributes and
   * properties where the address says nothing, each validated like the URL.
   * What has been applied is no longer pending.
   */
  _initialState(syncUrl, words) {
    const url = new URLSearchParams(syncUrl ? location.search : '');
    const { state, notices, noticed } = readState(syncUrl ? location.search : '', words);
    for (const [name, raw] of Object.entries(this._outside())) {
      if (url.has(name)) continue;
      const { value, notice, rejected } = clampParam(name, raw, words);
      if (notice) notices.push(rejected ? keptNotice(notice, value, words, true) : notice);
      if (notice) noticed.add(name);
      state[name] = value;
    }
    this._pending = {};
    return { state, notices, noticed };
  }

  /** The values given by attributes and properties (the later wins). */
  _outside() {
    return { ...Object.fromEntries(NAMES.filter((n) => this.hasAttribute(n)).map((n) => [n, this.getAttribute(n)])), ...this._pending };
  }

  /** The first state's language, so that its notices are written in it. */
  _initialLang(syncUrl) {
    const url = new URLSearchParams(syncUrl ? location.search : '');
    return clampParam('lang', url.has('lang') ? url.get('lang') : this._outside().lang).value;
  }

  /**
   * Mounts a view of `first.state` in its language, the markup translated
   * first; `words` are used when they are that language's.
   */
  async _mount(root, module, { state, notices, noticed, resetTo }, lesson, given = null) {
    const words = given?.lang === state.lang ? given : await loadLanguage(state.lang);
    if (!this.isConnected || views.has(this)) return null;
    this._words = words;
    const app = root.querySelector('.app');
    translateTree(root, words);
    app.lang = words.lang;
    app.dir = LANGUAGES[words.lang].dir;
    const view = mountView(root, module, {
      initial: state,
      resetTo,
      notices,
      noticed,
      syncUrl: this._syncUrl,
      onChange: (s) => this.dispatchEvent(new CustomEvent('change', { detail: { ...s } })),
      onLanguage: (lang) => this._relanguage(lang, { focus: true }),
      // The reader left the lesson: a host that opened it (the notebook widget) hears so.
      onLessonLeft: () => this.dispatchEvent(new CustomEvent('lessonleave')),
      // engine="main": every run on the page's thread, none in a worker;
      // workers="n": split big runs over at most n workers (default: the cores but one).
      useWorker: this.getAttribute('engine') !== 'main',
      workers: workersOf(this.getAttribute('workers')),
      lesson,
      // guide: the guided explanation, part of the element (so an embed can have it too).
      guide: this.hasAttribute('guide'),
      words,
    });
    views.set(this, view);
    // Values set while the language loaded were kept aside: apply them now
    // (a new language mounts again).
    const { lang, ...rest } = this._pending;
    this._pending = {};
    if (Object.keys(rest).length) view.update(rest);
    if (lang !== undefined) this._relanguage(lang);
    return view;
  }

  /**
   * A new language: the view is mounted again in it, from fresh markup, with
   * the same state (a value that is no language is a notice, as for any parameter).
   */
  _relanguage(raw, { focus = false } = {}) {
    const view = views.get(this);
    if (!view) {
      // Still mounting: taken up once the view is there.
      this._pending.lang = raw;
      return;
    }
    const { value, rejected } = clampParam('lang', raw, this._words);
    if (rejected || value === view.state.lang) {
      view.update({ lang: raw });
      return;
    }
    // The new language's table first: if it cannot load (offline), the view stays as it is and says so.
    const ticket = (this._languageTicket = (this._languageTicket ?? 0) + 1);
    Promise.all([loadEngine(), loadLanguage(value)])
      .then(([module, words]) => {
        if (ticket !== this._languageTicket || views.get(this) !== view) return null;
        const state = { ...view.state, lang: value };
        // Reset still goes back to the view as it opened, in the new language.
        const resetTo = { ...view.initial(), lang: value };
        const lesson = view.lessonSpec();
        view.destroy();
        views.delete(this);
        const root = this.shadowRoot;
        root.replaceChildren(root.firstChild, fixedNodes(MARKUP));
        return this._mount(root, module, { state, notices: [], noticed: new Set(), resetTo }, lesson, words);
      }, () => {
        if (views.get(this) !== view) return null;
        view.update({}); // the menu back on the language shown
        view.notify(this._words.t('notice.languageFailed', { name: LANGUAGES[value].name }));
        return null;
      })
      .then((mounted) => {
        // Chosen with the picker: the focus stays on it, in the new markup.
        if (mounted && focus) this.shadowRoot.querySelector('#lang')?.focus();
        return mounted?.whenDone();
      })
      .catch((error) => showFailure(this.shadowRoot, error, this._words));
  }

  /**
   * The lesson asked for: the address's `lesson` (with `sync-url`), else the
   * `lesson` attribute, else the JSON of a `<script type="application/json"
   * slot="lesson">` child (never run: the browser does not execute JSON).
   */
  _lessonSpec(syncUrl) {
    // A lesson carried in the fragment (#lesson=…, from "Make a lesson"), which no server sees.
    const encoded = syncUrl ? new URLSearchParams(location.hash.slice(1)).get('lesson') : null;
    if (encoded) return { encoded };
    const fromUrl = syncUrl ? new URLSearchParams(location.search).get('lesson') : null;
    const inline = this.querySelector(':scope > script[type="application/json"][slot="lesson"]');
    return fromUrl || this.getAttribute('lesson') || inline?.textContent || null;
  }

  disconnectedCallback() {
    // A move (removed and inserted in the same task) keeps the view and its
    // state; only an element still out of the page at the next microtask
    // is taken down.
    queueMicrotask(() => {
      if (this.isConnected) return;
      if (urlOwner === this) urlOwner = null;
      views.get(this)?.destroy();
      views.delete(this);
    });
  }

  attributeChangedCallback(name, old, value) {
    if (old === value) return;
    const view = views.get(this);
    if (name === 'lesson') {
      view?.setLesson(value);
      return;
    }
    if (name === 'guide') {
      view?.setGuide(value !== null);
      return;
    }
    if (name === 'lang' && view) {
      this._relanguage(value ?? 'en');
      return;
    }
    const raw = value ?? String(PARAMS[name].fallback);
    if (view) view.update({ [name]: raw });
    else this._pending[name] = raw;
  }
}

// One property per parameter, validated like the attribute of the same name.
for (const name of NAMES) {
  Object.defineProperty(AttentionExplorer.prototype, name, {
    get() {
      return views.get(this)?.state[name] ?? this._pending[name] ?? PARAMS[name].fallback;
    },
    set(value) {
      const view = views.get(this);
      if (view && name === 'lang') this._relanguage(value);
      else if (view) view.update({ [name]: value });
      else this._pending[name] = value;
    },
  });
}

// Guarded: a page may load this module twice (two copies of the folder).
if (!customElements.get('attention-explorer')) customElements.define('attention-explorer', AttentionExplorer);
