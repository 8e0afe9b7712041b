//! The WebAssembly face of the attention-scaling explorer.
//!
//! This crate is deliberately thin. It owns the buffers that live between
//! slider steps, hands the core's results to JavaScript, and paints into
//! canvases the page gives it. It does no arithmetic of its own: every
//! number comes from `attention-core`, which is tested natively against NumPy.
//!
//! Painting happens here rather than in JavaScript because the pixels are a
//! function of the core's matrices and colour table: Rust writes RGBA bytes
//! into a buffer it keeps, and `putImageData` copies them onto a canvas that
//! is exactly T × T pixels (CSS scales it up with `image-rendering:
//! pixelated`). The page never sees element ids from here, nor this crate the
//! page's layout: JavaScript passes in the 2D contexts to paint.
//!
//! Modes are set with [`Explorer::configure`] (rarely, one options object)
//! and the shape and seed with [`Explorer::run`] or [`Explorer::start`] (on
//! every slider step), so a step passes no strings.
//!
//! Files: `explorer.rs` (modes, runs, results), `painting.rs` (canvases),
//! `curves.rs` (the d_k sweep and histograms), `report.rs` (a panel's numbers),
//! `adopt.rs` (a run computed by a worker's engine, handed to the page's),
//! `bench.rs` (the kernel and its ceiling, for the benchmark).
//!
//! Exports the page does not call, and why they stay: `Explorer.run` (one
//! whole run, what the benchmark times and hosts that drive the engine
//! directly call), the `tokens` / `dK` / `seed` getters (the last run's shape,
//! which a refused `start` keeps: the boundary tests check it), and
//! `normalSample` (the only way to check the sampler bit for bit against
//! NumPy inside the browser; a few hundred bytes), and `bench.rs`'s kernel
//! and peak timers (what `cargo xtask bench` divides the kernel's rate by).

use attention_core::config::MAX_NORMALS;
use attention_core::experiment::Panel as CorePanel;
use attention_core::numpy_random::SampleStream;
use wasm_bindgen::prelude::*;

mod adopt;
mod bench;
mod curves;
mod explorer;
mod painting;
mod report;

pub use bench::{KernelBench, simd_peak, simd_peak_per_step};
pub use curves::{Curves, Histogram};
pub use explorer::Explorer;
pub use painting::paint_nan_swatch;
pub use report::Report;

/// Which heatmap: `Panel.Unscaled` (0) or `Panel.Scaled` (1).
#[wasm_bindgen]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Panel {
    /// softmax(S / τ).
    Unscaled = 0,
    /// softmax(S · scale / τ).
    Scaled = 1,
}

impl From<Panel> for CorePanel {
    fn from(panel: Panel) -> Self {
        match panel {
            Panel::Unscaled => CorePanel::Unscaled,
            Panel::Scaled => CorePanel::Scaled,
        }
    }
}

/// A fresh seed from the browser's cryptographic random source.
#[wasm_bindgen(js_name = randomSeed)]
pub fn random_seed() -> Result<u32, JsError> {
    getrandom::u32().map_err(|e| JsError::new(&format!("no random source available: {e}")))
}

/// The first `count` values of `np.random.seed(seed); np.random.randn(count)`
/// (at most `MAX_NORMALS`).
#[wasm_bindgen(js_name = normalSample)]
pub fn normal_sample(seed: u32, count: u32) -> Result<Vec<f64>, JsError> {
    let count = at_most("count", count, MAX_NORMALS)?;
    Ok(SampleStream::normal(seed).prefix(count).to_vec())
}

/// The largest side, in pixels or bins, a paint or histogram call takes: a
/// bigger one would only be a way to run the module out of memory.
const MAX_SIDE: usize = 4096;

/// `value` as a size, or an error naming it when it is above `max`.
fn at_most(name: &str, value: u32, max: usize) -> Result<usize, JsError> {
    let value = value as usize;
    if value <= max {
        Ok(value)
    } else {
        Err(JsError::new(&format!("{name} must be at most {max}, got {value}")))
    }
}
