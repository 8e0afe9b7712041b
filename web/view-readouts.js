// The sentences around the panels for the run shown: the ratio line, the
// factor as given, the case text and its "Try" button, the modes, the
// PyTorch call, and the announcement for screen readers.

import { caseText, modesText, pytorchCall, readoutsText, scaleFactorText } from './explain.js';
import { PANELS } from './view-elements.js';

// How long the numbers must stay still before they are announced to screen
// readers: long enough that a drag is announced once, at its end.
const ANNOUNCE_DELAY_MS = 700;

/** Returns `{ show(run, summaries), caseTry(), stop() }`. */
export function bindReadouts({ ui, explorer, words }) {
  let announceTimer = 0;
  let announced = '';
  let suggestion = null; // the change the case text's button makes

  function show(run, summaries) {
    const s = run.inputs;
    for (const out of ui.dkReadouts) out.textContent = String(s.dk);
    const { fixed } = words;
    ui.sqrtDk.textContent = fixed(explorer.sqrtDk, 4);
    ui.unscaledPerRoot.textContent = fixed(explorer.unscaledStdPerRootDk, 4);
    ui.scaledStd.textContent = fixed(summaries[1].std, 4);
    ui.scaleFactor.textContent = scaleFactorText(s, explorer.scaleFactor, words);
    ui.readouts.textContent = readoutsText(s, words);
    const shownCase = caseText(s, words);
    ui.caseTitle.textContent = shownCase.title;
    ui.caseText.textContent = shownCase.body;
    ui.caseTry.textContent = shownCase.tryIt.label;
    suggestion = shownCase.tryIt.change;
    ui.modes.textContent = modesText(s, words);
    ui.pytorch.textContent = pytorchCall(s, explorer.effectiveScale);
    const announcement = `${words.t('announce.head', { dk: s.dk, t: s.t })} ${PANELS.map((which, i) => words.t('announce.panel', {
      panel: words.t(`panel.${which}`), std: fixed(summaries[i].std, 3), saturated: summaries[i].saturatedRows, t: s.t,
    })).join('; ')}.`;
    // Only new numbers are announced: picking a row, say, repeats none.
    if (announcement === announced) return;
    announced = announcement;
    clearTimeout(announceTimer);
    announceTimer = setTimeout(() => {
      ui.announce.textContent = announcement;
    }, ANNOUNCE_DELAY_MS);
  }

  return { show, caseTry: () => suggestion, stop: () => clearTimeout(announceTimer) };
}
