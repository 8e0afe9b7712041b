//! The experiment: the notebook's "Scaling effect demo", in every mode.
//!
//! ```text
//! Q, K ~ N(0, 1), T × d_k         np.random.seed(seed); Q = randn(T, d_k)
//!                                 (K = Q, or K = randn(T, d_k) drawn next)
//! S = Q Kᵀ  (or cosine)            "unscaled" panel's scores
//! S · scale                        "scaled" panel's scores (scale = 1/√d_k …)
//! softmax(scores / τ), by rows     the two heatmaps
//! std, diagonal split, saturation  the numbers beside them
//! ```
//!
//! Every step is rounded to the chosen [`Precision`]. [`Experiment`] keeps
//! its buffers between runs: moving the d_k slider resizes them within their
//! capacity and extends the seed's cached normal stream, so after the largest
//! size has been seen a step allocates nothing.
//!
//! A run can also be carried out in slices ([`Experiment::start`], then
//! [`Experiment::advance`] with a budget of work), so that a page can paint
//! between them at sizes (T = 1024, d_k = 4096) where a whole run takes
//! hundreds of milliseconds. Slices give exactly the results of one call.

use ndarray::{ArrayView2, ArrayViewMut2};

use crate::config::COSINE_EPS;
pub use crate::config::{Columns, Config, ConfigError, KEPT_WIDTH, QkSource, ScaleRule, ScoreFunction};
use crate::metrics::{self, Saturation};
use crate::numpy_random::NormalStream;
use crate::precision::{Bf16, F16, F32, Format, Precision};
use crate::scores;
use crate::softmax;
use crate::stats::{self, DiagonalSplit};
use crate::tokens::{Role, TokenVectors};

/// One of the two heatmaps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Panel {
    /// `softmax(S / τ)`.
    Unscaled = 0,
    /// `softmax(S · scale / τ)`.
    Scaled = 1,
}

/// The numbers shown beside one heatmap.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PanelReport {
    /// Population std of the panel's scores (before the temperature), as
    /// the notebook prints it.
    pub std: f64,
    /// Diagonal and off-diagonal statistics of the same scores.
    pub split: DiagonalSplit,
    /// How saturated the softmax rows are, and the gradient they pass.
    pub saturation: Saturation,
    /// How many `exp` results overflowed to +∞ (naive softmax only).
    pub exp_overflows: usize,
}

#[derive(Clone, Debug)]
struct PanelBuffers {
    scores: Vec<f32>,
    logits: Vec<f32>,
    probs: Vec<f32>,
    gradients: Vec<f32>,
    report: Option<PanelReport>,
}

impl PanelBuffers {
    fn new() -> Self {
        Self {
            scores: Vec::new(),
            logits: Vec::new(),
            probs: Vec::new(),
            gradients: Vec::new(),
            report: None,
        }
    }
}

/// The experiment's state: the cached random stream and every matrix of the
/// last run, each stored row-major in a buffer that is reused.
#[derive(Clone, Debug)]
pub struct Experiment {
    stream: NormalStream,
    /// The visitor's tokens, when the rows of Q and K come from a text.
    text: Option<TokenVectors>,
    /// Tokens set since the last start (`Some(None)`: back to the stream).
    next_text: Option<Option<Vec<String>>>,
    /// Token vectors as drawn (f64), before rounding into `q` / `k`.
    drawn: Vec<f64>,
    config: Config,
    q: Vec<f32>,
    k: Vec<f32>,
    panels: [PanelBuffers; 2],
    /// How far the run of `config` has got.
    stage: Stage,
    work_done: u64,
    work_total: u64,
}

/// The stages of a run, in order. A run can stop between any two calls to
/// [`Experiment::advance`]; each stage records where to go on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Stage {
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
/// stage and number format: ~0.09 ns per `f32` multiply-add, 13 ns per
/// normal, 13 ns per cell and panel in `f32`.
mod cost {
    use crate::precision::Precision;

    /// One standard normal (Mersenne Twister, polar method, `libm::log`).
    pub const DRAW: u64 = 144;
    /// Copying one drawn value into Q or K (rounded to the format).
    pub const FILL: u64 = 16;

    /// One multiply-add of the score kernel: low precision rounds twice per
    /// step (SIMD too, but unblocked: 0.47 ns in bf16, 1.3 ns in f16).
    pub fn multiply_add(precision: Precision) -> u64 {
        match precision {
            Precision::F32 => 1,
            Precision::Bf16 => 5,
            Precision::F16 => 14,
        }
    }

    /// Per cell and panel: scaling, softmax, statistics and metrics (19 ns
    /// in bf16, 34 ns in f16).
    pub fn cell(precision: Precision) -> u64 {
        match precision {
            Precision::F32 => 144,
            Precision::Bf16 => 210,
            Precision::F16 => 370,
        }
    }
}

impl Default for Experiment {
    fn default() -> Self {
        Self::new()
    }
}

impl Experiment {
    /// An experiment that has already run once with [`Config::NOTEBOOK`].
    pub fn new() -> Self {
        let mut experiment = Self {
            stream: NormalStream::new(Config::NOTEBOOK.seed),
            text: None,
            next_text: None,
            drawn: Vec::new(),
            config: Config::NOTEBOOK,
            q: Vec::new(),
            k: Vec::new(),
            panels: [PanelBuffers::new(), PanelBuffers::new()],
            stage: Stage::Done,
            work_done: 0,
            work_total: 0,
        };
        // Not `expect`: its message would format the error, and that pulls
        // float formatting (~20 KB) into the WebAssembly.
        let ran = experiment.run(Config::NOTEBOOK);
        debug_assert!(ran.is_ok(), "the notebook's config is valid");
        experiment
    }

    /// Takes the rows of Q and K from these (normalised) tokens, one row per
    /// token (see [`crate::tokens`]), or, with `None`, from the seed's
    /// stream again. Takes effect at the next [`Experiment::run`], whose T
    /// must then be the number of tokens.
    ///
    /// A run in progress carries on with the rows it started with: the new
    /// tokens wait for the next start (which checks T against them).
    pub fn set_tokens(&mut self, tokens: Option<Vec<String>>) {
        self.next_text = Some(tokens);
    }

    /// The tokens the next run uses, if its rows come from a text.
    pub fn tokens(&self) -> Option<&[String]> {
        match &self.next_text {
            Some(next) => next.as_deref(),
            None => self.text.as_ref().map(TokenVectors::tokens),
        }
    }

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
            self.text = next.map(|t| TokenVectors::new(t, config.seed));
        }
        if let Some(text) = &mut self.text {
            if config.tokens != text.tokens().len() {
                return Err(ConfigError::TokenCount {
                    tokens: text.tokens().len(),
                    t: config.tokens,
                });
            }
            if text.seed() != config.seed {
                *text = TokenVectors::new(text.tokens().to_vec(), config.seed);
            }
        }
        if config.seed != self.stream.seed() {
            self.stream = NormalStream::new(config.seed);
        }
        self.config = config;
        self.stage = Stage::Draw;
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
        while self.stage != Stage::Done && (spent == 0 || spent < budget) {
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
    fn work_of_rows(&self, rows: std::ops::Range<usize>) -> u64 {
        let c = self.config;
        let (t, d) = (c.tokens as u64, c.d_k as u64);
        let per = cost::multiply_add(c.precision) * d;
        if c.qk == QkSource::Independent {
            rows.len() as u64 * t * per
        } else {
            rows.map(|i| (t - i as u64) * per).sum()
        }
    }

    fn work_of_finish(&self) -> u64 {
        let t = self.config.tokens as u64;
        t * t * cost::cell(self.config.precision)
    }

    /// One step of the current stage, using about `budget` units; returns
    /// the units used.
    fn step<F: Format>(&mut self, budget: u64) -> u64 {
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
        if let Some(text) = &mut self.text {
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
        if c.score == ScoreFunction::Cosine {
            scores::normalize_rows::<F>(&mut self.q, d, COSINE_EPS);
            if independent {
                scores::normalize_rows::<F>(&mut self.k, d, COSINE_EPS);
            }
        }
        for panel in &mut self.panels {
            panel.scores.resize(t * t, 0.0);
            panel.probs.resize(t * t, 0.0);
            panel.report = None;
        }
        self.stage = Stage::Scores { next: 0 };
        self.work_of_fill()
    }

    /// The unscaled panel's scores, rows `next..` for about `budget` units
    /// (whole blocks of rows, as the kernel takes them).
    fn score_rows<F: Format>(&mut self, next: usize, budget: u64) -> u64 {
        let c = self.config;
        let (t, d) = (c.tokens, c.d_k);
        let mut end = next;
        let mut used = 0;
        while end < t && (used == 0 || used < budget) {
            let block = end..(end + scores::ROWS).min(t);
            used += self.work_of_rows(block.clone());
            end = block.end;
        }
        let q = matrix(&self.q, t, d);
        let out = matrix_mut(&mut self.panels[Panel::Unscaled as usize].scores, t, t);
        if c.qk == QkSource::Independent {
            scores::cross_scores_rows::<F>(q, matrix(&self.k, t, d), out, next..end);
        } else {
            scores::self_scores_rows::<F>(q, out, next..end);
        }
        self.stage = if end < t {
            Stage::Scores { next: end }
        } else {
            if c.qk != QkSource::Independent {
                scores::mirror_upper(matrix_mut(&mut self.panels[Panel::Unscaled as usize].scores, t, t));
            }
            Stage::Finish(Panel::Unscaled)
        };
        used
    }

    /// A panel's scores (the scaled panel's from the unscaled ones: one
    /// matrix product serves both), softmax, statistics and metrics.
    fn finish<F: Format>(&mut self, which: Panel) {
        let c = self.config;
        let t = c.tokens;
        let [unscaled, scaled] = &mut self.panels;
        let panel = match which {
            Panel::Unscaled => unscaled,
            Panel::Scaled => {
                let factor = F::round(c.scale.factor(c.d_k) as f32);
                scores::scale_into::<F>(
                    matrix(&unscaled.scores, t, t),
                    factor,
                    matrix_mut(&mut scaled.scores, t, t),
                );
                scaled
            }
        };
        let tau = F::round(c.temperature as f32);
        // τ = 1 divides by one, which changes nothing; skip the copy.
        let logits = if tau == 1.0 {
            &panel.scores
        } else {
            panel.logits.resize(t * t, 0.0);
            scores::divide_into::<F>(matrix(&panel.scores, t, t), tau, matrix_mut(&mut panel.logits, t, t));
            &panel.logits
        };
        let exp_overflows =
            softmax::softmax_rows::<F>(c.softmax, matrix(logits, t, t), matrix_mut(&mut panel.probs, t, t));
        panel.report = Some(report(panel, t, exp_overflows));
    }

    /// The configuration of the last run.
    pub fn config(&self) -> Config {
        self.config
    }

    /// The numbers of one panel of the last run.
    ///
    /// # Panics
    /// While a run started with [`Experiment::start`] is not done.
    pub fn report(&self, panel: Panel) -> PanelReport {
        self.panels[panel as usize]
            .report
            .expect("the run is done (see Experiment::is_done)")
    }

    /// Q as used (after rounding, and normalising for cosine), T × d_k.
    pub fn q(&self) -> ArrayView2<'_, f32> {
        matrix(&self.q, self.config.tokens, self.config.d_k)
    }

    /// K as used, T × d_k (the same as [`Experiment::q`] when Q = K).
    pub fn k(&self) -> ArrayView2<'_, f32> {
        let k = if self.config.qk == QkSource::Independent {
            &self.k
        } else {
            &self.q
        };
        matrix(k, self.config.tokens, self.config.d_k)
    }

    /// A panel's scores before the temperature, T × T.
    pub fn scores(&self, panel: Panel) -> ArrayView2<'_, f32> {
        let t = self.config.tokens;
        matrix(&self.panels[panel as usize].scores, t, t)
    }

    /// A panel's softmax rows, T × T.
    pub fn probabilities(&self, panel: Panel) -> ArrayView2<'_, f32> {
        let t = self.config.tokens;
        matrix(&self.panels[panel as usize].probs, t, t)
    }

    /// The unscaled std ÷ √d_k: about 1 at every d_k when Q and K are
    /// independent (each score has variance d_k), growing with d_k when
    /// Q = K (the diagonal |x|² ≈ d_k widens the spread).
    pub fn unscaled_std_per_root_dk(&self) -> f64 {
        self.report(Panel::Unscaled).std / self.sqrt_dk()
    }

    /// `√d_k`, the factor the notebook divides by, for comparison.
    pub fn sqrt_dk(&self) -> f64 {
        (self.config.d_k as f64).sqrt()
    }

    /// The standard deviation theory gives a panel's scores, where it is
    /// simple: with independent Q and K and dot products, `q · k` ~ N(0, d_k),
    /// so `√d_k` unscaled and `√d_k · scale` scaled (1 for `1/√d_k`).
    pub fn theory_sigma(&self, panel: Panel) -> Option<f64> {
        let c = self.config;
        if c.qk != QkSource::Independent || c.score != ScoreFunction::Dot {
            return None;
        }
        let sigma = (c.d_k as f64).sqrt();
        Some(match panel {
            Panel::Unscaled => sigma,
            Panel::Scaled => sigma * c.scale.factor(c.d_k),
        })
    }

    /// A histogram of a panel's scores (before the temperature) in `bins`
    /// bins. Both panels share one range, from the smallest to the largest
    /// score of either, so that drawn on the same axis the scaled scores
    /// show how much narrower they are.
    pub fn histogram(&self, panel: Panel, bins: usize) -> stats::Histogram {
        let [unscaled, scaled] =
            [Panel::Unscaled, Panel::Scaled].map(|p| stats::finite_extent(self.scores(p).iter().copied()));
        let extent = match (unscaled, scaled) {
            (Some((a, b)), Some((c, d))) => Some((a.min(c), b.max(d))),
            (one, other) => one.or(other),
        };
        let (lo, hi) = stats::histogram_range(extent);
        stats::histogram_in(self.scores(panel), bins, lo, hi)
    }

    /// A panel's per-row gradient signal `‖diag(p) − p pᵀ‖_F` (NaN for rows
    /// with NaN), length T.
    pub fn row_gradients(&self, panel: Panel) -> &[f32] {
        &self.panels[panel as usize].gradients
    }
}

/// A finished panel's numbers. Not generic and not inlined: one copy serves
/// every number format (the WebAssembly stays smaller).
#[inline(never)]
fn report(panel: &mut PanelBuffers, t: usize, exp_overflows: usize) -> PanelReport {
    PanelReport {
        std: stats::population_std(&panel.scores),
        split: stats::diagonal_split(matrix(&panel.scores, t, t)),
        saturation: metrics::saturation(matrix(&panel.probs, t, t), &mut panel.gradients),
        exp_overflows,
    }
}

fn fill_rounded<F: Format>(buffer: &mut Vec<f32>, values: &[f64]) {
    buffer.clear();
    buffer.extend(values.iter().map(|&v| F::round(v as f32)));
}

/// The first `d` columns of the row-major matrix `values` of rows of
/// `width`, rounded to the format (all of it when `width == d`).
fn fill_columns<F: Format>(buffer: &mut Vec<f32>, values: &[f64], width: usize, d: usize) {
    buffer.clear();
    for row in values.chunks_exact(width) {
        buffer.extend(row[..d].iter().map(|&v| F::round(v as f32)));
    }
}

fn matrix(buffer: &[f32], rows: usize, cols: usize) -> ArrayView2<'_, f32> {
    ArrayView2::from_shape((rows, cols), &buffer[..rows * cols]).expect("buffer holds rows·cols values")
}

fn matrix_mut(buffer: &mut [f32], rows: usize, cols: usize) -> ArrayViewMut2<'_, f32> {
    ArrayViewMut2::from_shape((rows, cols), &mut buffer[..rows * cols]).expect("buffer holds rows·cols values")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::softmax::SoftmaxKind;

    fn run(config: Config) -> Experiment {
        let mut e = Experiment::new();
        e.run(config).unwrap();
        e
    }

    #[test]
    fn rejected_configs_keep_the_previous_result() {
        let mut e = Experiment::new();
        assert_eq!(
            e.run(Config {
                tokens: 0,
                ..Config::NOTEBOOK
            }),
            Err(ConfigError::Tokens(0))
        );
        assert_eq!(e.config(), Config::NOTEBOOK);
    }

    /// Bits of everything a run produces, for exact comparisons.
    fn fingerprint(e: &Experiment) -> Vec<u64> {
        let mut bits: Vec<u64> = e
            .q()
            .iter()
            .chain(e.k().iter())
            .map(|v| u64::from(v.to_bits()))
            .collect();
        for panel in [Panel::Unscaled, Panel::Scaled] {
            bits.extend(
                e.scores(panel)
                    .iter()
                    .chain(e.probabilities(panel).iter())
                    .map(|v| u64::from(v.to_bits())),
            );
            bits.extend(e.row_gradients(panel).iter().map(|v| u64::from(v.to_bits())));
            let r = e.report(panel);
            bits.extend([r.std, r.split.off_diagonal_std, r.saturation.entropy_mean].map(f64::to_bits));
        }
        bits
    }

    /// A run done in slices, with budgets from one unit up, gives exactly
    /// what one call gives, in every mode and precision, and its progress
    /// only grows, reaching 1 when it is done.
    #[test]
    fn runs_in_slices_equal_whole_runs() {
        let base = Config {
            tokens: 37,
            d_k: 52,
            seed: 9,
            ..Config::NOTEBOOK
        };
        let configs = [
            base,
            Config {
                qk: QkSource::Independent,
                ..base
            },
            Config {
                score: ScoreFunction::Cosine,
                temperature: 0.5,
                ..base
            },
            Config {
                precision: Precision::F16,
                softmax: SoftmaxKind::Naive,
                ..base
            },
            Config {
                precision: Precision::Bf16,
                qk: QkSource::Independent,
                ..base
            },
        ];
        for config in configs {
            let whole = run(config);
            for budget in [1, 700, 5_000, 60_000] {
                let mut sliced = Experiment::new();
                sliced.start(config).unwrap();
                assert!(!sliced.is_done());
                let (mut steps, mut last) = (0, 0.0);
                while !sliced.advance(budget) {
                    let p = sliced.progress();
                    assert!((last..1.0).contains(&p), "{config:?}: progress {last} then {p}");
                    assert!(sliced.work_left() > 0);
                    last = p;
                    steps += 1;
                }
                assert_eq!((sliced.progress(), sliced.work_left()), (1.0, 0));
                assert_eq!(fingerprint(&sliced), fingerprint(&whole), "{config:?} budget {budget}");
                if budget <= 5_000 {
                    assert!(
                        steps > 3,
                        "{config:?}: budget {budget} should take slices, took {steps}"
                    );
                }
            }
        }
    }

    /// Starting a new run abandons the one in progress; a rejected one
    /// leaves it going; draws made by an abandoned run are kept.
    #[test]
    fn a_new_start_abandons_the_run_in_progress() {
        let big = Config {
            tokens: 64,
            d_k: 256,
            ..Config::NOTEBOOK
        };
        let small = Config {
            tokens: 12,
            d_k: 20,
            ..Config::NOTEBOOK
        };
        let mut e = Experiment::new();
        e.start(big).unwrap();
        e.advance(100_000);
        let drawn_by_big = e.stream.drawn();
        assert!(
            drawn_by_big > 12 * 20,
            "the abandoned run must draw more than the next one needs"
        );
        assert!(drawn_by_big < 64 * 256, "the abandoned run must be unfinished");
        assert!(e.start(Config { d_k: 0, ..small }).is_err());
        assert_eq!(e.config(), big);
        e.start(small).unwrap();
        e.advance(u64::MAX);
        assert_eq!(fingerprint(&e), fingerprint(&run(small)));
        // Same seed: the small run reuses the cached draws and draws no more.
        assert_eq!(e.stream.drawn(), drawn_by_big);
    }

    /// A run of a new seed at the largest sizes is sliced from its first
    /// draw: no single step of a small budget does much more than asked.
    #[test]
    fn slices_stay_near_their_budget_in_every_stage() {
        let config = Config {
            tokens: 300,
            d_k: 1000,
            seed: 5,
            ..Config::NOTEBOOK
        };
        let mut e = Experiment::new();
        e.start(config).unwrap();
        let budget = 2_000_000;
        let mut before = 0.0;
        let total = e.work_total as f64;
        while !e.advance(budget) {
            let step = (e.progress() - before) * total;
            // A slice may finish one pair of rows, or one panel, past its budget.
            let overshoot = (2 * config.d_k * config.tokens) as f64 + e.work_of_finish() as f64;
            assert!(
                step <= budget as f64 + overshoot,
                "a slice did {step} units for a budget of {budget}"
            );
            before = e.progress();
        }
    }

    #[test]
    fn unscaled_std_is_sqrt_dk_times_scaled_std() {
        let mut e = Experiment::new();
        for d_k in [4, 16, 100, 256] {
            e.run(Config {
                d_k,
                ..Config::NOTEBOOK
            })
            .unwrap();
            let ratio = e.report(Panel::Unscaled).std / e.report(Panel::Scaled).std;
            assert!(
                (ratio / (d_k as f64).sqrt() - 1.0).abs() < 1e-6,
                "d_k {d_k}: ratio {ratio}"
            );
        }
    }

    #[test]
    fn self_mode_diagonal_holds_squared_norms() {
        let e = run(Config {
            tokens: 12,
            d_k: 64,
            seed: 3,
            ..Config::NOTEBOOK
        });
        let q = e.q();
        for i in 0..12 {
            let norm2: f32 = q.row(i).iter().map(|v| v * v).sum();
            assert!((e.scores(Panel::Unscaled)[[i, i]] - norm2).abs() <= 1e-4 * norm2);
        }
        assert_eq!(e.q(), e.k());
    }

    #[test]
    fn independent_keys_follow_queries_in_the_stream() {
        let e = run(Config {
            tokens: 3,
            d_k: 4,
            qk: QkSource::Independent,
            ..Config::NOTEBOOK
        });
        let stream: Vec<f32> = NormalStream::new(42).prefix(24).iter().map(|&v| v as f32).collect();
        assert_eq!(e.q().as_slice().unwrap(), &stream[..12]);
        assert_eq!(e.k().as_slice().unwrap(), &stream[12..]);
    }

    #[test]
    fn temperature_divides_the_logits_not_the_reported_scores() {
        let base = run(Config::NOTEBOOK);
        let hot = run(Config {
            temperature: 4.0,
            ..Config::NOTEBOOK
        });
        assert_eq!(base.report(Panel::Scaled).std, hot.report(Panel::Scaled).std);
        let (b, h) = (
            base.report(Panel::Scaled).saturation,
            hot.report(Panel::Scaled).saturation,
        );
        assert!(h.entropy_mean > b.entropy_mean);
    }

    #[test]
    fn cosine_scores_are_bounded() {
        for qk in [QkSource::SelfAttention, QkSource::Independent] {
            let e = run(Config {
                d_k: 256,
                score: ScoreFunction::Cosine,
                qk,
                ..Config::NOTEBOOK
            });
            assert!(e.scores(Panel::Unscaled).iter().all(|s| s.abs() <= 1.0 + 1e-6));
        }
    }

    #[test]
    fn results_depend_only_on_the_config_not_on_history() {
        let target = Config {
            tokens: 9,
            d_k: 20,
            seed: 11,
            ..Config::NOTEBOOK
        };
        let fresh = run(target);
        let mut used = Experiment::new();
        for d_k in [200, 4, 64] {
            let qk = if d_k == 4 {
                QkSource::Independent
            } else {
                QkSource::SelfAttention
            };
            used.run(Config {
                tokens: 30,
                d_k,
                seed: 11,
                qk,
                temperature: 3.0,
                ..Config::NOTEBOOK
            })
            .unwrap();
        }
        used.run(Config { seed: 5, ..target }).unwrap();
        used.run(target).unwrap();
        assert_eq!(fresh.probabilities(Panel::Scaled), used.probabilities(Panel::Scaled));
        assert_eq!(fresh.report(Panel::Unscaled), used.report(Panel::Unscaled));
    }

    /// Tokens set while a run is in progress wait for the next start: the
    /// run finishes with the rows it began with (before, its next slice
    /// indexed the new, shorter token list and panicked).
    #[test]
    fn tokens_set_mid_run_wait_for_the_next_start() {
        let big = Config {
            tokens: 64,
            d_k: 256,
            ..Config::NOTEBOOK
        };
        let mut e = Experiment::new();
        e.start(big).unwrap();
        e.advance(1_000);
        e.set_tokens(Some(vec!["a".into(), "b".into(), "c".into()]));
        e.advance(u64::MAX);
        assert_eq!(fingerprint(&e), fingerprint(&run(big)));
        assert_eq!(e.start(big), Err(ConfigError::TokenCount { tokens: 3, t: 64 }));
        e.run(Config { tokens: 3, ..big }).unwrap();
        assert_eq!(e.q().nrows(), 3);
        e.set_tokens(None);
        e.run(big).unwrap();
        assert_eq!(fingerprint(&e), fingerprint(&run(big)));
    }

    /// Shapes a wasm32 module cannot hold are refused, not attempted.
    #[test]
    fn runs_beyond_the_memory_budget_are_refused() {
        let independent = Config {
            qk: QkSource::Independent,
            ..Config::NOTEBOOK
        };
        let page_max = Config {
            tokens: 1024,
            d_k: 4096,
            ..independent
        };
        assert_eq!(page_max.validate(), Ok(page_max));
        let huge = Config {
            tokens: 4096,
            d_k: 65_536,
            ..independent
        };
        assert_eq!(
            huge.validate(),
            Err(ConfigError::TooLarge {
                tokens: 4096,
                d_k: 65_536
            })
        );
        assert_eq!(
            Experiment::new().start(huge),
            Err(ConfigError::TooLarge {
                tokens: 4096,
                d_k: 65_536
            })
        );
    }

    /// Keeping the tokens, growing d_k appends columns to the same Q and K;
    /// a fresh draw per d_k changes every token.
    #[test]
    fn kept_tokens_grow_by_appending_columns() {
        for qk in [QkSource::SelfAttention, QkSource::Independent] {
            let at = |d_k, columns| {
                let e = run(Config {
                    tokens: 6,
                    d_k,
                    qk,
                    columns,
                    ..Config::NOTEBOOK
                });
                (e.q().to_owned(), e.k().to_owned())
            };
            let first16 = |m: &ndarray::Array2<f32>| {
                m.rows()
                    .into_iter()
                    .flat_map(|r| r.iter().take(16).copied().collect::<Vec<_>>())
                    .collect::<Vec<f32>>()
            };
            let (small, large) = (at(16, Columns::Keep), at(20, Columns::Keep));
            assert_eq!(first16(&large.0), small.0.iter().copied().collect::<Vec<_>>());
            assert_eq!(first16(&large.1), small.1.iter().copied().collect::<Vec<_>>());
            let (fresh_small, fresh_large) = (at(16, Columns::Fresh), at(20, Columns::Fresh));
            assert_ne!(
                first16(&fresh_large.0),
                fresh_small.0.iter().copied().collect::<Vec<_>>()
            );
        }
        let too_wide = Config {
            d_k: KEPT_WIDTH + 4,
            columns: Columns::Keep,
            ..Config::NOTEBOOK
        };
        assert_eq!(too_wide.validate(), Err(ConfigError::KeptDimension(KEPT_WIDTH + 4)));
    }

    /// Both histograms span the scores of both panels, whichever is wider:
    /// the unscaled one for 1/√d_k, the scaled one for a factor above 1.
    #[test]
    fn both_histograms_share_the_range_of_both_panels() {
        for scale in [ScaleRule::InverseSqrt, ScaleRule::Custom(10.0)] {
            let e = run(Config {
                tokens: 12,
                d_k: 64,
                scale,
                ..Config::NOTEBOOK
            });
            let extent = |p: Panel| {
                let m = e.scores(p);
                let lo = m.iter().copied().fold(f32::INFINITY, f32::min);
                let hi = m.iter().copied().fold(f32::NEG_INFINITY, f32::max);
                (f64::from(lo), f64::from(hi))
            };
            let wider = if scale == ScaleRule::InverseSqrt {
                Panel::Unscaled
            } else {
                Panel::Scaled
            };
            for panel in [Panel::Unscaled, Panel::Scaled] {
                let h = e.histogram(panel, 24);
                assert_eq!((h.lo, h.hi), extent(wider), "{scale:?} {panel:?}");
            }
        }
    }

    #[test]
    fn histograms_count_all_t_squared_scores() {
        for qk in [QkSource::SelfAttention, QkSource::Independent] {
            let e = run(Config {
                tokens: 13,
                d_k: 40,
                qk,
                ..Config::NOTEBOOK
            });
            for panel in [Panel::Unscaled, Panel::Scaled] {
                let h = e.histogram(panel, 24);
                let total: u32 = h.off_diagonal.iter().chain(&h.diagonal).sum();
                assert_eq!(total, 13 * 13);
                assert_eq!(h.diagonal.iter().sum::<u32>(), 13);
            }
        }
    }

    #[test]
    fn theory_sigma_only_where_theory_is_simple() {
        let indep = run(Config {
            d_k: 64,
            qk: QkSource::Independent,
            ..Config::NOTEBOOK
        });
        assert_eq!(indep.theory_sigma(Panel::Unscaled), Some(8.0));
        assert_eq!(indep.theory_sigma(Panel::Scaled), Some(1.0));
        assert_eq!(run(Config::NOTEBOOK).theory_sigma(Panel::Unscaled), None);
    }

    #[test]
    fn text_rows_are_token_vectors_and_repeated_words_match() {
        let words: Vec<String> = ["the", "cat", "saw", "the", "dog"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let mut e = Experiment::new();
        e.set_tokens(Some(words.clone()));
        let config = Config {
            tokens: 5,
            d_k: 32,
            ..Config::NOTEBOOK
        };
        e.run(config).unwrap();
        let q = e.q();
        assert_eq!(q.row(0), q.row(3));
        let s = e.scores(Panel::Unscaled);
        assert_eq!(
            s[[0, 3]],
            s[[0, 0]],
            "a repeated word scores with its twin as with itself"
        );
        // Wrong T is refused; a new seed redraws the vectors.
        assert_eq!(
            e.run(Config { tokens: 4, ..config }),
            Err(ConfigError::TokenCount { tokens: 5, t: 4 })
        );
        let before = e.q().to_owned();
        e.run(Config { seed: 43, ..config }).unwrap();
        assert_ne!(e.q(), before.view());
        // Back to random tokens.
        e.set_tokens(None);
        e.run(Config::NOTEBOOK).unwrap();
        assert_eq!(e.tokens(), None);
    }

    #[test]
    fn naive_softmax_breaks_where_the_format_overflows() {
        // With Q = K unscaled, the diagonal |x|² ≈ d_k: f16's exp overflows
        // above 11.09, f32's above 88.72.
        let nan_rows = |precision, d_k| {
            let c = Config {
                d_k,
                softmax: SoftmaxKind::Naive,
                precision,
                ..Config::NOTEBOOK
            };
            run(c).report(Panel::Unscaled).saturation.nan_rows
        };
        assert!(nan_rows(Precision::F16, 4) == 0);
        assert!(nan_rows(Precision::F16, 16) >= 5);
        assert!(nan_rows(Precision::F16, 64) == 10);
        assert!(nan_rows(Precision::F32, 64) == 0);
        assert!(nan_rows(Precision::F32, 128) >= 5);
        assert!(nan_rows(Precision::Bf16, 128) >= 5);
        for &precision in Precision::ALL {
            let c = Config {
                d_k: 256,
                precision,
                ..Config::NOTEBOOK
            };
            assert_eq!(
                run(c).report(Panel::Unscaled).saturation.nan_rows,
                0,
                "stable {precision}"
            );
        }
    }
}
