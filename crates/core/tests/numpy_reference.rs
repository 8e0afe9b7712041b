//! The core against NumPy: every expected number here was produced by NumPy
//! (and matplotlib, for the colour table) in `tests/fixtures/generate.py`.

use std::path::PathBuf;

use attention_core::colormap::Colormap;
use attention_core::experiment::{Config, Experiment, Panel, PanelReport, QkSource, ScaleRule};
use attention_core::inputs::Inputs;
use attention_core::logits::LogitControl;
use attention_core::mask::{Mask, MaskFill};
use attention_core::metrics::Saturation;
use attention_core::numpy_random::{Draws, LegacyRandom, SampleStream};
use attention_core::precision::Precision;
use attention_core::tokens::{Role, TokenVectors, token_seed};
use serde_json::Value;

fn repo_file(relative: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..").join(relative)
}

fn fixture() -> Value {
    let text = std::fs::read_to_string(repo_file("tests/fixtures/numpy_reference.json"))
        .expect("tests/fixtures/numpy_reference.json is committed");
    serde_json::from_str(&text).expect("fixture is valid JSON")
}

/// The numbers of an array; `null` is NaN (JSON has none: the generator
/// writes a statistic of no cells, or a weight of a row that sees no key, so).
fn floats(value: &Value) -> Vec<f64> {
    value
        .as_array()
        .expect("an array")
        .iter()
        .map(|v| {
            if v.is_null() {
                f64::NAN
            } else {
                v.as_f64().expect("a number")
            }
        })
        .collect()
}

fn uint(value: &Value) -> u64 {
    value.as_u64().expect("an unsigned integer")
}

/// FNV-1a, 64 bit: the same hash the generator writes into the fixture.
fn fnv1a64(bytes: &[u8]) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for &byte in bytes {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{hash:016x}")
}

#[test]
fn fixture_was_generated_by_the_committed_script() {
    let script = std::fs::read(repo_file("tests/fixtures/generate.py")).expect("generator is committed");
    assert_eq!(
        fixture()["generator_fnv1a64"].as_str(),
        Some(fnv1a64(&script).as_str()),
        "generate.py changed since the fixture was written: run `cargo xtask fixtures`"
    );
}

/// NumPy calls the platform's C `log`; the core calls `libm::log`, the same
/// on every target. The two differ in the last bit for about 3 % of inputs,
/// so a draw may differ from NumPy's in the last bit or two, and never more.
#[test]
fn randn_matches_numpy_to_the_last_bit_or_within_2_ulps() {
    let fixture = fixture();
    let cases = fixture["randn"].as_array().expect("randn cases");
    assert!(cases.len() >= 5);
    let (mut total, mut exact) = (0usize, 0usize);
    for case in cases {
        let seed = seed(case);
        let expected = floats(&case["values"]);
        let mut rng = LegacyRandom::seed(seed);
        let mut got = vec![0.0; expected.len()];
        rng.fill_gauss(&mut got);
        for (i, (g, e)) in got.iter().zip(&expected).enumerate() {
            let ulps = (g.to_bits() as i64 - e.to_bits() as i64).abs();
            assert!(
                ulps <= 2,
                "seed {seed}, element {i}: {g:e} vs NumPy {e:e} ({ulps} ulps)"
            );
            assert!((g - e).abs() <= 1e-15 * e.abs().max(1.0), "seed {seed}, element {i}");
            total += 1;
            exact += usize::from(ulps == 0);
        }
        // The cached stream hands out the same values.
        assert_eq!(SampleStream::normal(seed).prefix(expected.len()), &got[..]);
    }
    // Any slip in the algorithm (pair order, cached value, double
    // construction) would match almost nothing.
    assert!(
        exact * 100 >= total * 95,
        "only {exact} of {total} draws are bit-identical to NumPy"
    );
}

/// What the engine holds is `X` in `float32`, and there the draws are NumPy's
/// exactly: millions of them, against hashes NumPy computed of its own.
#[test]
fn randn_in_float32_is_numpy_bit_for_bit() {
    let fixture = fixture();
    let cases = fixture["randn_f32"].as_array().expect("randn_f32 cases");
    assert!(!cases.is_empty());
    for case in cases {
        let count = uint(&case["count"]) as usize;
        assert!(count >= 1_000_000, "a pin of millions of draws");
        let values = SampleStream::normal(seed(case)).prefix(count).to_vec();
        let bytes: Vec<u8> = values
            .iter()
            .flat_map(|&v| (v as f32).to_bits().to_le_bytes())
            .collect();
        assert_eq!(
            case["fnv1a64_of_le_bits"].as_str(),
            Some(fnv1a64(&bytes).as_str()),
            "seed {}: float32(randn) differs from NumPy's",
            seed(case)
        );
    }
}

fn seed(case: &Value) -> u32 {
    u32::try_from(uint(&case["seed"])).expect("32-bit seed")
}

/// The config a reference case describes; absent keys mean the notebook's.
fn config_of(case: &Value) -> Config {
    let text = |key: &str, default: &str| case[key].as_str().unwrap_or(default).to_string();
    Config {
        tokens: uint(&case["tokens"]) as usize,
        d_k: uint(&case["d_k"]) as usize,
        seed: seed(case),
        qk: text("qk", "self").parse().expect("known qk"),
        score: text("score", "dot").parse().expect("known score"),
        scale: match text("scale", "sqrt").as_str() {
            "ssmax" => ScaleRule::Scalable(case["ssmax_s"].as_f64().unwrap_or(1.0)),
            rule => rule.parse().expect("known scale"),
        },
        temperature: case["tau"].as_f64().unwrap_or(1.0),
        softmax: text("softmax", "stable").parse().expect("known softmax"),
        precision: text("precision", "f32").parse().expect("known precision"),
        columns: text("columns", "fresh").parse().expect("known columns"),
        inputs: Inputs {
            distribution: text("dist", "normal").parse().expect("known distribution"),
            sigma: case["sigma"].as_f64().unwrap_or(1.0),
            mu: case["mu"].as_f64().unwrap_or(0.0),
            layer_norm: case["ln"].as_bool().unwrap_or(false),
            rho: case["rho"].as_f64().unwrap_or(0.0),
        },
        logits: LogitControl {
            qk_norm: text("qknorm", "none").parse().expect("known QK-norm"),
            gain: case["g"].as_f64().unwrap_or(1.0),
            cap: case["cap"].as_f64().unwrap_or(0.0),
        },
        mask: Mask {
            kind: text("mask", "none").parse().expect("known mask"),
            pad: case["pad"].as_u64().unwrap_or(0) as usize,
            fill: text("fill", "sdpa").parse().expect("known fill"),
        },
    }
}

/// The largest difference; NaN where one of the two is NaN and the other is not.
fn max_abs_error(got: &[f32], want: &[f64]) -> f64 {
    assert_eq!(got.len(), want.len(), "sizes differ");
    got.iter()
        .zip(want)
        .map(|(&g, &w)| match (g.is_nan(), w.is_nan()) {
            (true, true) => 0.0,
            (false, false) => (f64::from(g) - w).abs(),
            _ => f64::NAN,
        })
        .fold(0.0, |worst, e| {
            if e.is_nan() || worst.is_nan() {
                f64::NAN
            } else {
                worst.max(e)
            }
        })
}

/// `got` within `tolerance` of `want`, or both NaN.
fn assert_close(got: f64, want: f64, tolerance: f64, what: &str) {
    assert!(
        (got - want).abs() <= tolerance || (got.is_nan() && want.is_nan()),
        "{what}: {got} vs NumPy {want} (tolerance {tolerance:e})"
    );
}

/// A panel's diagonal split in the fixture's order.
fn split_of(report: &PanelReport) -> [f64; 4] {
    let split = report.split;
    [
        split.diagonal_mean,
        split.diagonal_std,
        split.off_diagonal_mean,
        split.off_diagonal_std,
    ]
}

/// The saturation means against NumPy's, within 1e-4.
fn assert_saturation_close(s: &Saturation, want: &Value, label: &str) {
    for (got, key) in [
        (s.max_prob_mean, "max_prob_mean"),
        (s.max_prob_min, "max_prob_min"),
        (s.entropy_mean, "entropy_mean"),
        (s.entropy_fraction, "entropy_fraction"),
        (s.effective_tokens, "effective_tokens"),
        (s.gradient_mean, "gradient_mean"),
    ] {
        let want = if want[key].is_null() {
            f64::NAN
        } else {
            want[key].as_f64().expect(key)
        };
        assert_close(got, want, 1e-4, &format!("{label} {key}"));
    }
}

#[test]
fn notebook_experiment_matches_numpy_float64() {
    let fixture = fixture();
    let mut experiment = Experiment::new();
    for case in fixture["experiments"].as_array().expect("experiment cases") {
        let config = config_of(case);
        experiment.run(config).expect("valid config");
        let label = format!("seed {} T {} d_k {}", config.seed, config.tokens, config.d_k);
        for (panel, name) in [(Panel::Unscaled, "unscaled"), (Panel::Scaled, "scaled")] {
            let want = case[format!("std_{name}")].as_f64().expect("a number");
            let got = experiment.report(panel).std;
            assert_close(got, want, 1e-4 * want, &format!("{label} std_{name}"));
            let probs = experiment.probabilities(panel);
            let worst = max_abs_error(
                probs.as_slice().expect("contiguous"),
                &floats(&case[format!("probs_{name}")]),
            );
            assert!(worst <= 1e-5, "{label} probs_{name}: max abs error {worst:e}");
            let grads = experiment.row_gradients(panel);
            assert_relatively_close(grads, &floats(&case[format!("row_gradients_{name}")]), &label);
        }
    }
}

/// Per-row gradient signals to 1e-3 relative, however small: near one-hot
/// rows they are 1e-11 to 1e-30, and a formula that cancels shows them as 0.
/// Below f32's normal range (1e-37) the weights themselves are 0 or
/// subnormal, so only an absolute bound is asked there.
fn assert_relatively_close(got: &[f32], want: &[f64], label: &str) {
    assert_eq!(got.len(), want.len(), "{label}: row count");
    for (row, (&g, &w)) in got.iter().zip(want).enumerate() {
        let g = f64::from(g);
        assert!(
            (g - w).abs() <= 1e-3 * w + 1e-37,
            "{label} row {row}: gradient signal {g:e}, NumPy {w:e}"
        );
    }
}

/// The example, `?dk=1024&t=1024&seed=42&tau=1.85`: the scaled rows
/// saturate with hundreds of weights per row below 2⁻²⁴ beside the largest.
/// An f32 running sum dropped them (largest weights 2.4e-5 too big, the
/// gradient signal 15 % low); summed exactly, every weight is NumPy's float64
/// to 1e-5 and every row sums to 1 within 1e-6.
#[test]
fn saturated_rows_at_t_1024_keep_their_mass() {
    let fixture = fixture();
    let mut experiment = Experiment::new();
    for case in fixture["saturated"].as_array().expect("saturated cases") {
        let config = config_of(case);
        experiment.run(config).expect("valid config");
        let label = format!("T {} d_k {} τ {}", config.tokens, config.d_k, config.temperature);
        for (panel, name) in [(Panel::Unscaled, "unscaled"), (Panel::Scaled, "scaled")] {
            let want = &case[name];
            let probs = experiment.probabilities(panel);
            for (row, w) in probs.rows().into_iter().zip(floats(&want["row_max"])) {
                let max = row.iter().copied().fold(0.0f32, f32::max);
                assert_close(f64::from(max), w, 1e-5, &format!("{label} {name} row max"));
                let sum: f64 = row.iter().map(|&p| f64::from(p)).sum();
                assert_close(sum, 1.0, 1e-6, &format!("{label} {name} row sum"));
            }
            let cells = case["cells"].as_array().expect("cells");
            for (cell, w) in cells.iter().zip(floats(&want["probs"])) {
                let (i, j) = (uint(&cell[0]) as usize, uint(&cell[1]) as usize);
                assert_close(
                    f64::from(probs[[i, j]]),
                    w,
                    1e-5,
                    &format!("{label} {name} P[{i}, {j}]"),
                );
            }
            let report = experiment.report(panel);
            let gradient = want["gradient_mean"].as_f64().expect("gradient_mean");
            assert_close(
                report.saturation.gradient_mean,
                gradient,
                1e-3 * gradient,
                &format!("{label} {name} gradient mean"),
            );
            assert_relatively_close(
                experiment.row_gradients(panel),
                &floats(&want["row_gradients"]),
                &format!("{label} {name}"),
            );
        }
    }
}

/// Every Q/K source, score function, scale rule, temperature and input
/// (distribution, σ, μ, LayerNorm, ρ), in float32, against NumPy in float64:
/// matrices, statistics and saturation metrics.
#[test]
fn every_mode_matches_numpy_float64() {
    let fixture = fixture();
    let cases = fixture["modes"].as_array().expect("mode cases");
    assert!(cases.len() >= 24);
    let mut experiment = Experiment::new();
    let mut inputs_checked = 0;
    for case in cases {
        let config = config_of(case);
        experiment.run(config).expect("valid config");
        // The inputs' rows (distribution, σ, μ, LayerNorm, ρ) as NumPy makes
        // them in float64 and float32 rounds them: to the bit.
        if let Some(q) = case.get("q_f32") {
            let k = if config.qk == QkSource::Independent {
                experiment.k()
            } else {
                experiment.q()
            };
            for (got, want, which) in [(experiment.q(), q, "Q"), (k, &case["k_f32"], "K")] {
                let want: Vec<f32> = floats(want).iter().map(|&v| v as f32).collect();
                let got: Vec<f32> = got.iter().copied().collect();
                assert_eq!(got.len(), want.len(), "{config:?} {which}");
                let differ = got
                    .iter()
                    .zip(&want)
                    .filter(|(g, w)| g.to_bits() != w.to_bits())
                    .count();
                assert_eq!(differ, 0, "{config:?}: {differ} values of {which} differ from NumPy's");
            }
            inputs_checked += 1;
        }
        for (panel, name) in [(Panel::Unscaled, "unscaled"), (Panel::Scaled, "scaled")] {
            let want = &case[name];
            let label = format!("{config:?} {name}");
            let report = experiment.report(panel);
            let std = want["std"].as_f64().unwrap_or(f64::NAN);
            assert_close(report.std, std, 1e-4 * std, &format!("{label} std"));
            let split = floats(&want["split"]);
            for (g, w) in split_of(&report).iter().zip(&split) {
                assert_close(*g, *w, 1e-4 * std.max(1e-3) + 1e-6, &format!("{label} diagonal split"));
            }
            let probs = experiment.probabilities(panel);
            let worst = max_abs_error(probs.as_slice().expect("contiguous"), &floats(&want["probs"]));
            assert!(worst <= 1e-5, "{label}: probabilities off by {worst:e}");
            let s = report.saturation;
            assert_saturation_close(&s, want, &label);
            if let Some(keys) = want["keys_mean"].as_f64() {
                assert_close(s.keys_mean, keys, 1e-12, &format!("{label} keys a row sees"));
            }
            if let Some(uniform) = want["gradient_uniform"].as_f64() {
                assert_close(
                    s.gradient_uniform,
                    uniform,
                    1e-12,
                    &format!("{label} gradient of uniform rows"),
                );
            }
            let empty = want["empty_rows"].as_u64().unwrap_or(0) as usize;
            assert_eq!(s.empty_rows, empty, "{label} rows that see no key");
            // Rows that see nothing are NaN only where the fill makes them so.
            let nan_cells = if config.mask.fill == MaskFill::NegInf {
                empty * config.tokens
            } else {
                0
            };
            let grads: Vec<f32> = experiment.row_gradients(panel).to_vec();
            assert!(
                max_abs_error(&grads, &floats(&want["row_gradients"])) <= 1e-5,
                "{label} row gradients"
            );
            assert_eq!(
                s.saturated_rows as u64,
                uint(&want["saturated_rows"]),
                "{label} saturated rows"
            );
            assert_eq!(
                (s.nan_rows, s.nonfinite_cells, report.exp_overflows),
                (0, nan_cells, 0),
                "{label}"
            );
        }
    }
    assert!(inputs_checked >= 10, "{inputs_checked} cases of the inputs");
}

/// The benchmark's sizes, up to T = d_k = 1024, against NumPy's float64
/// products of the same float32 X: every sampled score within the error
/// bound of the kernel's summation order, statistics, saturation metrics and
/// sampled weights.
#[test]
fn benchmark_sizes_match_numpy_float64() {
    let fixture = fixture();
    let cases = fixture["bench"].as_array().expect("benchmark cases");
    assert_eq!(cases.len(), 6);
    let mut experiment = Experiment::new();
    for case in cases {
        let config = config_of(case);
        let (t, d) = (config.tokens, config.d_k);
        experiment.run(config).expect("valid config");
        let label = format!("T {t} d_k {d}");
        let q = experiment.q();
        let cells: Vec<(usize, usize)> = case["cells"]
            .as_array()
            .expect("cells")
            .iter()
            .map(|c| (uint(&c[0]) as usize, uint(&c[1]) as usize))
            .collect();
        // Each product is rounded once, then added into one of 8 lanes
        // (d_k / 8 additions each) and the lanes summed in 3 levels: at most
        // (d_k / 8 + 4) roundings, each off by ≤ 2⁻²⁴ of the sum of |terms|.
        let gamma = (d as f64 / 8.0 + 4.0) * f64::from(f32::EPSILON) / 2.0;
        let scores = experiment.scores(Panel::Unscaled);
        for (&(i, j), want) in cells.iter().zip(floats(&case["scores"])) {
            let magnitude: f64 = q
                .row(i)
                .iter()
                .zip(q.row(j))
                .map(|(a, b)| f64::from(*a * *b).abs())
                .sum();
            let got = f64::from(scores[[i, j]]);
            assert!(
                (got - want).abs() <= gamma * magnitude,
                "{label} S[{i}, {j}]: {got} vs NumPy {want} (bound {:e})",
                gamma * magnitude
            );
        }
        for (panel, name) in [(Panel::Unscaled, "unscaled"), (Panel::Scaled, "scaled")] {
            let want = &case[name];
            let report = experiment.report(panel);
            let std = want["std"].as_f64().expect("std");
            assert_close(report.std, std, 1e-5 * std, &format!("{label} {name} std"));
            for (g, w) in split_of(&report).iter().zip(floats(&want["split"])) {
                assert_close(*g, w, 1e-5 * std + 1e-9, &format!("{label} {name} diagonal split"));
            }
            let probs = experiment.probabilities(panel);
            for (&(i, j), w) in cells.iter().zip(floats(&want["probs"])) {
                assert_close(
                    f64::from(probs[[i, j]]),
                    w,
                    1e-5,
                    &format!("{label} {name} P[{i}, {j}]"),
                );
            }
            let s = report.saturation;
            assert_saturation_close(&s, want, &format!("{label} {name}"));
            assert_eq!(s.saturated_rows as u64, uint(&want["saturated_rows"]), "{label} {name}");
        }
    }
}

/// One unit in the last place of `x` in a format with `digits` significand
/// bits and smallest normal exponent `min_exp`.
fn ulp(x: f64, digits: i32, min_exp: i32) -> f64 {
    let exponent = if x == 0.0 {
        min_exp
    } else {
        (x.abs().log2().floor() as i32).max(min_exp)
    };
    2f64.powi(exponent - (digits - 1))
}

/// float16, bfloat16 and float32 with every step rounded, against the same
/// steps in NumPy's float16 / ml_dtypes' bfloat16 / NumPy's float32 scalars:
/// the same NaN cells, the same number of overflowing `exp`s, and every
/// finite probability of half and bfloat16 exactly equal. `exp` comes from
/// different libraries (musl's `expf` here, NumPy's own in NumPy) and may
/// differ in the last bit; after rounding to 8 or 11 bits that has not
/// shown, in float32 it can add up over the terms of a row sum, so float32
/// is allowed 8 units (and most, not all, cells are exact).
#[test]
fn low_precision_matches_numpy_rounding_step_by_step() {
    let fixture = fixture();
    let cases = fixture["precision"].as_array().expect("precision cases");
    let mut experiment = Experiment::new();
    // (exact, compared), for float32 and for the two rounded formats.
    let (mut exact_f32, mut exact_rounded) = ((0usize, 0usize), (0usize, 0usize));
    for case in cases {
        let config = config_of(case);
        let (digits, min_exp, ulps) = match case["precision"].as_str() {
            Some("f16") => (11, -14, 1.0),
            Some("bf16") => (8, -126, 1.0),
            _ => (24, -126, 8.0),
        };
        experiment.run(config).expect("valid config");
        for (panel, name) in [(Panel::Unscaled, "unscaled"), (Panel::Scaled, "scaled")] {
            let label = format!("{config:?} {name}");
            let want = &case[name];
            assert_eq!(
                experiment.report(panel).exp_overflows as u64,
                uint(&want["exp_overflows"]),
                "{label}"
            );
            let probs = experiment.probabilities(panel);
            for (cell, (&g, w)) in probs.iter().zip(want["probs"].as_array().expect("probs")).enumerate() {
                match w.as_f64() {
                    None => assert!(g.is_nan(), "{label} cell {cell}: {g}, NumPy NaN"),
                    Some(w) => {
                        let g = f64::from(g);
                        let tolerance = ulps * ulp(w, digits, min_exp);
                        assert!((g - w).abs() <= tolerance, "{label} cell {cell}: {g} vs NumPy {w}");
                        let exact = if config.precision == Precision::F32 {
                            &mut exact_f32
                        } else {
                            &mut exact_rounded
                        };
                        exact.0 += usize::from(g == w);
                        exact.1 += 1;
                    }
                }
            }
        }
    }
    // Rounded to 8 or 11 bits, a last-bit difference of `exp` never showed.
    assert_eq!(
        exact_rounded.0, exact_rounded.1,
        "bfloat16 / float16 probabilities that differ from NumPy's"
    );
    assert!(
        exact_f32.0 * 2 >= exact_f32.1,
        "only {} of {} float32 probabilities match NumPy exactly",
        exact_f32.0,
        exact_f32.1
    );
}

/// A token's seed and vector, in any script, as the generator computes them
/// (FNV-1a in Python, then NumPy's randn from that seed).
#[test]
fn token_vectors_match_the_reference_recipe() {
    let fixture = fixture();
    for case in fixture["tokens"].as_array().expect("token cases") {
        let text = case["text"].as_str().expect("text");
        let role = if uint(&case["role"]) == 0 {
            Role::Query
        } else {
            Role::Key
        };
        let seed = seed(case);
        assert_eq!(
            u64::from(token_seed(text, seed, role)),
            uint(&case["token_seed"]),
            "{text}"
        );
        let want = floats(&case["vector"]);
        let mut vectors = TokenVectors::new(vec![text.to_string()], seed, Draws::Normal);
        let mut got = Vec::new();
        vectors.fill(role, want.len(), &mut got);
        for (g, w) in got.iter().zip(&want) {
            assert!((g - w).abs() <= 1e-15 * w.abs().max(1.0), "{text}: {g} vs NumPy {w}");
        }
    }
}

#[test]
fn colour_tables_are_matplotlibs() {
    let fixture = fixture();
    for (map, key) in [(Colormap::Viridis, "viridis"), (Colormap::Cividis, "cividis")] {
        let rows = fixture[key].as_array().expect("colour table");
        assert_eq!(rows.len(), 256);
        for (i, rgb) in rows.iter().enumerate() {
            let want: Vec<u8> = floats(rgb).iter().map(|c| (c * 255.0).round() as u8).collect();
            // rgba(v) for the value at the centre of bin i must return entry i.
            let value = (i as f32 + 0.5) / 256.0;
            assert_eq!(&map.rgba(value)[..3], &want[..], "{key} entry {i}");
        }
    }
}
