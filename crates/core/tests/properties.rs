//! Properties that must hold for every input, checked on random ones.

use attention_core::experiment::{Config, Experiment};
use attention_core::metrics::jacobian_norm;
use attention_core::numpy_random::LegacyRandom;
use attention_core::precision::{Bf16, F16, F32, Format, Precision};
use attention_core::softmax::{SoftmaxKind, softmax_rows};
use ndarray::Array2;
use proptest::prelude::*;

/// Random matrices of finite logits, as `(rows, cols, values)`.
fn logits() -> impl Strategy<Value = (usize, usize, Vec<f32>)> {
    (1usize..8, 1usize..24).prop_flat_map(|(rows, cols)| {
        let value = prop_oneof![-30.0f32..30.0, -60_000.0f32..60_000.0, -3.0e38f32..3.0e38];
        (Just(rows), Just(cols), proptest::collection::vec(value, rows * cols))
    })
}

fn check_stable<F: Format>(
    precision: Precision,
    rows: usize,
    cols: usize,
    values: &[f32],
) -> Result<(), TestCaseError> {
    // Logits are finite values of the format: a half cannot exceed 65504.
    let limit = if precision == Precision::F16 { 65504.0 } else { 3.0e38 };
    let rounded: Vec<f32> = values.iter().map(|&v| F::round(v.clamp(-limit, limit))).collect();
    prop_assert!(rounded.iter().all(|v| v.is_finite()));
    let input = Array2::from_shape_vec((rows, cols), rounded).expect("shape");
    let mut out = Array2::zeros((rows, cols));
    let overflows = softmax_rows::<F>(SoftmaxKind::Stable, input.view(), out.view_mut());
    prop_assert_eq!(overflows, 0);
    let digits = match precision {
        Precision::F32 => 24,
        Precision::Bf16 => 8,
        Precision::F16 => 11,
    };
    // Each exp, each partial sum and each division rounds once.
    let tolerance = (cols as f64 + 2.0) * 2f64.powi(1 - digits);
    for row in out.rows() {
        prop_assert!(
            row.iter().all(|p| p.is_finite() && (0.0..=1.0).contains(p)),
            "{precision}: {row:?}"
        );
        let sum: f64 = row.iter().map(|&p| f64::from(p)).sum();
        prop_assert!((sum - 1.0).abs() <= tolerance, "{precision}: row sums to {sum}");
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn stable_softmax_never_yields_nan_for_finite_input((rows, cols, values) in logits()) {
        check_stable::<F32>(Precision::F32, rows, cols, &values)?;
        check_stable::<Bf16>(Precision::Bf16, rows, cols, &values)?;
        check_stable::<F16>(Precision::F16, rows, cols, &values)?;
    }

    /// The closed form of `‖diag(p) − p pᵀ‖_F` against the Jacobian of
    /// softmax estimated by central differences in float64.
    #[test]
    fn jacobian_norm_matches_finite_differences(z in proptest::collection::vec(-8.0f64..8.0, 1..12)) {
        let softmax = |z: &[f64]| {
            let max = z.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            let e: Vec<f64> = z.iter().map(|v| (v - max).exp()).collect();
            let sum: f64 = e.iter().sum();
            e.into_iter().map(|v| v / sum).collect::<Vec<f64>>()
        };
        let h = 1e-5;
        let mut squares = 0.0;
        for j in 0..z.len() {
            let (mut plus, mut minus) = (z.clone(), z.clone());
            plus[j] += h;
            minus[j] -= h;
            let (pp, pm) = (softmax(&plus), softmax(&minus));
            for i in 0..z.len() {
                let d = (pp[i] - pm[i]) / (2.0 * h);
                squares += d * d;
            }
        }
        let p: Vec<f32> = softmax(&z).iter().map(|&v| v as f32).collect();
        let closed = jacobian_norm(&p);
        prop_assert!((closed - squares.sqrt()).abs() <= 1e-6, "closed form {closed}, finite differences {}", squares.sqrt());
    }
}

/// Rows as attention makes them at T up to 1024 and τ from 0.05 to 20:
/// one large diagonal score (|x|² ≈ d_k) among scores of spread up to
/// √d_k, divided by τ. Many of them saturate, with hundreds of weights
/// below 2⁻²⁴ beside the 1.0, which an f32 running sum would drop.
fn attention_rows() -> impl Strategy<Value = (Vec<f32>, f64)> {
    (
        1usize..=1024,
        0usize..1024,
        0.5f64..64.0,
        0.0f64..4096.0,
        0.05f64..20.0,
        any::<u32>(),
    )
        .prop_map(|(t, diagonal, spread, spike, tau, seed)| {
            let mut normals = vec![0.0f64; t];
            LegacyRandom::seed(seed).fill_gauss(&mut normals);
            let mut row: Vec<f32> = normals.iter().map(|z| ((z * spread) / tau) as f32).collect();
            row[diagonal % t] = (spike / tau) as f32;
            (row, tau)
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    /// In float32 every weight is within 1e-5 of the float64 softmax of the
    /// same logits (in fact within a few units in the last place), and the
    /// row sums to 1 within 1e-6, however saturated the row.
    #[test]
    fn float32_softmax_keeps_the_mass_of_saturated_rows((row, tau) in attention_rows()) {
        let t = row.len();
        let mut out = Array2::zeros((1, t));
        let input = Array2::from_shape_vec((1, t), row.clone()).expect("shape");
        softmax_rows::<F32>(SoftmaxKind::Stable, input.view(), out.view_mut());
        let max = row.iter().map(|&v| f64::from(v)).fold(f64::NEG_INFINITY, f64::max);
        let e: Vec<f64> = row.iter().map(|&v| (f64::from(v) - max).exp()).collect();
        let sum: f64 = e.iter().sum();
        let mut total = 0.0f64;
        for (j, (&got, want)) in out.iter().zip(e.iter().map(|v| v / sum)).enumerate() {
            prop_assert!((f64::from(got) - want).abs() <= 1e-5, "T {t} τ {tau}: weight {j} {got} vs {want}");
            total += f64::from(got);
        }
        prop_assert!((total - 1.0).abs() <= 1e-6, "T {t} τ {tau}: the row sums to {total}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// The cached stream is NumPy's `randn` whatever order the (T, d_k)
    /// requests come in and however the draws are sliced: every matrix Q an
    /// experiment uses equals a fresh `np.random.seed(s); randn(T, d_k)`
    /// (the fresh draw itself is checked against NumPy in numpy_reference.rs).
    #[test]
    fn the_sampling_cache_is_numpys_stream_in_any_order(
        seed in any::<u32>(),
        requests in proptest::collection::vec((1usize..40, 1usize..60, 1u64..20_000), 1..6),
    ) {
        let mut experiment = Experiment::new();
        for (t, d_k, budget) in requests {
            let config = Config { tokens: t, d_k, seed, ..Config::NOTEBOOK };
            experiment.start(config).unwrap();
            while !experiment.advance(budget) {}
            let mut fresh = vec![0.0f64; t * d_k];
            LegacyRandom::seed(seed).fill_gauss(&mut fresh);
            let want: Vec<f32> = fresh.iter().map(|&v| v as f32).collect();
            let q = experiment.q();
            prop_assert_eq!(q.as_slice().unwrap(), &want[..]);
        }
    }
}
