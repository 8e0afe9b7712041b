//! Attention scores: `S = Q Kᵀ` (or cosine similarity), scaling and temperature.
//!
//! Rows are queries and columns are keys, as in `Q @ K.T`. Every function is
//! generic over the number [`Format`]: each product and sum is rounded to it.
//!
//! In float32 every product goes through the blocked kernel of
//! [`crate::kernel`], in its fixed order. In bfloat16 and float16 dot
//! products are accumulated in eight independent lanes that are summed
//! pairwise at the end: the order a four-lane SIMD loop takes two vectors at
//! a time, which the reference generator (tests/fixtures/generate.py)
//! follows exactly for the low-precision references. (Blocking the rounded
//! formats gained 15–20 %: they are bound by the rounding.)

use std::ops::Range;

use ndarray::{ArrayView2, ArrayViewMut2};

use crate::kernel::{self, PackedKeys};
use crate::precision::{Format, Precision, round_lanes};
use crate::simd::F32x4;

/// Number of independent accumulators of the rounded formats' [`dot`].
pub const LANES: usize = 8;

/// The dot product of two equally long vectors in format `F`. In float32,
/// [`kernel::dot`]'s order; in the rounded formats
/// `lane[i % 8] = round(lane[i % 8] + round(a[i] * b[i]))`, then
/// `((l0 + l4) + (l2 + l6)) + ((l1 + l5) + (l3 + l7))`, each sum rounded.
///
/// # Panics
/// If the lengths differ.
pub fn dot<F: Format>(a: &[f32], b: &[f32]) -> f32 {
    if F::PRECISION == Precision::F32 {
        kernel::dot(a, b)
    } else {
        lanes_dot::<F>(a, b)
    }
}

/// One dot product in eight lanes, held as two [`F32x4`] (WebAssembly SIMD
/// in the web build) and rounded to `F` four lanes at a time.
///
/// # Panics
/// If the vectors differ in length.
fn lanes_dot<F: Format>(a: &[f32], b: &[f32]) -> f32 {
    assert_eq!(a.len(), b.len(), "dot product of vectors of different length");
    let round = |v: F32x4| round_lanes(F::PRECISION, v);
    let whole = a.len() - a.len() % LANES;
    let mut acc = [F32x4::zero(); 2];
    for k in (0..whole).step_by(LANES) {
        for (h, lanes) in acc.iter_mut().enumerate() {
            let at = k + 4 * h;
            let x = F32x4::load(a[at..at + 4].try_into().expect("4 lanes"));
            let y = F32x4::load(b[at..at + 4].try_into().expect("4 lanes"));
            *lanes = round(lanes.add(round(x.mul(y))));
        }
    }
    let (low, high) = (acc[0].to_array(), acc[1].to_array());
    let mut lanes: [f32; LANES] = std::array::from_fn(|l| if l < 4 { low[l] } else { high[l - 4] });
    for l in 0..a.len() - whole {
        lanes[l] = F::round(lanes[l] + F::round(a[whole + l] * b[whole + l]));
    }
    let add = |x: f32, y: f32| F::round(x + y);
    let [l0, l1, l2, l3, l4, l5, l6, l7] = lanes;
    add(add(add(l0, l4), add(l2, l6)), add(add(l1, l5), add(l3, l7)))
}

/// The keys as the score functions read them: `rows` (row-major), and in
/// float32 the same rows packed for the kernel. A run done in slices packs
/// once ([`Keys::packed`]); [`Keys::rows`] packs on each call.
#[derive(Clone, Copy)]
pub struct Keys<'a> {
    rows: ArrayView2<'a, f32>,
    packed: Option<&'a PackedKeys>,
}

impl<'a> Keys<'a> {
    /// Keys to be packed when a float32 product needs them.
    pub fn rows(rows: ArrayView2<'a, f32>) -> Self {
        Keys { rows, packed: None }
    }

    /// Keys with `packed` holding `rows` packed ([`PackedKeys::pack`]).
    ///
    /// # Panics
    /// If `packed` is not of `rows`' shape.
    pub fn packed(rows: ArrayView2<'a, f32>, packed: &'a PackedKeys) -> Self {
        assert_eq!(
            (packed.keys(), packed.width()),
            rows.dim(),
            "packed keys of another shape"
        );
        Keys {
            rows,
            packed: Some(packed),
        }
    }
}

/// `out = q @ k.T` for query rows `q` (T_q × d) and key rows `k` (T_k × d).
///
/// # Panics
/// If the widths of `q` and `k` differ or `out` is not T_q × T_k.
pub fn cross_scores<F: Format>(q: ArrayView2<'_, f32>, k: ArrayView2<'_, f32>, out: ArrayViewMut2<'_, f32>) {
    cross_scores_rows::<F>(q, Keys::rows(k), out, 0..q.nrows());
}

/// Rows `rows` of [`cross_scores`], leaving the other rows of `out` alone:
/// a big product done in slices, between which the page can paint.
///
/// # Panics
/// As [`cross_scores`], or if `rows` is not within `0..T_q`.
pub fn cross_scores_rows<F: Format>(
    q: ArrayView2<'_, f32>,
    k: Keys<'_>,
    mut out: ArrayViewMut2<'_, f32>,
    rows: Range<usize>,
) {
    assert_eq!(q.ncols(), k.rows.ncols(), "queries and keys need the same width d_k");
    assert_eq!(
        out.dim(),
        (q.nrows(), k.rows.nrows()),
        "score matrix has the wrong shape"
    );
    assert!(rows.end <= q.nrows(), "rows out of range");
    products::<F>(&q, k, contiguous_mut(&mut out), rows, false);
}

/// `out = x @ x.T`, the notebook's case `Q = K = X`.
///
/// The result is symmetric, so only the upper triangle is computed and then
/// copied to the lower one; the diagonal holds the squared norms `|x_i|²`.
/// `dot(a, b)` and `dot(b, a)` are the same bits (products commute), so
/// this equals the full product exactly.
///
/// # Panics
/// If `out` is not T × T.
pub fn self_scores<F: Format>(x: ArrayView2<'_, f32>, mut out: ArrayViewMut2<'_, f32>) {
    self_scores_rows::<F>(x, Keys::rows(x), out.view_mut(), 0..x.nrows());
    mirror_upper(out);
}

/// The upper-triangle part of rows `rows` of [`self_scores`] (cells `j ≥ i`,
/// and possibly a few just below the diagonal), with `keys` holding `x`.
/// Once every row is done, [`mirror_upper`] completes the matrix.
///
/// # Panics
/// If `out` is not T × T, `keys` are not `x`'s shape or `rows` is not
/// within `0..T`.
pub fn self_scores_rows<F: Format>(
    x: ArrayView2<'_, f32>,
    keys: Keys<'_>,
    mut out: ArrayViewMut2<'_, f32>,
    rows: Range<usize>,
) {
    let t = x.nrows();
    assert_eq!(keys.rows.dim(), x.dim(), "the keys are X itself");
    assert_eq!(out.dim(), (t, t), "score matrix has the wrong shape");
    assert!(rows.end <= t, "rows out of range");
    products::<F>(&x, keys, contiguous_mut(&mut out), rows, true);
}

/// Copies the strict upper triangle of a square matrix to the lower one, in
/// tiles, so that the column-order writes stay in cache.
///
/// # Panics
/// If the matrix is not square and row-major.
pub fn mirror_upper(mut m: ArrayViewMut2<'_, f32>) {
    let t = m.nrows();
    assert_eq!(m.ncols(), t, "only a square matrix has a mirror image");
    mirror_upper_rows(contiguous_mut(&mut m), t, 0..t);
}

/// Fills rows `rows` of the row-major `t × t` matrix `out` left of the
/// diagonal from the upper triangle (cell `(i, j)`, `j < i`, from `(j, i)`,
/// which rows above and within the band hold), in tiles so that the reads,
/// down columns, stay in cache.
///
/// # Panics
/// If `out` holds fewer than `t × t` values or the rows exceed `t`.
#[inline(never)] // one copy for every number format
pub fn mirror_upper_rows(out: &mut [f32], t: usize, rows: Range<usize>) {
    const TILE: usize = 32;
    assert!(out.len() >= t * t && rows.end <= t, "rows of a t × t matrix");
    for ib in rows.clone().step_by(TILE) {
        let end = (ib + TILE).min(rows.end);
        for jb in (0..end).step_by(TILE) {
            for i in ib..end {
                for j in jb..(jb + TILE).min(i) {
                    out[i * t + j] = out[j * t + i];
                }
            }
        }
    }
}

/// Rows `rows` of the row-major `out = a @ b.T`, or only their upper
/// triangle part when `upper`: the kernel in float32, one lane-order dot
/// per cell in the rounded formats.
fn products<F: Format>(a: &ArrayView2<'_, f32>, b: Keys<'_>, out: &mut [f32], rows: Range<usize>, upper: bool) {
    if F::PRECISION == Precision::F32 {
        let all = a.as_slice().expect("matrices are stored row-major and contiguous");
        let packing;
        let packed = match b.packed {
            Some(packed) => packed,
            None => {
                let keys = b.rows.as_slice().expect("matrices are stored row-major and contiguous");
                packing = PackedKeys::new(keys, b.rows.nrows(), b.rows.ncols());
                &packing
            }
        };
        kernel::product_rows(all, packed, out, rows, upper);
        return;
    }
    let cols = b.rows.nrows();
    for i in rows {
        for j in if upper { i } else { 0 }..cols {
            out[i * cols + j] = lanes_dot::<F>(row(a, i), row(&b.rows, j));
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
pub fn scale_into<F: Format>(src: ArrayView2<'_, f32>, factor: f32, mut dst: ArrayViewMut2<'_, f32>) {
    assert_eq!(src.dim(), dst.dim(), "scaled matrix has the wrong shape");
    let src = src.to_slice().expect("matrices are stored row-major and contiguous");
    for (d, &s) in contiguous_mut(&mut dst).iter_mut().zip(src) {
        *d = F::round(s * factor);
    }
}

/// `dst = round(src / divisor)`, elementwise: softmax temperature `s / τ`.
///
/// # Panics
/// If the shapes differ.
pub fn divide_into<F: Format>(src: ArrayView2<'_, f32>, divisor: f32, mut dst: ArrayViewMut2<'_, f32>) {
    assert_eq!(src.dim(), dst.dim(), "divided matrix has the wrong shape");
    let src = src.to_slice().expect("matrices are stored row-major and contiguous");
    for (d, &s) in contiguous_mut(&mut dst).iter_mut().zip(src) {
        *d = F::round(s / divisor);
    }
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

/// A standard-layout output matrix as one slice.
fn contiguous_mut<'a>(m: &'a mut ArrayViewMut2<'_, f32>) -> &'a mut [f32] {
    m.as_slice_mut().expect("matrices are stored row-major and contiguous")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::numpy_random::SampleStream;
    use crate::precision::{Bf16, F16, F32};
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

    /// The float32 kernel's documented order, written out one product at a
    /// time with no tiles and no SIMD: running sums over blocks of
    /// `kernel::KC` components, each added to the total in turn. What the
    /// kernel must reproduce bit for bit.
    fn reference_dot(a: &[f32], b: &[f32]) -> f32 {
        let (mut total, mut sum) = (0.0f32, 0.0f32);
        for i in 0..a.len() {
            sum += a[i] * b[i];
            if (i + 1) % kernel::KC == 0 || i + 1 == a.len() {
                total += sum;
                sum = 0.0;
            }
        }
        total
    }

    fn normal_matrix(rows: usize, cols: usize, seed: u32) -> Array2<f32> {
        let values = SampleStream::normal(seed)
            .prefix(rows * cols)
            .iter()
            .map(|&v| v as f32)
            .collect();
        Array2::from_shape_vec((rows, cols), values).unwrap()
    }

    /// The benchmark's sizes and some odd ones (tails of the 4-row bands,
    /// the 8-key panels and the 256-component blocks): the blocked SIMD
    /// kernel equals the scalar order exactly, the symmetric path equals the full product, and the
    /// result is symmetric.
    #[test]
    fn simd_kernel_equals_the_scalar_order_at_benchmark_sizes() {
        let sizes = [
            (10, 16),
            (10, 256),
            (64, 256),
            (256, 256),
            (512, 512),
            (1024, 1024),
            (7, 13),
            (33, 100),
            (1, 3),
            (9, 600),
        ];
        for (t, d) in sizes {
            let x = normal_matrix(t, d, 42);
            let mut s = Array2::zeros((t, t));
            self_scores::<F32>(x.view(), s.view_mut());
            assert_eq!(s, s.t(), "T {t} d_k {d}: not symmetric");
            // Every cell up to 256 × 256, a spread of 4,099 cells beyond.
            let stride = if t * t <= 65_536 { 1 } else { t * t / 4099 };
            for cell in (0..t * t).step_by(stride) {
                let (i, j) = (cell / t, cell % t);
                let want = reference_dot(x.row(i).as_slice().unwrap(), x.row(j).as_slice().unwrap());
                assert_eq!(s[[i, j]].to_bits(), want.to_bits(), "T {t} d_k {d} cell ({i}, {j})");
            }
            if t <= 256 {
                let mut full = Array2::zeros((t, t));
                cross_scores::<F32>(x.view(), x.view(), full.view_mut());
                assert_eq!(full, s, "T {t} d_k {d}: symmetric path differs from the full product");
            }
        }
    }

    #[test]
    fn cross_scores_equal_the_scalar_order_for_uneven_shapes() {
        for (tq, tk, d) in [(5, 3, 9), (8, 11, 24), (1, 1, 1), (64, 63, 257), (6, 17, 513)] {
            let q = normal_matrix(tq, d, 1);
            let k = normal_matrix(tk, d, 2);
            let mut s = Array2::zeros((tq, tk));
            cross_scores::<F32>(q.view(), k.view(), s.view_mut());
            for ((i, j), v) in s.indexed_iter() {
                let want = reference_dot(q.row(i).as_slice().unwrap(), k.row(j).as_slice().unwrap());
                assert_eq!(v.to_bits(), want.to_bits(), "{tq}×{tk}×{d} cell ({i}, {j})");
            }
        }
    }

    /// The documented order with every product and sum rounded to `F`.
    fn reference_dot_in<F: Format>(a: &[f32], b: &[f32]) -> f32 {
        let mut lanes = [0.0f32; LANES];
        for (i, (x, y)) in a.iter().zip(b).enumerate() {
            lanes[i % LANES] = F::round(lanes[i % LANES] + F::round(x * y));
        }
        let add = |x: f32, y: f32| F::round(x + y);
        let [l0, l1, l2, l3, l4, l5, l6, l7] = lanes;
        add(add(add(l0, l4), add(l2, l6)), add(add(l1, l5), add(l3, l7)))
    }

    /// bfloat16 and float16 through the SIMD lanes: the scalar order with
    /// every step rounded, bit for bit (NaN for NaN), including overflow to
    /// ∞ in float16 and the tails of the eight lanes.
    #[test]
    fn low_precision_lanes_equal_the_scalar_order() {
        fn check<F: Format>(t: usize, d: usize, scale: f32) {
            let mut x = normal_matrix(t, d, 7);
            x.mapv_inplace(|v| F::round(v * scale));
            let mut s = Array2::zeros((t, t));
            self_scores::<F>(x.view(), s.view_mut());
            for ((i, j), v) in s.indexed_iter() {
                let want = reference_dot_in::<F>(x.row(i).as_slice().unwrap(), x.row(j).as_slice().unwrap());
                assert!(
                    v.to_bits() == want.to_bits() || (v.is_nan() && want.is_nan()),
                    "{t}×{d} ({i}, {j}): {v} vs {want}"
                );
            }
        }
        for (t, d) in [(5, 3), (9, 16), (17, 61), (40, 256)] {
            check::<Bf16>(t, d, 1.0);
            check::<F16>(t, d, 1.0);
            check::<F16>(t, d, 60.0); // products and sums past 65504: ∞, and ∞ − ∞ never arises in a dot
            check::<F16>(t, d, 1e-3); // subnormal products
        }
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
