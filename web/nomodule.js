// Runs only in browsers too old for ES modules (they skip main.js).
(function () {
  var box = document.getElementById('legacy-status');
  if (!box) return;
  box.textContent =
    'This browser is too old to run the explorer: it needs JavaScript modules and ' +
    'WebAssembly (any current Chrome, Edge, Firefox or Safari).';
  box.hidden = false;
})();
