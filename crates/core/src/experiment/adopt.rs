//! Ending a run with results another engine computed: the page's engine
//! starts a big run (so it knows its shape and modes) and a worker's engine
//! computes it; the page's engine then adopts the worker's matrices and
//! numbers, and everything that reads or paints a run works as if it had
//! computed them itself.

use std::fmt;

use super::{Experiment, Panel, PanelReport, Stage};
use crate::config::QkSource;
use crate::metrics::Saturation;
use crate::stats::DiagonalSplit;

/// One panel's results, as [`Experiment`]'s readers give them.
#[derive(Clone, Debug)]
pub struct PanelResults {
    /// T × T scores, row-major.
    pub scores: Vec<f32>,
    /// T × T softmax weights, row-major.
    pub probs: Vec<f32>,
    /// T row gradient norms.
    pub gradients: Vec<f32>,
    /// The numbers beside the panel.
    pub report: PanelReport,
}

/// Why results cannot be adopted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AdoptError {
    /// No run is in progress: there is nothing for the results to finish.
    NoRun,
    /// A matrix does not have the run's shape.
    Shape(&'static str),
}

impl fmt::Display for AdoptError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AdoptError::NoRun => f.write_str("no run is in progress to adopt results for"),
            AdoptError::Shape(what) => write!(f, "{what} does not have the run's shape"),
        }
    }
}

impl Experiment {
    /// Ends the run in progress with `q`, `k` (empty when Q = K) and both
    /// panels' results, computed elsewhere for the same configuration and
    /// rows, instead of computing them. A refusal changes nothing.
    pub fn adopt(&mut self, q: Vec<f32>, k: Vec<f32>, panels: [PanelResults; 2]) -> Result<(), AdoptError> {
        if self.stage == Stage::Done {
            return Err(AdoptError::NoRun);
        }
        let (t, d) = (self.config.tokens, self.config.d_k);
        let keys = if self.config.qk == QkSource::Independent {
            t * d
        } else {
            0
        };
        let shape = |ok: bool, what| if ok { Ok(()) } else { Err(AdoptError::Shape(what)) };
        shape(q.len() == t * d, "Q")?;
        shape(k.len() == keys, "K")?;
        for panel in &panels {
            shape(panel.scores.len() == t * t, "a score matrix")?;
            shape(panel.probs.len() == t * t, "a weight matrix")?;
            shape(panel.gradients.len() == t, "a row of gradients")?;
        }
        (self.q, self.k) = (q, k);
        for (buffers, results) in self.panels.iter_mut().zip(panels) {
            buffers.scores = results.scores;
            buffers.probs = results.probs;
            buffers.gradients = results.gradients;
            buffers.report = Some(results.report);
        }
        self.stage = Stage::Done;
        self.work_done = self.work_total;
        Ok(())
    }

    /// A panel's results, copied, for another engine to adopt.
    ///
    /// # Panics
    /// While a run is not done.
    pub fn panel_results(&self, panel: Panel) -> PanelResults {
        PanelResults {
            scores: self.scores(panel).iter().copied().collect(),
            probs: self.probabilities(panel).iter().copied().collect(),
            gradients: self.row_gradients(panel).to_vec(),
            report: self.report(panel),
        }
    }
}

impl PanelReport {
    /// How many numbers [`PanelReport::to_values`] gives.
    pub const VALUES: usize = 19;

    /// The numbers in a fixed order, to send to another engine.
    pub fn to_values(&self) -> [f64; Self::VALUES] {
        let (s, m) = (self.split, self.saturation);
        [
            self.std,
            s.diagonal_mean,
            s.diagonal_std,
            s.off_diagonal_mean,
            s.off_diagonal_std,
            m.max_prob_mean,
            m.max_prob_min,
            m.entropy_mean,
            m.entropy_fraction,
            m.effective_tokens,
            m.gradient_mean,
            m.gradient_uniform,
            m.saturated_rows as f64,
            m.finite_rows as f64,
            m.nan_rows as f64,
            m.nonfinite_cells as f64,
            self.exp_overflows as f64,
            m.empty_rows as f64,
            m.keys_mean,
        ]
    }

    /// The report [`PanelReport::to_values`] gave these numbers for; `None`
    /// when there are not [`PanelReport::VALUES`] of them or a count is not
    /// a whole number.
    pub fn from_values(v: &[f64]) -> Option<Self> {
        let v: &[f64; Self::VALUES] = v.try_into().ok()?;
        let count = |x: f64| (x >= 0.0 && x.fract() == 0.0 && x < 2f64.powi(53)).then_some(x as usize);
        Some(PanelReport {
            std: v[0],
            split: DiagonalSplit {
                diagonal_mean: v[1],
                diagonal_std: v[2],
                off_diagonal_mean: v[3],
                off_diagonal_std: v[4],
            },
            saturation: Saturation {
                max_prob_mean: v[5],
                max_prob_min: v[6],
                entropy_mean: v[7],
                entropy_fraction: v[8],
                effective_tokens: v[9],
                gradient_mean: v[10],
                gradient_uniform: v[11],
                saturated_rows: count(v[12])?,
                finite_rows: count(v[13])?,
                nan_rows: count(v[14])?,
                nonfinite_cells: count(v[15])?,
                empty_rows: count(v[17])?,
                keys_mean: v[18],
            },
            exp_overflows: count(v[16])?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::softmax::SoftmaxKind;

    fn results_of(e: &Experiment) -> (Vec<f32>, Vec<f32>, [PanelResults; 2]) {
        let k = if e.config().qk == QkSource::Independent {
            e.k().iter().copied().collect()
        } else {
            Vec::new()
        };
        let panels = [Panel::Unscaled, Panel::Scaled].map(|p| e.panel_results(p));
        (e.q().iter().copied().collect(), k, panels)
    }

    /// An engine that only started a run, given another's results, reads
    /// exactly as the one that computed them, in both Q/K cases.
    #[test]
    fn adopted_results_read_as_computed_ones() {
        for qk in [QkSource::SelfAttention, QkSource::Independent] {
            let config = Config {
                tokens: 12,
                d_k: 20,
                qk,
                softmax: SoftmaxKind::Naive,
                ..Config::NOTEBOOK
            };
            let mut worker = Experiment::new();
            worker.run(config).unwrap();
            let mut page = Experiment::new();
            page.start(config).unwrap();
            assert!(!page.is_done());
            let (q, k, panels) = results_of(&worker);
            page.adopt(q, k, panels).unwrap();
            assert!(page.is_done());
            assert_eq!(page.progress(), 1.0);
            assert_eq!(
                super::super::tests::fingerprint(&page),
                super::super::tests::fingerprint(&worker)
            );
            for panel in [Panel::Unscaled, Panel::Scaled] {
                let bits = |e: &Experiment| e.report(panel).to_values().map(f64::to_bits);
                assert_eq!(bits(&page), bits(&worker));
            }
        }
    }

    #[test]
    fn results_of_another_shape_or_without_a_run_are_refused() {
        let config = Config {
            tokens: 6,
            d_k: 8,
            ..Config::NOTEBOOK
        };
        let mut worker = Experiment::new();
        worker.run(config).unwrap();
        let mut page = Experiment::new();
        let (q, k, panels) = results_of(&worker);
        assert_eq!(page.adopt(q.clone(), k.clone(), panels.clone()), Err(AdoptError::NoRun));
        page.start(Config { d_k: 12, ..config }).unwrap();
        assert_eq!(page.adopt(q, k, panels), Err(AdoptError::Shape("Q")));
        assert!(!page.is_done());
    }

    #[test]
    fn reports_travel_as_values() {
        let mut e = Experiment::new();
        e.run(Config {
            tokens: 9,
            d_k: 300,
            softmax: SoftmaxKind::Naive,
            ..Config::NOTEBOOK
        })
        .unwrap();
        let report = e.report(Panel::Unscaled);
        assert!(report.exp_overflows > 0 && report.saturation.nan_rows > 0);
        let back = PanelReport::from_values(&report.to_values()).expect("valid values");
        assert_eq!(back.to_values().map(f64::to_bits), report.to_values().map(f64::to_bits));
        let mut bad = report.to_values();
        bad[13] = 1.5;
        assert_eq!(PanelReport::from_values(&bad), None);
        assert_eq!(PanelReport::from_values(&bad[..16]), None);
    }
}
