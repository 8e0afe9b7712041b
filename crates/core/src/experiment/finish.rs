//! The end of a run: each panel's logits, softmax rows and measures from
//! the raw scores, row by row, so that a band of rows finished by another
//! engine is bit for bit the same ([`super::bands`]).

use std::ops::Range;

use super::{Experiment, Panel, PanelBuffers, matrix, matrix_mut, report};
use crate::mask::Mask;
use crate::metrics::{self, RowSaturation};
use crate::precision::Format;
use crate::{logits, scores, softmax};

impl Experiment {
    /// A panel's scores (the scaled panel's from the unscaled ones: one
    /// matrix product serves both), softmax, statistics and metrics.
    pub(super) fn finish<F: Format>(&mut self, which: Panel) {
        let t = self.config.tokens;
        let exp_overflows = self.finish_rows::<F>(which, 0..t);
        let panel = &mut self.panels[which as usize];
        panel.report = Some(report(panel, t, exp_overflows, self.config.mask));
    }

    /// Rows `rows` of one panel from the raw scores of those rows: its
    /// logits, softmax rows and each row's measures and gradient (every
    /// step is row by row, so a band of rows finished by another engine is
    /// bit for bit the same). Returns how many `exp` results overflowed.
    pub(super) fn finish_rows<F: Format>(&mut self, which: Panel, rows: Range<usize>) -> usize {
        let c = self.config;
        let t = c.tokens;
        let (cells, n) = (rows.start * t..rows.end * t, rows.len());
        let [unscaled, scaled] = &mut self.panels;
        // With a gain or a cap each panel's logits come from the raw scores,
        // kept aside; else the unscaled panel's scores are the raw ones.
        let transforms = c.logits.transforms_scores();
        let panel = match which {
            Panel::Unscaled => {
                if transforms {
                    let out = &mut unscaled.scores[cells.clone()];
                    logits::logits_into::<F>(&self.raw_scores[cells.clone()], c.logits, None, out);
                }
                unscaled
            }
            Panel::Scaled => {
                let raw = if transforms { &self.raw_scores } else { &unscaled.scores };
                if c.scale.per_row() {
                    // SSMax: each row's factor counts the keys it sees.
                    for i in rows.clone() {
                        let factor = F::round(c.scale.factor(c.d_k, c.mask.keys(i, t).len()) as f32);
                        let out = &mut scaled.scores[i * t..(i + 1) * t];
                        logits::logits_into::<F>(&raw[i * t..(i + 1) * t], c.logits, Some(factor), out);
                    }
                } else {
                    let factor = F::round(c.scale.factor(c.d_k, t) as f32);
                    let (raw, out) = (&raw[cells.clone()], &mut scaled.scores[cells.clone()]);
                    if transforms {
                        logits::logits_into::<F>(raw, c.logits, Some(factor), out);
                    } else {
                        scores::scale_into::<F>(matrix(raw, n, t), factor, matrix_mut(out, n, t));
                    }
                }
                scaled
            }
        };
        let tau = F::round(c.temperature as f32);
        let masked = c.mask.hides_any(t);
        // τ = 1 divides by one, which changes nothing; without a mask, skip the copy.
        let logits = if tau == 1.0 && !masked {
            &panel.scores[cells.clone()]
        } else {
            panel.logits.resize(t * t, 0.0);
            let (scores, logits) = (&panel.scores[cells.clone()], &mut panel.logits[cells.clone()]);
            if tau == 1.0 {
                logits.copy_from_slice(scores);
            } else {
                scores::divide_into::<F>(matrix(scores, n, t), tau, matrix_mut(logits, n, t));
            }
            c.mask.apply(logits, rows.start, t, F::PRECISION);
            &panel.logits[cells.clone()]
        };
        let probs = &mut panel.probs[cells];
        let exp_overflows = softmax::softmax_rows::<F>(c.softmax, matrix(logits, n, t), matrix_mut(probs, n, t));
        settle_and_measure(panel, rows, t, c.mask);
        exp_overflows
    }
}

/// Rows `rows` of a panel after the softmax: SDPA's rows that see no key
/// become zeros, and each row is measured. Not generic and not inlined: one
/// copy serves every number format (the WebAssembly stays smaller).
#[inline(never)]
fn settle_and_measure(panel: &mut PanelBuffers, rows: Range<usize>, t: usize, mask: Mask) {
    let probs = &mut panel.probs[rows.start * t..rows.end * t];
    mask.settle_empty_rows(probs, rows.start, t);
    panel.rows.resize(t, RowSaturation::Empty { nonfinite: 0 });
    panel.gradients.resize(t, 0.0);
    let keys = |i| mask.keys(i, t);
    metrics::measure_rows(
        probs,
        t,
        rows.start,
        keys,
        &mut panel.rows[rows.clone()],
        &mut panel.gradients[rows],
    );
}
