// Lecture mode: "Play" moves d_k along the slider's own steps (linear, or
// the log scale's quarter octaves) from 4 to 256 and back, again and again,
// at a chosen pace, as a teacher would drag it in front of a class; any
// move of the slider by hand, or Pause, stops it. "Large type" (`type=large`)
// scales the whole explorer up for a projector.

import { PARAMS } from './state.js';
import { dkSteps } from './view-controls.js';

/** Slider steps per second, by the speed's name. */
export const SPEEDS = Object.freeze({ slow: 3, normal: 8, fast: 24 });

/** The d_k values Play walks through, for the slider's scale. */
export function playPath(dkscale) {
  const { min, step, usual } = PARAMS.dk;
  if (dkscale === 'log') return dkSteps(usual);
  return Array.from({ length: (usual - min) / step + 1 }, (_, i) => min + i * step);
}

/**
 * The next position on a back-and-forth walk over `n` values: from `index`
 * going `direction` (±1), `steps` steps on, bouncing at both ends.
 */
export function walk(index, direction, steps, n) {
  let i = index;
  let d = direction;
  for (let k = 0; k < steps; k += 1) {
    if (i + d < 0 || i + d > n - 1) d = -d;
    i += d;
  }
  return { index: i, direction: d };
}

/** Wires Play, its speed and Large type. `view` gives `ui`, `state`, `set`, `showControls()`. Returns `{ stop() }`. */
export function bindPlay(view) {
  const { ui, state } = view;
  let frame = 0;
  let last = 0;
  let owed = 0; // fractions of a step carried between frames
  let walker = null;

  function show(playing) {
    ui.play.setAttribute('aria-pressed', String(playing));
    ui.play.textContent = view.words.markup(playing ? '❚❚ Pause' : '▶ Play');
  }

  function tick(now) {
    const path = playPath(state.dkscale);
    owed += ((now - last) / 1000) * SPEEDS[ui.playSpeed.value];
    last = now;
    const steps = Math.floor(owed);
    if (steps > 0) {
      owed -= steps;
      walker = walk(Math.min(walker.index, path.length - 1), walker.direction, steps, path.length);
      view.set('dk', path[walker.index]);
      view.showControls();
    }
    frame = requestAnimationFrame(tick);
  }

  function start() {
    const path = playPath(state.dkscale);
    // From the value nearest the current d_k, upwards unless already at the top.
    const index = path.reduce((best, v, i) => (Math.abs(v - state.dk) < Math.abs(path[best] - state.dk) ? i : best), 0);
    walker = { index, direction: index === path.length - 1 ? -1 : 1 };
    owed = 0;
    last = performance.now();
    frame = requestAnimationFrame(tick);
    show(true);
  }

  function stop() {
    cancelAnimationFrame(frame);
    frame = 0;
    show(false);
  }

  ui.play.addEventListener('click', () => (frame ? stop() : start()));
  // A hand on the slider takes over from Play.
  for (const el of [ui.dk, ui.dkDown, ui.dkUp]) el.addEventListener('pointerdown', () => frame && stop());
  // Only the keys that move the slider: Tab passes through without stopping Play.
  const MOVES = new Set(['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'PageUp', 'PageDown', 'Home', 'End']);
  ui.dk.addEventListener('keydown', (event) => frame && MOVES.has(event.key) && stop());
  ui.dkDown.addEventListener('click', () => frame && stop());
  ui.dkUp.addEventListener('click', () => frame && stop());
  ui.largeType.addEventListener('change', () => view.set('type', ui.largeType.checked ? 'large' : 'normal'));
  // Another language mounts the view again (the element's), with the same state.
  ui.lang.addEventListener('change', () => view.relanguage(ui.lang.value));
  return { stop };
}
