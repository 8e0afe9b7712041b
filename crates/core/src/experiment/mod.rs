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
//! Every step is rounded to the chosen [`Precision`](crate::precision::Precision). [`Experiment`] keeps
//! its buffers between runs: moving the d_k slider resizes them within their
//! capacity and extends the seed's cached normal stream, so after the largest
//! size has been seen a step allocates nothing.
//!
//! A run can also be carried out in slices ([`Experiment::start`], then
//! [`Experiment::advance`] with a budget of work), so that a page can paint
//! between them at sizes (T = 1024, d_k = 4096) where a whole run takes
//! hundreds of milliseconds. Slices give exactly the results of one call.

use ndarray::{ArrayView2, ArrayViewMut2};

pub use crate::config::{Columns, Config, ConfigError, KEPT_WIDTH, QkSource, ScaleRule, ScoreFunction};
use crate::kernel::PackedKeys;
use crate::mask::Mask;
use crate::metrics::{self, RowSaturation, Saturation};
use crate::numpy_random::SampleStream;
use crate::precision::Format;
use crate::stats::{self, DiagonalSplit};
use crate::tokens::TokenVectors;

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
    /// Each row's part of the saturation metrics.
    rows: Vec<RowSaturation>,
    /// `exp` overflows of the bands adopted so far.
    exp_overflows: usize,
    report: Option<PanelReport>,
}

impl PanelBuffers {
    fn new() -> Self {
        Self {
            scores: Vec::new(),
            logits: Vec::new(),
            probs: Vec::new(),
            gradients: Vec::new(),
            rows: Vec::new(),
            exp_overflows: 0,
            report: None,
        }
    }
}

/// The experiment's state: the cached random stream and every matrix of the
/// last run, each stored row-major in a buffer that is reused.
#[derive(Clone, Debug)]
pub struct Experiment {
    stream: SampleStream,
    /// The visitor's tokens, when the rows of Q and K come from a text.
    text: Option<TokenVectors>,
    /// Tokens set since the last start (`Some(None)`: back to the stream).
    next_text: Option<Option<Vec<String>>>,
    /// Token vectors as drawn (f64), before rounding into `q` / `k`.
    drawn: Vec<f64>,
    /// The keys' rows in f64, while the inputs' steps make them.
    drawn_keys: Vec<f64>,
    /// The raw scores Q Kᵀ, kept while a gain or a cap makes each panel's
    /// logits from them (else the unscaled panel's scores are the raw ones).
    raw_scores: Vec<f32>,
    config: Config,
    q: Vec<f32>,
    k: Vec<f32>,
    /// The keys (K, or Q when Q = K) packed for the float32 kernel.
    packed_keys: PackedKeys,
    panels: [PanelBuffers; 2],
    /// How far the run of `config` has got.
    stage: Stage,
    /// Which rows of each panel of the run in progress were adopted from
    /// other engines' bands.
    adopted: [Vec<bool>; 2],
    work_done: u64,
    work_total: u64,
}

mod adopt;
mod bands;
mod finish;
mod run;
#[cfg(test)]
mod tests;

pub use adopt::{AdoptError, PanelResults};
pub use bands::{BandError, BandPanel, BandView};

use run::Stage;

impl Default for Experiment {
    fn default() -> Self {
        Self::new()
    }
}

impl Experiment {
    /// An experiment that has already run once with [`Config::NOTEBOOK`].
    pub fn new() -> Self {
        let mut experiment = Self {
            stream: SampleStream::normal(Config::NOTEBOOK.seed),
            text: None,
            next_text: None,
            drawn: Vec::new(),
            drawn_keys: Vec::new(),
            raw_scores: Vec::new(),
            config: Config::NOTEBOOK,
            q: Vec::new(),
            k: Vec::new(),
            packed_keys: PackedKeys::default(),
            panels: [PanelBuffers::new(), PanelBuffers::new()],
            stage: Stage::Done,
            adopted: [Vec::new(), Vec::new()],
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
    /// simple: with independent Q and K, dot products and components of
    /// mean 0 and variance σ² (1 after LayerNorm), `q · k` is nearly
    /// N(0, σ⁴ d_k) whatever the distribution, so `σ² √d_k` unscaled and
    /// `σ² √d_k · scale` scaled (1 for `1/√d_k` and the notebook's inputs).
    /// None with an offset μ (the scores are not centred on 0), correlated
    /// keys (T of them are not from that distribution), or QK-norm, a gain or
    /// a cap (they change the scores themselves).
    pub fn theory_sigma(&self, panel: Panel) -> Option<f64> {
        let c = self.config;
        let inputs = c.inputs;
        let centred = inputs.layer_norm || inputs.mu == 0.0;
        let plain = c.logits == crate::logits::LogitControl::NONE;
        if c.qk != QkSource::Independent || c.score != ScoreFunction::Dot || !centred || inputs.rho != 0.0 || !plain {
            return None;
        }
        let variance = if inputs.layer_norm {
            1.0
        } else {
            inputs.sigma * inputs.sigma
        };
        let sigma = variance * (c.d_k as f64).sqrt();
        Some(match panel {
            Panel::Unscaled => sigma,
            Panel::Scaled if c.scale.per_row() => return None,
            Panel::Scaled => sigma * c.scale.factor(c.d_k, c.tokens),
        })
    }

    /// A histogram of a panel's scores (before the temperature) in `bins`
    /// bins. Both panels share one range, from the smallest to the largest
    /// score of either, so that drawn on the same axis the scaled scores
    /// show how much narrower they are. Where theory predicts the scores
    /// (see [`Experiment::theory_sigma`]), `expected` holds the counts
    /// N(0, σ²) gives each bin.
    pub fn histogram(&self, panel: Panel, bins: usize) -> stats::Histogram {
        let (t, mask) = (self.config.tokens, self.config.mask);
        let visible = |p: Panel| {
            let all = self.scores(p).to_slice().expect("row-major");
            let rows = all.chunks_exact(t.max(1)).enumerate();
            stats::finite_extent(rows.flat_map(move |(i, row)| row[mask.keys(i, t)].iter().copied()))
        };
        let [unscaled, scaled] = [Panel::Unscaled, Panel::Scaled].map(visible);
        let extent = match (unscaled, scaled) {
            (Some((a, b)), Some((c, d))) => Some((a.min(c), b.max(d))),
            (one, other) => one.or(other),
        };
        let (lo, hi) = stats::histogram_range(extent);
        let mut h = stats::histogram_visible_in(self.scores(panel), bins, lo, hi, |i| mask.keys(i, t));
        if let Some(sigma) = self.theory_sigma(panel) {
            h.expected = stats::normal_expected_counts(&h, sigma, mask.visible_cells(t));
        }
        h
    }

    /// A panel's per-row gradient signal `‖diag(p) − p pᵀ‖_F` (NaN for rows
    /// with NaN), length T.
    pub fn row_gradients(&self, panel: Panel) -> &[f32] {
        &self.panels[panel as usize].gradients
    }
}

/// A finished panel's numbers, from its scores and its rows' measures. Not
/// generic and not inlined: one copy serves every number format (the
/// WebAssembly stays smaller).
#[inline(never)]
fn report(panel: &PanelBuffers, t: usize, exp_overflows: usize, mask: Mask) -> PanelReport {
    let scores = matrix(&panel.scores, t, t);
    // Under a mask the statistics are of the cells it leaves visible.
    let (std, split) = if mask.hides_any(t) {
        stats::visible_stats(scores, |i| mask.keys(i, t))
    } else {
        (stats::population_std(&panel.scores), stats::diagonal_split(scores))
    };
    PanelReport {
        std,
        split,
        saturation: metrics::fold_saturation(&panel.rows[..t], t),
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
