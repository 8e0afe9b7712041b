//! `Report`: the numbers beside one heatmap, as plain read-only fields.

use attention_core::experiment::PanelReport;
use wasm_bindgen::prelude::*;

/// The numbers beside one heatmap (see `attention_core::metrics` for the
/// definitions). Read the fields, then call `free()` (or let the garbage
/// collector do it).
#[wasm_bindgen]
#[derive(Clone, Copy, Debug)]
pub struct Report {
    /// Population std of the panel's scores (before the temperature).
    #[wasm_bindgen(readonly)]
    pub std: f64,
    /// Mean of the diagonal scores.
    #[wasm_bindgen(readonly, js_name = diagonalMean)]
    pub diagonal_mean: f64,
    /// Population std of the diagonal scores.
    #[wasm_bindgen(readonly, js_name = diagonalStd)]
    pub diagonal_std: f64,
    /// Mean of the off-diagonal scores.
    #[wasm_bindgen(readonly, js_name = offDiagonalMean)]
    pub off_diagonal_mean: f64,
    /// Population std of the off-diagonal scores.
    #[wasm_bindgen(readonly, js_name = offDiagonalStd)]
    pub off_diagonal_std: f64,
    /// Mean over finite rows of the largest probability.
    #[wasm_bindgen(readonly, js_name = maxProbMean)]
    pub max_prob_mean: f64,
    /// Smallest over finite rows of the largest probability.
    #[wasm_bindgen(readonly, js_name = maxProbMin)]
    pub max_prob_min: f64,
    /// Mean row entropy in nats.
    #[wasm_bindgen(readonly, js_name = entropyMean)]
    pub entropy_mean: f64,
    /// Mean row entropy as a fraction of ln T.
    #[wasm_bindgen(readonly, js_name = entropyFraction)]
    pub entropy_fraction: f64,
    /// Mean over rows of exp(entropy).
    #[wasm_bindgen(readonly, js_name = effectiveTokens)]
    pub effective_tokens: f64,
    /// Mean over rows of the keys a row sees (T without a mask).
    #[wasm_bindgen(readonly, js_name = keysMean)]
    pub keys_mean: f64,
    /// Mean over rows of the softmax Jacobian's Frobenius norm.
    #[wasm_bindgen(readonly, js_name = gradientMean)]
    pub gradient_mean: f64,
    /// The gradient signal of a uniform row of this T, √(T−1)/T (the largest
    /// possible one is 1/2, a two-way tie).
    #[wasm_bindgen(readonly, js_name = gradientUniform)]
    pub gradient_uniform: f64,
    /// Rows whose largest probability exceeds 0.99.
    #[wasm_bindgen(readonly, js_name = saturatedRows)]
    pub saturated_rows: u32,
    /// Rows that see a key and have no NaN; the means are over these.
    #[wasm_bindgen(readonly, js_name = finiteRows)]
    pub finite_rows: u32,
    /// Rows with a NaN.
    #[wasm_bindgen(readonly, js_name = nanRows)]
    pub nan_rows: u32,
    /// Probabilities that are NaN.
    #[wasm_bindgen(readonly, js_name = nanCells)]
    pub nan_cells: u32,
    /// Rows a mask leaves no key to see (left out of the means).
    #[wasm_bindgen(readonly, js_name = emptyRows)]
    pub empty_rows: u32,
    /// `exp` results that overflowed to +∞.
    #[wasm_bindgen(readonly, js_name = expOverflows)]
    pub exp_overflows: u32,
}

impl From<PanelReport> for Report {
    fn from(r: PanelReport) -> Self {
        // Counts are at most T² = 2²⁰, so u32 holds them.
        let count = |n: usize| n as u32;
        Report {
            std: r.std,
            diagonal_mean: r.split.diagonal_mean,
            diagonal_std: r.split.diagonal_std,
            off_diagonal_mean: r.split.off_diagonal_mean,
            off_diagonal_std: r.split.off_diagonal_std,
            max_prob_mean: r.saturation.max_prob_mean,
            max_prob_min: r.saturation.max_prob_min,
            entropy_mean: r.saturation.entropy_mean,
            entropy_fraction: r.saturation.entropy_fraction,
            effective_tokens: r.saturation.effective_tokens,
            keys_mean: r.saturation.keys_mean,
            gradient_mean: r.saturation.gradient_mean,
            gradient_uniform: r.saturation.gradient_uniform,
            saturated_rows: count(r.saturation.saturated_rows),
            finite_rows: count(r.saturation.finite_rows),
            nan_rows: count(r.saturation.nan_rows),
            nan_cells: count(r.saturation.nonfinite_cells),
            empty_rows: count(r.saturation.empty_rows),
            exp_overflows: count(r.exp_overflows),
        }
    }
}
