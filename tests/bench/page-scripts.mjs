// Scripts the benchmarks put into their pages (page.addInitScript), so that
// the timing code that runs inside a page is written once.

/** Defines `window.paintDk(element, dk)`: sets d_k and resolves with the ms until the result of that d_k is painted. */
export function definePaintDk() {
  window.paintDk = (element, dk) =>
    new Promise((resolve) => {
      const start = performance.now();
      const painted = (e) => {
        if (e.detail.dk !== dk) return;
        element.removeEventListener('change', painted);
        resolve(performance.now() - start);
      };
      element.addEventListener('change', painted);
      element.dk = dk;
    });
}
