//! Moving a finished run from one `Explorer` to another: a worker's engine
//! computes a big run and the page's engine, which started the same run,
//! adopts its results (see `attention_core::experiment::adopt`).

use attention_core::experiment::{PanelReport, PanelResults, QkSource};
use wasm_bindgen::prelude::*;

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
