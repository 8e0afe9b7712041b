// The curves section, as the view sees it: drawn when open, its code
// (curves.js, charts.js) loaded the first time it opens, so that the first
// paint does not wait for it.

import { PARAMS } from './state.js';

export const loadCurves = () => import('./curves.js');

/** The d_k values of the slider's usual range: the curves' grid. */
export const DIMS = [];
for (let d = PARAMS.dk.min; d <= PARAMS.dk.usual; d += PARAMS.dk.step) DIMS.push(d);

/**
 * Returns `{ update(shown), destroy() }`. `view` gives `ui`, `state`,
 * `engine`, `explorer`, `runEngine`, `runs`, `set`, `changed` and
 * `showControls`.
 */
export function bindCurves({ ui, state, engine, explorer, runEngine, runs, set, changed, showControls, words }) {
  let curves = null;
  let sketch = null; // a lesson's sketch, handed over once the section has loaded
  let loading = null;
  let destroyed = false;
  function load() {
    loading = loadCurves().then(({ createCurves }) => {
      if (destroyed) return;
      curves = createCurves(ui.curves, {
        state,
        words,
        engine,
        explorer,
        dims: DIMS,
        labels: () => runs.shown.labels,
        tokens: () => runs.shown.tokens.map((t) => t.key),
        sweep: (message, onUpdate) => runEngine.sweep(message, onUpdate),
        setDk(value) {
          set('dk', value);
          showControls();
        },
      });
      curves.setSketch(sketch);
      changed();
    }, () => {
      // Offline before the module arrived: say so, and try again next time.
      loading = null;
      ui.sweepProgress.textContent = words.t('curves.offline');
    }).catch((error) => {
      // A bug, not the network: say what failed (and log it for developers).
      ui.sweepProgress.textContent = words.t('curves.failed', { reason: error.message });
      console.error(error);
    });
  }
  return {
    update(shown) {
      if (!ui.curves.open) return;
      if (curves) curves.update(shown);
      else if (!loading) load();
    },
    /** Opens the section with a sketch on its std chart (see curves.js), or takes the sketch away (null). */
    setSketch(next) {
      sketch = next;
      if (next) ui.curves.open = true;
      curves?.setSketch(next);
      changed();
    },
    destroy() {
      destroyed = true;
      curves?.destroy();
    },
  };
}
