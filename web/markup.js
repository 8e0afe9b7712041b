// Our own fixed markup (the explorer's, the guide's) as nodes. Trusted Types:
// a host that enforces them (`require-trusted-types-for 'script'`) refuses
// plain strings in innerHTML, so the markup goes through one named policy,
// which passes only the constants registered here and nothing else; a host
// that lists the policies it allows must list "attention-explorer". User
// text never comes near this module: it reaches the page through
// textContent only.

const FIXED = new Set();
let policy = null;

/** Registers a constant of ours as markup the policy lets through; returns it. */
export function fixedMarkup(html) {
  FIXED.add(html);
  return html;
}

/** A registered constant as nodes; throws if the page's Trusted Types rules refuse our policy. */
export function fixedNodes(html) {
  if (!FIXED.has(html)) throw new Error('only the explorer\'s own fixed markup is ever parsed');
  const template = document.createElement('template');
  if (globalThis.trustedTypes?.createPolicy) {
    try {
      policy ??= globalThis.trustedTypes.createPolicy('attention-explorer', {
        createHTML: (text) => {
          if (!FIXED.has(text)) throw new TypeError('not the explorer\'s own markup');
          return text;
        },
      });
    } catch {
      throw new Error(
        'this page\'s Trusted Types rules do not allow the policy "attention-explorer" (add it to the trusted-types directive)',
      );
    }
    template.innerHTML = policy.createHTML(html);
  } else {
    template.innerHTML = html;
  }
  return template.content.cloneNode(true);
}
