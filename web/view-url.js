// The page's address (with `sync-url`) and the preset links, which keep the
// rest of the view and swap in their text.

import { writeState } from './state.js';
import { PRESETS } from './tokens.js';

// How long the URL may lag behind the view. Chromium refuses (and logs)
// more than ~200 history updates per 10 s, which a slider drag at 60 Hz would
// exceed; one write per interval keeps the URL current without that.
const URL_WRITE_INTERVAL_MS = 150;

/**
 * Fills the presets and returns `{ soon(), now(), stop() }`: a write of
 * `state` within URL_WRITE_INTERVAL_MS, one at once, and no more writes.
 */
export function bindUrl({ ui, state, syncUrl }) {
  ui.presets.append(
    ...PRESETS.map((preset) => {
      const a = Object.assign(document.createElement('a'), { textContent: preset.name, lang: preset.lang });
      a.dataset.text = preset.text;
      a.href = `?text=${encodeURIComponent(preset.text)}`;
      return a;
    }),
  );
  let timer = 0;
  function now() {
    timer = 0;
    if (syncUrl) {
      const search = writeState(location.search, state);
      // The fragment stays: a lesson keeps its step there.
      if (search !== location.search) history.replaceState(history.state, '', `${search}${location.hash}`);
    }
    for (const a of ui.presets.querySelectorAll('a')) a.href = writeState(location.search, { ...state, text: a.dataset.text });
  }
  return {
    now,
    soon() {
      if (!timer) timer = setTimeout(now, URL_WRITE_INTERVAL_MS);
    },
    stop() {
      clearTimeout(timer);
    },
  };
}
