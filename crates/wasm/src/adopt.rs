//! Moving a finished run from one `Explorer` to another: a worker's engine
//! computes a big run and the page's engine, which started the same run,
//! adopts its results (see `attention_core::experiment::adopt`).

use attention_core::experiment::{BandPanel, Panel as CorePanel, PanelReport, PanelResults, QkSource};
use attention_core::metrics::RowSaturation;
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
        let k = self.keys_or_none(k);
        self.experiment
            .adopt(q, k, [unscaled, scaled])
            .map_err(|e| JsError::new(&e.to_string()))
    }

    /// K as adopted: ignored when Q = K.
    fn keys_or_none(&self, k: Vec<f32>) -> Vec<f32> {
        if self.experiment.config().qk == QkSource::Independent {
            k
        } else {
            Vec::new()
        }
    }
}

/// A run split over several engines (see `attention_core::experiment`'s
/// bands): the page's engine, which started it, says where the bands are
/// (`bandEdges`); each worker `prepare`s it, computes a band (`scoreBand`),
/// is given the score rows above its band when Q = K (`adoptScoreRows`) and
/// finishes both panels for its rows (`finishBand`); the page's engine takes
/// every band (`adoptBand`) and ends the run (`adoptBands`).
#[wasm_bindgen]
impl Explorer {
    /// The `count + 1` row edges of `count` bands of the started run with
    /// about equal score work each (with Q = K the top rows are longer);
    /// at most 64 bands.
    #[wasm_bindgen(js_name = bandEdges)]
    pub fn band_edges(&self, count: u32) -> Vec<u32> {
        let bands = self.experiment.bands(count.clamp(1, 64) as usize);
        std::iter::once(0).chain(bands.iter().map(|b| b.end as u32)).collect()
    }

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

    /// Whole score rows from row `first` on, as another engine's
    /// `scoreBand` gave them: with Q = K, the rows above the band this
    /// engine finishes.
    #[wasm_bindgen(js_name = adoptScoreRows)]
    pub fn adopt_score_rows(&mut self, first: u32, scores: Vec<f32>) -> Result<(), JsError> {
        self.experiment
            .adopt_score_rows(first as usize, &scores)
            .map_err(|e| JsError::new(&e.to_string()))
    }

    /// Finishes both panels for rows `from..to` of the prepared run; for
    /// each panel `[scores, probabilities, rowGradients, rowMeasures,
    /// expOverflows]`, copies, as `adoptBand` takes them.
    #[wasm_bindgen(js_name = finishBand)]
    pub fn finish_band(&mut self, from: u32, to: u32) -> Result<js_sys::Array, JsError> {
        let rows = from as usize..to as usize;
        let overflows = self
            .experiment
            .finish_band(rows.clone())
            .map_err(|e| JsError::new(&e.to_string()))?;
        let floats = |v: &[f32]| JsValue::from(Float32Array::from(v));
        Ok([CorePanel::Unscaled, CorePanel::Scaled]
            .into_iter()
            .map(|panel| {
                let band = self.experiment.band(panel, rows.clone());
                let measures: Vec<f64> = band.rows.iter().flat_map(RowSaturation::to_values).collect();
                let parts: js_sys::Array = [
                    floats(band.scores),
                    floats(band.probs),
                    floats(band.gradients),
                    JsValue::from(js_sys::Float64Array::from(&measures[..])),
                    JsValue::from(overflows[panel as usize] as f64),
                ]
                .into_iter()
                .collect();
                JsValue::from(parts)
            })
            .collect())
    }

    /// One panel's rows from row `first` on, for the run in progress:
    /// `parts` as another engine's `finishBand` gave them for that panel,
    /// `[scores, probabilities, rowGradients, rowMeasures, expOverflows]`.
    #[wasm_bindgen(js_name = adoptBand)]
    pub fn adopt_band(&mut self, panel: Panel, first: u32, parts: &js_sys::Array) -> Result<(), JsError> {
        let wrong = || {
            JsError::new("not the parts of a band: [scores, probabilities, rowGradients, rowMeasures, expOverflows]")
        };
        let floats = |i| {
            parts
                .get(i)
                .dyn_into::<Float32Array>()
                .map(|a| a.to_vec())
                .map_err(|_| wrong())
        };
        let measures = parts
            .get(3)
            .dyn_into::<js_sys::Float64Array>()
            .map_err(|_| wrong())?
            .to_vec();
        let rows = measures
            .chunks(RowSaturation::VALUES)
            .map(RowSaturation::from_values)
            .collect::<Option<Vec<_>>>()
            .ok_or_else(wrong)?;
        let overflows = parts
            .get(4)
            .as_f64()
            .filter(|n| *n >= 0.0 && n.fract() == 0.0)
            .ok_or_else(wrong)?;
        let band = BandPanel {
            scores: floats(0)?,
            probs: floats(1)?,
            gradients: floats(2)?,
            rows,
            exp_overflows: overflows as usize,
        };
        self.experiment
            .adopt_band(panel.into(), first as usize, band)
            .map_err(|e| JsError::new(&e.to_string()))
    }

    /// Ends the run in progress with Q, K (ignored when Q = K) and every
    /// band given to `adoptBand`. Throws, and changes nothing, when a band
    /// is missing or a shape differs.
    #[wasm_bindgen(js_name = adoptBands)]
    pub fn adopt_bands(&mut self, q: Vec<f32>, k: Vec<f32>) -> Result<(), JsError> {
        let k = self.keys_or_none(k);
        self.experiment
            .adopt_bands(q, k)
            .map_err(|e| JsError::new(&e.to_string()))
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
}
