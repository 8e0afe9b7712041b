//! Moving a finished run from one `Explorer` to another: a worker's engine
//! computes a big run and the page's engine, which started the same run,
//! adopts its results (see `attention_core::experiment::adopt`).

use attention_core::experiment::{PanelReport, PanelResults, QkSource, balanced_bands};
use js_sys::Float32Array;
use wasm_bindgen::prelude::*;

use crate::explorer::{contiguous, view};
use crate::{Explorer, Panel};

#[wasm_bindgen]
impl Explorer {
    /// The numbers beside one panel of the last run, in the fixed order
    /// `adoptPanel` takes them.
    #[wasm_bindgen(js_name = reportValues)]
    pub fn report_values(&self, panel: Panel) -> Result<Vec<f64>, JsError> {
        Ok(self.finished()?.report(panel.into()).to_values().to_vec())
    }

    /// One panel of results computed by another engine for the run in
    /// progress: T × T scores and weights, T row gradients, and the
    /// `reportValues` of that engine. Kept until `adopt`.
    #[wasm_bindgen(js_name = adoptPanel)]
    pub fn adopt_panel(
        &mut self,
        panel: Panel,
        scores: Vec<f32>,
        probs: Vec<f32>,
        gradients: Vec<f32>,
        report: Vec<f64>,
    ) -> Result<(), JsError> {
        let report = PanelReport::from_values(&report).ok_or_else(|| JsError::new("not the numbers of a report"))?;
        self.adopting[panel as usize] = Some(PanelResults {
            scores,
            probs,
            gradients,
            report,
        });
        Ok(())
    }

    /// Ends the run in progress with Q, K (ignored when Q = K) and the two
    /// panels given to `adoptPanel`, instead of computing them. Throws, and
    /// changes nothing, when a panel is missing or a shape differs.
    pub fn adopt(&mut self, q: Vec<f32>, k: Vec<f32>) -> Result<(), JsError> {
        let [Some(unscaled), Some(scaled)] = std::mem::take(&mut self.adopting) else {
            return Err(JsError::new("both panels must be given to adoptPanel first"));
        };
        let k = if self.experiment.config().qk == QkSource::Independent {
            k
        } else {
            Vec::new()
        };
        self.experiment
            .adopt(q, k, [unscaled, scaled])
            .map_err(|e| JsError::new(&e.to_string()))
    }
}

/// A run split over several engines (see `attention_core::experiment`'s
/// bands): each `prepare`s it and computes a band (`scoreBand`); then, given
/// every band's rows (`adoptScores`), one finishes it with `advance`, or two
/// finish a panel each (`finishPanel`).
#[wasm_bindgen]
impl Explorer {
    /// Starts a run like `start`'s and draws its rows now, for `scoreBand`.
    pub fn prepare(&mut self, tokens: u32, d_k: u32, seed: u32) -> Result<(), JsError> {
        self.experiment.prepare(self.config(tokens, d_k, seed))?;
        Ok(())
    }

    /// Score rows `from..to` of the prepared run (their upper-triangle part
    /// when Q = K), rows × T values: a view of the engine's memory (copy it
    /// before the next call).
    #[wasm_bindgen(js_name = scoreBand)]
    pub fn score_band(&mut self, from: u32, to: u32) -> Result<Float32Array, JsError> {
        let band = self
            .experiment
            .score_band(from as usize..to as usize)
            .map_err(|e| JsError::new(&e.to_string()))?;
        Ok(view(band))
    }

    /// One panel of a run whose scores were adopted (`adoptScores`), while
    /// another engine finishes the other: `[scores, probabilities,
    /// rowGradients, reportValues]`, copies, as `adoptPanel` takes them.
    #[wasm_bindgen(js_name = finishPanel)]
    pub fn finish_panel(&mut self, panel: Panel) -> Result<js_sys::Array, JsError> {
        let results = self
            .experiment
            .finish_one(panel.into())
            .map_err(|e| JsError::new(&e.to_string()))?;
        let floats = |v: &[f32]| JsValue::from(Float32Array::from(v));
        Ok([
            floats(&results.scores),
            floats(&results.probs),
            floats(&results.gradients),
            JsValue::from(js_sys::Float64Array::from(&results.report.to_values()[..])),
        ]
        .into_iter()
        .collect())
    }

    /// `[Q, K]` of a prepared (or finished) run, copies; K is empty when
    /// Q = K.
    #[wasm_bindgen(js_name = preparedRows)]
    pub fn prepared_rows(&self) -> Result<js_sys::Array, JsError> {
        let e = &self.experiment;
        if !e.rows_ready() {
            return Err(JsError::new("the run's rows are still being drawn"));
        }
        let k = match e.config().qk {
            QkSource::Independent => contiguous(e.k()),
            _ => &[],
        };
        Ok([Float32Array::from(contiguous(e.q())), Float32Array::from(k)]
            .into_iter()
            .collect())
    }

    /// Every band's rows of the prepared run's scores, T × T; then `advance`
    /// finishes the run.
    #[wasm_bindgen(js_name = adoptScores)]
    pub fn adopt_scores(&mut self, scores: Vec<f32>) -> Result<(), JsError> {
        self.experiment
            .adopt_scores(&scores)
            .map_err(|e| JsError::new(&e.to_string()))
    }
}

/// The `count + 1` row edges of `count` bands of a T-row product with about
/// equal work each (`upper`: the upper triangle of X Xᵀ, whose top rows are
/// longer); at most 64 bands.
#[wasm_bindgen(js_name = bandEdges)]
pub fn band_edges(tokens: u32, count: u32, upper: bool) -> Vec<u32> {
    let bands = balanced_bands(tokens as usize, count.clamp(1, 64) as usize, upper);
    std::iter::once(0).chain(bands.iter().map(|b| b.end as u32)).collect()
}
