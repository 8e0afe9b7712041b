//! Painting: RGBA bytes from the core's colour functions, put onto the
//! canvases the page passes in, one canvas pixel per cell (CSS scales them
//! up with `image-rendering: pixelated`).

use attention_core::colormap;
use attention_core::experiment::Panel as CorePanel;
use attention_core::metrics::GRADIENT_MAX;
use wasm_bindgen::Clamped;
use wasm_bindgen::prelude::*;
use web_sys::{CanvasRenderingContext2d, ImageData};

use crate::explorer::Explorer;
use crate::{MAX_SIDE, Panel, at_most};

#[wasm_bindgen]
impl Explorer {
    /// Paints the colour bar: a canvas one pixel wide and `height` pixels
    /// tall, probability 1 at the top and 0 at the bottom, from the same
    /// table as the heatmaps.
    #[wasm_bindgen(js_name = paintColorBar)]
    pub fn paint_color_bar(&mut self, ctx: &CanvasRenderingContext2d, height: u32) -> Result<(), JsValue> {
        let height = at_most("height", height, MAX_SIDE)?;
        self.colormap.paint_bar(height, &mut self.pixels);
        put_pixels(ctx, &self.pixels, 1, height)
    }

    /// Paints both heatmaps of the last run, one canvas pixel per cell
    /// (the canvases are resized to T × T if needed); masked cells of weight
    /// 0 are left transparent, for the page to draw as masked.
    pub fn paint(
        &mut self,
        unscaled: &CanvasRenderingContext2d,
        scaled: &CanvasRenderingContext2d,
    ) -> Result<(), JsValue> {
        self.finished()?;
        let t = self.experiment.config().tokens;
        self.pixels.resize(t * t * 4, 0);
        for (ctx, panel) in [(unscaled, CorePanel::Unscaled), (scaled, CorePanel::Scaled)] {
            let probs = self.experiment.probabilities(panel);
            let values = probs.to_slice().expect("probabilities are stored contiguously");
            self.colormap.paint(self.shading, values, t, &mut self.pixels);
            self.experiment.config().mask.clear_hidden(values, t, &mut self.pixels);
            put_pixels(ctx, &self.pixels, t, t)?;
        }
        Ok(())
    }

    /// Paints the diagonal stripes over a panel's NaN cells and over the rows
    /// a mask leaves no key to see (whatever their fill made of them), on a
    /// transparent overlay canvas of 4 pixels per cell (resized as needed).
    #[wasm_bindgen(js_name = paintNanHatch)]
    pub fn paint_nan_hatch(&mut self, panel: Panel, ctx: &CanvasRenderingContext2d) -> Result<(), JsValue> {
        self.finished()?;
        let t = self.experiment.config().tokens;
        let mask = self.experiment.config().mask;
        let probs = self.experiment.probabilities(panel.into());
        let values = probs.to_slice().expect("probabilities are stored contiguously");
        colormap::paint_nan_hatch(values, t, &mut self.pixels, |row| mask.keys(row, t).is_empty());
        let side = t * colormap::hatch_scale(t);
        put_pixels(ctx, &self.pixels, side, side)
    }

    /// Paints a panel's per-row gradient signal as horizontal bars, `width`
    /// pixels at the largest value any row can have (1/2, a two-way tie),
    /// one pixel row per row, in the colour `rgb` (0xRRGGBB: the page's
    /// theme, which its legend swatch shares).
    #[wasm_bindgen(js_name = paintGradientBars)]
    pub fn paint_gradient_bars(
        &mut self,
        panel: Panel,
        ctx: &CanvasRenderingContext2d,
        width: u32,
        rgb: u32,
    ) -> Result<(), JsValue> {
        self.finished()?;
        let rows = self.experiment.row_gradients(panel.into());
        let width = at_most("width", width, MAX_SIDE)?;
        let [_, r, g, b] = rgb.to_be_bytes();
        colormap::paint_row_bars(rows, GRADIENT_MAX as f32, width, [r, g, b, 255], &mut self.pixels);
        put_pixels(ctx, &self.pixels, width, rows.len())
    }
}

/// Paints the legend swatch for NaN cells: `cells × cells` flagged cells
/// with their hatch, exactly as a heatmap shows them (4 pixels per cell).
#[wasm_bindgen(js_name = paintNanSwatch)]
pub fn paint_nan_swatch(ctx: &CanvasRenderingContext2d, cells: u32) -> Result<(), JsValue> {
    let mut pixels = Vec::new();
    let side = colormap::paint_nan_swatch(at_most("cells", cells, MAX_SIDE / colormap::HATCH_SCALE)?, &mut pixels);
    put_pixels(ctx, &pixels, side, side)
}

/// Puts `width × height` RGBA pixels at the canvas origin, first making the
/// canvas exactly that size so one pixel is one cell.
fn put_pixels(ctx: &CanvasRenderingContext2d, rgba: &[u8], width: usize, height: usize) -> Result<(), JsValue> {
    let (width, height) = (width as u32, height as u32);
    if let Some(canvas) = ctx.canvas()
        && (canvas.width() != width || canvas.height() != height)
    {
        canvas.set_width(width);
        canvas.set_height(height);
    }
    if width == 0 || height == 0 {
        return Ok(());
    }
    let image = ImageData::new_with_u8_clamped_array_and_sh(Clamped(rgba), width, height)?;
    ctx.put_image_data(&image, 0.0, 0.0)
}
