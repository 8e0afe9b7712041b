//! A run as a small state machine (draw, score rows, finish each panel),
//! carried out at once or a slice at a time, and its cost model: work is
//! counted in units of one `f32` multiply-add of the score kernel.

use super::{Experiment, Panel, fill_columns, fill_rounded, matrix, matrix_mut};
use crate::config::{COSINE_EPS, Config, ConfigError, QkSource, ScoreFunction};
use crate::precision::{Bf16, F16, F32, Format, Precision};
use crate::tokens::{Role, TokenVectors};
use crate::{kernel, logits, scores};
use std::ops::Range;

use crate::numpy_random::SampleStream;

/// The stages of a run, in order. A run can stop between any two calls to
/// [`Experiment::advance`]; each stage records where to go on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Stage {
    /// Drawing normals (a slice at a time), then filling Q and K.
    Draw,
    /// Score rows from `next` on.
    Scores { next: usize },
    /// One panel's scaling, softmax, statistics and saturation metrics.
    Finish(Panel),
    /// The results of `config` are complete.
    Done,
}

/// Units of work for [`Experiment::advance`]: one multiply-add of the `f32`
/// score kernel is 1. The other costs are ratios measured in V8 (simd128,
/// T = 512 and 1024), so that a budget takes about the same time in every
/// stage and number format: ~0.067 ns per `f32` multiply-add (the blocked
/// kernel at its ceiling), 13 ns per normal, 18 ns per cell and panel in
/// `f32` (`cargo xtask bench`, and a run at T = 1024, d_k = 8).
mod cost {
    use crate::precision::Precision;

    /// One standard normal (Mersenne Twister, polar method, `libm::log`).
    pub const DRAW: u64 = 195;
    /// Copying one drawn value into Q or K (rounded to the format).
    pub const FILL: u64 = 22;

    /// One multiply-add of the score kernel: low precision rounds twice per
    /// step (SIMD too, but unblocked: 0.47 ns in bf16, 1.3 ns in f16).
    pub fn multiply_add(precision: Precision) -> u64 {
        match precision {
            Precision::F32 => 1,
            Precision::Bf16 => 7,
            Precision::F16 => 20,
        }
    }

    /// Per cell and panel: scaling, softmax, statistics and metrics (19 ns
    /// in bf16, 34 ns in f16).
    pub fn cell(precision: Precision) -> u64 {
        match precision {
            Precision::F32 => 267,
            Precision::Bf16 => 285,
            Precision::F16 => 510,
        }
    }
}

impl Experiment {
    /// Runs the experiment for `config`, replacing the previous results.
    /// A rejected config leaves the previous results in place.
    pub fn run(&mut self, config: Config) -> Result<(), ConfigError> {
        self.start(config)?;
        self.advance(u64::MAX);
        Ok(())
    }

    /// Starts a run of `config` that [`Experiment::advance`] carries out a
    /// slice at a time, so that a page can paint between slices at sizes
    /// where a whole run takes longer than a frame. A run in progress is
    /// abandoned. Until the run is done the results are incomplete: read
    /// nothing but [`Experiment::config`] and [`Experiment::progress`].
    /// A rejected config changes nothing.
    pub fn start(&mut self, config: Config) -> Result<(), ConfigError> {
        let config = config.validate()?;
        if let Some(words) = self.tokens()
            && config.tokens != words.len()
        {
            return Err(ConfigError::TokenCount {
                tokens: words.len(),
                t: config.tokens,
            });
        }
        if let Some(next) = self.next_text.take() {
            self.text = next.map(|t| TokenVectors::new(t, config.seed, config.inputs.distribution.draws()));
        }
        if let Some(text) = &mut self.text {
            if config.tokens != text.tokens().len() {
                return Err(ConfigError::TokenCount {
                    tokens: text.tokens().len(),
                    t: config.tokens,
                });
            }
            let draws = config.inputs.distribution.draws();
            if text.seed() != config.seed || text.draws() != draws {
                *text = TokenVectors::new(text.tokens().to_vec(), config.seed, draws);
            }
        }
        let draws = config.inputs.distribution.draws();
        if config.seed != self.stream.seed() || draws != self.stream.draws() {
            self.stream = SampleStream::new(config.seed, draws);
        }
        self.config = config;
        self.stage = Stage::Draw;
        self.adopted.iter_mut().for_each(Vec::clear);
        for panel in &mut self.panels {
            panel.exp_overflows = 0;
        }
        self.work_done = 0;
        self.work_total = self.work_of_draws()
            + self.work_of_fill()
            + self.work_of_rows(0..config.tokens)
            + 2 * self.work_of_finish();
        Ok(())
    }

    /// Carries the run on by about `budget` units of work (one unit is one
    /// multiply-add of the `f32` score kernel; at least one step is always
    /// taken), and returns whether it is done.
    pub fn advance(&mut self, budget: u64) -> bool {
        match self.config.precision {
            Precision::F32 => self.advance_in::<F32>(budget),
            Precision::Bf16 => self.advance_in::<Bf16>(budget),
            Precision::F16 => self.advance_in::<F16>(budget),
        }
    }

    /// Whether the last run is complete (always, after [`Experiment::run`]).
    pub fn is_done(&self) -> bool {
        self.stage == Stage::Done
    }

    /// How much of the run is done, from 0 to 1.
    pub fn progress(&self) -> f64 {
        if self.stage == Stage::Done {
            1.0
        } else {
            self.work_done as f64 / self.work_total.max(1) as f64
        }
    }

    /// The work still to do in the run, in the units of
    /// [`Experiment::advance`] (an estimate; 0 when done).
    pub fn work_left(&self) -> u64 {
        if self.stage == Stage::Done {
            0
        } else {
            self.work_total.saturating_sub(self.work_done)
        }
    }

    fn advance_in<F: Format>(&mut self, budget: u64) -> bool {
        let mut spent = 0u64;
        // A panel's finish cannot be cut short: it starts in this slice only
        // if it fits, or if nothing else has been done (so a slice of a big
        // run never finishes both panels at once).
        let fits = |this: &Self, spent: u64| match this.stage {
            Stage::Done => false,
            Stage::Finish(_) => spent == 0 || spent.saturating_add(this.work_of_finish()) <= budget,
            _ => spent < budget,
        };
        while fits(self, spent) {
            spent = spent.saturating_add(self.step::<F>(budget.saturating_sub(spent).max(1)));
        }
        self.work_done = self.work_done.saturating_add(spent).min(self.work_total);
        self.stage == Stage::Done
    }

    /// Normals still to draw for this run, in work units.
    fn work_of_draws(&self) -> u64 {
        let needed = if self.text.is_some() { 0 } else { self.normals_needed() };
        needed.saturating_sub(self.stream.drawn()) as u64 * cost::DRAW
    }

    fn work_of_fill(&self) -> u64 {
        let c = self.config;
        let rows = if c.qk == QkSource::Independent { 2 } else { 1 };
        (rows * c.tokens * c.d_k) as u64 * cost::FILL
    }

    /// How many values of the seed's stream one matrix (Q, or K) takes.
    fn normals_per_matrix(&self) -> usize {
        self.config.tokens * self.config.draw_width()
    }

    fn normals_needed(&self) -> usize {
        self.config.normals()
    }

    /// Score rows `rows`, in work units: with Q = K only the upper triangle.
    fn work_of_rows(&self, rows: Range<usize>) -> u64 {
        let c = self.config;
        let (t, d) = (c.tokens as u64, c.d_k as u64);
        let per = cost::multiply_add(c.precision) * d;
        if c.qk == QkSource::Independent {
            rows.len() as u64 * t * per
        } else {
            rows.map(|i| (t - i as u64) * per).sum()
        }
    }

    pub(super) fn work_of_finish(&self) -> u64 {
        let t = self.config.tokens as u64;
        t * t * cost::cell(self.config.precision)
    }

    /// One step of the current stage, using about `budget` units; returns
    /// the units used.
    pub(super) fn step<F: Format>(&mut self, budget: u64) -> u64 {
        match self.stage {
            Stage::Draw => self.draw::<F>(budget),
            Stage::Scores { next } => self.score_rows::<F>(next, budget),
            Stage::Finish(panel) => {
                self.finish::<F>(panel);
                self.stage = match panel {
                    Panel::Unscaled => Stage::Finish(Panel::Scaled),
                    Panel::Scaled => Stage::Done,
                };
                self.work_of_finish()
            }
            Stage::Done => 0,
        }
    }

    /// Q (and K) are the first T·d_k (2·T·d_k) values of the seed's stream,
    /// row-major, or one token vector per row for a text; rounded from
    /// NumPy's float64 to f32, then to F.
    fn draw<F: Format>(&mut self, budget: u64) -> u64 {
        let c = self.config;
        let (t, d) = (c.tokens, c.d_k);
        let independent = c.qk == QkSource::Independent;
        if self.text.is_none() && self.stream.drawn() < self.normals_needed() {
            let at_most = usize::try_from(budget / cost::DRAW).unwrap_or(usize::MAX).max(1);
            return self.stream.draw_towards(self.normals_needed(), at_most) as u64 * cost::DRAW;
        }
        if !c.inputs.as_drawn() {
            self.make_inputs::<F>();
        } else if let Some(text) = &mut self.text {
            text.fill(Role::Query, d, &mut self.drawn);
            fill_rounded::<F>(&mut self.q, &self.drawn);
            if independent {
                text.fill(Role::Key, d, &mut self.drawn);
                fill_rounded::<F>(&mut self.k, &self.drawn);
            } else {
                self.k.clear();
            }
        } else {
            let per = self.normals_per_matrix();
            let width = c.draw_width();
            let drawn = self.stream.prefix(self.normals_needed());
            fill_columns::<F>(&mut self.q, &drawn[..per], width, d);
            if independent {
                fill_columns::<F>(&mut self.k, &drawn[per..], width, d);
            } else {
                self.k.clear();
            }
        }
        // QK-norm, before any score (and before cosine, which then changes little).
        logits::normalize_rows::<F>(c.logits.qk_norm, &mut self.q, d);
        if independent {
            logits::normalize_rows::<F>(c.logits.qk_norm, &mut self.k, d);
        }
        if c.score == ScoreFunction::Cosine {
            scores::normalize_rows::<F>(&mut self.q, d, COSINE_EPS);
            if independent {
                scores::normalize_rows::<F>(&mut self.k, d, COSINE_EPS);
            }
        }
        // The float32 kernel reads the keys packed: once per run, not per slice.
        if F::PRECISION == Precision::F32 {
            let keys = if independent { &self.k } else { &self.q };
            self.packed_keys.pack(keys, t, d);
        }
        for panel in &mut self.panels {
            panel.scores.resize(t * t, 0.0);
            panel.probs.resize(t * t, 0.0);
            panel.report = None;
        }
        self.stage = Stage::Scores { next: 0 };
        self.work_of_fill()
    }

    /// Q (and K) through the inputs' steps (inputs.rs), in f64, rounded
    /// once to f32 and then to F: the rows as drawn (from the text's tokens,
    /// or the first d_k columns of the stream's rows), then the
    /// distribution, σ, μ and LayerNorm, then the keys leaning towards their
    /// queries.
    fn make_inputs<F: Format>(&mut self) {
        let c = self.config;
        let (d, independent) = (c.d_k, c.qk == QkSource::Independent);
        let per = self.normals_per_matrix();
        let width = c.draw_width();
        let rows = |drawn: &[f64], out: &mut Vec<f64>| {
            out.clear();
            drawn
                .chunks_exact(width)
                .for_each(|row| out.extend_from_slice(&row[..d]));
        };
        match &mut self.text {
            Some(text) => text.fill(Role::Query, d, &mut self.drawn),
            None => rows(&self.stream.prefix(self.normals_needed())[..per], &mut self.drawn),
        }
        c.inputs.make_rows(&mut self.drawn, d);
        fill_rounded::<F>(&mut self.q, &self.drawn);
        if !independent {
            self.k.clear();
            return;
        }
        match &mut self.text {
            Some(text) => text.fill(Role::Key, d, &mut self.drawn_keys),
            None => rows(&self.stream.prefix(self.normals_needed())[per..], &mut self.drawn_keys),
        }
        c.inputs.make_rows(&mut self.drawn_keys, d);
        c.inputs.correlate(&self.drawn, &mut self.drawn_keys);
        fill_rounded::<F>(&mut self.k, &self.drawn_keys);
    }

    /// The unscaled panel's scores, rows `next..` for about `budget` units
    /// (whole blocks of rows, as the kernel takes them).
    fn score_rows<F: Format>(&mut self, next: usize, budget: u64) -> u64 {
        let c = self.config;
        let t = c.tokens;
        let mut end = next;
        let mut used = 0;
        while end < t && (used == 0 || used < budget) {
            let block = end..(end + kernel::MR).min(t);
            used += self.work_of_rows(block.clone());
            end = block.end;
        }
        self.compute_score_rows::<F>(next..end);
        self.stage = if end < t {
            Stage::Scores { next: end }
        } else {
            self.scores_complete();
            Stage::Finish(Panel::Unscaled)
        };
        used
    }

    /// The raw scores are all computed: with Q = K the lower triangle is
    /// mirrored in, and where a gain or a cap makes each panel's logits from
    /// them, they are kept. (A band finished elsewhere does the same for its
    /// rows, `finish_band`.)
    pub(super) fn scores_complete(&mut self) {
        let t = self.config.tokens;
        let raw = &mut self.panels[Panel::Unscaled as usize].scores;
        if self.config.qk != QkSource::Independent {
            scores::mirror_upper(matrix_mut(raw, t, t));
        }
        if self.config.logits.transforms_scores() {
            self.raw_scores.clear();
            self.raw_scores.extend_from_slice(raw);
        }
    }

    /// Rows `rows` of the unscaled scores (their upper-triangle part when
    /// Q = K), with the keys drawn and packed.
    pub(super) fn compute_score_rows<F: Format>(&mut self, rows: Range<usize>) {
        let c = self.config;
        let (t, d) = (c.tokens, c.d_k);
        let q = matrix(&self.q, t, d);
        let out = matrix_mut(&mut self.panels[Panel::Unscaled as usize].scores, t, t);
        let independent = c.qk == QkSource::Independent;
        let keys = if independent { matrix(&self.k, t, d) } else { q };
        let keys = if F::PRECISION == Precision::F32 {
            scores::Keys::packed(keys, &self.packed_keys)
        } else {
            scores::Keys::rows(keys)
        };
        if independent {
            scores::cross_scores_rows::<F>(q, keys, out, rows);
        } else {
            scores::self_scores_rows::<F>(q, keys, out, rows);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A slice whose budget would cover one panel's finish and most of the
    /// next finishes one: the next panel waits for the next slice (and a
    /// slice that has done nothing yet always takes a step, however small
    /// its budget).
    #[test]
    fn a_slice_finishes_one_panel_at_most_when_two_do_not_fit() {
        let mut e = Experiment::new();
        let config = Config {
            tokens: 64,
            d_k: 16,
            ..Config::default()
        };
        e.start(config).unwrap();
        while !matches!(e.stage, Stage::Finish(_)) {
            e.advance(1);
        }
        let one = e.work_of_finish();
        assert!(!e.advance(one + one / 2));
        assert_eq!(e.stage, Stage::Finish(Panel::Scaled));
        assert!(e.advance(1));
    }
}
