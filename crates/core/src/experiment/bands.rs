//! A run split over several engines (workers on several cores): each
//! prepares the same run (draws the same rows) and computes a band of score
//! rows; then, given every band's rows, one engine finishes the run as usual
//! or two each finish one panel ([`Experiment::finish_one`]).
//! Every cell is the same dot product in the same order whichever engine
//! computes it, so the results are bit for bit those of one engine.

use std::fmt;
use std::ops::Range;

use super::{Experiment, Panel, PanelResults, Stage};
use crate::config::{Config, ConfigError};
use crate::precision::{Bf16, F16, F32, Format, Precision};

/// Why a band cannot be computed or adopted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BandError {
    /// No prepared run waits for its scores.
    NotPrepared,
    /// The rows are not within the run's T, or the scores not T × T.
    Shape,
}

impl fmt::Display for BandError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            BandError::NotPrepared => "no prepared run is waiting for its scores",
            BandError::Shape => "the rows or scores do not fit the prepared run",
        })
    }
}

impl Experiment {
    /// Starts a run of `config` and draws its rows (Q, and K) now; its
    /// scores come from [`Experiment::score_band`] here and elsewhere, then
    /// [`Experiment::adopt_scores`]. A rejected config changes nothing.
    pub fn prepare(&mut self, config: Config) -> Result<(), ConfigError> {
        self.start(config)?;
        match self.config.precision {
            Precision::F32 => self.draw_all::<F32>(),
            Precision::Bf16 => self.draw_all::<Bf16>(),
            Precision::F16 => self.draw_all::<F16>(),
        }
        Ok(())
    }

    fn draw_all<F: Format>(&mut self) {
        while self.stage == Stage::Draw {
            let used = self.step::<F>(u64::MAX);
            self.work_done = self.work_done.saturating_add(used);
        }
    }

    /// Score rows `rows` of the prepared run (the upper-triangle part when
    /// Q = K), as rows × T values; the rest of the scores is left alone.
    pub fn score_band(&mut self, rows: Range<usize>) -> Result<&[f32], BandError> {
        let t = self.config.tokens;
        if !matches!(self.stage, Stage::Scores { .. }) {
            return Err(BandError::NotPrepared);
        }
        if rows.start > rows.end || rows.end > t {
            return Err(BandError::Shape);
        }
        match self.config.precision {
            Precision::F32 => self.compute_score_rows::<F32>(rows.clone()),
            Precision::Bf16 => self.compute_score_rows::<Bf16>(rows.clone()),
            Precision::F16 => self.compute_score_rows::<F16>(rows.clone()),
        }
        Ok(&self.panels[Panel::Unscaled as usize].scores[rows.start * t..rows.end * t])
    }

    /// Every band's rows of the prepared run's scores, T × T (when Q = K only
    /// the upper triangle is read: it is mirrored here); the run then goes
    /// on to its two panels as usual ([`Experiment::advance`]).
    pub fn adopt_scores(&mut self, all: &[f32]) -> Result<(), BandError> {
        let t = self.config.tokens;
        if !matches!(self.stage, Stage::Scores { .. }) {
            return Err(BandError::NotPrepared);
        }
        if all.len() != t * t {
            return Err(BandError::Shape);
        }
        self.panels[Panel::Unscaled as usize].scores.copy_from_slice(all);
        self.scores_complete();
        self.stage = Stage::Finish(Panel::Unscaled);
        self.work_done = self.work_total.saturating_sub(2 * self.work_of_finish());
        Ok(())
    }
}

impl Experiment {
    /// Whether the run's rows (Q, K) are drawn and final: from
    /// [`Experiment::prepare`] on, and in a finished run.
    pub fn rows_ready(&self) -> bool {
        self.stage != Stage::Draw
    }

    /// One panel of a run whose scores were adopted ([`Experiment::adopt_scores`]),
    /// finished here while another engine finishes the other: its results,
    /// copied. The run itself stays where it was (a later `advance` finishes
    /// both panels as usual).
    pub fn finish_one(&mut self, panel: Panel) -> Result<PanelResults, BandError> {
        if self.stage != Stage::Finish(Panel::Unscaled) {
            return Err(BandError::NotPrepared);
        }
        match self.config.precision {
            Precision::F32 => self.finish::<F32>(panel),
            Precision::Bf16 => self.finish::<Bf16>(panel),
            Precision::F16 => self.finish::<F16>(panel),
        }
        Ok(self.panel_results(panel))
    }
}

/// `count` bands of rows of a T-row product with about equal work each:
/// equal row counts for a full product, and for the upper triangle of a
/// symmetric one (Q = K) fewer rows at the top, whose rows are longer. Band
/// edges are multiples of 4, the kernel's rows per pass.
pub fn balanced_bands(t: usize, count: usize, upper: bool) -> Vec<Range<usize>> {
    let count = count.max(1);
    let work_before = |r: usize| {
        if upper {
            r * t - r * r.saturating_sub(1) / 2
        } else {
            r * t
        }
    };
    let total = work_before(t);
    let mut edges = vec![0];
    for k in 1..count {
        let goal = total * k / count;
        let mut r = (0..=t).find(|&r| work_before(r) >= goal).unwrap_or(t);
        r = (r + 2) / 4 * 4;
        edges.push(r.clamp(*edges.last().unwrap_or(&0), t));
    }
    edges.push(t);
    edges.windows(2).map(|w| w[0]..w[1]).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{LogitControl, QkNorm, QkSource};

    /// Two engines, each a band, the first adopting both bands: the same
    /// bits as one engine's run, in both Q/K cases and a rounded format.
    #[test]
    fn bands_from_several_engines_equal_one_run() {
        let none = LogitControl::NONE;
        // With a gain and a cap each panel's logits come from raw scores kept aside: split too.
        let capped = LogitControl {
            qk_norm: QkNorm::L2,
            gain: 8.0,
            cap: 5.0,
        };
        let normed = LogitControl {
            qk_norm: QkNorm::LayerNorm,
            gain: 1.0,
            cap: 3.0,
        };
        for (qk, precision, logits) in [
            (QkSource::SelfAttention, Precision::F32, none),
            (QkSource::Independent, Precision::F32, none),
            (QkSource::SelfAttention, Precision::Bf16, none),
            (QkSource::Independent, Precision::F32, capped),
            (QkSource::SelfAttention, Precision::Bf16, normed),
        ] {
            let config = Config {
                tokens: 37,
                d_k: 300,
                qk,
                precision,
                logits,
                ..Config::NOTEBOOK
            };
            let mut one = Experiment::new();
            one.run(config).unwrap();
            let bands = balanced_bands(37, 2, qk == QkSource::SelfAttention);
            let mut engines = [Experiment::new(), Experiment::new()];
            let mut all = vec![0.0f32; 37 * 37];
            for (engine, rows) in engines.iter_mut().zip(&bands) {
                engine.prepare(config).unwrap();
                let band = engine.score_band(rows.clone()).unwrap();
                all[rows.start * 37..rows.end * 37].copy_from_slice(band);
            }
            // Each engine finishes one panel; a third adopts both.
            let parts: Vec<PanelResults> = engines
                .iter_mut()
                .zip([Panel::Unscaled, Panel::Scaled])
                .map(|(engine, panel)| {
                    engine.adopt_scores(&all).unwrap();
                    engine.finish_one(panel).unwrap()
                })
                .collect();
            let [first, _] = &mut engines;
            let q = first.q().iter().copied().collect();
            let k = match qk {
                QkSource::Independent => first.k().iter().copied().collect(),
                _ => Vec::new(),
            };
            let mut page = Experiment::new();
            page.start(config).unwrap();
            page.adopt(q, k, parts.try_into().unwrap()).unwrap();
            let fingerprint = super::super::tests::fingerprint;
            assert_eq!(fingerprint(&page), fingerprint(&one));
            // Or the first engine finishes both.
            assert!(first.advance(u64::MAX));
            assert_eq!(fingerprint(first), fingerprint(&one));
        }
    }

    #[test]
    fn bands_split_the_work_evenly_on_kernel_rows() {
        assert_eq!(balanced_bands(100, 1, true), vec![0..100]);
        assert_eq!(balanced_bands(100, 2, false), vec![0..52, 52..100]);
        // Upper triangle: the top rows are longer, so the first band is
        // shorter: T (1 − 1/√2) ≈ 0.29 T.
        let bands = balanced_bands(1024, 2, true);
        assert_eq!(bands, vec![0..300, 300..1024]);
        let work = |r: &Range<usize>| r.clone().map(|i| 1024 - i).sum::<usize>() as f64;
        assert!((work(&bands[0]) / work(&bands[1]) - 1.0).abs() < 0.02);
        let four = balanced_bands(1024, 4, true);
        assert_eq!(four.len(), 4);
        assert!(four.iter().all(|r| r.start % 4 == 0 && r.start <= r.end));
    }

    #[test]
    fn bands_need_a_prepared_run_that_fits() {
        let mut e = Experiment::new();
        assert_eq!(e.score_band(0..1).map(<[f32]>::len), Err(BandError::NotPrepared));
        e.prepare(Config {
            tokens: 8,
            d_k: 4,
            ..Config::NOTEBOOK
        })
        .unwrap();
        assert_eq!(e.score_band(4..9).map(<[f32]>::len), Err(BandError::Shape));
        assert_eq!(e.adopt_scores(&[0.0; 63]), Err(BandError::Shape));
        assert_eq!(e.score_band(4..8).map(<[f32]>::len), Ok(32));
    }
}
