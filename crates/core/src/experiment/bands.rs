//! A run split over several engines (workers on several cores): each
//! prepares the same run (draws the same rows), computes a band of score
//! rows and finishes both panels for those rows ([`Experiment::finish_band`]:
//! logits, softmax, each row's measures); the page's engine, which started
//! the same run, adopts every band ([`Experiment::adopt_band`]) and ends the
//! run ([`Experiment::adopt_bands`]) with the whole-matrix statistics and
//! the rows' measures folded in row order. Every cell and every row is
//! computed in the same order whichever engine computes it, so the results
//! are bit for bit those of one engine.
//!
//! With Q = K only the upper triangle is computed, so a band's rows lack
//! their cells left of the band: the engine is given the score rows of the
//! bands above it first ([`Experiment::adopt_score_rows`]). The first band
//! needs nothing but its own rows.

use std::fmt;
use std::ops::Range;

use super::{Experiment, Panel, Stage, report};
use crate::config::{Config, ConfigError, QkSource};
use crate::metrics::RowSaturation;
use crate::precision::{Bf16, F16, F32, Format, Precision};
use crate::scores;

/// Why a band cannot be computed or adopted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BandError {
    /// No prepared run waits for its scores, or no started run for its bands.
    NotPrepared,
    /// The rows are not within the run's T, or a band's values do not fit them.
    Shape,
    /// Not every row of the run has been adopted, or a row twice.
    Missing,
    /// No run is in progress to adopt bands for.
    NoRun,
}

impl fmt::Display for BandError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            BandError::NotPrepared => "no prepared run is waiting for its scores",
            BandError::Shape => "the rows or scores do not fit the prepared run",
            BandError::Missing => "not every row of the run has been adopted once",
            BandError::NoRun => "no run is in progress to adopt bands for",
        })
    }
}

/// One panel of a band of rows, finished by another engine.
#[derive(Clone, Debug, Default)]
pub struct BandPanel {
    /// The band's rows of the panel's scores, rows × T.
    pub scores: Vec<f32>,
    /// The band's softmax rows, rows × T.
    pub probs: Vec<f32>,
    /// Each row's gradient norm.
    pub gradients: Vec<f32>,
    /// Each row's part of the saturation metrics.
    pub rows: Vec<RowSaturation>,
    /// `exp` results of the band that overflowed.
    pub exp_overflows: usize,
}

/// A band's rows of one panel as the engine that finished them holds them.
#[derive(Clone, Copy, Debug)]
pub struct BandView<'a> {
    /// Rows × T scores.
    pub scores: &'a [f32],
    /// Rows × T softmax weights.
    pub probs: &'a [f32],
    /// One gradient norm per row.
    pub gradients: &'a [f32],
    /// One part of the saturation metrics per row.
    pub rows: &'a [RowSaturation],
}

impl Experiment {
    /// Starts a run of `config` and draws its rows (Q, and K) now; its
    /// scores come from [`Experiment::score_band`]. A rejected config
    /// changes nothing.
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

    /// Whether the run's rows (Q, K) are drawn and final: from
    /// [`Experiment::prepare`] on, and in a finished run.
    pub fn rows_ready(&self) -> bool {
        self.stage != Stage::Draw
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

    /// Whole score rows from `first` on that another engine computed
    /// ([`Experiment::score_band`]'s), for the band this engine finishes.
    pub fn adopt_score_rows(&mut self, first: usize, scores: &[f32]) -> Result<(), BandError> {
        let t = self.config.tokens;
        if !matches!(self.stage, Stage::Scores { .. }) {
            return Err(BandError::NotPrepared);
        }
        if t == 0 || !scores.len().is_multiple_of(t) || first * t + scores.len() > t * t {
            return Err(BandError::Shape);
        }
        self.panels[Panel::Unscaled as usize].scores[first * t..][..scores.len()].copy_from_slice(scores);
        Ok(())
    }

    /// Finishes both panels for rows `rows`, whose scores this engine
    /// computed ([`Experiment::score_band`]); with Q = K every row above
    /// them must be here too (computed or adopted), for the cells left of
    /// the band. Returns the `exp` overflows of each panel's rows; the rows
    /// themselves are read with [`Experiment::band`]. The run stays
    /// unfinished here: it is the page's engine that ends it.
    pub fn finish_band(&mut self, rows: Range<usize>) -> Result<[usize; 2], BandError> {
        let t = self.config.tokens;
        if !matches!(self.stage, Stage::Scores { .. }) {
            return Err(BandError::NotPrepared);
        }
        if rows.start > rows.end || rows.end > t {
            return Err(BandError::Shape);
        }
        let raw = &mut self.panels[Panel::Unscaled as usize].scores;
        if self.config.qk != QkSource::Independent {
            scores::mirror_upper_rows(raw, t, rows.clone());
        }
        if self.config.logits.transforms_scores() {
            self.raw_scores.resize(t * t, 0.0);
            let cells = rows.start * t..rows.end * t;
            self.raw_scores[cells.clone()].copy_from_slice(&raw[cells]);
        }
        let finish = match self.config.precision {
            Precision::F32 => Self::finish_rows::<F32>,
            Precision::Bf16 => Self::finish_rows::<Bf16>,
            Precision::F16 => Self::finish_rows::<F16>,
        };
        Ok([Panel::Unscaled, Panel::Scaled].map(|panel| finish(self, panel, rows.clone())))
    }

    /// Rows `rows` of one panel, as [`Experiment::finish_band`] left them.
    ///
    /// # Panics
    /// If the rows are not within the run's T or were not finished.
    pub fn band(&self, panel: Panel, rows: Range<usize>) -> BandView<'_> {
        let t = self.config.tokens;
        let p = &self.panels[panel as usize];
        BandView {
            scores: &p.scores[rows.start * t..rows.end * t],
            probs: &p.probs[rows.start * t..rows.end * t],
            gradients: &p.gradients[rows.clone()],
            rows: &p.rows[rows],
        }
    }

    /// Takes rows `first..` of one panel, finished by another engine, for
    /// the run in progress (started here with the same configuration). A
    /// refusal changes nothing.
    pub fn adopt_band(&mut self, panel: Panel, first: usize, band: BandPanel) -> Result<(), BandError> {
        let t = self.config.tokens;
        if self.stage == Stage::Done {
            return Err(BandError::NoRun);
        }
        let n = band.gradients.len();
        if first + n > t || band.scores.len() != n * t || band.probs.len() != n * t || band.rows.len() != n {
            return Err(BandError::Shape);
        }
        let adopted = &mut self.adopted[panel as usize];
        adopted.resize(t, false);
        if adopted[first..first + n].contains(&true) {
            return Err(BandError::Missing);
        }
        adopted[first..first + n].fill(true);
        let cells = first * t..(first + n) * t;
        let buffers = &mut self.panels[panel as usize];
        buffers.scores.resize(t * t, 0.0);
        buffers.probs.resize(t * t, 0.0);
        buffers.gradients.resize(t, 0.0);
        buffers.rows.resize(t, RowSaturation::Empty { nonfinite: 0 });
        buffers.scores[cells.clone()].copy_from_slice(&band.scores);
        buffers.probs[cells].copy_from_slice(&band.probs);
        buffers.gradients[first..first + n].copy_from_slice(&band.gradients);
        buffers.rows[first..first + n].copy_from_slice(&band.rows);
        buffers.exp_overflows += band.exp_overflows;
        buffers.report = None;
        Ok(())
    }

    /// Ends the run in progress with `q`, `k` (empty when Q = K) and the
    /// bands given to [`Experiment::adopt_band`], which must cover every row
    /// once: each panel's statistics over the whole matrix, and its rows'
    /// measures folded in row order. A refusal changes nothing.
    pub fn adopt_bands(&mut self, q: Vec<f32>, k: Vec<f32>) -> Result<(), BandError> {
        let (t, d) = (self.config.tokens, self.config.d_k);
        if self.stage == Stage::Done {
            return Err(BandError::NoRun);
        }
        if !self
            .adopted
            .iter()
            .all(|rows| rows.len() == t && !rows.contains(&false))
        {
            return Err(BandError::Missing);
        }
        let keys = if self.config.qk == QkSource::Independent {
            t * d
        } else {
            0
        };
        if q.len() != t * d || k.len() != keys {
            return Err(BandError::Shape);
        }
        (self.q, self.k) = (q, k);
        for panel in &mut self.panels {
            panel.report = Some(report(panel, t, panel.exp_overflows, self.config.mask));
        }
        self.stage = Stage::Done;
        self.work_done = self.work_total;
        Ok(())
    }

    /// `count` bands of rows of the started run with about equal score work
    /// each: for the upper triangle of a symmetric product (Q = K) fewer rows
    /// at the top, whose rows are longer. Only the scores are balanced: with
    /// Q = K a band is finished once the bands above it have sent their
    /// rows, so every band's scores should be done at the same time, and
    /// the finish (the same work per row) follows. Band edges are multiples
    /// of 4, the kernel's rows per pass.
    pub fn bands(&self, count: usize) -> Vec<Range<usize>> {
        let t = self.config.tokens as u64;
        let upper = self.config.qk != QkSource::Independent;
        // Score cells before row r: the work, up to a factor d_k times the format's cost.
        let cells_before = |r: u64| {
            if upper {
                r * t - r * r.saturating_sub(1) / 2
            } else {
                r * t
            }
        };
        split_rows(self.config.tokens, count, |r| cells_before(r as u64))
    }
}

/// `count` bands of `t` rows, band `k` ending where `work_before` (the work
/// of the rows before a row, growing) first reaches `k / count` of the
/// whole, rounded to a multiple of 4.
fn split_rows(t: usize, count: usize, work_before: impl Fn(usize) -> u64) -> Vec<Range<usize>> {
    let count = count.max(1);
    // Work units fit u64 many times over (T ≤ 1024, d_k ≤ 4096, 64 bands).
    let total = work_before(t);
    let mut edges = vec![0];
    for k in 1..count {
        let goal = total / count as u64 * k as u64;
        // The first row whose work before reaches the goal, by bisection.
        let (mut lo, mut hi) = (0, t);
        while lo < hi {
            let mid = (lo + hi) / 2;
            if work_before(mid) >= goal {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        let r = (lo + 2) / 4 * 4;
        edges.push(r.clamp(*edges.last().unwrap_or(&0), t));
    }
    edges.push(t);
    edges.windows(2).map(|w| w[0]..w[1]).collect()
}

#[cfg(test)]
mod tests;
