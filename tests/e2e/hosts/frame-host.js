// What a host page does to auto-size the explorer's iframe.
const frame = document.getElementById('explorer');
window.heights = [];
window.addEventListener('message', (event) => {
  if (event.source !== frame.contentWindow || event.data?.type !== 'attention-explorer:height') return;
  window.heights.push(event.data.height);
  frame.height = String(event.data.height);
});
