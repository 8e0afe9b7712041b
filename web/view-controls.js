// The controls: putting the state into them, and their changes into the
// state. Every typed value goes through `clampParam`, like the URL's; a
// rejected one stays in its field for the visitor to fix, with a notice.

import { ISOLATE, PARAMS, clampParam, isLarge, keptNotice } from './state.js';
import { $$ } from './view-elements.js';

/** The radio groups, by state name. */
const RADIOS = ['qk', 'x', 'score', 'softmax', 'xscale'];

// The temperature slider is logarithmic: position 0..1000 maps to τ in
// [min, max], with τ = 1 in the middle; its step of 10 makes an arrow key
// move τ by about 6 % (400^(1/100)).
const TAU = PARAMS.tau;
const tauFromPosition = (u) => Number((TAU.min * (TAU.max / TAU.min) ** (u / 1000)).toPrecision(3));
const positionFromTau = (tau) => Math.round((1000 * Math.log(tau / TAU.min)) / Math.log(TAU.max / TAU.min));

/**
 * The d_k values of the log-scale slider up to `max`: quarter octaves from 4
 * (4 · 2^(k/4)) rounded to the step of 4, each once, and `max` itself.
 */
export function dkSteps(max) {
  const { min, step } = PARAMS.dk;
  const values = new Set();
  for (let k = 0; min * 2 ** (k / 4) <= max; k += 1) values.add(Math.max(min, Math.round((min * 2 ** (k / 4)) / step) * step));
  values.add(max);
  return [...values].filter((v) => v <= max).sort((a, b) => a - b);
}

/** The index of the step nearest `dk` on a log scale. */
const nearestStep = (steps, dk) =>
  steps.reduce((best, v, i) => (Math.abs(Math.log(v / dk)) < Math.abs(Math.log(steps[best] / dk)) ? i : best), 0);

/** The d_k slider's range and position for `state` (linear: d_k itself; log: an index into dkSteps). */
function showDk(ui, state) {
  const max = ui.large.checked ? PARAMS.dk.max : PARAMS.dk.usual;
  const log = state.dkscale === 'log';
  ui.dkLog.checked = log;
  if (log) {
    const steps = dkSteps(max);
    Object.assign(ui.dk, { min: '0', max: String(steps.length - 1), step: '1' });
    ui.dk.value = String(nearestStep(steps, state.dk));
  } else {
    Object.assign(ui.dk, { min: String(PARAMS.dk.min), max: String(max), step: String(PARAMS.dk.step) });
    ui.dk.value = String(state.dk);
  }
  ui.dk.setAttribute('aria-valuetext', `d_k ${state.dk}`);
  ui.dkMin.textContent = String(PARAMS.dk.min);
  ui.dkMax.textContent = String(max);
}

/** The d_k a slider position means. */
function dkAt(ui, state) {
  if (state.dkscale !== 'log') return clampParam('dk', ui.dk.value).value;
  return dkSteps(ui.large.checked ? PARAMS.dk.max : PARAMS.dk.usual)[Number(ui.dk.value)];
}

/** τ beside its slider, and as the slider's spoken value (not its 0–1000 position). */
function showTau(ui, tau) {
  ui.tauValue.textContent = `τ = ${tau}`;
  ui.tau.setAttribute('aria-valuetext', `τ = ${tau}`);
}

/** Replaces the notices; user text arrives between ISOLATE marks and each piece becomes a <bdi>. */
export function showNotice(ui, messages) {
  const nodes = messages.join(' ').split(new RegExp(`[${ISOLATE.join('')}]`)).map((part, i) =>
    i % 2 ? Object.assign(document.createElement('bdi'), { textContent: part }) : document.createTextNode(part),
  );
  ui.notice.replaceChildren(...nodes);
  ui.notice.hidden = messages.length === 0;
}

/** Adds one message (no user text in it) to the notices shown. */
export function addNotice(ui, message) {
  ui.notice.append(ui.notice.hidden ? message : ` ${message}`);
  ui.notice.hidden = false;
}

/**
 * Puts `state` into the controls (on start, and after a value is fixed).
 * The d_k slider and the T field span the usual range, or with "Large
 * sizes" (or a state beyond the usual range) everything the engine takes.
 */
export function showControls(root, ui, state, t = state.t) {
  if (isLarge(state)) ui.large.checked = true;
  ui.tokens.min = String(PARAMS.t.min);
  ui.tokens.max = String(ui.large.checked ? PARAMS.t.max : PARAMS.t.usual);
  showDk(ui, state);
  ui.tokens.value = String(t);
  ui.seed.value = String(state.seed);
  for (const name of RADIOS) {
    for (const radio of $$(`input[name="${name}"]`, root)) radio.checked = radio.value === state[name];
  }
  const custom = !PARAMS.scale.choices.includes(state.scale);
  ui.scaleRule.value = custom ? 'custom' : state.scale;
  if (custom) ui.scaleCustom.value = state.scale;
  ui.scaleCustom.parentElement.hidden = !custom;
  ui.ssmaxS.value = String(state.ssmax_s);
  for (const part of $$('.ssmax-s', root)) part.hidden = state.scale !== 'ssmax';
  ui.tau.value = String(positionFromTau(state.tau));
  showTau(ui, state.tau);
  ui.precision.value = state.precision;
  ui.cmap.value = state.cmap;
  ui.shade.value = state.shade;
  ui.trials.value = String(state.trials);
  ui.largeType.checked = state.type === 'large';
  ui.lang.value = state.lang;
  ui.dist.value = state.dist;
  ui.sigma.value = String(state.sigma);
  ui.mu.value = String(state.mu);
  ui.ln.checked = state.ln === '1';
  ui.rho.value = String(state.rho);
  // ρ leans K towards Q: there is no K of its own when Q = K.
  ui.rho.disabled = state.qk !== 'independent';
  ui.qknorm.value = state.qknorm;
  ui.gain.value = String(state.g);
  ui.cap.value = String(state.cap);
  ui.mask.value = state.mask;
  ui.fill.value = state.fill;
  ui.pad.value = String(state.pad);
  // The padding and the fill mean nothing without a mask.
  ui.pad.disabled = state.mask === 'none';
  ui.fill.disabled = state.mask === 'none';
  if (ui.text.value !== state.text) ui.text.value = state.text;
}

/**
 * Wires the controls. `view` gives `root`, `ui`, `state`, `set(name, value)`,
 * `changed()` (schedule a paint), `t()` (the T shown), `randomSeed()`,
 * `setTextNotice(messages)`, `caseTry()` (the change the case text suggests)
 * and `reset()` (the state the view opened with).
 */
export function bindControls(view) {
  const { root, ui, state, set } = view;
  const refresh = () => showControls(root, ui, state, view.t());
  ui.dk.addEventListener('input', () => {
    set('dk', dkAt(ui, state));
    ui.dk.setAttribute('aria-valuetext', `d_k ${state.dk}`);
  });
  // One slider step at a time, for fingers (a step of 4 is ~4 px on a phone).
  for (const [button, direction] of [[ui.dkDown, -1], [ui.dkUp, 1]]) {
    button.addEventListener('click', () => {
      ui.dk.value = String(Math.min(Number(ui.dk.max), Math.max(Number(ui.dk.min), Number(ui.dk.value) + direction * Number(ui.dk.step))));
      set('dk', dkAt(ui, state));
      showDk(ui, state);
    });
  }
  ui.dkLog.addEventListener('change', () => {
    set('dkscale', ui.dkLog.checked ? 'log' : 'linear');
    showDk(ui, state);
  });
  bindModes(view, refresh);
  for (const [input, name] of [[ui.seed, 'seed'], [ui.tokens, 't']]) bindTyped(view, input, name, refresh);
  ui.text.addEventListener('input', () => {
    const { value, notice } = clampParam('text', ui.text.value, view.words);
    if (notice) ui.text.value = value;
    view.setTextNotice(notice ? [notice] : []);
    set('text', value);
  });
  ui.large.addEventListener('change', () => {
    if (!ui.large.checked && isLarge(state)) {
      state.dk = Math.min(state.dk, PARAMS.dk.usual);
      state.t = Math.min(state.t, PARAMS.t.usual);
      showNotice(ui, [view.words.t('notice.usualSizes', { dk: state.dk, t: view.t() })]);
    }
    refresh();
    view.changed();
  });
  // The case text's suggestion, and its way back (the label flips with the case).
  ui.caseTry.addEventListener('click', () => {
    const change = view.caseTry();
    if (!change) return;
    Object.assign(state, change);
    refresh();
    view.changed();
  });
  ui.newSample.addEventListener('click', () => {
    ui.seed.setAttribute('aria-invalid', 'false');
    showNotice(ui, []);
    set('seed', view.randomSeed());
    ui.seed.value = String(state.seed);
  });
  ui.curves.addEventListener('toggle', view.changed);
  ui.reset.addEventListener('click', () => {
    view.reset();
    ui.large.checked = isLarge(state);
    showNotice(ui, []);
    for (const input of [ui.seed, ui.tokens, ui.scaleCustom, ui.trials, ui.sigma, ui.mu, ui.rho, ui.gain, ui.cap, ui.pad, ui.ssmaxS]) input.setAttribute('aria-invalid', 'false');
    refresh();
    view.changed();
  });
}

/** The Modes panel: the radios, menus and typed fields of the modes and inputs, the scale rule and τ. */
function bindModes(view, refresh) {
  const { root, ui, set } = view;
  ui.tau.addEventListener('input', () => {
    const tau = tauFromPosition(Number(ui.tau.value));
    showTau(ui, tau);
    set('tau', tau);
  });
  for (const name of RADIOS) {
    for (const radio of $$(`input[name="${name}"]`, root)) {
      radio.addEventListener('change', () => {
        if (!radio.checked) return;
        set(name, radio.value);
        refresh(); // ρ's field follows the Q/K source
      });
    }
  }
  for (const name of ['precision', 'cmap', 'shade', 'dist', 'qknorm', 'fill']) ui[name].addEventListener('change', () => set(name, ui[name].value));
  ui.mask.addEventListener('change', () => {
    set('mask', ui.mask.value);
    refresh(); // the padding's field follows the mask
  });
  ui.ln.addEventListener('change', () => set('ln', ui.ln.checked ? '1' : '0'));
  for (const [input, name] of [[ui.scaleCustom, 'scale'], [ui.trials, 'trials'], [ui.sigma, 'sigma'], [ui.mu, 'mu'], [ui.rho, 'rho'], [ui.gain, 'g'], [ui.cap, 'cap'], [ui.pad, 'pad'], [ui.ssmaxS, 'ssmax_s']]) {
    bindTyped(view, input, name, refresh);
  }
  ui.scaleRule.addEventListener('change', () => {
    const custom = ui.scaleRule.value === 'custom';
    ui.scaleCustom.parentElement.hidden = !custom;
    for (const part of $$('.ssmax-s', root)) part.hidden = ui.scaleRule.value !== 'ssmax';
    if (!custom) return set('scale', ui.scaleRule.value);
    const { value, rejected } = clampParam('scale', ui.scaleCustom.value, view.words);
    if (!rejected) set('scale', value);
    ui.scaleCustom.focus();
  });
}

// A typed field: a number is clamped (and the field shows what is used);
// anything else is reported and kept in the field for the user to fix,
// while the view stays on the last good value.
function bindTyped({ ui, state, set, words }, input, name, refresh) {
  input.addEventListener('change', () => {
    const { value, notice, rejected } = clampParam(name, input.value, words);
    input.setAttribute('aria-invalid', String(rejected));
    showNotice(ui, notice ? [rejected ? keptNotice(notice, state[name], words) : notice] : []);
    if (rejected) return;
    set(name, value);
    refresh();
  });
}
