// Axis tick labels and canvas sizing for the heatmaps. The canvases hold one
// pixel per cell and are scaled up by CSS; this module picks a CSS size that
// is a whole number of device pixels per cell, so every cell is the same
// square size and edges stay sharp at any devicePixelRatio.

/** Labels t0..t(T-1), thinned so at most `maxLabels` are shown. */
export function fillTicks(container, count, maxLabels = 16) {
  const every = Math.ceil(count / maxLabels);
  const ticks = [];
  for (let i = 0; i < count; i += 1) {
    const tick = document.createElement('span');
    tick.className = 'tick';
    if (i % every === 0) tick.textContent = `t${i}`;
    ticks.push(tick);
  }
  container.replaceChildren(...ticks);
}

/**
 * The CSS pixel size for a square heatmap of `cells` cells that fits in
 * `available` CSS pixels: cells * k / dpr for the largest whole k that fits,
 * but never under one device pixel per cell.
 */
export function snappedSize(available, cells, dpr) {
  const devicePerCell = Math.max(1, Math.floor((available * dpr) / cells));
  return (devicePerCell * cells) / dpr;
}
