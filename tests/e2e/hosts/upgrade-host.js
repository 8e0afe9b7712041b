// Sets properties on an element the page has not defined yet (they become
// own properties), then loads the element's module: the upgrade must apply
// them through the element's validating setters.
const early = document.querySelector('#early');
early.dk = 96;
early.seed = 3;
await import('./attention-explorer.js');
