//! `Explorer`: one experiment and the pixel buffer it paints from; its
//! modes, runs (whole or in slices), and results as numbers and as views of
//! the module's memory. Painting is in `painting.rs`.

use attention_core::colormap::{Colormap, Shading};
use attention_core::config::MAX_TOKENS;
use attention_core::experiment::{Config, Experiment, Panel as CorePanel, PanelResults, ScaleRule};
use js_sys::{Float32Array, WebAssembly};
use ndarray::ArrayView2;
use wasm_bindgen::prelude::*;

use crate::curves::Histogram;
use crate::report::Report;
use crate::{MAX_SIDE, Panel, at_most};

/// One explorer: the experiment plus the pixel buffer it paints from.
/// Create one per page (or per embedded instance) and keep it.
#[wasm_bindgen]
pub struct Explorer {
    pub(crate) experiment: Experiment,
    /// The modes for the next run; shape and seed come with each run.
    pub(crate) modes: Config,
    pub(crate) colormap: Colormap,
    pub(crate) shading: Shading,
    pub(crate) pixels: Vec<u8>,
    /// Panels given to `adoptPanel`, waiting for `adopt`.
    pub(crate) adopting: [Option<PanelResults>; 2],
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
            adopting: [None, None],
        }
    }

    /// Sets the modes of the next runs from an options object; a property
    /// left out keeps its mode. By their URL names: `qk` self | independent,
    /// `columns` fresh | keep, `score` dot | cosine, `scale` sqrt | dk | none
    /// | custom (with `scaleFactor` > 0) | ssmax (with `scaleFactor`, SSMax's
    /// s > 0), `tau` > 0, `softmax` stable |
    /// naive, `precision` f32 | bf16 | f16; the inputs (core's inputs.rs):
    /// `dist` normal | uniform | rademacher, `sigma` > 0, `mu`, `ln` (a
    /// boolean: LayerNorm'ed rows), `rho` in [0, 1]; the logit controls
    /// (core's logits.rs): `qknorm` none | l2 | layernorm, `gain` > 0, `cap`
    /// ≥ 0 (0: none); the mask (core's mask.rs): `mask` none | causal |
    /// padding, `pad` (padded keys, at most the next run's T), `fill` sdpa |
    /// inf | min. Throws on an unknown name or a bad value, keeping the
    /// previous modes.
    pub fn configure(&mut self, options: &JsValue) -> Result<(), JsError> {
        if !options.is_object() {
            return Err(JsError::new(
                "configure takes an options object, such as { precision: 'bf16' }",
            ));
        }
        let options = Options(options);
        let mut modes = self.modes;
        if let Some(name) = options.text("qk")? {
            modes.qk = parsed(&name)?;
        }
        if let Some(name) = options.text("columns")? {
            modes.columns = parsed(&name)?;
        }
        if let Some(name) = options.text("score")? {
            modes.score = parsed(&name)?;
        }
        if let Some(name) = options.text("scale")? {
            let factor = options.number("scaleFactor")?.unwrap_or(f64::NAN);
            modes.scale = ScaleRule::from_name(&name, factor).map_err(|e| JsError::new(&e))?;
        }
        if let Some(tau) = options.number("tau")? {
            modes.temperature = tau;
        }
        if let Some(name) = options.text("softmax")? {
            modes.softmax = parsed(&name)?;
        }
        if let Some(name) = options.text("precision")? {
            modes.precision = parsed(&name)?;
        }
        if let Some(name) = options.text("dist")? {
            modes.inputs.distribution = parsed(&name)?;
        }
        if let Some(sigma) = options.number("sigma")? {
            modes.inputs.sigma = sigma;
        }
        if let Some(mu) = options.number("mu")? {
            modes.inputs.mu = mu;
        }
        if let Some(ln) = options.flag("ln")? {
            modes.inputs.layer_norm = ln;
        }
        if let Some(rho) = options.number("rho")? {
            modes.inputs.rho = rho;
        }
        if let Some(name) = options.text("qknorm")? {
            modes.logits.qk_norm = parsed(&name)?;
        }
        if let Some(gain) = options.number("gain")? {
            modes.logits.gain = gain;
        }
        if let Some(cap) = options.number("cap")? {
            modes.logits.cap = cap;
        }
        if let Some(name) = options.text("mask")? {
            modes.mask.kind = parsed(&name)?;
        }
        if let Some(pad) = options.number("pad")? {
            if !(pad >= 0.0 && pad.fract() == 0.0 && pad <= MAX_TOKENS as f64) {
                return Err(JsError::new("pad must be a whole number of keys, at most T"));
            }
            modes.mask.pad = pad as usize;
        }
        if let Some(name) = options.text("fill")? {
            modes.mask.fill = parsed(&name)?;
        }
        // The padding is checked against T by the run, which knows it.
        let padded = modes.mask.pad;
        modes.mask.pad = 0;
        modes = modes.validate()?;
        modes.mask.pad = padded;
        self.modes = modes;
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

    /// The scale factor of the last run (e.g. 1/√d_k; for SSMax, that of a
    /// row that sees all T keys).
    #[wasm_bindgen(getter, js_name = scaleFactor)]
    pub fn scale_factor(&self) -> f64 {
        let config = self.experiment.config();
        config.scale.factor(config.d_k, config.tokens)
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
        Ok(Report::from(self.finished()?.report(panel.into())))
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
    /// unscaled, weight scaled, masked]` (masked: 1 where the mask hides the
    /// key from the query, else 0), without copying whole matrices (a
    /// tooltip at T = 1024 would otherwise copy 16 MB per pointer move).
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
            f32::from(u8::from(e.config().mask.hides(at[0], at[1], t))),
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
        Ok(Histogram::from(
            e.histogram(panel.into(), at_most("bins", bins, MAX_SIDE)?.max(1)),
        ))
    }
}

impl Explorer {
    /// The configured modes with this shape and seed.
    pub(crate) fn config(&self, tokens: u32, d_k: u32, seed: u32) -> Config {
        Config {
            tokens: tokens as usize,
            d_k: d_k as usize,
            seed,
            ..self.modes
        }
    }

    /// The experiment, if its last run is complete.
    pub(crate) fn finished(&self) -> Result<&Experiment, JsError> {
        if self.experiment.is_done() {
            Ok(&self.experiment)
        } else {
            Err(JsError::new(
                "the run in progress is not done: call advance() until it returns true",
            ))
        }
    }
}

/// The options object of [`Explorer::configure`].
struct Options<'a>(&'a JsValue);

impl Options<'_> {
    fn get(&self, name: &str) -> Result<Option<JsValue>, JsError> {
        let value = js_sys::Reflect::get(self.0, &JsValue::from_str(name))
            .map_err(|_| JsError::new(&format!("configure: cannot read {name}")))?;
        Ok((!value.is_undefined()).then_some(value))
    }

    /// The property `name`, converted by `convert`, or an error saying it must be `what`.
    fn read<T>(&self, name: &str, convert: fn(&JsValue) -> Option<T>, what: &str) -> Result<Option<T>, JsError> {
        self.get(name)?
            .map(|v| convert(&v).ok_or_else(|| JsError::new(&format!("configure: {name} must be {what}"))))
            .transpose()
    }

    fn text(&self, name: &str) -> Result<Option<String>, JsError> {
        self.read(name, JsValue::as_string, "a string")
    }

    fn number(&self, name: &str) -> Result<Option<f64>, JsError> {
        self.read(name, JsValue::as_f64, "a number")
    }

    fn flag(&self, name: &str) -> Result<Option<bool>, JsError> {
        self.read(name, JsValue::as_bool, "true or false")
    }
}

/// A mode from its URL name.
fn parsed<T: std::str::FromStr<Err = String>>(name: &str) -> Result<T, JsError> {
    name.parse().map_err(|e: String| JsError::new(&e))
}

/// A `Float32Array` over `values` where they lie in the module's memory:
/// no copy, which matters for matrices of up to 4 M values (16 MB). It shows
/// the engine's buffers as they are, so it is valid only until the next call
/// that runs the engine (which rewrites them) or grows its memory (which
/// detaches every view, leaving it empty); JavaScript that keeps the values
/// copies them with `.slice()`.
pub(crate) fn view(values: &[f32]) -> Float32Array {
    let memory: WebAssembly::Memory = wasm_bindgen::memory().unchecked_into();
    // wasm32 addresses and lengths fit in u32.
    let offset = values.as_ptr() as usize as u32;
    Float32Array::new_with_byte_offset_and_length(&memory.buffer(), offset, values.len() as u32)
}

/// The core keeps its matrices in row-major buffers of their exact size.
pub(crate) fn contiguous<'a>(matrix: ArrayView2<'a, f32>) -> &'a [f32] {
    matrix
        .to_slice()
        .expect("the core's matrices are contiguous and row-major")
}
