// Axis tick labels and canvas sizing for the heatmaps. The canvases hold one
// pixel per cell and are scaled up by CSS; this module picks a CSS size that
// is a whole number of device pixels per cell, so every cell is the same
// square size and edges stay sharp at any devicePixelRatio.

/**
 * One label per cell, thinned so at most `maxLabels` show. Each label is its
 * own element with `dir="auto"`, so right-to-left words read correctly while
 * the axis keeps the tokens' logical order.
 */
export function fillTicks(container, labels, full = labels, maxLabels = 16) {
  const every = Math.ceil(labels.length / maxLabels);
  const ticks = labels.map((text, i) => {
    const tick = document.createElement('span');
    tick.className = 'tick';
    if (i % every === 0) {
      const word = document.createElement('bdi');
      word.textContent = text;
      if (full[i] !== text) tick.title = full[i];
      tick.append(word);
    }
    return tick;
  });
  container.replaceChildren(...ticks);
}

/** Labels t0..t(T-1) for random tokens. */
export const indexLabels = (count) => Array.from({ length: count }, (_, i) => `t${i}`);

/**
 * The CSS pixel size for a square heatmap of `cells` cells that fits in
 * `available` CSS pixels: cells * k / dpr for the largest whole k that fits,
 * but never under one device pixel per cell.
 */
export function snappedSize(available, cells, dpr) {
  const devicePerCell = Math.max(1, Math.floor((available * dpr) / cells));
  return (devicePerCell * cells) / dpr;
}
