//! Row-wise softmax, the stable way and the naive way.
//!
//! The notebook's `softmax` subtracts each row's maximum before
//! exponentiating. That changes nothing mathematically (softmax is
//! shift-invariant) but keeps every exponent `<= 0`, so `exp` can never
//! overflow, however large the scores: the largest entry contributes exactly
//! `exp(0) = 1` to the sum. The naive version exponentiates the scores
//! directly and genuinely overflows once a score passes the format's limit
//! (88.72 in f32 and bf16, 11.09 in f16): `exp` gives +∞, the row sum is +∞,
//! and `∞ / ∞` is NaN. Both are here so the page can show the difference.
//!
//! In bfloat16 and float16 each step (`s - max`, `exp`, each addition of the
//! sum, the division) is rounded to the format, to show what a computation
//! held in that format does. In float32 the row sum is accumulated in `f64`
//! and each weight is `e / sum` in `f64`, rounded once: an `f32` running sum
//! stops growing once its 1.0 term is in and drops every term below 2⁻²⁴,
//! which at T = 1024 loses visible mass from saturated rows (weights off by
//! 2e-5 from NumPy's float64, a gradient signal 15 % low), while NumPy's own
//! float32 softmax sums pairwise and does not. Float32's `exp` is
//! `lane_math::exp`, four lanes at a time; the rounded formats' is libm's
//! `expf`, one value at a time, as the reference generator's step-by-step
//! references expect. Both give the same bits natively and in WebAssembly.

use ndarray::{ArrayView2, ArrayViewMut2};

use crate::lane_math;
use crate::precision::{Format, Precision};
use crate::simd::F32x4;
use crate::stats;

/// Which softmax to use.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SoftmaxKind {
    /// Subtract the row maximum first (the notebook's, and every framework's).
    #[default]
    Stable,
    /// Exponentiate the scores directly; overflows for large scores.
    Naive,
}

named_enum!(SoftmaxKind, "softmax", Stable => "stable", Naive => "naive");

/// `out[i, :] = softmax(logits[i, :])` in format `F`. Returns how many `exp`
/// results overflowed to +∞ (never any for [`SoftmaxKind::Stable`] with
/// finite logits).
///
/// # Panics
/// If the shapes differ.
pub fn softmax_rows<F: Format>(
    kind: SoftmaxKind,
    logits: ArrayView2<'_, f32>,
    mut out: ArrayViewMut2<'_, f32>,
) -> usize {
    assert_eq!(logits.dim(), out.dim(), "softmax output has the wrong shape");
    let cols = logits.ncols().max(1);
    let logits = logits.to_slice().expect("logits are stored row-major");
    let out = out.as_slice_mut().expect("probabilities are stored row-major");
    let mut overflows = 0;
    for (row, probs) in logits.chunks_exact(cols).zip(out.chunks_exact_mut(cols)) {
        let shift = match kind {
            SoftmaxKind::Stable => stats::max_skipping_nan(row, f32::NEG_INFINITY),
            SoftmaxKind::Naive => 0.0,
        };
        if F::PRECISION == Precision::F32 {
            // Four lanes at a time (`s − max` is exact or rounded the same either way).
            probs.copy_from_slice(row);
            lane_math::map_lanes(probs, 0.0, |s| lane_math::exp(s.sub(F32x4::splat(shift))));
            overflows += probs.iter().filter(|&&p| p == f32::INFINITY).count();
            normalise_exactly(probs);
        } else {
            for (p, &s) in probs.iter_mut().zip(row) {
                let exponent = if kind == SoftmaxKind::Stable {
                    F::round(s - shift)
                } else {
                    s
                };
                *p = F::round(libm::expf(exponent));
                overflows += usize::from(*p == f32::INFINITY);
            }
            normalise_rounding_each_step::<F>(probs);
        }
    }
    overflows
}

/// `p / Σ p` with the sum and the quotients in `f64`, each weight rounded
/// to `f32` once. Four partial sums keep the adds independent (one `f64`
/// chain is latency-bound); their order is fixed, so the result is too.
fn normalise_exactly(probs: &mut [f32]) {
    let mut partial = [0.0f64; 4];
    let mut chunks = probs.chunks_exact(4);
    for chunk in &mut chunks {
        for (sum, &p) in partial.iter_mut().zip(chunk) {
            *sum += f64::from(p);
        }
    }
    for (sum, &p) in partial.iter_mut().zip(chunks.remainder()) {
        *sum += f64::from(p);
    }
    let sum = (partial[0] + partial[2]) + (partial[1] + partial[3]);
    for p in probs.iter_mut() {
        *p = (f64::from(*p) / sum) as f32;
    }
}

/// `p / Σ p` with every addition and each quotient rounded to `F`, in row
/// order, as a computation held in that format would do it.
fn normalise_rounding_each_step<F: Format>(probs: &mut [f32]) {
    let sum = probs.iter().fold(0.0f32, |sum, &p| F::round(sum + p));
    for p in probs.iter_mut() {
        *p = F::round(*p / sum);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::precision::{F16, F32};
    use ndarray::{Array2, array};

    fn stable(s: ArrayView2<'_, f32>) -> Array2<f32> {
        let mut p = Array2::zeros(s.dim());
        assert_eq!(softmax_rows::<F32>(SoftmaxKind::Stable, s, p.view_mut()), 0);
        p
    }

    #[test]
    fn rows_sum_to_one_and_keep_order() {
        let p = stable(array![[1.0f32, 2.0, 3.0], [0.0, 0.0, 0.0], [-5.0, 10.0, 2.5]].view());
        for row in p.rows() {
            assert!((row.sum() - 1.0).abs() < 1e-6);
        }
        assert!(p[[0, 0]] < p[[0, 1]] && p[[0, 1]] < p[[0, 2]]);
        assert!(p.row(1).iter().all(|&v| (v - 1.0 / 3.0).abs() < 1e-7));
    }

    #[test]
    fn huge_scores_do_not_overflow_the_stable_softmax() {
        let p = stable(array![[1e30f32, 0.0, -1e30], [1e30, 1e30, 3.0e38]].view());
        assert!(p.iter().all(|v| v.is_finite()));
        assert_eq!(p.row(0).to_vec(), vec![1.0, 0.0, 0.0]);
        assert_eq!(p.row(1).to_vec(), vec![0.0, 0.0, 1.0]);
    }

    #[test]
    fn known_values() {
        // softmax([0, ln 3]) = [1/4, 3/4]
        let p = stable(array![[0.0f32, 3.0f32.ln()]].view());
        assert!((p[[0, 0]] - 0.25).abs() < 1e-7);
        assert!((p[[0, 1]] - 0.75).abs() < 1e-7);
    }

    #[test]
    fn naive_softmax_overflows_where_the_format_does() {
        let s = array![[89.0f32, 0.0], [88.0, 0.0]];
        let mut p = Array2::zeros((2, 2));
        assert_eq!(softmax_rows::<F32>(SoftmaxKind::Naive, s.view(), p.view_mut()), 1);
        assert!(p[[0, 0]].is_nan() && p[[0, 1]] == 0.0);
        assert!((p[[1, 0]] - 1.0).abs() < 1e-6);

        let s = array![[11.0f32, 0.0], [11.1, 0.0]];
        assert_eq!(softmax_rows::<F16>(SoftmaxKind::Naive, s.view(), p.view_mut()), 1);
        assert!(p.row(0).iter().all(|v| v.is_finite()));
        assert!(p[[1, 0]].is_nan());
        assert_eq!(softmax_rows::<F16>(SoftmaxKind::Stable, s.view(), p.view_mut()), 0);
        assert!(p.iter().all(|v| v.is_finite()));
    }

    #[test]
    fn names_round_trip() {
        for &k in SoftmaxKind::ALL {
            assert_eq!(k.name().parse::<SoftmaxKind>(), Ok(k));
        }
    }
}
