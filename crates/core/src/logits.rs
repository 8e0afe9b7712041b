//! Keeping attention logits in range the ways models since 2017 do, beside
//! the `1/√d_k` scale: QK-norm (each query and key row normalised before the
//! dot product, the scores times a gain) and soft-capping (`c·tanh(z/c)`).
//!
//! In the experiment's order (inputs → QK-norm → scores → scale → cap →
//! temperature → softmax):
//!
//! ```text
//! q ← q / max(|q|, 1e-12)              L2 (F.normalize; Henry et al. 2020, "Query-Key Normalization")
//! q ← (q − mean) / √(var + 1e-5)       LayerNorm without gain (ViT-22B, Dehghani et al. 2023)
//! S = g · (Q Kᵀ)                        the gain g (1 leaves the scores alone)
//! z ← c · tanh(z / c)                   after the scale, each panel (Gemma 2 caps attention logits at 50)
//! ```
//!
//! The normalisation is computed in float64 from the format's values and
//! rounded once (as PyTorch computes norms in float32 for half inputs);
//! the gain and the cap round every operation to the format, like the
//! rest of the engine. `tanh` is `libm`'s, the same on every target.

use crate::inputs::layer_norm;
use crate::precision::Format;

/// The epsilon of `torch.nn.functional.normalize`.
pub const L2_EPS: f64 = 1e-12;

/// How query and key rows are normalised before the dot product.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum QkNorm {
    /// Not at all, as in the 2017 recipe.
    #[default]
    None,
    /// To unit length: every score is then a cosine times the gain.
    L2,
    /// To mean 0 and variance 1: every |q|² is about d_k.
    LayerNorm,
}

named_enum!(QkNorm, "QK-norm", None => "none", L2 => "l2", LayerNorm => "layernorm");

/// The logit controls of a run.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LogitControl {
    /// Normalisation of query and key rows.
    pub qk_norm: QkNorm,
    /// g, multiplying every score (> 0; 1 leaves them alone).
    pub gain: f64,
    /// c, the soft cap of every logit (0: none).
    pub cap: f64,
}

impl Default for LogitControl {
    fn default() -> Self {
        LogitControl::NONE
    }
}

impl LogitControl {
    /// No control beyond the scale rule.
    pub const NONE: LogitControl = LogitControl {
        qk_norm: QkNorm::None,
        gain: 1.0,
        cap: 0.0,
    };

    /// Whether the gain and the cap are values the engine can use: a cap is
    /// 0 (none) or at least 10⁻³ (smaller ones round to 0 in float16).
    pub fn is_valid(self) -> bool {
        self.gain.is_finite() && self.gain > 0.0 && self.cap.is_finite() && (self.cap == 0.0 || self.cap >= 1e-3)
    }

    /// Whether the scores a panel starts from differ from the raw `Q Kᵀ`
    /// (a gain, or a cap), so that the raw scores must be kept for both panels.
    pub fn transforms_scores(self) -> bool {
        self.gain != 1.0 || self.cap != 0.0
    }
}

/// Normalises each row of `rows` (`width` values each) in place, as `norm`
/// says: computed in float64 from the format's values, rounded once to F.
pub fn normalize_rows<F: Format>(norm: QkNorm, rows: &mut [f32], width: usize) {
    if norm == QkNorm::None || width == 0 {
        return;
    }
    let mut wide = vec![0.0; width];
    for row in rows.chunks_exact_mut(width) {
        wide.iter_mut().zip(row.iter()).for_each(|(w, &v)| *w = f64::from(v));
        if norm == QkNorm::L2 {
            let length = wide.iter().map(|v| v * v).sum::<f64>().sqrt().max(L2_EPS);
            wide.iter_mut().for_each(|v| *v /= length);
        } else {
            layer_norm(&mut wide);
        }
        row.iter_mut().zip(&wide).for_each(|(v, &w)| *v = F::round(w as f32));
    }
}

/// One panel's logits before the temperature, from the raw scores: times
/// the gain, times `factor` (the scaled panel's rule; `None` for the
/// unscaled panel), then soft-capped; every operation rounded to F.
pub fn logits_into<F: Format>(raw: &[f32], control: LogitControl, factor: Option<f32>, out: &mut [f32]) {
    let gain = F::round(control.gain as f32);
    let cap = F::round(control.cap as f32);
    for (z, &s) in out.iter_mut().zip(raw) {
        let mut v = s;
        if control.gain != 1.0 {
            v = F::round(v * gain);
        }
        if let Some(factor) = factor {
            v = F::round(v * factor);
        }
        if control.cap != 0.0 {
            v = F::round(cap * F::round(libm::tanhf(F::round(v / cap))));
        }
        *z = v;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::precision::F32;

    #[test]
    fn l2_rows_have_unit_length_and_layer_norm_rows_unit_variance() {
        let mut rows = vec![3.0, 4.0, 0.0, 0.0, 1.0, 2.0, 3.0, 6.0];
        normalize_rows::<F32>(QkNorm::L2, &mut rows, 4);
        assert_eq!(&rows[..4], &[0.6, 0.8, 0.0, 0.0]);
        let norm: f32 = rows[4..].iter().map(|v| v * v).sum();
        assert!((norm - 1.0).abs() < 1e-6);
        let mut rows = vec![1.0, 2.0, 3.0, 6.0];
        normalize_rows::<F32>(QkNorm::LayerNorm, &mut rows, 4);
        let mean: f32 = rows.iter().sum::<f32>() / 4.0;
        let var: f32 = rows.iter().map(|v| v * v).sum::<f32>() / 4.0;
        assert!(mean.abs() < 1e-6 && (var - 1.0).abs() < 1e-5, "{mean} {var}");
        // A zero row stays zero (F.normalize's epsilon), never NaN.
        let mut zero = vec![0.0; 4];
        normalize_rows::<F32>(QkNorm::L2, &mut zero, 4);
        assert_eq!(zero, vec![0.0; 4]);
    }

    #[test]
    fn the_cap_bounds_every_logit_and_leaves_small_ones_nearly_alone() {
        let raw = [0.5, -3.0, 60.0, -1e6, 1e30];
        let mut out = [0.0; 5];
        let control = LogitControl {
            cap: 50.0,
            ..LogitControl::NONE
        };
        logits_into::<F32>(&raw, control, None, &mut out);
        assert!(out.iter().all(|z| z.abs() <= 50.0));
        // c·tanh(z/c), in float64: 0.499983…, −2.99640…, 41.6834…; then ∓c.
        for (got, z) in out.iter().zip(raw).take(3) {
            let want = 50.0 * (f64::from(z) / 50.0).tanh();
            assert!(
                (f64::from(*got) - want).abs() <= 1e-5 * want.abs(),
                "{z}: {got} vs {want}"
            );
        }
        assert_eq!((out[3], out[4]), (-50.0, 50.0));
        // Small logits are nearly left alone: within z³/(3c²) of themselves.
        assert!((out[0] - 0.5).abs() < 2e-5);
    }

    #[test]
    fn gain_and_factor_multiply_in_order() {
        let raw = [2.0, -4.0];
        let mut out = [0.0; 2];
        logits_into::<F32>(
            &raw,
            LogitControl {
                gain: 3.0,
                ..LogitControl::NONE
            },
            Some(0.5),
            &mut out,
        );
        assert_eq!(out, [3.0, -6.0]);
        logits_into::<F32>(&raw, LogitControl::NONE, Some(0.5), &mut out);
        assert_eq!(out, [1.0, -2.0]);
    }
}
