//! The core against NumPy: every expected number here was produced by NumPy
//! (and matplotlib, for the colour table) in `tests/fixtures/generate.py`.

use std::path::PathBuf;

use attention_core::colormap::Colormap;
use attention_core::experiment::{Params, ScalingDemo};
use attention_core::numpy_random::{LegacyRandom, NormalStream};
use serde_json::Value;

fn repo_file(relative: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..").join(relative)
}

fn fixture() -> Value {
    let text = std::fs::read_to_string(repo_file("tests/fixtures/numpy_reference.json"))
        .expect("tests/fixtures/numpy_reference.json is committed");
    serde_json::from_str(&text).expect("fixture is valid JSON")
}

fn floats(value: &Value) -> Vec<f64> {
    value
        .as_array()
        .expect("an array")
        .iter()
        .map(|v| v.as_f64().expect("a number"))
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

/// NumPy calls the platform's C `log`, which is not correctly rounded
/// everywhere; the core's `log` is. So a draw may differ from NumPy's in the
/// last bit or two (below 1e-15 for |x| < 4), rarely, and never by more.
#[test]
fn randn_matches_numpy_to_the_last_bit_or_within_2_ulps() {
    let fixture = fixture();
    let cases = fixture["randn"].as_array().expect("randn cases");
    assert!(cases.len() >= 5);
    let (mut total, mut exact) = (0usize, 0usize);
    for case in cases {
        let seed = u32::try_from(uint(&case["seed"])).expect("32-bit seed");
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
        assert_eq!(NormalStream::new(seed).prefix(expected.len()), &got[..]);
    }
    // Any slip in the algorithm (pair order, cached value, double
    // construction) would match almost nothing.
    assert!(
        exact * 1000 >= total * 995,
        "only {exact} of {total} draws are bit-identical to NumPy"
    );
}

/// The draws are pinned by a checksum that the browser test checks too, so
/// native and WebAssembly builds (and future builds) give the same bits.
#[test]
fn randn_bits_are_pinned_across_targets_and_builds() {
    let text = std::fs::read_to_string(repo_file("tests/fixtures/determinism.json")).expect("committed");
    let pin: Value = serde_json::from_str(&text).expect("valid JSON");
    let seed = u32::try_from(uint(&pin["seed"])).expect("32-bit seed");
    let count = uint(&pin["count"]) as usize;
    let values = NormalStream::new(seed).prefix(count).to_vec();
    let bytes: Vec<u8> = values.iter().flat_map(|v| v.to_bits().to_le_bytes()).collect();
    assert_eq!(pin["fnv1a64_of_le_bits"].as_str(), Some(fnv1a64(&bytes).as_str()));
}

#[test]
fn experiment_matches_numpy_float64() {
    let fixture = fixture();
    let mut demo = ScalingDemo::new();
    for case in fixture["experiments"].as_array().expect("experiment cases") {
        let params = Params {
            tokens: uint(&case["tokens"]) as usize,
            d_k: uint(&case["d_k"]) as usize,
            seed: u32::try_from(uint(&case["seed"])).expect("32-bit seed"),
        };
        let summary = demo.run(params).expect("valid parameters");
        let label = format!("{params:?}");
        for (got, key) in [
            (summary.std_unscaled, "std_unscaled"),
            (summary.std_scaled, "std_scaled"),
        ] {
            let want = case[key].as_f64().expect("a number");
            assert!(
                ((got - want) / want).abs() <= 1e-4,
                "{label} {key}: {got} vs NumPy {want}"
            );
        }
        for (got, key) in [
            (demo.probabilities_unscaled(), "probs_unscaled"),
            (demo.probabilities_scaled(), "probs_scaled"),
        ] {
            let want = floats(&case[key]);
            assert_eq!(got.len(), want.len(), "{label} {key}: size");
            let worst = got
                .iter()
                .zip(&want)
                .map(|(&g, &w)| (f64::from(g) - w).abs())
                .fold(0.0, f64::max);
            assert!(worst <= 1e-5, "{label} {key}: max abs error {worst:e}");
        }
    }
}

#[test]
fn viridis_table_is_matplotlibs() {
    let fixture = fixture();
    let rows = fixture["viridis"].as_array().expect("viridis table");
    assert_eq!(rows.len(), 256);
    for (i, rgb) in rows.iter().enumerate() {
        let want: Vec<u8> = floats(rgb).iter().map(|c| (c * 255.0).round() as u8).collect();
        // rgba(v) for the value at the centre of bin i must return entry i.
        let value = (i as f32 + 0.5) / 256.0;
        assert_eq!(&Colormap::Viridis.rgba(value)[..3], &want[..], "entry {i}");
    }
}
