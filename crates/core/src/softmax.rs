//! Row-wise softmax.
//!
//! The notebook's `softmax` subtracts each row's maximum before exponentiating.
//! That changes nothing mathematically (softmax is shift-invariant) but keeps
//! every exponent `<= 0`, so `exp` can never overflow, however large the
//! scores: the largest entry contributes exactly `exp(0) = 1` to the sum.
//!
//! `exp` comes from `libm` so that native and WebAssembly builds agree bit for
//! bit (see the `numpy_random` module for the same reasoning).

use ndarray::{ArrayView2, ArrayViewMut2, Zip};

/// `out[i, :] = softmax(scores[i, :])`, the numerically stable way.
///
/// A row whose maximum is `+inf` or NaN yields NaN; finite input never does.
///
/// # Panics
/// If the shapes differ.
pub fn stable_softmax_rows(scores: ArrayView2<'_, f32>, mut out: ArrayViewMut2<'_, f32>) {
    assert_eq!(scores.dim(), out.dim(), "softmax output has the wrong shape");
    Zip::from(scores.rows()).and(out.rows_mut()).for_each(|row, mut probs| {
        let max = row.iter().copied().fold(f32::NEG_INFINITY, f32::max);
        let mut sum = 0.0f32;
        Zip::from(&mut probs).and(&row).for_each(|p, &s| {
            *p = libm::expf(s - max);
            sum += *p;
        });
        let inv = 1.0 / sum;
        probs.mapv_inplace(|p| p * inv);
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::{Array2, array};

    #[test]
    fn rows_sum_to_one_and_keep_order() {
        let s = array![[1.0f32, 2.0, 3.0], [0.0, 0.0, 0.0], [-5.0, 10.0, 2.5]];
        let mut p = Array2::zeros((3, 3));
        stable_softmax_rows(s.view(), p.view_mut());
        for row in p.rows() {
            assert!((row.sum() - 1.0).abs() < 1e-6);
        }
        assert!(p[[0, 0]] < p[[0, 1]] && p[[0, 1]] < p[[0, 2]]);
        assert!(p.row(1).iter().all(|&v| (v - 1.0 / 3.0).abs() < 1e-7));
    }

    #[test]
    fn huge_scores_do_not_overflow() {
        let s = array![[1e30f32, 0.0, -1e30], [1e30, 1e30, 3.0e38]];
        let mut p = Array2::zeros((2, 3));
        stable_softmax_rows(s.view(), p.view_mut());
        assert!(p.iter().all(|v| v.is_finite()));
        assert_eq!(p.row(0).to_vec(), vec![1.0, 0.0, 0.0]);
        assert_eq!(p.row(1).to_vec(), vec![0.0, 0.0, 1.0]);
    }

    #[test]
    fn known_values() {
        // softmax([0, ln 3]) = [1/4, 3/4]
        let s = array![[0.0f32, 3.0f32.ln()]];
        let mut p = Array2::zeros((1, 2));
        stable_softmax_rows(s.view(), p.view_mut());
        assert!((p[[0, 0]] - 0.25).abs() < 1e-7);
        assert!((p[[0, 1]] - 0.75).abs() < 1e-7);
    }
}
