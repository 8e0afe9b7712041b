//! How saturated is each softmax row, and how much gradient can flow back
//! through it?
//!
//! The notebook's claim is that unscaled scores "saturate softmax → vanishing
//! gradients". These metrics make that visible. For one row `p = softmax(z)`
//! the Jacobian is `J = diag(p) − p pᵀ`; its Frobenius norm
//!
//! ```text
//! ‖J‖_F² = Σᵢ (pᵢ − pᵢ²)² + Σ_{i≠j} pᵢ² pⱼ² = Σ pᵢ² − 2 Σ pᵢ³ + (Σ pᵢ²)²
//! ```
//!
//! is exactly 0 for a one-hot row: a saturated row passes (almost) no
//! gradient back to its scores. It is largest, [`GRADIENT_MAX`] = 1/2, for a
//! two-way tie `p = (½, ½, 0, …)`; a uniform row gives `√(T−1) / T` (0.3 at
//! T = 10), which is below that for every T > 2 (at T = 2 it is the tie).
//!
//! Near a one-hot row the formula above cancels: `Σ pᵢ²` is 1 to within
//! the tiny weights, and a norm of 1e-11 would come out as 0. So the norm is
//! computed around the row's largest weight `p_m`, which keeps every term a
//! sum of positive numbers; when `p_m > ½`, `1 − p_m` is taken as the sum
//! of the other weights `r₁` (equal for a normalised row, and exact where
//! `p_m` itself rounds to 1), otherwise as written:
//!
//! ```text
//! ‖J‖_F² = (p_m (1 − p_m))² + Σ_{j≠m} pⱼ²(1 − pⱼ)² + 2 p_m² r₂ + (r₂² − r₄),
//! r_k = Σ_{j≠m} pⱼᵏ
//! ```
//!
//! Rows that contain NaN (naive softmax after an overflow) are left out of
//! the averages and counted instead; all sums are in `f64`.

use std::ops::Range;

use ndarray::ArrayView2;

use crate::lane_math;
use crate::simd::F32x4;

/// A row counts as saturated when its largest probability exceeds this.
pub const SATURATED_ABOVE: f64 = 0.99;

/// The largest `‖diag(p) − p pᵀ‖_F` of any probability row, for any T ≥ 2:
/// a two-way tie.
pub const GRADIENT_MAX: f64 = 0.5;

/// `‖diag(p) − p pᵀ‖_F` of a uniform row of `t` weights, `√(t−1)/t`.
pub fn gradient_of_uniform_row(t: usize) -> f64 {
    if t == 0 {
        0.0
    } else {
        ((t as f64) - 1.0).sqrt() / t as f64
    }
}

/// Saturation metrics of one matrix of softmax rows.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Saturation {
    /// Mean over rows of the largest probability in the row.
    pub max_prob_mean: f64,
    /// Smallest over rows of the largest probability in the row.
    pub max_prob_min: f64,
    /// Mean over rows of the entropy `−Σ p ln p`, in nats.
    pub entropy_mean: f64,
    /// `entropy_mean / ln T`: 1 for uniform rows, 0 for one-hot rows
    /// (defined as 0 when T = 1). Under a mask, `Σ H / Σ ln n` over the
    /// rows, n the keys a row sees: each row measured against its own
    /// uniform row.
    pub entropy_fraction: f64,
    /// Mean over rows of `exp(entropy)`: how many keys a row attends to, in
    /// the sense of perplexity (T for a uniform row, 1 for a one-hot row).
    pub effective_tokens: f64,
    /// Mean over rows of the number of keys a row sees (T without a mask):
    /// what `effective_tokens` is out of.
    pub keys_mean: f64,
    /// Mean over rows of `‖diag(p) − p pᵀ‖_F`.
    pub gradient_mean: f64,
    /// What `gradient_mean` would be if every row were uniform, `√(T−1)/T`
    /// (not the largest possible value: that is [`GRADIENT_MAX`]); under a
    /// mask, uniform over the keys each row sees.
    pub gradient_uniform: f64,
    /// Rows whose largest probability exceeds [`SATURATED_ABOVE`].
    pub saturated_rows: usize,
    /// Rows that see at least one key and have no NaN or infinite entry;
    /// the means above are over these.
    pub finite_rows: usize,
    /// Rows a mask leaves no key to see: their weights are a convention
    /// (NaN, zeros or uniform, see `mask`), left out of every mean.
    pub empty_rows: usize,
    /// Rows with at least one NaN or infinite entry.
    pub nan_rows: usize,
    /// Entries that are NaN or infinite.
    pub nonfinite_cells: usize,
}

/// `‖diag(p) − p pᵀ‖_F` for one normalised probability row, accurate to
/// a few units in the last place also near one-hot rows (see the module
/// docs).
pub fn jacobian_norm(p: &[f32]) -> f64 {
    match (0..p.len()).max_by(|&a, &b| p[a].total_cmp(&p[b])) {
        Some(m) => jacobian_norm_around(p, m),
        None => 0.0,
    }
}

/// [`jacobian_norm`] given the index `m` of the row's largest weight.
fn jacobian_norm_around(p: &[f32], m: usize) -> f64 {
    let top = f64::from(p[m]);
    // Σ over j ≠ m of pⱼ, pⱼ², pⱼ⁴ and (pⱼ(1 − pⱼ))², without a branch per element.
    let (mut r1, mut r2, mut r4, mut own) = (0.0f64, 0.0f64, 0.0f64, 0.0f64);
    for &v in p[..m].iter().chain(&p[m + 1..]) {
        let v = f64::from(v);
        let v2 = v * v;
        r1 += v;
        r2 += v2;
        r4 += v2 * v2;
        let w = v - v2;
        own += w * w;
    }
    let top_own = top * if top > 0.5 { r1 } else { 1.0 - top };
    (top_own * top_own + own + 2.0 * top * top * r2 + (r2 * r2 - r4).max(0.0)).sqrt()
}

/// Entropy `−Σ p ln p` of one row in nats, with `0 ln 0 = 0`, summed in
/// `f64` in four interleaved sums (as `stats::sum`). `ln p` is taken in
/// `f32`, four lanes at a time (`lane_math::ln`, under one unit in the last
/// place; the weights are `f32`, and the error is far below what the page
/// shows): libm's `logf`, one weight at a time, was a third of a run's time
/// outside the score kernel.
pub fn entropy(p: &[f32]) -> f64 {
    let term = |v: f32, ln: f32| if v > 0.0 { f64::from(v) * f64::from(ln) } else { 0.0 };
    let mut acc = [0.0f64; 4];
    let mut chunks = p.chunks_exact(4);
    for chunk in &mut chunks {
        let v: &[f32; 4] = chunk.try_into().expect("4 lanes");
        let ln = lane_math::ln(F32x4::load(v)).to_array();
        for l in 0..4 {
            acc[l] += term(v[l], ln[l]);
        }
    }
    let rest = chunks.remainder();
    let mut padded = [1.0f32; 4];
    padded[..rest.len()].copy_from_slice(rest);
    let ln = lane_math::ln(F32x4::load(&padded)).to_array();
    for l in 0..rest.len() {
        acc[l] += term(rest[l], ln[l]);
    }
    -((acc[0] + acc[2]) + (acc[1] + acc[3]))
}

/// One softmax row's part of [`Saturation`], measured where the row was
/// computed (a worker finishing a band of rows) and folded into the panel's
/// numbers in row order ([`fold_saturation`]), so the numbers are the same
/// bits whichever engine measured which rows.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum RowSaturation {
    /// A row a mask leaves no key to see.
    Empty {
        /// Its entries that are NaN or infinite.
        nonfinite: usize,
    },
    /// A row with NaN or infinite weights among those of the keys it sees.
    NonFinite {
        /// The keys it sees.
        keys: usize,
        /// Its weights that are NaN or infinite (at least one).
        nonfinite: usize,
    },
    /// A finite row.
    Finite {
        /// The keys it sees.
        keys: usize,
        /// Its largest weight.
        max: f64,
        /// Its entropy in nats.
        entropy: f64,
        /// `‖diag(p) − p pᵀ‖_F`.
        gradient: f64,
    },
}

impl RowSaturation {
    /// How many numbers [`RowSaturation::to_values`] gives.
    pub const VALUES: usize = 5;

    /// Measures row `row` (all T weights) seeing the keys `seen`; its other
    /// weights are 0 (a masked softmax), so it is measured on those.
    pub fn of(row: &[f32], seen: Range<usize>) -> Self {
        if seen.is_empty() {
            return Self::Empty {
                nonfinite: row.iter().filter(|v| !v.is_finite()).count(),
            };
        }
        let row = &row[seen];
        let bad = row.iter().filter(|v| !v.is_finite()).count();
        if bad > 0 {
            return Self::NonFinite {
                keys: row.len(),
                nonfinite: bad,
            };
        }
        // The largest weight by index, for the norm as well.
        let top = (0..row.len()).max_by(|&a, &b| row[a].total_cmp(&row[b])).unwrap_or(0);
        Self::Finite {
            keys: row.len(),
            max: f64::from(row[top]),
            entropy: entropy(row),
            gradient: jacobian_norm_around(row, top),
        }
    }

    /// The row's Jacobian norm as the ∇ bars show it (NaN unless finite).
    pub fn gradient(&self) -> f32 {
        match *self {
            Self::Finite { gradient, .. } => gradient as f32,
            _ => f32::NAN,
        }
    }

    /// The row in a fixed order of numbers, to send to another engine:
    /// `[kind, keys, non-finite entries, max, entropy]` with the gradient
    /// in place of the count for a finite row (kind 0 empty, 1 non-finite,
    /// 2 finite).
    pub fn to_values(&self) -> [f64; Self::VALUES] {
        match *self {
            Self::Empty { nonfinite } => [0.0, 0.0, nonfinite as f64, 0.0, 0.0],
            Self::NonFinite { keys, nonfinite } => [1.0, keys as f64, nonfinite as f64, 0.0, 0.0],
            Self::Finite {
                keys,
                max,
                entropy,
                gradient,
            } => [2.0, keys as f64, gradient, max, entropy],
        }
    }

    /// The row [`RowSaturation::to_values`] gave these numbers for; `None`
    /// when they are not such numbers.
    pub fn from_values(v: &[f64]) -> Option<Self> {
        let &[kind, keys, third, max, entropy] = v else {
            return None;
        };
        let count = |x: f64| (x >= 0.0 && x.fract() == 0.0 && x < 2f64.powi(53)).then_some(x as usize);
        Some(match kind {
            0.0 => Self::Empty {
                nonfinite: count(third)?,
            },
            1.0 => Self::NonFinite {
                keys: count(keys)?,
                nonfinite: count(third)?,
            },
            2.0 => Self::Finite {
                keys: count(keys)?,
                max,
                entropy,
                gradient: third,
            },
            _ => return None,
        })
    }
}

/// Measures rows `first..` of a panel (`probs`: whole rows of `cols`
/// weights), row `i` seeing the keys `keys(i)`: each row's part into
/// `rows` and its Jacobian norm into `gradients` (NaN for rows with
/// non-finite entries and rows that see no key), both one per row.
///
/// # Panics
/// If `rows` or `gradients` is not one per row of `probs`.
#[inline(never)] // one copy for every number format (the WebAssembly stays smaller)
pub fn measure_rows(
    probs: &[f32],
    cols: usize,
    first: usize,
    keys: impl Fn(usize) -> Range<usize>,
    rows: &mut [RowSaturation],
    gradients: &mut [f32],
) {
    let count = probs.len() / cols.max(1);
    assert!(
        rows.len() == count && gradients.len() == count,
        "one part and one gradient per row"
    );
    for (i, ((row, part), g)) in probs.chunks_exact(cols.max(1)).zip(rows).zip(gradients).enumerate() {
        *part = RowSaturation::of(row, keys(first + i));
        *g = part.gradient();
    }
}

/// A panel's [`Saturation`] from its rows' parts, in row order, of rows of
/// `cols` weights.
pub fn fold_saturation(rows: &[RowSaturation], cols: usize) -> Saturation {
    let mut m = Saturation {
        max_prob_mean: 0.0,
        max_prob_min: f64::INFINITY,
        entropy_mean: 0.0,
        entropy_fraction: 0.0,
        effective_tokens: 0.0,
        keys_mean: 0.0,
        gradient_mean: 0.0,
        gradient_uniform: gradient_of_uniform_row(cols),
        saturated_rows: 0,
        finite_rows: 0,
        empty_rows: 0,
        nan_rows: 0,
        nonfinite_cells: 0,
    };
    // Σ ln n and Σ √(n−1)/n over the finite rows, for a mask's normalisers.
    let (mut log_keys, mut uniform, mut every_key) = (0.0f64, 0.0f64, true);
    for row in rows {
        match *row {
            RowSaturation::Empty { nonfinite } => {
                m.empty_rows += 1;
                m.nonfinite_cells += nonfinite;
            }
            RowSaturation::NonFinite { keys, nonfinite } => {
                every_key &= keys == cols;
                m.nonfinite_cells += nonfinite;
                m.nan_rows += 1;
            }
            RowSaturation::Finite {
                keys,
                max,
                entropy: h,
                gradient: g,
            } => {
                every_key &= keys == cols;
                m.finite_rows += 1;
                m.max_prob_mean += max;
                m.max_prob_min = m.max_prob_min.min(max);
                m.entropy_mean += h;
                m.effective_tokens += h.exp();
                m.gradient_mean += g;
                m.saturated_rows += usize::from(max > SATURATED_ABOVE);
                log_keys += (keys as f64).ln();
                m.keys_mean += keys as f64;
                uniform += gradient_of_uniform_row(keys);
            }
        }
    }
    if m.finite_rows == 0 {
        let nan = f64::NAN;
        (m.max_prob_mean, m.max_prob_min, m.entropy_mean) = (nan, nan, nan);
        (m.entropy_fraction, m.effective_tokens, m.gradient_mean) = (nan, nan, nan);
        m.keys_mean = nan;
        return m;
    }
    let n = m.finite_rows as f64;
    let entropy_sum = m.entropy_mean;
    m.max_prob_mean /= n;
    m.entropy_mean /= n;
    m.effective_tokens /= n;
    m.keys_mean /= n;
    m.gradient_mean /= n;
    m.entropy_fraction = if every_key && m.empty_rows == 0 {
        if cols > 1 {
            m.entropy_mean / (cols as f64).ln()
        } else {
            0.0
        }
    } else {
        m.gradient_uniform = uniform / n;
        if log_keys > 0.0 { entropy_sum / log_keys } else { 0.0 }
    };
    m
}

/// The metrics of every row of `probs` ([`measure_rows`], then
/// [`fold_saturation`]), with each row's Jacobian norm written into
/// `row_gradients`.
///
/// # Panics
/// If the matrix is not in standard layout.
pub fn saturation(
    probs: ArrayView2<'_, f32>,
    row_gradients: &mut Vec<f32>,
    keys: impl Fn(usize) -> Range<usize>,
) -> Saturation {
    let (rows, cols) = probs.dim();
    let all = probs.as_slice().expect("probabilities are stored row-major");
    let mut parts = vec![RowSaturation::Empty { nonfinite: 0 }; rows];
    row_gradients.clear();
    row_gradients.resize(rows, 0.0);
    measure_rows(&all[..rows * cols], cols, 0, keys, &mut parts, row_gradients);
    fold_saturation(&parts, cols)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn one_hot_rows_pass_nothing_uniform_rows_some_and_a_tie_the_most() {
        let t = 4.0f64;
        let uniform = [0.25f32; 4];
        assert!((jacobian_norm(&uniform) - (t - 1.0).sqrt() / t).abs() < 1e-12);
        // T = 10 uniform: √9/10 = 0.3, as the closed form says.
        assert!((jacobian_norm(&[0.1f32; 10]) - 0.3).abs() < 1e-7);
        assert!((gradient_of_uniform_row(10) - 0.3).abs() < 1e-15);
        // ln in f32: within 1e-7 relative.
        assert!((entropy(&uniform) - t.ln()).abs() < 1e-7 * t.ln());
        assert_eq!(jacobian_norm(&[0.0, 1.0, 0.0, 0.0]), 0.0);
        assert_eq!(entropy(&[0.0, 1.0, 0.0, 0.0]), 0.0);
        // The maximum, 1/2, is a two-way tie, whatever T; a uniform row is below it.
        assert_eq!(jacobian_norm(&[0.5, 0.5]), GRADIENT_MAX);
        assert_eq!(jacobian_norm(&[0.0, 0.5, 0.0, 0.5, 0.0]), GRADIENT_MAX);
        for t in 2..=1024 {
            assert!(gradient_of_uniform_row(t) <= GRADIENT_MAX, "T {t}");
        }
    }

    /// A nearly one-hot row, ε = 2⁻³⁶ ≈ 1.5e-11 beside 1 − (T−1)ε (which
    /// rounds to 1.0 in f32), against the explicit matrix diag(p) − p pᵀ:
    /// in units of 2⁻⁷² every entry is an integer below 2⁵³, so each is
    /// exact in f64 and only the sum of squares rounds.
    #[test]
    fn nearly_one_hot_rows_keep_their_relative_accuracy() {
        for t in [2usize, 10, 1024] {
            let unit = 1i128 << 36;
            let n = (t - 1) as i128;
            let p: Vec<i128> = (0..t).map(|j| if j == t / 2 { unit - n } else { 1 }).collect();
            let mut squares = 0.0f64;
            for i in 0..t {
                for j in 0..t {
                    let entry = if i == j { p[i] * (unit - p[i]) } else { -p[i] * p[j] };
                    let entry = entry as f64 * 2f64.powi(-72);
                    squares += entry * entry;
                }
            }
            let want = squares.sqrt();
            let row: Vec<f32> = p.iter().map(|&v| (v as f64 * 2f64.powi(-36)) as f32).collect();
            let got = jacobian_norm(&row);
            assert!((got - want).abs() <= 1e-6 * want, "T {t}: {got:e} vs {want:e}");
            assert!(got > 1e-11, "T {t}: {got:e}");
        }
    }

    #[test]
    fn jacobian_norm_equals_the_explicit_matrix_norm() {
        // Dyadic weights sum to exactly 1 in f32, as the norm assumes
        // (it takes 1 − p_max as the sum of the others).
        let p = [0.125f32, 0.25, 0.375, 0.25];
        let mut sum = 0.0f64;
        for i in 0..4 {
            for j in 0..4 {
                let (pi, pj) = (f64::from(p[i]), f64::from(p[j]));
                let jij = if i == j { pi - pi * pi } else { -pi * pj };
                sum += jij * jij;
            }
        }
        assert!((jacobian_norm(&p) - sum.sqrt()).abs() < 1e-12);
    }

    #[test]
    fn nan_rows_are_counted_not_averaged() {
        let probs = array![[1.0f32, 0.0], [f32::NAN, 0.0], [0.5, 0.5]];
        let mut grads = Vec::new();
        let m = saturation(probs.view(), &mut grads, |_| 0..probs.ncols());
        assert_eq!(
            (m.finite_rows, m.nan_rows, m.nonfinite_cells, m.saturated_rows),
            (2, 1, 1, 1)
        );
        assert_eq!(m.max_prob_mean, 0.75);
        assert_eq!(m.max_prob_min, 0.5);
        assert!((m.entropy_fraction - 0.5).abs() < 1e-7);
        assert!((m.effective_tokens - 1.5).abs() < 1e-7);
        assert!((m.gradient_mean - 0.25).abs() < 1e-7); // uniform T=2 row: 1/2, one-hot: 0
        assert_eq!(grads.len(), 3);
        assert!(grads[1].is_nan());
    }

    #[test]
    fn all_rows_broken_gives_nan_means_and_full_counts() {
        let probs = array![[f32::NAN, f32::NAN]];
        let m = saturation(probs.view(), &mut Vec::new(), |_| 0..probs.ncols());
        assert_eq!((m.finite_rows, m.nan_rows, m.nonfinite_cells), (0, 1, 2));
        assert!(m.gradient_mean.is_nan());
    }
}
