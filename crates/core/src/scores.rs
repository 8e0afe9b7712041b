//! Attention scores: `S = Q Kᵀ`, and scaling.
//!
//! Rows are queries and columns are keys, as in `Q @ K.T`. Dot products are
//! accumulated in eight independent `f32` lanes that are summed at the end.
//! That order is fixed on purpose: it is the order a SIMD kernel uses, so a
//! vectorised build and this scalar code give bit-identical scores, and it is
//! more accurate than one running sum for long vectors.

use ndarray::{ArrayView2, ArrayViewMut2, Zip};

/// Number of independent accumulators in [`dot`].
const LANES: usize = 8;

/// The dot product of two equally long vectors, accumulated in [`LANES`] lanes.
///
/// # Panics
/// If the lengths differ.
pub fn dot(a: &[f32], b: &[f32]) -> f32 {
    assert_eq!(a.len(), b.len(), "dot product of vectors of different length");
    let mut lanes = [0.0f32; LANES];
    let mut a_chunks = a.chunks_exact(LANES);
    let mut b_chunks = b.chunks_exact(LANES);
    for (ca, cb) in (&mut a_chunks).zip(&mut b_chunks) {
        for lane in 0..LANES {
            lanes[lane] += ca[lane] * cb[lane];
        }
    }
    for (lane, (x, y)) in a_chunks.remainder().iter().zip(b_chunks.remainder()).enumerate() {
        lanes[lane] += x * y;
    }
    // A fixed pairwise reduction of the lanes.
    let [l0, l1, l2, l3, l4, l5, l6, l7] = lanes;
    ((l0 + l4) + (l2 + l6)) + ((l1 + l5) + (l3 + l7))
}

/// `out = q @ k.T` for query rows `q` (T_q × d) and key rows `k` (T_k × d).
///
/// # Panics
/// If the widths of `q` and `k` differ or `out` is not T_q × T_k.
pub fn cross_scores(q: ArrayView2<'_, f32>, k: ArrayView2<'_, f32>, mut out: ArrayViewMut2<'_, f32>) {
    assert_eq!(q.ncols(), k.ncols(), "queries and keys need the same width d_k");
    assert_eq!(out.dim(), (q.nrows(), k.nrows()), "score matrix has the wrong shape");
    for i in 0..q.nrows() {
        for j in 0..k.nrows() {
            out[[i, j]] = dot(row(&q, i), row(&k, j));
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
pub fn self_scores(x: ArrayView2<'_, f32>, mut out: ArrayViewMut2<'_, f32>) {
    let t = x.nrows();
    assert_eq!(out.dim(), (t, t), "score matrix has the wrong shape");
    for i in 0..t {
        for j in i..t {
            let s = dot(row(&x, i), row(&x, j));
            out[[i, j]] = s;
            out[[j, i]] = s;
        }
    }
}

/// `dst = src * factor`, elementwise (e.g. `factor = 1 / sqrt(d_k)`).
///
/// # Panics
/// If the shapes differ.
pub fn scale_into(src: ArrayView2<'_, f32>, factor: f32, dst: ArrayViewMut2<'_, f32>) {
    Zip::from(dst).and(src).for_each(|d, &s| *d = s * factor);
}

/// The notebook's scale factor `1 / sqrt(d_k)`, rounded once to `f32`.
pub fn inverse_sqrt(d_k: usize) -> f32 {
    // Computed in f64 so the only rounding is the final one to f32.
    (1.0 / (d_k as f64).sqrt()) as f32
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
    use ndarray::{Array2, array};

    #[test]
    fn dot_matches_a_plain_sum_on_small_integers() {
        let a: Vec<f32> = (1..=19).map(|v| v as f32).collect();
        let b: Vec<f32> = (1..=19).map(|v| (20 - v) as f32).collect();
        let plain: f32 = a.iter().zip(&b).map(|(x, y)| x * y).sum();
        assert_eq!(dot(&a, &b), plain);
    }

    #[test]
    fn self_scores_equal_cross_scores_with_q_equal_k() {
        let x = array![[1.0f32, 2.0, -1.0], [0.5, -3.0, 2.0], [4.0, 0.0, 1.5], [-2.0, 1.0, 1.0]];
        let mut a = Array2::zeros((4, 4));
        let mut b = Array2::zeros((4, 4));
        self_scores(x.view(), a.view_mut());
        cross_scores(x.view(), x.view(), b.view_mut());
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
        cross_scores(q.view(), k.view(), s.view_mut());
        assert_eq!(s, array![[2.0, 5.0], [3.0, 7.0], [5.0, 12.0]]);
    }

    #[test]
    fn scaling_divides_by_sqrt_dk() {
        let s = array![[16.0f32, -8.0], [4.0, 0.0]];
        let mut out = Array2::zeros((2, 2));
        scale_into(s.view(), inverse_sqrt(16), out.view_mut());
        assert_eq!(out, array![[4.0, -2.0], [1.0, 0.0]]);
        assert_eq!(inverse_sqrt(64), 0.125);
    }
}
