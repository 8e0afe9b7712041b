//! What the benchmark times besides whole runs: the score kernel alone and
//! the machine's multiply-add ceiling, both in this module, so that the
//! kernel's rate is a fraction of a peak measured in the same run.

use attention_core::kernel::{self, PackedKeys};
use attention_core::numpy_random::SampleStream;
use wasm_bindgen::prelude::*;

use crate::at_most;

/// `X Xᵀ`'s upper triangle for X = randn(T, d_k) of a seed (float32, as the
/// explorer draws it), computed as a run computes it: keys packed, then
/// every row band.
#[wasm_bindgen]
pub struct KernelBench {
    x: Vec<f32>,
    packed: PackedKeys,
    out: Vec<f32>,
    t: usize,
    d: usize,
}

#[wasm_bindgen]
impl KernelBench {
    /// X for `tokens` × `d_k` (each at most 4096) from `seed`.
    #[wasm_bindgen(constructor)]
    pub fn new(tokens: u32, d_k: u32, seed: u32) -> Result<KernelBench, JsError> {
        let (t, d) = (at_most("tokens", tokens, 4096)?, at_most("d_k", d_k, 4096)?);
        let x = SampleStream::normal(seed)
            .prefix(t * d)
            .iter()
            .map(|&v| v as f32)
            .collect();
        Ok(KernelBench {
            x,
            packed: PackedKeys::default(),
            out: vec![0.0; t * t],
            t,
            d,
        })
    }

    /// One product: packing and every row band.
    pub fn run(&mut self) {
        self.packed.pack(&self.x, self.t, self.d);
        kernel::product_rows(&self.x, &self.packed, &mut self.out, 0..self.t, true);
    }

    /// The multiply-adds one `run` performs.
    #[wasm_bindgen(js_name = multiplyAdds)]
    pub fn multiply_adds(&self) -> f64 {
        kernel::multiply_adds(0..self.t, self.t, self.d, true) as f64
    }

    /// Score `(i, j)`, `j ≥ i`, of the last run (0 outside the matrix).
    pub fn score(&self, i: u32, j: u32) -> f32 {
        let (i, j) = (i as usize, j as usize);
        if i < self.t && j < self.t {
            self.out[i * self.t + j]
        } else {
            0.0
        }
    }
}

/// `steps` steps of the multiply-add ceiling loop (`kernel::peak`), each
/// `simdPeakPerStep` multiply-adds; the result only keeps the loop alive.
#[wasm_bindgen(js_name = simdPeak)]
pub fn simd_peak(steps: u32) -> f32 {
    kernel::peak(steps)
}

/// Multiply-adds per step of `simdPeak`.
#[wasm_bindgen(js_name = simdPeakPerStep)]
pub fn simd_peak_per_step() -> u32 {
    kernel::PEAK_PER_STEP as u32
}
