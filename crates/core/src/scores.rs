//! Attention scores: `S = Q Kᵀ` (or cosine similarity), scaling and temperature.
//!
//! Rows are queries and columns are keys, as in `Q @ K.T`. Every function is
//! generic over the number [`Format`]: each product and sum is rounded to it.
//!
//! Dot products are accumulated in eight independent lanes that are summed
//! pairwise at the end. That order is fixed on purpose: it is the order a
//! SIMD kernel uses, so a vectorised build and this scalar code give
//! bit-identical scores, it is more accurate than one running sum for long
//! vectors, and the reference generator (tests/fixtures/generate.py) follows
//! it exactly for the low-precision references.

use ndarray::{ArrayView2, ArrayViewMut2, Zip};

use crate::precision::Format;

/// Number of independent accumulators in [`dot`].
pub const LANES: usize = 8;

/// The dot product of two equally long vectors in format `F`:
/// `lane[i % 8] = round(lane[i % 8] + round(a[i] * b[i]))`, then
/// `((l0 + l4) + (l2 + l6)) + ((l1 + l5) + (l3 + l7))`, each sum rounded.
///
/// # Panics
/// If the lengths differ.
pub fn dot<F: Format>(a: &[f32], b: &[f32]) -> f32 {
    assert_eq!(a.len(), b.len(), "dot product of vectors of different length");
    let mut lanes = [0.0f32; LANES];
    let mut a_chunks = a.chunks_exact(LANES);
    let mut b_chunks = b.chunks_exact(LANES);
    for (ca, cb) in (&mut a_chunks).zip(&mut b_chunks) {
        for lane in 0..LANES {
            lanes[lane] = F::round(lanes[lane] + F::round(ca[lane] * cb[lane]));
        }
    }
    for (lane, (x, y)) in a_chunks.remainder().iter().zip(b_chunks.remainder()).enumerate() {
        lanes[lane] = F::round(lanes[lane] + F::round(x * y));
    }
    let add = |x: f32, y: f32| F::round(x + y);
    let [l0, l1, l2, l3, l4, l5, l6, l7] = lanes;
    add(add(add(l0, l4), add(l2, l6)), add(add(l1, l5), add(l3, l7)))
}

/// `out = q @ k.T` for query rows `q` (T_q × d) and key rows `k` (T_k × d).
///
/// # Panics
/// If the widths of `q` and `k` differ or `out` is not T_q × T_k.
pub fn cross_scores<F: Format>(q: ArrayView2<'_, f32>, k: ArrayView2<'_, f32>, mut out: ArrayViewMut2<'_, f32>) {
    assert_eq!(q.ncols(), k.ncols(), "queries and keys need the same width d_k");
    assert_eq!(out.dim(), (q.nrows(), k.nrows()), "score matrix has the wrong shape");
    for i in 0..q.nrows() {
        for j in 0..k.nrows() {
            out[[i, j]] = dot::<F>(row(&q, i), row(&k, j));
        }
    }
}

/// `out = x @ x.T`, the notebook's case `Q = K = X`.
///
/// The result is symmetric, so only the upper triangle is computed and the
/// lower one is mirrored; the diagonal holds the squared norms `|x_i|²`.
///
/// # Panics
/// If `out` is not T × T.
pub fn self_scores<F: Format>(x: ArrayView2<'_, f32>, mut out: ArrayViewMut2<'_, f32>) {
    let t = x.nrows();
    assert_eq!(out.dim(), (t, t), "score matrix has the wrong shape");
    for i in 0..t {
        for j in i..t {
            let s = dot::<F>(row(&x, i), row(&x, j));
            out[[i, j]] = s;
            out[[j, i]] = s;
        }
    }
}

/// The notebook's `cosine_sim` step for one matrix: each row becomes
/// `a / (|a| + eps)`, in place. With the notebook's `eps = 1e-9` a zero row
/// stays zero instead of dividing by zero. (In half precision `eps` rounds
/// to 0, as it would on an f16 device.)
///
/// # Panics
/// If `rows` is not a whole number of rows of `width`.
pub fn normalize_rows<F: Format>(rows: &mut [f32], width: usize, eps: f32) {
    assert!(width > 0 && rows.len().is_multiple_of(width), "rows must be whole rows");
    let eps = F::round(eps);
    for row in rows.chunks_exact_mut(width) {
        let norm = F::round(dot::<F>(row, row).sqrt());
        let denominator = F::round(norm + eps);
        for v in row.iter_mut() {
            *v = F::round(*v / denominator);
        }
    }
}

/// `dst = round(src * factor)`, elementwise (e.g. `factor = 1 / sqrt(d_k)`,
/// already rounded to the format by the caller).
///
/// # Panics
/// If the shapes differ.
pub fn scale_into<F: Format>(src: ArrayView2<'_, f32>, factor: f32, dst: ArrayViewMut2<'_, f32>) {
    Zip::from(dst).and(src).for_each(|d, &s| *d = F::round(s * factor));
}

/// `dst = round(src / divisor)`, elementwise: softmax temperature `s / τ`.
///
/// # Panics
/// If the shapes differ.
pub fn divide_into<F: Format>(src: ArrayView2<'_, f32>, divisor: f32, dst: ArrayViewMut2<'_, f32>) {
    Zip::from(dst).and(src).for_each(|d, &s| *d = F::round(s / divisor));
}

/// Row `i` of a standard-layout (row-major, contiguous) matrix as a slice.
///
/// # Panics
/// If the matrix is not in standard layout; every matrix the engine builds is.
fn row<'a>(m: &'a ArrayView2<'_, f32>, i: usize) -> &'a [f32] {
    let all = m.as_slice().expect("matrices are stored row-major and contiguous");
    let width = m.ncols();
    &all[i * width..(i + 1) * width]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::precision::{F16, F32};
    use ndarray::{Array2, array};

    #[test]
    fn dot_matches_a_plain_sum_on_small_integers() {
        let a: Vec<f32> = (1..=19).map(|v| v as f32).collect();
        let b: Vec<f32> = (1..=19).map(|v| (20 - v) as f32).collect();
        let plain: f32 = a.iter().zip(&b).map(|(x, y)| x * y).sum();
        assert_eq!(dot::<F32>(&a, &b), plain);
    }

    #[test]
    fn half_precision_rounds_every_step() {
        // Halves are 2 apart above 2048: 2049 (a product, then a sum) rounds
        // to the even neighbour 2048 both times.
        let a = [2049.0f32, 1.0];
        let b = [1.0f32, 1.0];
        assert_eq!(dot::<F32>(&a, &b), 2050.0);
        assert_eq!(dot::<F16>(&a, &b), 2048.0);
    }

    #[test]
    fn self_scores_equal_cross_scores_with_q_equal_k() {
        let x = array![[1.0f32, 2.0, -1.0], [0.5, -3.0, 2.0], [4.0, 0.0, 1.5], [-2.0, 1.0, 1.0]];
        let mut a = Array2::zeros((4, 4));
        let mut b = Array2::zeros((4, 4));
        self_scores::<F32>(x.view(), a.view_mut());
        cross_scores::<F32>(x.view(), x.view(), b.view_mut());
        assert_eq!(a, b);
        assert_eq!(a, a.t());
        assert_eq!(a[[0, 0]], 6.0);
        assert_eq!(a[[0, 1]], 1.0 * 0.5 - 6.0 - 2.0);
    }

    #[test]
    fn cross_scores_rows_are_queries_and_columns_keys() {
        let q = array![[1.0f32, 0.0], [0.0, 1.0], [1.0, 1.0]];
        let k = array![[2.0f32, 3.0], [5.0, 7.0]];
        let mut s = Array2::zeros((3, 2));
        cross_scores::<F32>(q.view(), k.view(), s.view_mut());
        assert_eq!(s, array![[2.0, 5.0], [3.0, 7.0], [5.0, 12.0]]);
    }

    #[test]
    fn scaling_and_temperature() {
        let s = array![[16.0f32, -8.0], [4.0, 0.0]];
        let mut out = Array2::zeros((2, 2));
        scale_into::<F32>(s.view(), 0.25, out.view_mut());
        assert_eq!(out, array![[4.0, -2.0], [1.0, 0.0]]);
        divide_into::<F32>(s.view(), 0.5, out.view_mut());
        assert_eq!(out, array![[32.0, -16.0], [8.0, 0.0]]);
    }

    #[test]
    fn normalized_rows_have_unit_norm_and_zero_rows_stay_zero() {
        let mut rows = vec![3.0f32, 4.0, 0.0, 0.0];
        normalize_rows::<F32>(&mut rows, 2, 1e-9);
        assert!((rows[0] - 0.6).abs() < 1e-7 && (rows[1] - 0.8).abs() < 1e-7);
        assert_eq!(&rows[2..], &[0.0, 0.0]);
    }
}
