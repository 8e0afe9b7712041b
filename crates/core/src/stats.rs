//! Summary statistics of score matrices, defined as NumPy defines them.

use ndarray::ArrayView2;

/// `np.std(values)`: the *population* standard deviation (divides by N, not
/// N − 1), computed in `f64` in two passes (mean, then mean squared deviation)
/// as NumPy does. Returns NaN for an empty input, as NumPy does.
pub fn population_std(values: &[f32]) -> f64 {
    mean_std(values.iter().copied()).1
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
    let off = m.indexed_iter().filter(|((i, j), _)| i != j).map(|(_, &v)| v);
    let (off_diagonal_mean, off_diagonal_std) = mean_std(off);
    DiagonalSplit {
        diagonal_mean,
        diagonal_std,
        off_diagonal_mean,
        off_diagonal_std,
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
    fn diagonal_and_off_diagonal_apart() {
        let m = array![[10.0f32, 1.0, -1.0], [3.0, 12.0, 1.0], [-3.0, 0.0, 14.0]];
        let split = diagonal_split(m.view());
        assert_eq!(split.diagonal_mean, 12.0);
        assert_eq!(split.diagonal_std, (8.0f64 / 3.0).sqrt());
        assert_eq!(split.off_diagonal_mean, 1.0 / 6.0);
        assert!((split.off_diagonal_std - population_std(&[1.0, -1.0, 3.0, 1.0, -3.0, 0.0])).abs() < 1e-15);
    }
}
