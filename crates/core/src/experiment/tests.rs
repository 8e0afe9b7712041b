use super::*;
use crate::inputs::{Distribution, Inputs};
use crate::precision::Precision;
use crate::softmax::SoftmaxKind;

fn run(config: Config) -> Experiment {
    let mut e = Experiment::new();
    e.run(config).unwrap();
    e
}

#[test]
fn rejected_configs_keep_the_previous_result() {
    let mut e = Experiment::new();
    assert_eq!(
        e.run(Config {
            tokens: 0,
            ..Config::NOTEBOOK
        }),
        Err(ConfigError::Tokens(0))
    );
    assert_eq!(e.config(), Config::NOTEBOOK);
}

/// Bits of everything a run produces, for exact comparisons.
pub(super) fn fingerprint(e: &Experiment) -> Vec<u64> {
    let mut bits: Vec<u64> = e
        .q()
        .iter()
        .chain(e.k().iter())
        .map(|v| u64::from(v.to_bits()))
        .collect();
    for panel in [Panel::Unscaled, Panel::Scaled] {
        bits.extend(
            e.scores(panel)
                .iter()
                .chain(e.probabilities(panel).iter())
                .map(|v| u64::from(v.to_bits())),
        );
        bits.extend(e.row_gradients(panel).iter().map(|v| u64::from(v.to_bits())));
        bits.extend(e.report(panel).to_values().map(f64::to_bits));
    }
    bits
}

/// A run done in slices, with budgets from one unit up, gives exactly
/// what one call gives, in every mode and precision, and its progress
/// only grows, reaching 1 when it is done.
#[test]
fn runs_in_slices_equal_whole_runs() {
    let base = Config {
        tokens: 37,
        d_k: 52,
        seed: 9,
        ..Config::NOTEBOOK
    };
    let configs = [
        base,
        Config {
            qk: QkSource::Independent,
            ..base
        },
        Config {
            score: ScoreFunction::Cosine,
            temperature: 0.5,
            ..base
        },
        Config {
            precision: Precision::F16,
            softmax: SoftmaxKind::Naive,
            ..base
        },
        Config {
            precision: Precision::Bf16,
            qk: QkSource::Independent,
            ..base
        },
    ];
    for config in configs {
        let whole = run(config);
        for budget in [1, 700, 5_000, 60_000] {
            let mut sliced = Experiment::new();
            sliced.start(config).unwrap();
            assert!(!sliced.is_done());
            let (mut steps, mut last) = (0, 0.0);
            while !sliced.advance(budget) {
                let p = sliced.progress();
                assert!((last..1.0).contains(&p), "{config:?}: progress {last} then {p}");
                assert!(sliced.work_left() > 0);
                last = p;
                steps += 1;
            }
            assert_eq!((sliced.progress(), sliced.work_left()), (1.0, 0));
            assert_eq!(fingerprint(&sliced), fingerprint(&whole), "{config:?} budget {budget}");
            if budget <= 5_000 {
                assert!(
                    steps > 3,
                    "{config:?}: budget {budget} should take slices, took {steps}"
                );
            }
        }
    }
}

/// Starting a new run abandons the one in progress; a rejected one
/// leaves it going; draws made by an abandoned run are kept.
#[test]
fn a_new_start_abandons_the_run_in_progress() {
    let big = Config {
        tokens: 64,
        d_k: 256,
        ..Config::NOTEBOOK
    };
    let small = Config {
        tokens: 12,
        d_k: 20,
        ..Config::NOTEBOOK
    };
    let mut e = Experiment::new();
    e.start(big).unwrap();
    e.advance(100_000);
    let drawn_by_big = e.stream.drawn();
    assert!(
        drawn_by_big > 12 * 20,
        "the abandoned run must draw more than the next one needs"
    );
    assert!(drawn_by_big < 64 * 256, "the abandoned run must be unfinished");
    assert!(e.start(Config { d_k: 0, ..small }).is_err());
    assert_eq!(e.config(), big);
    e.start(small).unwrap();
    e.advance(u64::MAX);
    assert_eq!(fingerprint(&e), fingerprint(&run(small)));
    // Same seed: the small run reuses the cached draws and draws no more.
    assert_eq!(e.stream.drawn(), drawn_by_big);
}

/// A run of a new seed at the largest sizes is sliced from its first
/// draw: no single step of a small budget does much more than asked.
#[test]
fn slices_stay_near_their_budget_in_every_stage() {
    let config = Config {
        tokens: 300,
        d_k: 1000,
        seed: 5,
        ..Config::NOTEBOOK
    };
    let mut e = Experiment::new();
    e.start(config).unwrap();
    let budget = 2_000_000;
    let mut before = 0.0;
    let total = e.work_total as f64;
    while !e.advance(budget) {
        let step = (e.progress() - before) * total;
        // A slice may finish one pair of rows, or one panel, past its budget.
        let overshoot = (2 * config.d_k * config.tokens) as f64 + e.work_of_finish() as f64;
        assert!(
            step <= budget as f64 + overshoot,
            "a slice did {step} units for a budget of {budget}"
        );
        before = e.progress();
    }
}

#[test]
fn unscaled_std_is_sqrt_dk_times_scaled_std() {
    let mut e = Experiment::new();
    for d_k in [4, 16, 100, 256] {
        e.run(Config {
            d_k,
            ..Config::NOTEBOOK
        })
        .unwrap();
        let ratio = e.report(Panel::Unscaled).std / e.report(Panel::Scaled).std;
        assert!(
            (ratio / (d_k as f64).sqrt() - 1.0).abs() < 1e-6,
            "d_k {d_k}: ratio {ratio}"
        );
    }
}

#[test]
fn self_mode_diagonal_holds_squared_norms() {
    let e = run(Config {
        tokens: 12,
        d_k: 64,
        seed: 3,
        ..Config::NOTEBOOK
    });
    let q = e.q();
    for i in 0..12 {
        let norm2: f32 = q.row(i).iter().map(|v| v * v).sum();
        assert!((e.scores(Panel::Unscaled)[[i, i]] - norm2).abs() <= 1e-4 * norm2);
    }
    assert_eq!(e.q(), e.k());
}

#[test]
fn independent_keys_follow_queries_in_the_stream() {
    let e = run(Config {
        tokens: 3,
        d_k: 4,
        qk: QkSource::Independent,
        ..Config::NOTEBOOK
    });
    let stream: Vec<f32> = SampleStream::normal(42).prefix(24).iter().map(|&v| v as f32).collect();
    assert_eq!(e.q().as_slice().unwrap(), &stream[..12]);
    assert_eq!(e.k().as_slice().unwrap(), &stream[12..]);
}

#[test]
fn temperature_divides_the_logits_not_the_reported_scores() {
    let base = run(Config::NOTEBOOK);
    let hot = run(Config {
        temperature: 4.0,
        ..Config::NOTEBOOK
    });
    assert_eq!(base.report(Panel::Scaled).std, hot.report(Panel::Scaled).std);
    let (b, h) = (
        base.report(Panel::Scaled).saturation,
        hot.report(Panel::Scaled).saturation,
    );
    assert!(h.entropy_mean > b.entropy_mean);
}

#[test]
fn cosine_scores_are_bounded() {
    for qk in [QkSource::SelfAttention, QkSource::Independent] {
        let e = run(Config {
            d_k: 256,
            score: ScoreFunction::Cosine,
            qk,
            ..Config::NOTEBOOK
        });
        assert!(e.scores(Panel::Unscaled).iter().all(|s| s.abs() <= 1.0 + 1e-6));
    }
}

#[test]
fn results_depend_only_on_the_config_not_on_history() {
    let target = Config {
        tokens: 9,
        d_k: 20,
        seed: 11,
        ..Config::NOTEBOOK
    };
    let fresh = run(target);
    let mut used = Experiment::new();
    for d_k in [200, 4, 64] {
        let qk = if d_k == 4 {
            QkSource::Independent
        } else {
            QkSource::SelfAttention
        };
        used.run(Config {
            tokens: 30,
            d_k,
            seed: 11,
            qk,
            temperature: 3.0,
            ..Config::NOTEBOOK
        })
        .unwrap();
    }
    used.run(Config { seed: 5, ..target }).unwrap();
    used.run(target).unwrap();
    assert_eq!(fresh.probabilities(Panel::Scaled), used.probabilities(Panel::Scaled));
    assert_eq!(fresh.report(Panel::Unscaled), used.report(Panel::Unscaled));
}

/// Tokens set while a run is in progress wait for the next start: the
/// run finishes with the rows it began with (before, its next slice
/// indexed the new, shorter token list and panicked).
#[test]
fn tokens_set_mid_run_wait_for_the_next_start() {
    let big = Config {
        tokens: 64,
        d_k: 256,
        ..Config::NOTEBOOK
    };
    let mut e = Experiment::new();
    e.start(big).unwrap();
    e.advance(1_000);
    e.set_tokens(Some(vec!["a".into(), "b".into(), "c".into()]));
    e.advance(u64::MAX);
    assert_eq!(fingerprint(&e), fingerprint(&run(big)));
    assert_eq!(e.start(big), Err(ConfigError::TokenCount { tokens: 3, t: 64 }));
    e.run(Config { tokens: 3, ..big }).unwrap();
    assert_eq!(e.q().nrows(), 3);
    e.set_tokens(None);
    e.run(big).unwrap();
    assert_eq!(fingerprint(&e), fingerprint(&run(big)));
}

/// Shapes a wasm32 module cannot hold are refused, not attempted.
#[test]
fn runs_beyond_the_memory_budget_are_refused() {
    let independent = Config {
        qk: QkSource::Independent,
        ..Config::NOTEBOOK
    };
    let page_max = Config {
        tokens: 1024,
        d_k: 4096,
        ..independent
    };
    assert_eq!(page_max.validate(), Ok(page_max));
    let huge = Config {
        tokens: 4096,
        d_k: 65_536,
        ..independent
    };
    assert_eq!(
        huge.validate(),
        Err(ConfigError::TooLarge {
            tokens: 4096,
            d_k: 65_536
        })
    );
    assert_eq!(
        Experiment::new().start(huge),
        Err(ConfigError::TooLarge {
            tokens: 4096,
            d_k: 65_536
        })
    );
}

/// Keeping the tokens, growing d_k appends columns to the same Q and K;
/// a fresh draw per d_k changes every token.
#[test]
fn kept_tokens_grow_by_appending_columns() {
    for qk in [QkSource::SelfAttention, QkSource::Independent] {
        let at = |d_k, columns| {
            let e = run(Config {
                tokens: 6,
                d_k,
                qk,
                columns,
                ..Config::NOTEBOOK
            });
            (e.q().to_owned(), e.k().to_owned())
        };
        let first16 = |m: &ndarray::Array2<f32>| {
            m.rows()
                .into_iter()
                .flat_map(|r| r.iter().take(16).copied().collect::<Vec<_>>())
                .collect::<Vec<f32>>()
        };
        let (small, large) = (at(16, Columns::Keep), at(20, Columns::Keep));
        assert_eq!(first16(&large.0), small.0.iter().copied().collect::<Vec<_>>());
        assert_eq!(first16(&large.1), small.1.iter().copied().collect::<Vec<_>>());
        let (fresh_small, fresh_large) = (at(16, Columns::Fresh), at(20, Columns::Fresh));
        assert_ne!(
            first16(&fresh_large.0),
            fresh_small.0.iter().copied().collect::<Vec<_>>()
        );
    }
    let too_wide = Config {
        d_k: KEPT_WIDTH + 4,
        columns: Columns::Keep,
        ..Config::NOTEBOOK
    };
    assert_eq!(too_wide.validate(), Err(ConfigError::KeptDimension(KEPT_WIDTH + 4)));
}

/// Both histograms span the scores of both panels, whichever is wider:
/// the unscaled one for 1/√d_k, the scaled one for a factor above 1.
#[test]
fn both_histograms_share_the_range_of_both_panels() {
    for scale in [ScaleRule::InverseSqrt, ScaleRule::Custom(10.0)] {
        let e = run(Config {
            tokens: 12,
            d_k: 64,
            scale,
            ..Config::NOTEBOOK
        });
        let extent = |p: Panel| {
            let m = e.scores(p);
            let lo = m.iter().copied().fold(f32::INFINITY, f32::min);
            let hi = m.iter().copied().fold(f32::NEG_INFINITY, f32::max);
            (f64::from(lo), f64::from(hi))
        };
        let wider = if scale == ScaleRule::InverseSqrt {
            Panel::Unscaled
        } else {
            Panel::Scaled
        };
        for panel in [Panel::Unscaled, Panel::Scaled] {
            let h = e.histogram(panel, 24);
            assert_eq!((h.lo, h.hi), extent(wider), "{scale:?} {panel:?}");
        }
    }
}

#[test]
fn histograms_count_all_t_squared_scores() {
    for qk in [QkSource::SelfAttention, QkSource::Independent] {
        let e = run(Config {
            tokens: 13,
            d_k: 40,
            qk,
            ..Config::NOTEBOOK
        });
        for panel in [Panel::Unscaled, Panel::Scaled] {
            let h = e.histogram(panel, 24);
            let total: u32 = h.off_diagonal.iter().chain(&h.diagonal).sum();
            assert_eq!(total, 13 * 13);
            assert_eq!(h.diagonal.iter().sum::<u32>(), 13);
        }
    }
}

#[test]
fn theory_sigma_only_where_theory_is_simple() {
    let indep = run(Config {
        d_k: 64,
        qk: QkSource::Independent,
        ..Config::NOTEBOOK
    });
    assert_eq!(indep.theory_sigma(Panel::Unscaled), Some(8.0));
    assert_eq!(indep.theory_sigma(Panel::Scaled), Some(1.0));
    assert_eq!(run(Config::NOTEBOOK).theory_sigma(Panel::Unscaled), None);
    assert!(run(Config::NOTEBOOK).histogram(Panel::Unscaled, 8).expected.is_empty());
    // The inputs: σ² √d_k for centred components of any distribution, √d_k after
    // LayerNorm; nothing where an offset or correlated keys break N(0, σ²).
    let with = |inputs: Inputs| {
        run(Config {
            d_k: 64,
            qk: QkSource::Independent,
            inputs,
            ..Config::NOTEBOOK
        })
        .theory_sigma(Panel::Unscaled)
    };
    let uniform = Inputs {
        distribution: Distribution::Uniform,
        sigma: 2.0,
        ..Inputs::STANDARD
    };
    assert_eq!(with(uniform), Some(32.0));
    assert_eq!(
        with(Inputs {
            layer_norm: true,
            mu: 3.0,
            ..uniform
        }),
        Some(8.0)
    );
    assert_eq!(with(Inputs { mu: 0.5, ..uniform }), None);
    assert_eq!(with(Inputs { rho: 0.1, ..uniform }), None);
}

#[test]
fn histograms_carry_the_counts_theory_expects() {
    // Independent Q, K at d_k = 64: unscaled scores ~ N(0, 8²), scaled N(0, 1).
    let e = run(Config {
        tokens: 32,
        d_k: 64,
        qk: QkSource::Independent,
        ..Config::NOTEBOOK
    });
    for (panel, sigma) in [(Panel::Unscaled, 8.0), (Panel::Scaled, 1.0)] {
        let h = e.histogram(panel, 40);
        let cdf = |x: f64| 0.5 * (1.0 + libm::erf(x / (sigma * std::f64::consts::SQRT_2)));
        let edges: Vec<f64> = h.edges().collect();
        assert_eq!(h.expected.len(), 40);
        for (i, &expected) in h.expected.iter().enumerate() {
            let closed = 1024.0 * (cdf(edges[i + 1]) - cdf(edges[i]));
            assert!((expected - closed).abs() <= 1e-9 * closed.max(1.0), "{panel:?} bin {i}");
        }
    }
}

#[test]
fn text_rows_are_token_vectors_and_repeated_words_match() {
    let words: Vec<String> = ["the", "cat", "saw", "the", "dog"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let mut e = Experiment::new();
    e.set_tokens(Some(words.clone()));
    let config = Config {
        tokens: 5,
        d_k: 32,
        ..Config::NOTEBOOK
    };
    e.run(config).unwrap();
    let q = e.q();
    assert_eq!(q.row(0), q.row(3));
    let s = e.scores(Panel::Unscaled);
    assert_eq!(
        s[[0, 3]],
        s[[0, 0]],
        "a repeated word scores with its twin as with itself"
    );
    // Wrong T is refused; a new seed redraws the vectors.
    assert_eq!(
        e.run(Config { tokens: 4, ..config }),
        Err(ConfigError::TokenCount { tokens: 5, t: 4 })
    );
    let before = e.q().to_owned();
    e.run(Config { seed: 43, ..config }).unwrap();
    assert_ne!(e.q(), before.view());
    // Back to random tokens.
    e.set_tokens(None);
    e.run(Config::NOTEBOOK).unwrap();
    assert_eq!(e.tokens(), None);
}

#[test]
fn naive_softmax_breaks_where_the_format_overflows() {
    // With Q = K unscaled, the diagonal |x|² ≈ d_k: f16's exp overflows
    // above 11.09, f32's above 88.72.
    let nan_rows = |precision, d_k| {
        let c = Config {
            d_k,
            softmax: SoftmaxKind::Naive,
            precision,
            ..Config::NOTEBOOK
        };
        run(c).report(Panel::Unscaled).saturation.nan_rows
    };
    assert!(nan_rows(Precision::F16, 4) == 0);
    assert!(nan_rows(Precision::F16, 16) >= 5);
    assert!(nan_rows(Precision::F16, 64) == 10);
    assert!(nan_rows(Precision::F32, 64) == 0);
    assert!(nan_rows(Precision::F32, 128) >= 5);
    assert!(nan_rows(Precision::Bf16, 128) >= 5);
    for &precision in Precision::ALL {
        let c = Config {
            d_k: 256,
            precision,
            ..Config::NOTEBOOK
        };
        assert_eq!(
            run(c).report(Panel::Unscaled).saturation.nan_rows,
            0,
            "stable {precision}"
        );
    }
}
