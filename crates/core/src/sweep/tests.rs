//! The sweep's tests: Monte-Carlo curves against theory, along d_k and T.
use super::*;
use crate::config::ScaleRule;

fn grid() -> Vec<usize> {
    (4..=256).step_by(4).collect()
}

/// Along T, with independent Q and K at d_k = 64: plain 1/√d_k rows
/// flatten towards uniform as T grows (entropy ÷ ln T rises, near its
/// large-T limit), SSMax's sharpen (it falls); trial 0 is a run at that T.
#[test]
fn along_t_plain_softmax_flattens_and_ssmax_does_not() {
    let base = Config {
        d_k: 64,
        qk: QkSource::Independent,
        ..Config::NOTEBOOK
    };
    let ts = vec![16, 64, 256];
    let entropy = |scale| {
        let mut sweep = Sweep::over_tokens(Config { scale, ..base }, ts.clone(), 32).unwrap();
        assert!(sweep.advance(usize::MAX));
        let bands: Vec<f64> = sweep.bands(Metric::EntropyScaled).iter().map(|b| b.mean).collect();
        let theory: Vec<Option<f64>> = ts.iter().map(|&t| sweep.theory(Metric::EntropyScaled, t)).collect();
        (bands, theory)
    };
    let (plain, theory) = entropy(ScaleRule::InverseSqrt);
    assert!(plain[0] < plain[1] && plain[1] < plain[2], "{plain:?}");
    for (got, want) in plain.iter().zip(&theory).skip(1) {
        assert!((got - want.unwrap()).abs() < 0.01, "{got} vs {want:?}");
    }
    let (ssmax, theory) = entropy(ScaleRule::Scalable(1.0));
    assert!(ssmax[0] > ssmax[1] && ssmax[1] > ssmax[2], "{ssmax:?}");
    assert_eq!(theory, vec![None; 3]);
    // Trial 0 at T = 64 is the view at T = 64.
    let mut sweep = Sweep::over_tokens(base, vec![64], 1).unwrap();
    sweep.advance(1);
    let mut e = Experiment::new();
    e.run(Config { tokens: 64, ..base }).unwrap();
    let view = e.report(Panel::Scaled).saturation.entropy_fraction;
    assert_eq!(sweep.bands(Metric::EntropyScaled)[0].mean, view);
    // A text has its own T; a padding longer than a point's T pads all of it.
    assert!(sweep.set_tokens(Some(vec!["a".into()])).is_err());
    let padded = Config {
        mask: crate::mask::Mask {
            kind: crate::mask::MaskKind::Padding,
            pad: 32,
            ..crate::mask::Mask::NONE
        },
        ..base
    };
    assert!(Sweep::over_tokens(padded, vec![16, 64], 1).is_ok());
}

/// Every argument from JavaScript is handled: a budget of u32::MAX runs
/// (it used to wrap), tokens that do not match T, sweeps too big to keep.
#[test]
fn hostile_arguments_are_refused_or_handled() {
    let mut sweep = Sweep::new(Config::NOTEBOOK, vec![4, 8], 2).unwrap();
    assert!(!sweep.advance(1));
    assert!(sweep.advance(usize::MAX));
    assert_eq!(sweep.runs_done(), 4);
    assert_eq!(
        sweep.set_tokens(Some(vec!["one".into(), "two".into()])),
        Err(ConfigError::TokenCount { tokens: 2, t: 10 })
    );
    let words: Vec<String> = (0..10).map(|i| format!("w{i}")).collect();
    assert_eq!(sweep.set_tokens(Some(words)), Ok(()));
    let too_many = Sweep::new(Config::NOTEBOOK, vec![4; 4097], 1);
    assert!(matches!(too_many, Err(ConfigError::SweepTooLarge { .. })));
    let too_long = Sweep::new(Config::NOTEBOOK, vec![4; 1024], 4096);
    assert!(matches!(too_long, Err(ConfigError::SweepTooLarge { runs: 4_194_304 })));
}

#[test]
fn trial_zero_is_the_page_view() {
    let base = Config {
        d_k: 64,
        ..Config::NOTEBOOK
    };
    let mut sweep = Sweep::new(base, vec![16, 64], 3).unwrap();
    assert!(sweep.advance(100));
    let mut page = Experiment::new();
    page.run(base).unwrap();
    // Trial 0 at d_k = 64 holds the page's own std.
    assert_eq!(sweep.samples[3], page.report(Panel::Unscaled).std);
}

#[test]
fn advancing_in_slices_equals_advancing_at_once() {
    let base = Config {
        qk: QkSource::Independent,
        ..Config::NOTEBOOK
    };
    let mut a = Sweep::new(base, vec![4, 8, 12], 5).unwrap();
    let mut b = a.clone();
    assert!(a.advance(usize::MAX));
    while !b.advance(4) {}
    assert_eq!(a.bands(Metric::GradientScaled), b.bands(Metric::GradientScaled));
    assert_eq!(b.runs_done(), 15);
}

#[test]
fn independent_scaled_std_is_one_and_unscaled_is_sqrt_dk() {
    let base = Config {
        qk: QkSource::Independent,
        seed: 7,
        ..Config::NOTEBOOK
    };
    let mut sweep = Sweep::new(base, grid(), 256).unwrap();
    sweep.advance(usize::MAX);
    let (unscaled, scaled) = (sweep.bands(Metric::StdUnscaled), sweep.bands(Metric::StdScaled));
    for (i, &d_k) in sweep.dims().iter().enumerate() {
        let ratio = unscaled[i].mean / (d_k as f64).sqrt();
        assert!((ratio - 1.0).abs() <= 0.05, "d_k {d_k}: unscaled std / √d_k = {ratio}");
        assert!(
            (scaled[i].mean - 1.0).abs() <= 0.05,
            "d_k {d_k}: scaled std {}",
            scaled[i].mean
        );
        assert!(scaled[i].p10 <= scaled[i].mean && scaled[i].mean <= scaled[i].p90);
    }
    // The theory lines drawn over these curves: 1, and √d_k.
    for (d_k, root) in [(4, 2.0), (16, 4.0), (64, 8.0), (256, 16.0)] {
        let scaled = sweep.theory(Metric::StdScaled, d_k).unwrap();
        assert!((scaled - 1.0).abs() <= 1e-12, "d_k {d_k}: {scaled}");
        assert_eq!(sweep.theory(Metric::StdUnscaled, d_k), Some(root));
    }
}

#[test]
fn self_mode_diagonal_mean_is_dk() {
    let mut sweep = Sweep::new(Config::NOTEBOOK, grid(), 256).unwrap();
    sweep.advance(usize::MAX);
    for (band, &d_k) in sweep.bands(Metric::DiagonalUnscaled).iter().zip(sweep.dims()) {
        assert!(
            (band.mean / d_k as f64 - 1.0).abs() <= 0.05,
            "d_k {d_k}: diagonal mean {}",
            band.mean
        );
    }
    assert_eq!(sweep.theory(Metric::DiagonalScaled, 64), Some(8.0));
    assert_eq!(sweep.theory(Metric::StdUnscaled, 64), None);
}

/// The inputs' theory lines against the Monte-Carlo means: an offset μ
/// widens the spread to σ √(d_k (σ² + 2μ²)), whatever the distribution;
/// keys correlated with their queries put ρ·d_k on the diagonal.
#[test]
fn the_inputs_theory_lines_follow_the_curves() {
    use crate::inputs::{Distribution, Inputs};
    let dims = vec![16, 64, 256];
    let check = |inputs: Inputs, metric: Metric, within: f64| {
        let base = Config {
            qk: QkSource::Independent,
            tokens: 32,
            seed: 5,
            inputs,
            ..Config::NOTEBOOK
        };
        let mut sweep = Sweep::new(base, dims.clone(), 64).unwrap();
        sweep.advance(usize::MAX);
        for (band, &d_k) in sweep.bands(metric).iter().zip(&dims) {
            let theory = sweep.theory(metric, d_k).expect("a theory line");
            assert!(
                (band.mean / theory - 1.0).abs() <= within,
                "{inputs:?} {metric:?} d_k {d_k}: {} vs theory {theory}",
                band.mean
            );
        }
    };
    for distribution in Distribution::ALL.iter().copied() {
        let offset = Inputs {
            distribution,
            sigma: 1.5,
            mu: 0.8,
            ..Inputs::STANDARD
        };
        check(offset, Metric::StdUnscaled, 0.06);
    }
    check(
        Inputs {
            rho: 0.6,
            ..Inputs::STANDARD
        },
        Metric::DiagonalUnscaled,
        0.06,
    );
    check(
        Inputs {
            rho: 0.6,
            layer_norm: true,
            mu: 3.0,
            ..Inputs::STANDARD
        },
        Metric::DiagonalUnscaled,
        0.06,
    );
    // An offset with correlated keys: the keys keep the mean μ, so the diagonal is d_k(ρσ² + μ²).
    let offset = Inputs {
        rho: 0.5,
        mu: 1.0,
        sigma: 1.5,
        ..Inputs::STANDARD
    };
    check(offset, Metric::DiagonalUnscaled, 0.06);
    let sweep = |inputs| {
        Sweep::new(
            Config {
                qk: QkSource::Independent,
                inputs,
                ..Config::NOTEBOOK
            },
            dims.clone(),
            1,
        )
        .unwrap()
    };
    // Exactly: the diagonal's theory is ρ·d_k (+ μ²·d_k), and no std line where ρ > 0 makes it no simple formula.
    let correlated = sweep(Inputs {
        rho: 0.25,
        mu: 0.5,
        ..Inputs::STANDARD
    });
    assert_eq!(
        correlated.theory(Metric::DiagonalUnscaled, 64),
        Some(64.0 * (0.25 + 0.25))
    );
    assert_eq!(correlated.theory(Metric::StdUnscaled, 64), None);
}

#[test]
fn sweeps_are_reproducible() {
    let run = || {
        let mut s = Sweep::new(
            Config {
                seed: 99,
                ..Config::NOTEBOOK
            },
            vec![8, 32, 128],
            8,
        )
        .unwrap();
        s.advance(usize::MAX);
        s.bands(Metric::EntropyScaled)
    };
    assert_eq!(run(), run());
}

/// A cap c bounds each row's largest weight by 1/(1 + (T − 1) e^(−2c/τ)),
/// and the Monte-Carlo curve stays under it at every d_k.
#[test]
fn a_cap_bounds_the_largest_weight_at_every_d_k() {
    let base = Config {
        logits: LogitControl {
            cap: 2.0,
            ..LogitControl::NONE
        },
        temperature: 0.5,
        ..Config::NOTEBOOK
    };
    let dims = vec![4, 64, 256];
    let mut sweep = Sweep::new(base, dims.clone(), 8).unwrap();
    assert!(sweep.advance(usize::MAX));
    let bound = 1.0 / (1.0 + 9.0 * (-8.0f64).exp());
    for metric in [Metric::MaxProbUnscaled, Metric::MaxProbScaled] {
        for (band, &d) in sweep.bands(metric).iter().zip(&dims) {
            let theory = sweep.theory(metric, d).unwrap();
            assert!((theory - bound).abs() < 1e-15, "{theory} vs {bound}");
            assert!(band.p90 <= bound, "{metric:?} at d_k {d}: {} above {bound}", band.p90);
        }
    }
    assert_eq!(
        Sweep::new(Config::NOTEBOOK, dims, 1)
            .unwrap()
            .theory(Metric::MaxProbScaled, 4),
        None
    );
}
