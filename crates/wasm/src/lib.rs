//! The WebAssembly face of the attention-scaling explorer.
//!
//! This crate is deliberately thin. It owns the buffers that live between
//! slider steps, hands the core's results to JavaScript, and paints heatmaps
//! into canvases the page gives it. It does no arithmetic of its own: every
//! number comes from `attention-core`, which is tested natively against NumPy.
//!
//! Painting happens here rather than in JavaScript because the pixels are a
//! function of the core's matrices and colour table: Rust writes RGBA bytes
//! into a buffer it keeps, and `putImageData` copies them onto a canvas that
//! is exactly T × T pixels (CSS scales it up with `image-rendering:
//! pixelated`). The page never sees element ids from here, nor this crate the
//! page's layout: JavaScript passes in the 2D contexts to paint.

use attention_core::colormap::Colormap;
use attention_core::experiment::{Params, ScalingDemo};
use attention_core::numpy_random::NormalStream;
use wasm_bindgen::Clamped;
use wasm_bindgen::prelude::*;
use web_sys::{CanvasRenderingContext2d, ImageData};

/// One explorer: the notebook's experiment plus the pixel buffer it paints
/// from. Create one per page (or per embedded instance) and keep it.
#[wasm_bindgen]
pub struct Explorer {
    demo: ScalingDemo,
    colormap: Colormap,
    pixels: Vec<u8>,
}

impl Default for Explorer {
    fn default() -> Self {
        Self::new()
    }
}

#[wasm_bindgen]
impl Explorer {
    /// An explorer holding the notebook's default view (T = 10, d_k = 16, seed 42).
    #[wasm_bindgen(constructor)]
    pub fn new() -> Explorer {
        Explorer {
            demo: ScalingDemo::new(),
            colormap: Colormap::Viridis,
            pixels: Vec::new(),
        }
    }

    /// Runs the experiment for T tokens, key dimension d_k and a NumPy seed.
    /// Throws (leaving the previous result in place) if T or d_k is out of
    /// the engine's range; the page validates its inputs before calling.
    pub fn run(&mut self, tokens: u32, d_k: u32, seed: u32) -> Result<(), JsError> {
        let params = Params {
            tokens: tokens as usize,
            d_k: d_k as usize,
            seed,
        };
        self.demo.run(params)?;
        Ok(())
    }

    /// T of the last run.
    #[wasm_bindgen(getter)]
    pub fn tokens(&self) -> u32 {
        self.demo.params().tokens as u32
    }

    /// d_k of the last run.
    #[wasm_bindgen(getter, js_name = dK)]
    pub fn d_k(&self) -> u32 {
        self.demo.params().d_k as u32
    }

    /// The seed of the last run.
    #[wasm_bindgen(getter)]
    pub fn seed(&self) -> u32 {
        self.demo.params().seed
    }

    /// Population standard deviation of the unscaled scores (NumPy's `.std()`).
    #[wasm_bindgen(getter, js_name = stdUnscaled)]
    pub fn std_unscaled(&self) -> f64 {
        self.demo.summary().std_unscaled
    }

    /// Population standard deviation of the scaled scores (NumPy's `.std()`).
    #[wasm_bindgen(getter, js_name = stdScaled)]
    pub fn std_scaled(&self) -> f64 {
        self.demo.summary().std_scaled
    }

    /// A copy of X (= Q = K), T × d_k, row-major.
    pub fn x(&self) -> Vec<f32> {
        self.demo.x().iter().copied().collect()
    }

    /// A copy of the unscaled scores `Q Kᵀ`, T × T, row-major.
    #[wasm_bindgen(js_name = scoresUnscaled)]
    pub fn scores_unscaled(&self) -> Vec<f32> {
        self.demo.scores_unscaled().iter().copied().collect()
    }

    /// A copy of the scaled scores `Q Kᵀ / sqrt(d_k)`, T × T, row-major.
    #[wasm_bindgen(js_name = scoresScaled)]
    pub fn scores_scaled(&self) -> Vec<f32> {
        self.demo.scores_scaled().iter().copied().collect()
    }

    /// A copy of softmax(unscaled scores), T × T, row-major.
    #[wasm_bindgen(js_name = probabilitiesUnscaled)]
    pub fn probabilities_unscaled(&self) -> Vec<f32> {
        self.demo.probabilities_unscaled().iter().copied().collect()
    }

    /// A copy of softmax(scaled scores), T × T, row-major.
    #[wasm_bindgen(js_name = probabilitiesScaled)]
    pub fn probabilities_scaled(&self) -> Vec<f32> {
        self.demo.probabilities_scaled().iter().copied().collect()
    }

    /// Paints both heatmaps of the last run, one canvas pixel per cell
    /// (the canvases are resized to T × T if needed).
    pub fn paint(
        &mut self,
        unscaled: &CanvasRenderingContext2d,
        scaled: &CanvasRenderingContext2d,
    ) -> Result<(), JsValue> {
        let t = self.demo.params().tokens;
        self.pixels.resize(t * t * 4, 0);
        for (ctx, probs) in [
            (unscaled, self.demo.probabilities_unscaled()),
            (scaled, self.demo.probabilities_scaled()),
        ] {
            let values = probs.to_slice().expect("probabilities are stored contiguously");
            self.colormap.paint(values, &mut self.pixels);
            put_pixels(ctx, &self.pixels, t as u32, t as u32)?;
        }
        Ok(())
    }
}

/// Paints the colour bar: a canvas one pixel wide and `height` pixels tall,
/// probability 1 at the top and 0 at the bottom, from the same table as the
/// heatmaps.
#[wasm_bindgen(js_name = paintColorBar)]
pub fn paint_color_bar(ctx: &CanvasRenderingContext2d, height: u32) -> Result<(), JsValue> {
    let mut pixels = Vec::new();
    Colormap::Viridis.paint_bar(height as usize, &mut pixels);
    put_pixels(ctx, &pixels, 1, height)
}

/// A fresh seed from the browser's cryptographic random source.
#[wasm_bindgen(js_name = randomSeed)]
pub fn random_seed() -> Result<u32, JsError> {
    getrandom::u32().map_err(|e| JsError::new(&format!("no random source available: {e}")))
}

/// The first `count` values of `np.random.seed(seed); np.random.randn(count)`.
#[wasm_bindgen(js_name = normalSample)]
pub fn normal_sample(seed: u32, count: u32) -> Vec<f64> {
    NormalStream::new(seed).prefix(count as usize).to_vec()
}

/// Puts `width × height` RGBA pixels at the canvas origin, first making the
/// canvas exactly that size so one pixel is one cell.
fn put_pixels(ctx: &CanvasRenderingContext2d, rgba: &[u8], width: u32, height: u32) -> Result<(), JsValue> {
    if let Some(canvas) = ctx.canvas()
        && (canvas.width() != width || canvas.height() != height)
    {
        canvas.set_width(width);
        canvas.set_height(height);
    }
    let image = ImageData::new_with_u8_clamped_array_and_sh(Clamped(rgba), width, height)?;
    ctx.put_image_data(&image, 0.0, 0.0)
}
