//! The WebAssembly face of the attention-scaling explorer.
//!
//! This crate is deliberately thin. It owns the buffers that live between
//! slider steps, hands the core's results to JavaScript, and paints into
//! canvases the page gives it. It does no arithmetic of its own: every
//! number comes from `attention-core`, which is tested natively against NumPy.
//!
//! Painting happens here rather than in JavaScript because the pixels are a
//! function of the core's matrices and colour table: Rust writes RGBA bytes
//! into a buffer it keeps, and `putImageData` copies them onto a canvas that
//! is exactly T × T pixels (CSS scales it up with `image-rendering:
//! pixelated`). The page never sees element ids from here, nor this crate the
//! page's layout: JavaScript passes in the 2D contexts to paint.
//!
//! Modes are set with [`Explorer::configure`] (rarely) and the shape and seed
//! with [`Explorer::run`] (on every slider step), so a step passes no strings.

use attention_core::colormap::{self, Colormap, Shading};
use attention_core::config::MAX_NORMALS;
use attention_core::experiment::{Config, Experiment, Panel as CorePanel, PanelReport, ScaleRule};
use attention_core::metrics::GRADIENT_MAX;
use attention_core::numpy_random::NormalStream;
use attention_core::stats;
use attention_core::sweep::{Metric, Sweep};
use js_sys::{Float32Array, WebAssembly};
use ndarray::ArrayView2;
use wasm_bindgen::Clamped;
use wasm_bindgen::prelude::*;
use web_sys::{CanvasRenderingContext2d, ImageData};

/// Which heatmap: `Panel.Unscaled` (0) or `Panel.Scaled` (1).
#[wasm_bindgen]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Panel {
    /// softmax(S / τ).
    Unscaled = 0,
    /// softmax(S · scale / τ).
    Scaled = 1,
}

impl From<Panel> for CorePanel {
    fn from(panel: Panel) -> Self {
        match panel {
            Panel::Unscaled => CorePanel::Unscaled,
            Panel::Scaled => CorePanel::Scaled,
        }
    }
}

/// The numbers beside one heatmap (see `attention_core::metrics` for the
/// definitions). Read the fields, then call `free()` (or let the garbage
/// collector do it).
#[wasm_bindgen]
#[derive(Clone, Copy, Debug)]
pub struct Report {
    inner: PanelReport,
}

#[wasm_bindgen]
impl Report {
    /// Population std of the panel's scores (before the temperature).
    #[wasm_bindgen(getter)]
    pub fn std(&self) -> f64 {
        self.inner.std
    }
    /// Mean of the diagonal scores.
    #[wasm_bindgen(getter, js_name = diagonalMean)]
    pub fn diagonal_mean(&self) -> f64 {
        self.inner.split.diagonal_mean
    }
    /// Population std of the diagonal scores.
    #[wasm_bindgen(getter, js_name = diagonalStd)]
    pub fn diagonal_std(&self) -> f64 {
        self.inner.split.diagonal_std
    }
    /// Mean of the off-diagonal scores.
    #[wasm_bindgen(getter, js_name = offDiagonalMean)]
    pub fn off_diagonal_mean(&self) -> f64 {
        self.inner.split.off_diagonal_mean
    }
    /// Population std of the off-diagonal scores.
    #[wasm_bindgen(getter, js_name = offDiagonalStd)]
    pub fn off_diagonal_std(&self) -> f64 {
        self.inner.split.off_diagonal_std
    }
    /// Mean over finite rows of the largest probability.
    #[wasm_bindgen(getter, js_name = maxProbMean)]
    pub fn max_prob_mean(&self) -> f64 {
        self.inner.saturation.max_prob_mean
    }
    /// Smallest over finite rows of the largest probability.
    #[wasm_bindgen(getter, js_name = maxProbMin)]
    pub fn max_prob_min(&self) -> f64 {
        self.inner.saturation.max_prob_min
    }
    /// Mean row entropy in nats.
    #[wasm_bindgen(getter, js_name = entropyMean)]
    pub fn entropy_mean(&self) -> f64 {
        self.inner.saturation.entropy_mean
    }
    /// Mean row entropy as a fraction of ln T.
    #[wasm_bindgen(getter, js_name = entropyFraction)]
    pub fn entropy_fraction(&self) -> f64 {
        self.inner.saturation.entropy_fraction
    }
    /// Mean over rows of exp(entropy).
    #[wasm_bindgen(getter, js_name = effectiveTokens)]
    pub fn effective_tokens(&self) -> f64 {
        self.inner.saturation.effective_tokens
    }
    /// Mean over rows of the softmax Jacobian's Frobenius norm.
    #[wasm_bindgen(getter, js_name = gradientMean)]
    pub fn gradient_mean(&self) -> f64 {
        self.inner.saturation.gradient_mean
    }
    /// The gradient signal of a uniform row of this T, √(T−1)/T (the
    /// largest possible one is 1/2, a two-way tie).
    #[wasm_bindgen(getter, js_name = gradientUniform)]
    pub fn gradient_uniform(&self) -> f64 {
        self.inner.saturation.gradient_uniform
    }
    /// Rows whose largest probability exceeds 0.99.
    #[wasm_bindgen(getter, js_name = saturatedRows)]
    pub fn saturated_rows(&self) -> u32 {
        self.inner.saturation.saturated_rows as u32
    }
    /// Rows without NaN; the means are over these.
    #[wasm_bindgen(getter, js_name = finiteRows)]
    pub fn finite_rows(&self) -> u32 {
        self.inner.saturation.finite_rows as u32
    }
    /// Rows with a NaN.
    #[wasm_bindgen(getter, js_name = nanRows)]
    pub fn nan_rows(&self) -> u32 {
        self.inner.saturation.nan_rows as u32
    }
    /// Probabilities that are NaN.
    #[wasm_bindgen(getter, js_name = nanCells)]
    pub fn nan_cells(&self) -> u32 {
        self.inner.saturation.nonfinite_cells as u32
    }
    /// `exp` results that overflowed to +∞.
    #[wasm_bindgen(getter, js_name = expOverflows)]
    pub fn exp_overflows(&self) -> u32 {
        self.inner.exp_overflows as u32
    }
}

/// One explorer: the experiment plus the pixel buffer it paints from.
/// Create one per page (or per embedded instance) and keep it.
#[wasm_bindgen]
pub struct Explorer {
    experiment: Experiment,
    /// The modes for the next run; shape and seed come with each run.
    modes: Config,
    colormap: Colormap,
    shading: Shading,
    pixels: Vec<u8>,
}

impl Default for Explorer {
    fn default() -> Self {
        Self::new()
    }
}

#[wasm_bindgen]
impl Explorer {
    /// An explorer holding the notebook's default view (T = 10, d_k = 16, seed 42).
    #[wasm_bindgen(constructor)]
    pub fn new() -> Explorer {
        Explorer {
            experiment: Experiment::new(),
            modes: Config::NOTEBOOK,
            colormap: Colormap::Viridis,
            shading: Shading::Linear,
            pixels: Vec::new(),
        }
    }

    /// Sets the modes used by the next `run`, by their URL names:
    /// `qk` self | independent, `score` dot | cosine, `scale` sqrt | dk | none
    /// | custom (then `scaleFactor` > 0 is the factor), `temperature` > 0,
    /// `softmax` stable | naive, `precision` f32 | bf16 | f16. Throws on an
    /// unknown name or bad value, keeping the previous modes.
    #[allow(clippy::too_many_arguments)]
    pub fn configure(
        &mut self,
        qk: &str,
        score: &str,
        scale: &str,
        #[wasm_bindgen(js_name = scaleFactor)] scale_factor: f64,
        temperature: f64,
        softmax: &str,
        precision: &str,
    ) -> Result<(), JsError> {
        let modes = Config {
            qk: qk.parse().map_err(|e: String| JsError::new(&e))?,
            score: score.parse().map_err(|e: String| JsError::new(&e))?,
            scale: ScaleRule::from_name(scale, scale_factor).map_err(|e| JsError::new(&e))?,
            temperature,
            softmax: softmax.parse().map_err(|e: String| JsError::new(&e))?,
            precision: precision.parse().map_err(|e: String| JsError::new(&e))?,
            ..self.modes
        };
        self.modes = modes.validate()?;
        Ok(())
    }

    /// Sets how the random tokens relate across d_k by name: `fresh` (a new
    /// `randn(T, d_k)` per d_k, the notebook's) or `keep` (the first d_k
    /// columns of one `randn(T, 4096)`). Used by the next `run`.
    #[wasm_bindgen(js_name = setColumns)]
    pub fn set_columns(&mut self, name: &str) -> Result<(), JsError> {
        self.modes.columns = name.parse().map_err(|e: String| JsError::new(&e))?;
        Ok(())
    }

    /// Takes the rows of Q and K from these tokens (normalised by the page),
    /// one per token; an empty list goes back to random tokens. The next
    /// `run` must pass T = the number of tokens.
    #[wasm_bindgen(js_name = setTokens)]
    pub fn set_tokens(&mut self, tokens: Vec<String>) {
        self.experiment
            .set_tokens(if tokens.is_empty() { None } else { Some(tokens) });
    }

    /// Chooses the colour map of the heatmaps and the colour bar: `viridis`,
    /// `cividis` or `grey`. Throws on any other name.
    #[wasm_bindgen(js_name = setColormap)]
    pub fn set_colormap(&mut self, name: &str) -> Result<(), JsError> {
        self.colormap = name.parse().map_err(|e: String| JsError::new(&e))?;
        Ok(())
    }

    /// Sets where weights sit on the colour scale by name (`linear`, `row`:
    /// each row ÷ its largest weight, `log`: four decades); the colour bar
    /// itself is the same for all three, its labels are the page's.
    #[wasm_bindgen(js_name = setShading)]
    pub fn set_shading(&mut self, name: &str) -> Result<(), JsError> {
        self.shading = name.parse().map_err(|e: String| JsError::new(&e))?;
        Ok(())
    }

    /// Paints the colour bar: a canvas one pixel wide and `height` pixels
    /// tall, probability 1 at the top and 0 at the bottom, from the same
    /// table as the heatmaps.
    #[wasm_bindgen(js_name = paintColorBar)]
    pub fn paint_color_bar(&mut self, ctx: &CanvasRenderingContext2d, height: u32) -> Result<(), JsValue> {
        let height = at_most("height", height, MAX_SIDE)?;
        self.colormap.paint_bar(height, &mut self.pixels);
        put_pixels(ctx, &self.pixels, 1, height)
    }

    /// Runs the experiment for T tokens, key dimension d_k and a NumPy seed,
    /// with the configured modes. Throws (leaving the previous result in
    /// place) if T or d_k is out of the engine's range.
    pub fn run(&mut self, tokens: u32, d_k: u32, seed: u32) -> Result<(), JsError> {
        self.experiment.run(self.config(tokens, d_k, seed))?;
        Ok(())
    }

    /// Starts a run like `run`'s that `advance` carries out a slice at a
    /// time, for sizes where a whole run takes longer than a frame: the page
    /// paints between slices and stays responsive. A run in progress is
    /// abandoned. Until `advance` returns true, only the shape, seed and
    /// `progress` may be read; every result getter throws.
    pub fn start(&mut self, tokens: u32, d_k: u32, seed: u32) -> Result<(), JsError> {
        self.experiment.start(self.config(tokens, d_k, seed))?;
        Ok(())
    }

    /// Does about `budget` units of the started run (one unit is one
    /// multiply-add of the f32 score kernel, ~0.1 ns; the page adapts the
    /// budget to the time a slice took) and returns whether it is done.
    pub fn advance(&mut self, budget: f64) -> bool {
        // f64 because JavaScript numbers are; `as` saturates (NaN gives 0).
        self.experiment.advance(budget as u64)
    }

    /// How much of the run is done, from 0 to 1.
    #[wasm_bindgen(getter)]
    pub fn progress(&self) -> f64 {
        self.experiment.progress()
    }

    /// The work still to do in the run, in `advance`'s units (an estimate).
    #[wasm_bindgen(getter, js_name = workLeft)]
    pub fn work_left(&self) -> f64 {
        self.experiment.work_left() as f64
    }

    /// Whether the last run is complete and its results can be read.
    #[wasm_bindgen(getter)]
    pub fn done(&self) -> bool {
        self.experiment.is_done()
    }

    /// T of the last run.
    #[wasm_bindgen(getter)]
    pub fn tokens(&self) -> u32 {
        self.experiment.config().tokens as u32
    }

    /// d_k of the last run.
    #[wasm_bindgen(getter, js_name = dK)]
    pub fn d_k(&self) -> u32 {
        self.experiment.config().d_k as u32
    }

    /// The seed of the last run.
    #[wasm_bindgen(getter)]
    pub fn seed(&self) -> u32 {
        self.experiment.config().seed
    }

    /// The scale factor of the last run (e.g. 1/√d_k).
    #[wasm_bindgen(getter, js_name = scaleFactor)]
    pub fn scale_factor(&self) -> f64 {
        let config = self.experiment.config();
        config.scale.factor(config.d_k)
    }

    /// The last run's scale factor divided by the temperature: PyTorch's
    /// `scale=` argument for the same scaled panel.
    #[wasm_bindgen(getter, js_name = effectiveScale)]
    pub fn effective_scale(&self) -> f64 {
        self.experiment.config().effective_scale()
    }

    /// The last run's unscaled std ÷ √d_k (the ratio line).
    #[wasm_bindgen(getter, js_name = unscaledStdPerRootDk)]
    pub fn unscaled_std_per_root_dk(&self) -> Result<f64, JsError> {
        Ok(self.finished()?.unscaled_std_per_root_dk())
    }

    /// √d_k of the last run.
    #[wasm_bindgen(getter, js_name = sqrtDk)]
    pub fn sqrt_dk(&self) -> f64 {
        self.experiment.sqrt_dk()
    }

    /// The numbers beside one panel of the last run.
    pub fn report(&self, panel: Panel) -> Result<Report, JsError> {
        Ok(Report {
            inner: self.finished()?.report(panel.into()),
        })
    }

    /// Q as used (rounded, normalised for cosine), T × d_k, row-major: a
    /// view of the engine's memory, not a copy (see [`view`]).
    pub fn q(&self) -> Result<Float32Array, JsError> {
        Ok(view(contiguous(self.finished()?.q())))
    }

    /// K as used, T × d_k, row-major: a view (see [`view`]).
    pub fn k(&self) -> Result<Float32Array, JsError> {
        Ok(view(contiguous(self.finished()?.k())))
    }

    /// A panel's scores (before the temperature), T × T, row-major: a view
    /// (see [`view`]).
    pub fn scores(&self, panel: Panel) -> Result<Float32Array, JsError> {
        Ok(view(contiguous(self.finished()?.scores(panel.into()))))
    }

    /// A panel's softmax rows, T × T, row-major: a view (see [`view`]).
    pub fn probabilities(&self, panel: Panel) -> Result<Float32Array, JsError> {
        Ok(view(contiguous(self.finished()?.probabilities(panel.into()))))
    }

    /// A copy of one query's weights in a panel (T values), for the row
    /// chart, without copying the T × T matrix (4 MB at T = 1024).
    #[wasm_bindgen(js_name = probabilityRow)]
    pub fn probability_row(&self, panel: Panel, row: u32) -> Result<Vec<f32>, JsError> {
        let e = self.finished()?;
        let t = e.config().tokens;
        if row as usize >= t {
            return Err(JsError::new(&format!("row {row} is outside the {t} × {t} matrix")));
        }
        Ok(e.probabilities(panel.into()).row(row as usize).to_vec())
    }

    /// One cell of both panels, `[score unscaled, score scaled, weight
    /// unscaled, weight scaled]`, without copying whole matrices (a tooltip
    /// at T = 1024 would otherwise copy 16 MB per pointer move).
    pub fn cell(&self, row: u32, column: u32) -> Result<Vec<f32>, JsError> {
        let e = self.finished()?;
        let at = [row as usize, column as usize];
        let t = e.config().tokens;
        if at[0] >= t || at[1] >= t {
            return Err(JsError::new(&format!(
                "cell ({row}, {column}) is outside the {t} × {t} matrix"
            )));
        }
        let [u, s] = [CorePanel::Unscaled, CorePanel::Scaled];
        Ok(vec![
            e.scores(u)[at],
            e.scores(s)[at],
            e.probabilities(u)[at],
            e.probabilities(s)[at],
        ])
    }

    /// A panel's per-row gradient signal, length T (NaN rows NaN): a view
    /// (see [`view`]).
    #[wasm_bindgen(js_name = rowGradients)]
    pub fn row_gradients(&self, panel: Panel) -> Result<Float32Array, JsError> {
        Ok(view(self.finished()?.row_gradients(panel.into())))
    }

    /// A histogram of a panel's scores in `bins` bins, diagonal apart, with
    /// the counts theory expects where it has them.
    pub fn histogram(&self, panel: Panel, bins: u32) -> Result<Histogram, JsError> {
        let e = self.finished()?;
        let core = e.histogram(panel.into(), at_most("bins", bins, MAX_SIDE)?.max(1));
        let t = e.config().tokens;
        let expected = match e.theory_sigma(panel.into()) {
            Some(sigma) => stats::normal_expected_counts(&core, sigma, t * t),
            None => Vec::new(),
        };
        Ok(Histogram { core, expected })
    }

    /// Paints both heatmaps of the last run, one canvas pixel per cell
    /// (the canvases are resized to T × T if needed). NaN cells are flagged.
    pub fn paint(
        &mut self,
        unscaled: &CanvasRenderingContext2d,
        scaled: &CanvasRenderingContext2d,
    ) -> Result<(), JsValue> {
        self.finished()?;
        let t = self.experiment.config().tokens;
        self.pixels.resize(t * t * 4, 0);
        for (ctx, panel) in [(unscaled, CorePanel::Unscaled), (scaled, CorePanel::Scaled)] {
            let probs = self.experiment.probabilities(panel);
            let values = probs.to_slice().expect("probabilities are stored contiguously");
            self.colormap.paint(self.shading, values, t, &mut self.pixels);
            put_pixels(ctx, &self.pixels, t, t)?;
        }
        Ok(())
    }

    /// Paints the diagonal stripes over a panel's NaN cells, on a transparent
    /// overlay canvas of 4 pixels per cell (resized as needed).
    #[wasm_bindgen(js_name = paintNanHatch)]
    pub fn paint_nan_hatch(&mut self, panel: Panel, ctx: &CanvasRenderingContext2d) -> Result<(), JsValue> {
        self.finished()?;
        let t = self.experiment.config().tokens;
        let probs = self.experiment.probabilities(panel.into());
        let values = probs.to_slice().expect("probabilities are stored contiguously");
        colormap::paint_nan_hatch(values, t, &mut self.pixels);
        let side = t * colormap::hatch_scale(t);
        put_pixels(ctx, &self.pixels, side, side)
    }

    /// Paints a panel's per-row gradient signal as horizontal bars, `width`
    /// pixels at the largest value any row can have (1/2, a two-way tie),
    /// one pixel row per row.
    #[wasm_bindgen(js_name = paintGradientBars)]
    pub fn paint_gradient_bars(
        &mut self,
        panel: Panel,
        ctx: &CanvasRenderingContext2d,
        width: u32,
    ) -> Result<(), JsValue> {
        self.finished()?;
        let rows = self.experiment.row_gradients(panel.into());
        let width = at_most("width", width, MAX_SIDE)?;
        colormap::paint_row_bars(rows, GRADIENT_MAX as f32, width, &mut self.pixels);
        put_pixels(ctx, &self.pixels, width, rows.len())
    }
}

impl Explorer {
    /// The configured modes with this shape and seed.
    fn config(&self, tokens: u32, d_k: u32, seed: u32) -> Config {
        Config {
            tokens: tokens as usize,
            d_k: d_k as usize,
            seed,
            ..self.modes
        }
    }

    /// The experiment, if its last run is complete.
    fn finished(&self) -> Result<&Experiment, JsError> {
        if self.experiment.is_done() {
            Ok(&self.experiment)
        } else {
            Err(JsError::new(
                "the run in progress is not done: call advance() until it returns true",
            ))
        }
    }
}

/// A histogram of one panel's scores (see `Explorer.histogram`).
#[wasm_bindgen]
pub struct Histogram {
    core: stats::Histogram,
    expected: Vec<f64>,
}

#[wasm_bindgen]
impl Histogram {
    /// Left edge of the first bin.
    #[wasm_bindgen(getter)]
    pub fn lo(&self) -> f64 {
        self.core.lo
    }
    /// Right edge of the last bin.
    #[wasm_bindgen(getter)]
    pub fn hi(&self) -> f64 {
        self.core.hi
    }
    /// Off-diagonal counts per bin.
    #[wasm_bindgen(js_name = offDiagonal)]
    pub fn off_diagonal(&self) -> Vec<u32> {
        self.core.off_diagonal.clone()
    }
    /// Diagonal counts per bin.
    pub fn diagonal(&self) -> Vec<u32> {
        self.core.diagonal.clone()
    }
    /// Counts per bin expected from N(0, σ²) theory; empty where there is none.
    pub fn expected(&self) -> Vec<f64> {
        self.expected.clone()
    }
}

/// A Monte-Carlo sweep over d_k with the modes of an explorer, computed a
/// slice at a time (see `attention_core::sweep`).
#[wasm_bindgen]
pub struct Curves {
    sweep: Sweep,
}

#[wasm_bindgen]
impl Curves {
    /// A sweep of `explorer`'s configured modes at T `tokens` and page seed
    /// `seed`, over `dims`, `trials` times each. Throws if a d_k is invalid.
    #[wasm_bindgen(constructor)]
    pub fn new(explorer: &Explorer, tokens: u32, seed: u32, dims: Vec<u32>, trials: u32) -> Result<Curves, JsError> {
        let base = Config {
            tokens: tokens as usize,
            seed,
            ..explorer.modes
        };
        let dims = dims.into_iter().map(|d| d as usize).collect();
        let mut sweep = Sweep::new(base, dims, trials as usize)?;
        sweep.set_tokens(explorer.experiment.tokens().map(<[String]>::to_vec))?;
        Ok(Curves { sweep })
    }

    /// Does up to `runs` more runs; true when complete.
    pub fn advance(&mut self, runs: u32) -> bool {
        self.sweep.advance(runs as usize)
    }

    /// Runs done so far.
    #[wasm_bindgen(getter, js_name = runsDone)]
    pub fn runs_done(&self) -> u32 {
        self.sweep.runs_done() as u32
    }

    /// Runs in the whole sweep.
    #[wasm_bindgen(getter, js_name = runsTotal)]
    pub fn runs_total(&self) -> u32 {
        self.sweep.runs_total() as u32
    }

    /// Trials per d_k.
    #[wasm_bindgen(getter)]
    pub fn trials(&self) -> u32 {
        self.sweep.trials() as u32
    }

    /// The d_k grid.
    pub fn dims(&self) -> Vec<u32> {
        self.sweep.dims().iter().map(|&d| d as u32).collect()
    }

    /// A metric (`std_unscaled`, `std_scaled`, `max_prob_unscaled`, …) at
    /// every d_k as `[means…, 10th percentiles…, 90th percentiles…]`.
    pub fn bands(&self, metric: &str) -> Result<Vec<f64>, JsError> {
        let metric: Metric = metric.parse().map_err(|e: String| JsError::new(&e))?;
        let bands = self.sweep.bands(metric);
        let mut out: Vec<f64> = bands.iter().map(|b| b.mean).collect();
        out.extend(bands.iter().map(|b| b.p10));
        out.extend(bands.iter().map(|b| b.p90));
        Ok(out)
    }

    /// What theory says a metric is at every d_k (NaN where it says nothing).
    pub fn theory(&self, metric: &str) -> Result<Vec<f64>, JsError> {
        let metric: Metric = metric.parse().map_err(|e: String| JsError::new(&e))?;
        Ok(self
            .sweep
            .dims()
            .iter()
            .map(|&d| self.sweep.theory(metric, d).unwrap_or(f64::NAN))
            .collect())
    }
}

/// Paints the legend swatch for NaN cells: `cells × cells` flagged cells
/// with their hatch, exactly as a heatmap shows them (4 pixels per cell).
#[wasm_bindgen(js_name = paintNanSwatch)]
pub fn paint_nan_swatch(ctx: &CanvasRenderingContext2d, cells: u32) -> Result<(), JsValue> {
    let n = cells as usize;
    let values = vec![f32::NAN; n * n];
    let mut hatch = Vec::new();
    colormap::paint_nan_hatch(&values, n, &mut hatch);
    // Stripes over the flag colour, as overlay over heatmap.
    for pixel in hatch.chunks_exact_mut(4) {
        if pixel[3] == 0 {
            pixel.copy_from_slice(&colormap::NAN_RGBA);
        }
    }
    let side = n * colormap::hatch_scale(n);
    put_pixels(ctx, &hatch, side, side)
}

/// A fresh seed from the browser's cryptographic random source.
#[wasm_bindgen(js_name = randomSeed)]
pub fn random_seed() -> Result<u32, JsError> {
    getrandom::u32().map_err(|e| JsError::new(&format!("no random source available: {e}")))
}

/// The first `count` values of `np.random.seed(seed); np.random.randn(count)`
/// (at most `MAX_NORMALS`).
#[wasm_bindgen(js_name = normalSample)]
pub fn normal_sample(seed: u32, count: u32) -> Result<Vec<f64>, JsError> {
    let count = at_most("count", count, MAX_NORMALS)?;
    Ok(NormalStream::new(seed).prefix(count).to_vec())
}

/// The largest side, in pixels or bins, a paint or histogram call takes: a
/// bigger one would only be a way to run the module out of memory.
const MAX_SIDE: usize = 4096;

/// `value` as a size, or an error naming it when it is above `max`.
fn at_most(name: &str, value: u32, max: usize) -> Result<usize, JsError> {
    let value = value as usize;
    if value <= max {
        Ok(value)
    } else {
        Err(JsError::new(&format!("{name} must be at most {max}, got {value}")))
    }
}

/// Puts `width × height` RGBA pixels at the canvas origin, first making the
/// canvas exactly that size so one pixel is one cell.
fn put_pixels(ctx: &CanvasRenderingContext2d, rgba: &[u8], width: usize, height: usize) -> Result<(), JsValue> {
    let (width, height) = (width as u32, height as u32);
    if let Some(canvas) = ctx.canvas()
        && (canvas.width() != width || canvas.height() != height)
    {
        canvas.set_width(width);
        canvas.set_height(height);
    }
    if width == 0 || height == 0 {
        return Ok(());
    }
    let image = ImageData::new_with_u8_clamped_array_and_sh(Clamped(rgba), width, height)?;
    ctx.put_image_data(&image, 0.0, 0.0)
}

/// A `Float32Array` over `values` where they lie in the module's memory:
/// no copy, which matters for matrices of up to 4 M values (16 MB). It shows
/// the engine's buffers as they are, so it is valid only until the next call
/// that runs the engine (which rewrites them) or grows its memory (which
/// detaches every view, leaving it empty); JavaScript that keeps the values
/// copies them with `.slice()`.
fn view(values: &[f32]) -> Float32Array {
    let memory: WebAssembly::Memory = wasm_bindgen::memory().unchecked_into();
    // wasm32 addresses and lengths fit in u32.
    let offset = values.as_ptr() as usize as u32;
    Float32Array::new_with_byte_offset_and_length(&memory.buffer(), offset, values.len() as u32)
}

/// The core keeps its matrices in row-major buffers of their exact size.
fn contiguous<'a>(matrix: ArrayView2<'a, f32>) -> &'a [f32] {
    matrix
        .to_slice()
        .expect("the core's matrices are contiguous and row-major")
}
