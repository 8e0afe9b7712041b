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
//! | [`numpy_random`] | NumPy's legacy `seed` / `randn`, bit for bit, and a cached normal stream |
//! | [`scores`] | `Q Kᵀ`, the symmetric `X Xᵀ`, and scaling by `1/sqrt(d_k)` |
//! | [`softmax`] | the numerically stable row-wise softmax |
//! | [`stats`] | NumPy's population `std` |
//! | [`colormap`] | viridis, for heatmap cells and the colour bar alike |
//! | [`experiment`] | the notebook's experiment with buffers reused between runs |
//!
//! # Example
//!
//! The notebook's cell, `scaling_demo(d_k=16)` after `np.random.seed(42)`:
//!
//! ```
//! use attention_core::experiment::{Params, ScalingDemo};
//!
//! let mut demo = ScalingDemo::new();
//! let summary = demo.run(Params { tokens: 10, d_k: 16, seed: 42 }).unwrap();
//!
//! // Dividing every score by sqrt(16) = 4 divides their spread by 4.
//! assert!((summary.std_unscaled / summary.std_scaled - 4.0).abs() < 1e-5);
//! // Each row of each heatmap is a probability distribution over keys.
//! for row in demo.probabilities_scaled().rows() {
//!     assert!((row.sum() - 1.0).abs() < 1e-6);
//! }
//! ```

pub mod colormap;
pub mod experiment;
pub mod numpy_random;
pub mod scores;
pub mod softmax;
pub mod stats;
