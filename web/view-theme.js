// Light or dark: the theme asked for (`theme`, an attribute or URL
// parameter), else the host page's color-scheme when it names one only (a
// course site with its own dark-mode toggle), else the reader's system
// setting. Set as the view's `data-theme`; explorer.css does the rest.

const DARK = '(prefers-color-scheme: dark)';

/** The theme to show for `asked` (auto, light, dark) inside `host`. */
export function resolveTheme(asked, host) {
  if (asked !== 'auto') return asked;
  const words = getComputedStyle(host).colorScheme.split(/\s+/);
  const [light, dark] = ['light', 'dark'].map((w) => words.includes(w));
  if (dark !== light) return dark ? 'dark' : 'light';
  return window.matchMedia(DARK).matches ? 'dark' : 'light';
}

/**
 * Keeps `view.ui.app`'s theme current: on a change of the state's `theme`
 * (checked by `apply()`), of the reader's setting, or of the host page's root and body
 * attributes (where sites switch their scheme). Calls `view.changed()` when
 * it flips, so canvases painted in theme colours are painted again.
 * Returns `{ apply(), stop() }`.
 */
export function bindTheme({ root, ui, state, changed }) {
  let asked = null;
  // Reads the host's computed style: only on a change, never on every slider step.
  const resolve = () => {
    asked = state.theme;
    const theme = resolveTheme(asked, root.host);
    if (ui.app.dataset.theme === theme) return;
    ui.app.dataset.theme = theme;
    changed();
  };
  const media = window.matchMedia(DARK);
  media.addEventListener('change', resolve);
  const watch = new MutationObserver(resolve);
  for (const node of [document.documentElement, document.body]) {
    if (node) watch.observe(node, { attributes: true });
  }
  return {
    /** Resolves the theme again if the state asks for another one. */
    apply() {
      if (state.theme !== asked) resolve();
    },
    stop() {
      media.removeEventListener('change', resolve);
      watch.disconnect();
    },
  };
}
