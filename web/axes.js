// Axis tick labels and canvas sizing for the heatmaps. The canvases hold one
// pixel per cell and are scaled up by CSS; this module picks a CSS size that
// is a whole number of device pixels per cell, so every cell is the same
// square size and edges stay sharp at any devicePixelRatio.

/**
 * One label per cell, thinned so at most `maxLabels` show. Each label is its
 * own `<bdi>` element, so right-to-left words read correctly while
 * the axis keeps the tokens' logical order. Words (up to 4 cells per label)
 * and index labels (one per cell, up to T = 16) get a slot per cell, most of
 * them empty. Beyond that a slot spans the cells from one label to the
 * next, at round steps (t0, t4, t8 …), so the axis is a few elements rather
 * than T, and CSS centres each label on its first cell (`--cells`).
 */
export function fillTicks(container, labels, full = labels, { words = false, maxLabels = 16 } = {}) {
  let every = Math.ceil(labels.length / maxLabels);
  const grouped = every > (words ? 4 : 1);
  // Grouped: half as many labels (a slot is narrow), at round steps.
  if (grouped) every = 2 ** Math.ceil(Math.log2((2 * labels.length) / maxLabels));
  const ticks = [];
  for (let i = 0; i < labels.length; i += grouped ? every : 1) {
    const tick = document.createElement('span');
    tick.className = grouped ? 'tick group' : 'tick';
    if (grouped) {
      const cells = Math.min(every, labels.length - i);
      tick.style.flexGrow = String(cells);
      tick.style.setProperty('--cells', String(cells));
    }
    if (i % every === 0) {
      const word = document.createElement('bdi');
      word.textContent = labels[i];
      if (full[i] !== labels[i]) tick.title = full[i];
      tick.append(word);
    }
    ticks.push(tick);
  }
  container.replaceChildren(...ticks);
}

/** Labels t0..t(T-1) for random tokens. */
export const indexLabels = (count) => Array.from({ length: count }, (_, i) => `t${i}`);

/**
 * The CSS pixel size for a square heatmap of `cells` cells that fits in
 * `available` CSS pixels: cells * k / dpr for the largest whole k that fits.
 * When even one device pixel per cell does not fit (T in the hundreds on a
 * narrow screen) the heatmap takes the whole room and the browser scales
 * the canvas down; `dense` says so, and the view then smooths instead of
 * picking every n-th cell.
 */
export function snappedSize(available, cells, dpr) {
  if (cells > available * dpr) return { size: available, dense: true };
  const devicePerCell = Math.max(1, Math.floor((available * dpr) / cells));
  return { size: (devicePerCell * cells) / dpr, dense: false };
}
