//! The bits the core computes, pinned across targets and builds.
//!
//! `tests/fixtures/determinism.json` is a pin, not a reference: hashes of
//! what this crate computes (normal draws, scores and weights at the
//! benchmark's sizes, in every number format). The native tests here and
//! the browser test (`tests/e2e/boundary.spec.mjs`) check the same file, so
//! the WebAssembly SIMD build is held to the native bits. Agreement with
//! NumPy itself is `numpy_reference.rs`'s job.
//!
//! The file is written by this test: `cargo xtask fixtures --pins` runs it
//! with `WRITE_PINS=1`, for a deliberate change of the bits (then say why in
//! the commit); otherwise it only compares.

use std::path::PathBuf;

use attention_core::experiment::{Config, Experiment, Panel};
use attention_core::numpy_random::SampleStream;
use attention_core::precision::Precision;
use serde_json::{Value, json};

/// The seed of every pinned computation.
const SEED: u32 = 42;

/// How many normals the draw pin covers.
const DRAWS: usize = 100_000;

/// (T, d_k, format): the benchmark's sizes in float32, and a few in the
/// low-precision formats, including a d_k that is not a multiple of 8.
const MATRICES: [(usize, usize, Precision); 9] = [
    (10, 16, Precision::F32),
    (10, 256, Precision::F32),
    (64, 256, Precision::F32),
    (256, 256, Precision::F32),
    (512, 512, Precision::F32),
    (1024, 1024, Precision::F32),
    (64, 256, Precision::Bf16),
    (33, 100, Precision::F16),
    (128, 512, Precision::F16),
];

fn pin_file() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/determinism.json")
}

/// FNV-1a 64 of the values' little-endian bits, as the browser test hashes them.
fn fnv1a64<const N: usize>(values: impl IntoIterator<Item = [u8; N]>) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in values.into_iter().flatten() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{hash:016x}")
}

fn matrix_pin(experiment: &mut Experiment, (tokens, d_k, precision): (usize, usize, Precision)) -> Value {
    let config = Config {
        tokens,
        d_k,
        seed: SEED,
        precision,
        ..Config::NOTEBOOK
    };
    experiment.run(config).expect("a valid configuration");
    let hash = |values: &[f32]| fnv1a64(values.iter().map(|v| v.to_le_bytes()));
    let scores = experiment.scores(Panel::Unscaled);
    let probs = experiment.probabilities(Panel::Scaled);
    let mut case = json!({ "tokens": tokens, "d_k": d_k });
    if precision != Precision::F32 {
        case["precision"] = json!(precision.to_string());
    }
    case["scores_unscaled"] = json!(hash(scores.as_slice().expect("contiguous")));
    case["probs_scaled"] = json!(hash(probs.as_slice().expect("contiguous")));
    case
}

/// The whole pin file as the code computes it today.
fn pins() -> Value {
    let draws = SampleStream::normal(SEED).prefix(DRAWS).to_vec();
    let mut experiment = Experiment::new();
    let cases: Vec<Value> = MATRICES.iter().map(|&m| matrix_pin(&mut experiment, m)).collect();
    json!({
        "about": "A pin, not a reference: the FNV-1a 64 hash of the little-endian bits of the first `count` standard normals of np.random.seed(`seed`) as the Rust core draws them (float64). Written by crates/core/tests/determinism.rs (`cargo xtask fixtures --pins`) and checked there and by the browser test (tests/e2e/boundary.spec.mjs), so native and WebAssembly builds, today and in future, give the same bits. Agreement with NumPy itself is checked against numpy_reference.json.",
        "seed": SEED,
        "count": DRAWS,
        "fnv1a64_of_le_bits": fnv1a64(draws.iter().map(|v| v.to_le_bytes())),
        "matrices": {
            "about": "FNV-1a 64 of the little-endian bits of the unscaled scores and the scaled softmax weights (T × T, row-major, float32) for Q = K = randn(T, d_k) after np.random.seed(`seed`), as the Rust core computes them, in float32 at the benchmark's sizes and in bfloat16 and float16 (every step rounded) at a few more. Checked natively and in the browser, so the WebAssembly SIMD kernel gives the native bits; agreement with NumPy is in numpy_reference.json's `bench` and `precision`.",
            "seed": SEED,
            "cases": cases,
        },
    })
}

#[test]
fn draws_and_matrices_are_the_pinned_bits() {
    let computed = pins();
    if std::env::var("WRITE_PINS").is_ok_and(|v| v == "1") {
        let text = serde_json::to_string_pretty(&computed).expect("serialisable") + "\n";
        std::fs::write(pin_file(), text).expect("tests/fixtures/determinism.json is writable");
        return;
    }
    let text = std::fs::read_to_string(pin_file()).expect("tests/fixtures/determinism.json is committed");
    let committed: Value = serde_json::from_str(&text).expect("valid JSON");
    assert_eq!(
        committed["fnv1a64_of_le_bits"], computed["fnv1a64_of_le_bits"],
        "the normal draws changed"
    );
    let (want, got) = (&committed["matrices"]["cases"], &computed["matrices"]["cases"]);
    for (want, got) in want
        .as_array()
        .expect("cases")
        .iter()
        .zip(got.as_array().expect("cases"))
    {
        assert_eq!(want, got, "the bits of a pinned matrix changed");
    }
    assert_eq!(
        committed, computed,
        "determinism.json differs from what the code computes; if the change is deliberate, run `cargo xtask fixtures --pins`"
    );
}
