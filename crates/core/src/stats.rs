//! Summary statistics, defined as NumPy defines them.

/// `np.std(values)`: the *population* standard deviation (divides by N, not
/// N − 1), computed in `f64` in two passes (mean, then mean squared deviation)
/// as NumPy does. Returns NaN for an empty input, as NumPy does.
pub fn population_std(values: &[f32]) -> f64 {
    let n = values.len() as f64;
    let mean = values.iter().map(|&v| f64::from(v)).sum::<f64>() / n;
    let var = values
        .iter()
        .map(|&v| {
            let d = f64::from(v) - mean;
            d * d
        })
        .sum::<f64>()
        / n;
    var.sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
