//! The numerics of the attention-scaling explorer.
//!
//! This crate answers one question in code: *why does attention divide its
//! scores by `sqrt(d_k)`?* It reproduces the teaching notebook's experiment
//! exactly, random numbers included, and is the only place where the project
//! does arithmetic. The WebAssembly crate and the web page only move its
//! results around and show them.
//!
//! It knows nothing about browsers: no `wasm-bindgen`, `web-sys`, `js-sys` or
//! `getrandom` (the test command checks this), so everything here is tested
//! natively against reference values computed by NumPy.
//!
//! | module | holds |
//! | --- | --- |
//! | [`numpy_random`] | NumPy's legacy `seed` / `randn`, and a cached normal stream |
//! | [`precision`] | float32, bfloat16 and float16, emulated by rounding every step |
//! | [`scores`] | `Q Kᵀ`, the symmetric `X Xᵀ`, cosine normalisation, scaling, temperature |
//! | [`softmax`] | the stable and the naive row-wise softmax |
//! | [`stats`] | NumPy's population `std`, and diagonal / off-diagonal statistics |
//! | [`metrics`] | saturation: largest weight, entropy, effective tokens, gradient signal |
//! | [`colormap`] | viridis, for heatmap cells and the colour bar alike |
//! | [`config`] | every mode of the experiment, with the names URLs use |
//! | [`inputs`] | the rows of Q and K: distribution, σ, μ, LayerNorm, correlated keys |
//! | [`logits`] | keeping logits in range: QK-norm with a gain, soft-capping |
//! | [`mask`] | causal and padding masks, and what a row that sees no key becomes |
//! | [`experiment`] | the experiment itself, with buffers reused between runs |
//! | [`sweep`] | Monte-Carlo curves of the experiment's numbers over d_k |
//! | [`tokens`] | deterministic random vectors for the words of a visitor's text |
//!
//! # Example
//!
//! The notebook's cell, `scaling_demo(d_k=16)` after `np.random.seed(42)`:
//!
//! ```
//! use attention_core::experiment::{Config, Experiment, Panel};
//!
//! let mut experiment = Experiment::new();
//! experiment.run(Config { tokens: 10, d_k: 16, seed: 42, ..Config::NOTEBOOK }).unwrap();
//!
//! // Dividing every score by sqrt(16) = 4 divides their spread by 4.
//! let ratio = experiment.report(Panel::Unscaled).std / experiment.report(Panel::Scaled).std;
//! assert!((ratio - 4.0).abs() < 1e-5);
//! // Each row of each heatmap is a probability distribution over keys.
//! for row in experiment.probabilities(Panel::Scaled).rows() {
//!     assert!((row.sum() - 1.0).abs() < 1e-6);
//! }
//! // Unscaled, the rows are nearly one-hot: almost no gradient flows back.
//! let unscaled = experiment.report(Panel::Unscaled).saturation;
//! assert!(unscaled.gradient_mean < 0.1 * unscaled.gradient_uniform);
//! ```

/// Gives a fieldless enum its list of variants, its URL/API names, `Display`
/// and `FromStr`, so each mode's vocabulary is written once.
macro_rules! named_enum {
    ($ty:ident, $what:literal, $($variant:ident => $name:literal),+) => {
        impl $ty {
            /// Every variant, in the order the page lists them.
            pub const ALL: &'static [$ty] = &[$($ty::$variant),+];

            /// The name used in URLs and by the engine's JavaScript API.
            pub fn name(self) -> &'static str {
                match self {
                    $($ty::$variant => $name),+
                }
            }
        }

        impl ::std::fmt::Display for $ty {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.name())
            }
        }

        impl ::std::str::FromStr for $ty {
            type Err = String;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                $crate::position_of_name(s, &[$($name),+], $what).map(|i| Self::ALL[i])
            }
        }
    };
}

/// Where `name` is in `names`, or a message listing them. One copy for every
/// enum: an inlined search per enum cost 3 KB of WebAssembly for `Metric`.
pub(crate) fn position_of_name(name: &str, names: &[&str], what: &str) -> Result<usize, String> {
    names
        .iter()
        .position(|n| *n == name)
        .ok_or_else(|| format!("unknown {what} `{name}` (expected one of {})", names.join(", ")))
}

pub mod colormap;
pub mod config;
pub mod experiment;
pub mod inputs;
pub mod kernel;
mod lane_math;
pub mod logits;
pub mod mask;
pub mod metrics;
pub mod numpy_random;
pub mod precision;
pub mod scores;
mod simd;
pub mod softmax;
pub mod stats;
pub mod sweep;
pub mod tokens;
