// Scripts the benchmarks (and worker.spec.mjs) put into their pages
// (page.addInitScript), so that the code that runs inside a page is
// written once.

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

/**
 * Every Worker the page makes logs, in `window.timeline`, what it is sent and
 * what it sends back (progress messages and the sweep's aside), as
 * `[ms, '→w1 band']` and `[ms, 'w1→ finished']`.
 */
export function recordMessages() {
  window.timeline = [];
  let workers = 0;
  const Native = window.Worker;
  window.Worker = class extends Native {
    constructor(...args) {
      super(...args);
      const name = `w${(workers += 1)}`;
      const post = this.postMessage.bind(this);
      this.postMessage = (message, transfer) => {
        window.timeline.push([performance.now(), `→${name} ${message.kind ?? 'run'}`]);
        return post(message, transfer);
      };
      this.addEventListener('message', ({ data }) => {
        if (data.kind === 'sweep' || (!data.kind && !data.results && data.error === undefined)) return;
        window.timeline.push([performance.now(), `${name}→ ${data.kind ?? (data.results ? 'results' : 'error')}`]);
      });
    }
  };
}
