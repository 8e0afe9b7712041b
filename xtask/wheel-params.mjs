// Writes the table the Jupyter widget validates with: the page's PARAMS
// (web/state.js, the one source of what each parameter accepts) and the
// English words of its notices (web/i18n/en.js), and which parameters the
// numbers depend on (MODES), as JSON. Run by
// `cargo xtask wheel`: `node xtask/wheel-params.mjs <out.json>`.
import { writeFileSync } from 'node:fs';
import { MODES, PARAMS } from '../web/state.js';
import en from '../web/i18n/en.js';

const WORDS = /^(param\.|notice\.(fixed|below|above|notWhole|notMultiple|empty|not|andMore|notHideable\.|textLimit|using|stillShowing)|expect\.)/;
const words = Object.fromEntries(Object.entries(en).filter(([key]) => WORDS.test(key)));
// `numbers`: what the matrices depend on (the modes, and T, d_k, the seed and the text).
const numbers = ['t', 'dk', 'seed', 'text', ...MODES];
writeFileSync(process.argv[2], `${JSON.stringify({ params: PARAMS, numbers, words }, null, 1)}\n`);
