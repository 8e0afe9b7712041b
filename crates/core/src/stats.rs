//! Summary statistics of score matrices, defined as NumPy defines them.

use std::ops::Range;

use ndarray::ArrayView2;

/// The largest of `values` and `floor`, skipping NaN, as folding with
/// `f32::max` does. Written as a comparison because `f32::max` becomes a
/// call to libm's `fmaxf` in WebAssembly (its `f32.max` propagates NaN),
/// which cost a millisecond per step at T = 512.
pub fn max_skipping_nan(values: &[f32], floor: f32) -> f32 {
    // Four running maxima, like `sum`'s four sums: independent chains.
    let max = |m: f32, v: f32| if v > m { v } else { m };
    let mut acc = [floor; 4];
    let mut chunks = values.chunks_exact(4);
    for chunk in &mut chunks {
        for (a, &v) in acc.iter_mut().zip(chunk) {
            *a = max(*a, v);
        }
    }
    let tail = chunks.remainder().iter().fold(floor, |m, &v| max(m, v));
    acc.into_iter().fold(tail, max)
}

/// `np.std(values)`: the *population* standard deviation (divides by N, not
/// N − 1), computed in `f64` in two passes (mean, then mean squared deviation)
/// as NumPy does. Returns NaN for an empty input, as NumPy does.
pub fn population_std(values: &[f32]) -> f64 {
    let n = values.len() as f64;
    let mean = sum(values, f64::from) / n;
    (sum(values, |v| (f64::from(v) - mean).powi(2)) / n).sqrt()
}

/// `Σ term(v)` in `f64`, in four interleaved running sums added at the end.
/// One running sum is a chain of dependent additions (about 4 cycles each);
/// four independent ones pipeline, which made the per-step statistics of a
/// T = 512 matrix several times faster. Like NumPy's pairwise summation,
/// and unlike one long chain, the error grows slowly with the count.
pub(crate) fn sum(values: &[f32], term: impl Fn(f32) -> f64) -> f64 {
    let mut acc = [0.0f64; 4];
    let mut chunks = values.chunks_exact(4);
    for chunk in &mut chunks {
        for (a, &v) in acc.iter_mut().zip(chunk) {
            *a += term(v);
        }
    }
    for (a, &v) in acc.iter_mut().zip(chunks.remainder()) {
        *a += term(v);
    }
    (acc[0] + acc[2]) + (acc[1] + acc[3])
}

/// `(np.mean(v), np.std(v))` of any sequence of values, in `f64`; NaN for an
/// empty sequence.
pub fn mean_std(values: impl Iterator<Item = f32> + Clone) -> (f64, f64) {
    let (count, sum) = values
        .clone()
        .fold((0usize, 0.0f64), |(n, s), v| (n + 1, s + f64::from(v)));
    let n = count as f64;
    let mean = sum / n;
    let squares: f64 = values
        .map(|v| {
            let d = f64::from(v) - mean;
            d * d
        })
        .sum();
    (mean, (squares / n).sqrt())
}

/// Mean and spread of a square score matrix's diagonal and off-diagonal
/// entries, apart. With `Q = K` the diagonal holds `|x_i|²`, which behaves
/// quite differently from the rest, and one whole-matrix number hides that.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DiagonalSplit {
    /// Mean of `S[i, i]`.
    pub diagonal_mean: f64,
    /// Population std of `S[i, i]`.
    pub diagonal_std: f64,
    /// Mean of `S[i, j]`, `i != j` (NaN when T = 1).
    pub off_diagonal_mean: f64,
    /// Population std of `S[i, j]`, `i != j` (NaN when T = 1).
    pub off_diagonal_std: f64,
}

/// Splits a square matrix's statistics into diagonal and off-diagonal parts.
///
/// # Panics
/// If the matrix is not square.
pub fn diagonal_split(m: ArrayView2<'_, f32>) -> DiagonalSplit {
    assert_eq!(m.nrows(), m.ncols(), "diagonal statistics need a square matrix");
    let (diagonal_mean, diagonal_std) = mean_std(m.diag().iter().copied());
    // Row by row around each diagonal cell (NumPy's `S[~eye]`), as slices.
    let all = m.as_slice().expect("score matrices are stored row-major");
    let t = m.nrows();
    fn off(all: &[f32], t: usize, term: impl Fn(f32) -> f64 + Copy) -> f64 {
        (0..t)
            .map(|i| {
                let row = &all[i * t..(i + 1) * t];
                sum(&row[..i], term) + sum(&row[i + 1..], term)
            })
            .sum()
    }
    let n = (t * t.saturating_sub(1)) as f64;
    let off_diagonal_mean = off(all, t, f64::from) / n;
    let off_diagonal_std = (off(all, t, |v| (f64::from(v) - off_diagonal_mean).powi(2)) / n).sqrt();
    DiagonalSplit {
        diagonal_mean,
        diagonal_std,
        off_diagonal_mean,
        off_diagonal_std,
    }
}

/// `np.std(S[visible])` and the diagonal split of the cells of a square
/// matrix that a mask leaves visible, row `i` seeing the columns `keys(i)`
/// (NaN for an empty set, as NumPy's).
pub fn visible_stats(m: ArrayView2<'_, f32>, keys: impl Fn(usize) -> Range<usize>) -> (f64, DiagonalSplit) {
    let t = m.nrows();
    let all = m.as_slice().expect("score matrices are stored row-major");
    let (mut visible, mut diagonal, mut off) = (Vec::new(), Vec::new(), Vec::new());
    for i in 0..t {
        let row = &all[i * t..(i + 1) * t];
        let seen = keys(i);
        visible.extend_from_slice(&row[seen.clone()]);
        for j in seen {
            if i == j { &mut diagonal } else { &mut off }.push(row[j]);
        }
    }
    let (diagonal_mean, diagonal_std) = mean_std(diagonal.iter().copied());
    let (off_diagonal_mean, off_diagonal_std) = mean_std(off.iter().copied());
    let split = DiagonalSplit {
        diagonal_mean,
        diagonal_std,
        off_diagonal_mean,
        off_diagonal_std,
    };
    (population_std(&visible), split)
}

/// Counts of a square score matrix's values in equal bins over their range,
/// with the diagonal counted apart from the rest (stack the two to get the
/// whole matrix). Non-finite values are left out.
#[derive(Clone, Debug, PartialEq)]
pub struct Histogram {
    /// Left edge of the first bin.
    pub lo: f64,
    /// Right edge of the last bin.
    pub hi: f64,
    /// Off-diagonal values per bin.
    pub off_diagonal: Vec<u32>,
    /// Diagonal values per bin.
    pub diagonal: Vec<u32>,
    /// Counts per bin that theory expects, where it has a prediction
    /// (see [`normal_expected_counts`]); empty otherwise.
    pub expected: Vec<f64>,
}

impl Histogram {
    /// The `bins + 1` bin edges.
    pub fn edges(&self) -> impl Iterator<Item = f64> + '_ {
        let bins = self.off_diagonal.len();
        (0..=bins).map(move |i| self.lo + (self.hi - self.lo) * i as f64 / bins as f64)
    }
}

/// The smallest and largest finite values of `values`, if any.
pub fn finite_extent(values: impl IntoIterator<Item = f32>) -> Option<(f64, f64)> {
    let finite = values.into_iter().filter(|v| v.is_finite()).map(f64::from);
    let (lo, hi) = finite.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| (lo.min(v), hi.max(v)));
    (lo <= hi).then_some((lo, hi))
}

/// A histogram range from an extent: the extent itself, a range of width 1
/// around a single value, or `[0, 1]` when there is no finite value.
pub fn histogram_range(extent: Option<(f64, f64)>) -> (f64, f64) {
    match extent {
        Some((lo, hi)) if lo < hi => (lo, hi),
        Some((v, _)) => (v - 0.5, v + 0.5),
        None => (0.0, 1.0),
    }
}

/// Bins the values of a square matrix into `bins` equal bins from its
/// smallest to its largest finite value (a range of width 1 around a
/// constant matrix).
///
/// # Panics
/// If the matrix is not square or `bins` is 0.
pub fn histogram(m: ArrayView2<'_, f32>, bins: usize) -> Histogram {
    let (lo, hi) = histogram_range(finite_extent(m.iter().copied()));
    histogram_in(m, bins, lo, hi)
}

/// Bins the finite values of a square matrix into `bins` equal bins over
/// `[lo, hi]` (values outside go to the end bins), diagonal apart.
///
/// # Panics
/// If the matrix is not square, `bins` is 0 or `lo >= hi`.
pub fn histogram_in(m: ArrayView2<'_, f32>, bins: usize, lo: f64, hi: f64) -> Histogram {
    let t = m.ncols();
    histogram_visible_in(m, bins, lo, hi, |_| 0..t)
}

/// [`histogram_in`] of the cells a mask leaves visible, row `i` seeing the
/// columns `keys(i)`.
///
/// # Panics
/// As [`histogram_in`].
pub fn histogram_visible_in(
    m: ArrayView2<'_, f32>,
    bins: usize,
    lo: f64,
    hi: f64,
    keys: impl Fn(usize) -> Range<usize>,
) -> Histogram {
    assert_eq!(m.nrows(), m.ncols(), "histogram of a square score matrix");
    assert!(bins > 0, "at least one bin");
    assert!(lo < hi, "an empty histogram range");
    let mut h = Histogram {
        lo,
        hi,
        off_diagonal: vec![0; bins],
        diagonal: vec![0; bins],
        expected: Vec::new(),
    };
    for ((i, j), &v) in m.indexed_iter() {
        if !v.is_finite() || !keys(i).contains(&j) {
            continue;
        }
        let at = ((f64::from(v) - lo) / (hi - lo) * bins as f64).max(0.0);
        let bin = (at as usize).min(bins - 1);
        if i == j {
            h.diagonal[bin] += 1;
        } else {
            h.off_diagonal[bin] += 1;
        }
    }
    h
}

/// Expected counts per bin of `n` draws from N(0, σ²), for the bins of `h`:
/// `n · (Φ(b) − Φ(a))`.
pub fn normal_expected_counts(h: &Histogram, sigma: f64, n: usize) -> Vec<f64> {
    let cdf = |x: f64| 0.5 * (1.0 + libm::erf(x / (sigma * std::f64::consts::SQRT_2)));
    let edges: Vec<f64> = h.edges().collect();
    edges.windows(2).map(|w| n as f64 * (cdf(w[1]) - cdf(w[0]))).collect()
}

/// Sorts in `f64::total_cmp` order, as `sort_by(f64::total_cmp)` does (values
/// equal in that order have equal bits, so stability cannot show).
///
/// A heapsort: the sweep's bands sort a few hundred values at a time, where
/// it costs microseconds, and the standard library's sorts add 5 KB to the
/// WebAssembly module the page loads.
pub fn sort_total(values: &mut [f64]) {
    fn sift_down(heap: &mut [f64], mut parent: usize) {
        loop {
            let mut child = 2 * parent + 1;
            if child >= heap.len() {
                return;
            }
            if child + 1 < heap.len() && heap[child].total_cmp(&heap[child + 1]).is_lt() {
                child += 1;
            }
            if heap[parent].total_cmp(&heap[child]).is_ge() {
                return;
            }
            heap.swap(parent, child);
            parent = child;
        }
    }
    for parent in (0..values.len() / 2).rev() {
        sift_down(values, parent);
    }
    for end in (1..values.len()).rev() {
        values.swap(0, end);
        sift_down(&mut values[..end], 0);
    }
}

/// The `q`-quantile (0..=1) of sorted values, interpolating linearly between
/// neighbours as `np.percentile` does by default. NaN when empty.
pub fn quantile_sorted(sorted: &[f64], q: f64) -> f64 {
    match sorted.len() {
        0 => f64::NAN,
        n => {
            let position = q * (n - 1) as f64;
            let (below, above) = (position.floor() as usize, position.ceil() as usize);
            let weight = position - below as f64;
            sorted[below] + (sorted[above] - sorted[below]) * weight
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn divides_by_n_not_n_minus_one() {
        // np.std([1, 2, 3, 4]) == sqrt(1.25); the sample std would be sqrt(5/3).
        assert_eq!(population_std(&[1.0, 2.0, 3.0, 4.0]), 1.25f64.sqrt());
    }

    #[test]
    fn constant_input_has_zero_spread_and_empty_input_is_nan() {
        assert_eq!(population_std(&[3.5; 7]), 0.0);
        assert!(population_std(&[]).is_nan());
    }

    #[test]
    fn shift_does_not_change_std() {
        let a = [1e6f32, 1e6 + 2.0, 1e6 + 4.0];
        assert!((population_std(&a) - (8.0f64 / 3.0).sqrt()).abs() < 1e-9);
    }

    #[test]
    fn histogram_counts_every_finite_value_once() {
        let m = array![[4.0f32, 1.0, 0.0], [1.0, 5.0, -2.0], [0.0, -2.0, f32::NAN]];
        let h = histogram(m.view(), 7);
        assert_eq!((h.lo, h.hi), (-2.0, 5.0));
        assert_eq!(h.off_diagonal.iter().sum::<u32>(), 6);
        assert_eq!(h.diagonal.iter().sum::<u32>(), 2);
        // Bins are 1 wide: 4.0 starts the last bin and 5.0, the maximum, ends it.
        assert_eq!(h.diagonal[6], 2);
        assert_eq!(h.off_diagonal[0], 2); // the two -2s
    }

    #[test]
    fn expected_normal_counts_add_up_over_a_wide_range() {
        let h = Histogram {
            lo: -8.0,
            hi: 8.0,
            off_diagonal: vec![0; 16],
            diagonal: vec![0; 16],
            expected: Vec::new(),
        };
        let expected = normal_expected_counts(&h, 1.0, 1000);
        assert!((expected.iter().sum::<f64>() - 1000.0).abs() < 1e-6);
        // Φ(1) − Φ(0) = 0.341344746…
        assert!((expected[8] - 341.344_746).abs() < 1e-3);
    }

    #[test]
    fn sort_total_orders_like_the_standard_sort() {
        let special = [
            0.0,
            -0.0,
            1.0,
            -1.0,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NAN,
            -f64::NAN,
            1e-310,
        ];
        let mut state = 0x2545_f491_4f6c_dd1du64;
        for len in 0..300 {
            let values: Vec<f64> = (0..len)
                .map(|i| {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    match state % 4 {
                        0 => special[(state >> 8) as usize % special.len()],
                        1 => ((state >> 20) % 5) as f64, // many ties
                        _ => f64::from_bits(state >> 2) * if i % 2 == 0 { 1.0 } else { -1.0 },
                    }
                })
                .collect();
            let mut ours = values.clone();
            sort_total(&mut ours);
            let mut std_sorted = values;
            std_sorted.sort_by(f64::total_cmp);
            let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
            assert_eq!(bits(&ours), bits(&std_sorted), "length {len}");
        }
    }

    #[test]
    fn quantiles_interpolate_like_numpy() {
        let v = [1.0, 2.0, 3.0, 4.0, 10.0];
        // np.percentile([1, 2, 3, 4, 10], [10, 50, 90]) == [1.4, 3.0, 7.6]
        assert!((quantile_sorted(&v, 0.1) - 1.4).abs() < 1e-12);
        assert_eq!(quantile_sorted(&v, 0.5), 3.0);
        assert!((quantile_sorted(&v, 0.9) - 7.6).abs() < 1e-12);
        assert!(quantile_sorted(&[], 0.5).is_nan());
    }

    #[test]
    fn diagonal_and_off_diagonal_apart() {
        let m = array![[10.0f32, 1.0, -1.0], [3.0, 12.0, 1.0], [-3.0, 0.0, 14.0]];
        let split = diagonal_split(m.view());
        assert_eq!(split.diagonal_mean, 12.0);
        assert_eq!(split.diagonal_std, (8.0f64 / 3.0).sqrt());
        assert_eq!(split.off_diagonal_mean, 1.0 / 6.0);
        assert!((split.off_diagonal_std - population_std(&[1.0, -1.0, 3.0, 1.0, -3.0, 0.0])).abs() < 1e-15);
    }
}
