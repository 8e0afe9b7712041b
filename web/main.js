// The page around the explorer. The explorer itself is the
// <attention-explorer sync-url> element in index.html; this module adds the
// page-level behaviour: ?embed=1, a compact mode without page chrome for
// iframes, which tells its parent how tall it is so the host can size the
// frame.
import './attention-explorer.js';

const embed = new URLSearchParams(location.search).get('embed') === '1';
if (embed) {
  document.documentElement.classList.add('embed');
  if (window.parent !== window) {
    let last = 0;
    const post = () => {
      const height = Math.ceil(document.documentElement.scrollHeight);
      if (height === last) return;
      last = height;
      // Only a height crosses the frame, so any parent may read it.
      window.parent.postMessage({ type: 'attention-explorer:height', height }, '*');
    };
    new ResizeObserver(post).observe(document.body);
    post();
  }
}
