// "Share and export": the link, the embed code and the NumPy snippet (to the
// clipboard, or shown to copy by hand), and the PNG, CSV and JSON downloads.
// Every export first brings the run up to date (`view.current()`), so it
// never pairs the state with older matrices.

import { PARAMS, writeState } from './state.js';
import { colourLegend, panelWords, viewLines } from './explain.js';
import { siteUrl } from './site.js';

/** The export module; a failed load (offline) is marked as such, unlike a bug. */
export const loadExport = () =>
  import('./export.js').catch((error) => {
    throw Object.assign(new Error(`the export tools could not be loaded (${error.message})`), { offline: true });
  });

// The site's address is where these modules live; a host with no address
// for them (the Jupyter widget) has no link, embed code or lesson link to give.
const SITE = ((here) => here && new URL(here))(siteUrl('./'));

/**
 * The NumPy snippet that recomputes the view (what "Copy NumPy snippet"
 * copies) and the state it is of: the current state, its run finished.
 */
export async function numpySnippetOf({ current, runs, explorer }) {
  const state = current();
  const { numpySnippet } = await loadExport();
  return { state, text: numpySnippet(state, runs.shown.tokens.map((t) => t.key), explorer.scaleFactor) };
}

/** The embed code of `state`: an iframe, and the element with its attributes. */
function embedCode(state) {
  const frame = new URL(`${writeState('', state)}&embed=1`, SITE).href.replaceAll('&', '&amp;');
  const attributes = Object.keys(PARAMS)
    .filter((name) => ['dk', 't', 'seed'].includes(name) || String(state[name]) !== String(PARAMS[name].fallback))
    .map((name) => ` ${name}="${String(state[name]).replaceAll('&', '&amp;').replaceAll('"', '&quot;')}"`)
    .join('');
  return [
    '<!-- As an iframe (works in any LMS page): -->',
    `<iframe src="${frame}" title="Attention-scaling explorer" width="100%" height="800" loading="lazy"></iframe>`,
    '',
    '<!-- Or as an element, on a page that may load scripts from this site: -->',
    `<script type="module" src="${new URL('attention-explorer.js', SITE).href}"></script>`,
    `<attention-explorer${attributes}></attention-explorer>`,
  ].join('\n');
}

/** "Make a lesson": the authoring panel (lesson-author.js, loaded on first use) under the share buttons. */
function bindAuthoring({ ui, current, update, setLesson, reported, words }) {
  let panel = null;
  const close = () => {
    panel?.close();
    panel = null;
    ui.makeLesson.setAttribute('aria-expanded', 'false');
    ui.makeLesson.focus();
  };
  ui.makeLesson.addEventListener('click', reported(async () => {
    if (panel) return close();
    const { openAuthoring } = await import('./lesson-author.js');
    let storage = null;
    try {
      storage = globalThis.localStorage ?? null;
    } catch {
      // A sandboxed frame: the draft lives for this visit only.
    }
    const saveBlob = async (name, blob) => (await loadExport()).saveBlob(name, blob);
    panel = openAuthoring(ui.makeLesson.closest('.share'), { current, update, setLesson, saveBlob, closeAuthoring: close }, { storage, words, site: SITE });
    ui.makeLesson.setAttribute('aria-expanded', 'true');
  }));
}

/** The PNG buttons: each heatmap as a picture with its title, settings, labels and colour bar. */
function bindPngs({ ui, panels, explorer, runs, current, reported, words, stem }) {
  const { t } = words;
  panels.forEach((panel, i) => {
    ui.png[i].addEventListener('click', reported(async () => {
      const { heatmapPng, saveBlob } = await loadExport();
      await runs.whenDone();
      const state = current();
      const report = explorer.report(i);
      const std = report.std;
      report.free();
      const blob = await heatmapPng({
        title: panelWords(state, words)[i].title,
        subtitle: viewLines(state, runs.shown.tokens.map((token) => token.text), words.fixed(std, 4), words),
        axes: [t('png.keys'), t('png.queries')],
        dir: words.dir,
        labels: runs.shown.labels,
        cells: panel.cells,
        hatch: panel.hatch.hidden ? null : panel.hatch,
        colorbar: ui.colorbar,
        legend: colourLegend(state.shade, state.cmap, state.t, words),
        dark: ui.app.dataset.theme === 'dark',
        masked: ['--masked-a', '--masked-b'].map((name) => getComputedStyle(ui.app).getPropertyValue(name).trim()),
      });
      saveBlob(`${stem(state)}-${panel.which}.png`, blob);
    }));
  });
}

/**
 * Wires the buttons. `view` gives `ui`, `panels`, `explorer`, `runs`, `state`,
 * `current()` (the state with the inputs of its run, finished and shown) and `result()`.
 */
export function bindShare({ ui, panels, explorer, runs, state, current, result, update, setLesson, words }) {
  const { t } = words;
  // Links carry the state as asked (with a text, the T it had before).
  const snippets = {
    link: () => new URL(writeState('', state), SITE).href,
    embed: () => embedCode(state),
    numpy: async () => (await numpySnippetOf({ current, runs, explorer })).text,
  };
  async function share(kind, done) {
    const text = await snippets[kind]();
    ui.shareText.value = text;
    try {
      await navigator.clipboard.writeText(text);
      ui.shareText.hidden = true;
      ui.shareStatus.textContent = done;
    } catch {
      // No clipboard (permissions, an old browser): show the text to copy by hand.
      ui.shareText.hidden = false;
      ui.shareText.select();
      ui.shareStatus.textContent = t('share.copyBelow');
    }
  }
  // A click's work, with any failure said in the status line rather than
  // lost as an unhandled rejection.
  const reported = (task) => () =>
    task().catch((error) => {
      ui.shareStatus.textContent = error.offline ? t('share.offline') : t('share.failed', { reason: error.message });
      if (!error.offline) console.error(error);
    });
  ui.copyNumpy.addEventListener('click', reported(() => share('numpy', t('share.numpy'))));
  if (SITE) {
    ui.copyLink.addEventListener('click', reported(() => share('link', t('share.link'))));
    ui.copyEmbed.addEventListener('click', reported(() => share('embed', t('share.embed'))));
    bindAuthoring({ ui, current, update, setLesson, reported, words });
  } else {
    for (const button of [ui.copyLink, ui.copyEmbed, ui.makeLesson]) button.hidden = true;
  }

  // Downloads, named after the view.
  const stem = (s) => `attention-dk${s.dk}-t${s.t}-seed${s.seed}`;
  bindPngs({ ui, panels, explorer, runs, current, reported, words, stem });
  ui.exportCsv.addEventListener('click', reported(async () => {
    const { matricesCsv, saveBlob } = await loadExport();
    await runs.whenDone();
    const matrices = result();
    const name = `${stem(matrices)}-matrices.csv`;
    const blob = await matricesCsv(matrices, (share) => {
      ui.shareStatus.textContent = t('share.preparing', { name, share: Math.floor(100 * share) });
    });
    ui.shareStatus.textContent = '';
    saveBlob(name, blob);
  }));
  ui.exportJson.addEventListener('click', reported(async () => {
    const { stateJson, saveBlob } = await loadExport();
    await runs.whenDone();
    const matrices = result();
    saveBlob(`${stem(matrices)}-state.json`, new Blob([stateJson(current(), matrices)], { type: 'application/json' }));
  }));
}
