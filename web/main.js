// The page around the explorer. The explorer itself (with its guided
// explanation) is the <attention-explorer sync-url guide> element in
// index.html; this module adds the page-level behaviour: ?embed=1, a compact
// mode without page chrome (and without the guide unless &guide=1) for
// iframes, which tells its parent how tall it is so the host can size the frame.
import './attention-explorer.js';
import { LANGUAGES, loadLanguage, translateTree } from './i18n.js';
import { writeState } from './state.js';

const explorer = document.querySelector('attention-explorer');
// ?engine=main: every run on the page's own thread, as the element's
// engine="main" does (the bench compares the two paths).
// ?workers=n: split big runs over at most n workers, as workers="n" does.
const query = new URLSearchParams(location.search);
if (query.get('engine') === 'main') explorer.setAttribute('engine', 'main');
if (query.has('workers')) explorer.setAttribute('workers', query.get('workers'));
const embed = new URLSearchParams(location.search).get('embed') === '1';
if (embed) {
  document.documentElement.classList.add('embed');
  // The guided explanation is page chrome unless the embed asks for it (&guide=1).
  if (query.get('guide') !== '1') explorer.removeAttribute('guide');
  // The way out of a frame: this view on the full page (with its explanation).
  const full = Object.assign(document.createElement('a'), { className: 'open-full', target: '_blank', rel: 'noopener', textContent: 'Open the full page ↗' });
  const fullHref = () => {
    const state = explorer.state;
    const params = new URLSearchParams(state ? writeState(location.search, state) : location.search);
    params.delete('embed');
    full.href = `${location.pathname}?${params}`;
  };
  explorer.after(full);
  explorer.addEventListener('change', fullHref);
  fullHref();
  if (window.parent !== window) {
    let last = 0;
    // The content's own height: the document's scrollHeight is at least the
    // frame's, so a frame sized to it could grow but never shrink again.
    const post = () => {
      const height = Math.ceil(document.body.getBoundingClientRect().height);
      if (height === last) return;
      last = height;
      // Only a height crosses the frame, so any parent may read it.
      window.parent.postMessage({ type: 'attention-explorer:height', height }, '*');
    };
    new ResizeObserver(post).observe(document.body);
    post();
  }
}

// The page's own words (title, header, footer) follow the explorer's
// language: translated from a pristine English copy at each change.
const chrome = [...document.querySelectorAll('.chrome, .open-full')];
const english = { title: document.title, nodes: chrome.map((el) => el.cloneNode(true)) };
let wanted = 'en';
async function pageLanguage(lang) {
  if (!Object.hasOwn(LANGUAGES, lang) || lang === wanted) return;
  wanted = lang;
  // The explorer loaded this language before it said so; a failure leaves the page as it was.
  const words = await loadLanguage(lang).catch(() => null);
  if (!words || lang !== wanted) return; // a later change won
  chrome.forEach((el, i) => {
    const fresh = english.nodes[i].cloneNode(true);
    translateTree(fresh, words);
    el.replaceChildren(...fresh.childNodes);
  });
  document.title = words.markup(english.title);
  document.documentElement.lang = lang;
  document.documentElement.dir = LANGUAGES[lang].dir;
}
explorer.addEventListener('change', (event) => pageLanguage(event.detail.lang));
