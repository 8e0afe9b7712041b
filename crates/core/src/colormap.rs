//! Colour maps that turn probabilities in `[0, 1]` into RGBA pixels.
//!
//! Heatmap cells and the colour bar are painted by the same function from the
//! same table, so the legend cannot disagree with the picture. Values map to
//! table entries exactly as matplotlib's `Colormap.__call__` does for floats:
//! `index = floor(v * 256)`, with `v = 1.0` landing on the last entry and
//! values outside `[0, 1]` clipped to the ends.

/// A colour map: perceptually uniform, readable in greyscale print.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Colormap {
    /// matplotlib's viridis: dark purple (0) through teal to yellow (1).
    #[default]
    Viridis,
    /// matplotlib's cividis: dark blue (0) to yellow (1), designed for
    /// red–green colour-vision deficiency.
    Cividis,
    /// Black (0) to white (1), linear in sRGB values.
    Grey,
}

named_enum!(Colormap, "colour map", Viridis => "viridis", Cividis => "cividis", Grey => "grey");

/// Where a weight sits on the colour scale. On the linear 0–1 scale a
/// uniform row (1/T each) looks almost like 0 once T is large; the two
/// other scales make small weights visible.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Shading {
    /// The weight itself: 0 at the bottom of the bar, 1 at the top.
    #[default]
    Linear,
    /// The weight ÷ the largest weight of its row: every row's largest
    /// weight is the top colour, so the shape of each row shows.
    PerRow,
    /// log₁₀ of the weight over [`LOG_DECADES`] decades: 10⁻⁴ (and
    /// below) at the bottom, 1 at the top.
    Log,
}

named_enum!(Shading, "colour scale", Linear => "linear", PerRow => "row", Log => "log");

/// How many decades the log scale spans below 1.
pub const LOG_DECADES: f32 = 4.0;

impl Shading {
    /// The position in `[0, 1]` of `value` on the colour bar, given the
    /// largest finite weight of its row (NaN stays NaN).
    pub fn position(self, value: f32, row_max: f32) -> f32 {
        match self {
            Shading::Linear => value,
            Shading::PerRow if row_max > 0.0 => value / row_max,
            Shading::PerRow => value,
            Shading::Log if value > 0.0 => (libm::log10f(value) / LOG_DECADES + 1.0).max(0.0),
            Shading::Log => value * 0.0, // 0, or NaN for NaN
        }
    }
}

/// The colour of a cell whose value is NaN: opaque magenta, outside every
/// map here, so a broken cell is never mistaken for a probability. The
/// hatch overlay ([`paint_nan_hatch`]) adds white stripes on top, so the flag
/// does not rely on colour alone.
pub const NAN_RGBA: [u8; 4] = [255, 0, 255, 255];

/// The stripes of the NaN hatch.
pub const HATCH_RGBA: [u8; 4] = [255, 255, 255, 255];

/// The colour of the per-row gradient bars on a light page (the page passes
/// its theme's own, so that bars and legend swatch match).
pub const BAR_RGBA: [u8; 4] = [44, 95, 179, 255];

/// Pixels per cell side in the hatch overlay: stripes need a few pixels.
pub const HATCH_SCALE: usize = 4;

/// Pixels per cell side of the hatch overlay of a `cols` × `cols` matrix:
/// [`HATCH_SCALE`] up to 256 cells, fewer beyond so that the overlay stays
/// at most 1024 pixels square (at T = 1024 a cell is under a screen pixel,
/// and 4 × 4 per cell would be 64 MB of pixels).
pub fn hatch_scale(cols: usize) -> usize {
    (1024 / cols.max(1)).clamp(1, HATCH_SCALE)
}

/// Paints a transparent overlay of `cols`-wide `values` at
/// [`hatch_scale`]`(cols)` pixels per cell, with diagonal white stripes
/// (every fourth anti-diagonal of pixels) over each NaN cell and each cell
/// of a row `flagged_row` names (a row a mask leaves no key to see).
pub fn paint_nan_hatch(values: &[f32], cols: usize, rgba: &mut Vec<u8>, flagged_row: impl Fn(usize) -> bool) {
    let k = hatch_scale(cols);
    let rows = values.len().checked_div(cols).unwrap_or(0);
    let width = cols * k;
    rgba.clear();
    rgba.resize(width * rows * k * 4, 0);
    for (cell, value) in values.iter().enumerate() {
        let (row, col) = (cell / cols, cell % cols);
        if !value.is_nan() && !flagged_row(row) {
            continue;
        }
        for dy in 0..k {
            for dx in 0..k {
                // Stripes along anti-diagonals of the whole overlay, so they
                // run on across neighbouring NaN cells at any scale (one per
                // cell at 4 pixels per cell).
                let (x, y) = (col * k + dx, row * k + dy);
                if (x + y) % HATCH_SCALE == HATCH_SCALE - 1 {
                    let at = ((row * k + dy) * width + col * k + dx) * 4;
                    rgba[at..at + 4].copy_from_slice(&HATCH_RGBA);
                }
            }
        }
    }
}

/// Paints the legend swatch for NaN cells: `cells × cells` NaN cells as a
/// heatmap shows them, the flag colour with the hatch composited over it
/// (opaque, [`hatch_scale`] pixels per cell). Returns the side in pixels.
pub fn paint_nan_swatch(cells: usize, rgba: &mut Vec<u8>) -> usize {
    let values = vec![f32::NAN; cells * cells];
    paint_nan_hatch(&values, cells, rgba, |_| false);
    for pixel in rgba.chunks_exact_mut(4) {
        if pixel[3] == 0 {
            pixel.copy_from_slice(&NAN_RGBA);
        }
    }
    cells * hatch_scale(cells)
}

/// Paints one horizontal bar per value, `width` pixels wide at full length
/// (`value == max`): a row of `round(width · value / max)` bar pixels, the
/// rest transparent. NaN rows are painted as a full-width NaN flag.
pub fn paint_row_bars(values: &[f32], max: f32, width: usize, bar: [u8; 4], rgba: &mut Vec<u8>) {
    rgba.clear();
    rgba.resize(values.len() * width * 4, 0);
    for (row, &value) in values.iter().enumerate() {
        let (length, colour) = if value.is_nan() {
            (width, NAN_RGBA)
        } else {
            let fraction = if max > 0.0 { (value / max).clamp(0.0, 1.0) } else { 0.0 };
            ((fraction * width as f32).round() as usize, bar)
        };
        for x in 0..length {
            let at = (row * width + x) * 4;
            rgba[at..at + 4].copy_from_slice(&colour);
        }
    }
}

impl Colormap {
    /// The 256-entry table of this map.
    fn table(self) -> &'static [[u8; 3]; 256] {
        match self {
            Colormap::Viridis => &VIRIDIS,
            Colormap::Cividis => &CIVIDIS,
            Colormap::Grey => &GREY,
        }
    }

    /// The RGBA colour of one value in `[0, 1]`.
    pub fn rgba(self, value: f32) -> [u8; 4] {
        if value.is_nan() {
            return NAN_RGBA;
        }
        // `as usize` saturates: negatives become 0 and +inf becomes usize::MAX.
        let index = ((value * 256.0) as usize).min(255);
        let [r, g, b] = self.table()[index];
        [r, g, b, 255]
    }

    /// Paints `values` (row-major, rows of `cols`) into `rgba`, four bytes
    /// per value, each at its `shading` position.
    ///
    /// # Panics
    /// If `rgba` is not exactly four times as long as `values`.
    pub fn paint(self, shading: Shading, values: &[f32], cols: usize, rgba: &mut [u8]) {
        assert_eq!(rgba.len(), values.len() * 4, "pixel buffer has the wrong size");
        let cols = cols.max(1);
        for (row, pixels) in values.chunks(cols).zip(rgba.chunks_mut(cols * 4)) {
            let row_max = if shading == Shading::PerRow {
                crate::stats::max_skipping_nan(row, 0.0)
            } else {
                1.0
            };
            for (pixel, &v) in pixels.chunks_exact_mut(4).zip(row) {
                pixel.copy_from_slice(&self.rgba(shading.position(v, row_max)));
            }
        }
    }

    /// A vertical colour bar `height` pixels tall and one pixel wide, 1.0 at
    /// the top and 0.0 at the bottom; each pixel shows the value at its centre.
    pub fn paint_bar(self, height: usize, rgba: &mut Vec<u8>) {
        rgba.clear();
        for row in 0..height {
            let value = 1.0 - (row as f32 + 0.5) / height as f32;
            rgba.extend_from_slice(&self.rgba(value));
        }
    }
}

/// matplotlib's `viridis` listed colours, rounded to bytes
/// (`np.rint(cm.colors * 255)`); checked against matplotlib by the
/// reference-fixture test.
#[rustfmt::skip]
pub(crate) const VIRIDIS: [[u8; 3]; 256] = [
    [68, 1, 84], [68, 2, 86], [69, 4, 87], [69, 5, 89],
    [70, 7, 90], [70, 8, 92], [70, 10, 93], [70, 11, 94],
    [71, 13, 96], [71, 14, 97], [71, 16, 99], [71, 17, 100],
    [71, 19, 101], [72, 20, 103], [72, 22, 104], [72, 23, 105],
    [72, 24, 106], [72, 26, 108], [72, 27, 109], [72, 28, 110],
    [72, 29, 111], [72, 31, 112], [72, 32, 113], [72, 33, 115],
    [72, 35, 116], [72, 36, 117], [72, 37, 118], [72, 38, 119],
    [72, 40, 120], [72, 41, 121], [71, 42, 122], [71, 44, 122],
    [71, 45, 123], [71, 46, 124], [71, 47, 125], [70, 48, 126],
    [70, 50, 126], [70, 51, 127], [70, 52, 128], [69, 53, 129],
    [69, 55, 129], [69, 56, 130], [68, 57, 131], [68, 58, 131],
    [68, 59, 132], [67, 61, 132], [67, 62, 133], [66, 63, 133],
    [66, 64, 134], [66, 65, 134], [65, 66, 135], [65, 68, 135],
    [64, 69, 136], [64, 70, 136], [63, 71, 136], [63, 72, 137],
    [62, 73, 137], [62, 74, 137], [62, 76, 138], [61, 77, 138],
    [61, 78, 138], [60, 79, 138], [60, 80, 139], [59, 81, 139],
    [59, 82, 139], [58, 83, 139], [58, 84, 140], [57, 85, 140],
    [57, 86, 140], [56, 88, 140], [56, 89, 140], [55, 90, 140],
    [55, 91, 141], [54, 92, 141], [54, 93, 141], [53, 94, 141],
    [53, 95, 141], [52, 96, 141], [52, 97, 141], [51, 98, 141],
    [51, 99, 141], [50, 100, 142], [50, 101, 142], [49, 102, 142],
    [49, 103, 142], [49, 104, 142], [48, 105, 142], [48, 106, 142],
    [47, 107, 142], [47, 108, 142], [46, 109, 142], [46, 110, 142],
    [46, 111, 142], [45, 112, 142], [45, 113, 142], [44, 113, 142],
    [44, 114, 142], [44, 115, 142], [43, 116, 142], [43, 117, 142],
    [42, 118, 142], [42, 119, 142], [42, 120, 142], [41, 121, 142],
    [41, 122, 142], [41, 123, 142], [40, 124, 142], [40, 125, 142],
    [39, 126, 142], [39, 127, 142], [39, 128, 142], [38, 129, 142],
    [38, 130, 142], [38, 130, 142], [37, 131, 142], [37, 132, 142],
    [37, 133, 142], [36, 134, 142], [36, 135, 142], [35, 136, 142],
    [35, 137, 142], [35, 138, 141], [34, 139, 141], [34, 140, 141],
    [34, 141, 141], [33, 142, 141], [33, 143, 141], [33, 144, 141],
    [33, 145, 140], [32, 146, 140], [32, 146, 140], [32, 147, 140],
    [31, 148, 140], [31, 149, 139], [31, 150, 139], [31, 151, 139],
    [31, 152, 139], [31, 153, 138], [31, 154, 138], [30, 155, 138],
    [30, 156, 137], [30, 157, 137], [31, 158, 137], [31, 159, 136],
    [31, 160, 136], [31, 161, 136], [31, 161, 135], [31, 162, 135],
    [32, 163, 134], [32, 164, 134], [33, 165, 133], [33, 166, 133],
    [34, 167, 133], [34, 168, 132], [35, 169, 131], [36, 170, 131],
    [37, 171, 130], [37, 172, 130], [38, 173, 129], [39, 173, 129],
    [40, 174, 128], [41, 175, 127], [42, 176, 127], [44, 177, 126],
    [45, 178, 125], [46, 179, 124], [47, 180, 124], [49, 181, 123],
    [50, 182, 122], [52, 182, 121], [53, 183, 121], [55, 184, 120],
    [56, 185, 119], [58, 186, 118], [59, 187, 117], [61, 188, 116],
    [63, 188, 115], [64, 189, 114], [66, 190, 113], [68, 191, 112],
    [70, 192, 111], [72, 193, 110], [74, 193, 109], [76, 194, 108],
    [78, 195, 107], [80, 196, 106], [82, 197, 105], [84, 197, 104],
    [86, 198, 103], [88, 199, 101], [90, 200, 100], [92, 200, 99],
    [94, 201, 98], [96, 202, 96], [99, 203, 95], [101, 203, 94],
    [103, 204, 92], [105, 205, 91], [108, 205, 90], [110, 206, 88],
    [112, 207, 87], [115, 208, 86], [117, 208, 84], [119, 209, 83],
    [122, 209, 81], [124, 210, 80], [127, 211, 78], [129, 211, 77],
    [132, 212, 75], [134, 213, 73], [137, 213, 72], [139, 214, 70],
    [142, 214, 69], [144, 215, 67], [147, 215, 65], [149, 216, 64],
    [152, 216, 62], [155, 217, 60], [157, 217, 59], [160, 218, 57],
    [162, 218, 55], [165, 219, 54], [168, 219, 52], [170, 220, 50],
    [173, 220, 48], [176, 221, 47], [178, 221, 45], [181, 222, 43],
    [184, 222, 41], [186, 222, 40], [189, 223, 38], [192, 223, 37],
    [194, 223, 35], [197, 224, 33], [200, 224, 32], [202, 225, 31],
    [205, 225, 29], [208, 225, 28], [210, 226, 27], [213, 226, 26],
    [216, 226, 25], [218, 227, 25], [221, 227, 24], [223, 227, 24],
    [226, 228, 24], [229, 228, 25], [231, 228, 25], [234, 229, 26],
    [236, 229, 27], [239, 229, 28], [241, 229, 29], [244, 230, 30],
    [246, 230, 32], [248, 230, 33], [251, 231, 35], [253, 231, 37],
];

/// matplotlib's `cividis` listed colours, rounded to bytes; checked against
/// matplotlib by the reference-fixture test.
#[rustfmt::skip]
pub(crate) const CIVIDIS: [[u8; 3]; 256] = [
    [0, 34, 78], [0, 35, 79], [0, 36, 81], [0, 37, 83],
    [0, 37, 84], [0, 38, 86], [0, 39, 88], [0, 40, 89],
    [0, 40, 91], [0, 41, 93], [0, 42, 95], [0, 42, 97],
    [0, 43, 98], [0, 44, 100], [0, 44, 102], [0, 45, 104],
    [0, 46, 106], [0, 46, 108], [0, 47, 109], [0, 48, 111],
    [0, 48, 112], [0, 49, 112], [0, 49, 113], [1, 50, 113],
    [5, 51, 113], [8, 51, 112], [12, 52, 112], [15, 53, 112],
    [18, 53, 112], [20, 54, 112], [22, 55, 112], [24, 55, 111],
    [26, 56, 111], [28, 57, 111], [30, 58, 111], [32, 58, 111],
    [33, 59, 110], [35, 60, 110], [36, 60, 110], [38, 61, 110],
    [39, 62, 110], [41, 63, 110], [42, 63, 109], [43, 64, 109],
    [45, 65, 109], [46, 65, 109], [47, 66, 109], [49, 67, 109],
    [50, 67, 109], [51, 68, 109], [52, 69, 108], [53, 69, 108],
    [54, 70, 108], [56, 71, 108], [57, 72, 108], [58, 72, 108],
    [59, 73, 108], [60, 74, 108], [61, 74, 108], [62, 75, 108],
    [63, 76, 108], [64, 76, 108], [65, 77, 108], [66, 78, 108],
    [67, 78, 108], [68, 79, 108], [69, 80, 108], [70, 81, 108],
    [71, 81, 108], [72, 82, 108], [73, 83, 108], [74, 83, 108],
    [75, 84, 108], [76, 85, 108], [77, 85, 108], [78, 86, 108],
    [79, 87, 108], [80, 87, 108], [81, 88, 109], [82, 89, 109],
    [83, 90, 109], [84, 90, 109], [85, 91, 109], [85, 92, 109],
    [86, 92, 109], [87, 93, 109], [88, 94, 109], [89, 94, 110],
    [90, 95, 110], [91, 96, 110], [92, 97, 110], [93, 97, 110],
    [94, 98, 110], [94, 99, 111], [95, 99, 111], [96, 100, 111],
    [97, 101, 111], [98, 101, 111], [99, 102, 112], [100, 103, 112],
    [101, 104, 112], [101, 104, 112], [102, 105, 112], [103, 106, 113],
    [104, 106, 113], [105, 107, 113], [106, 108, 113], [107, 109, 114],
    [108, 109, 114], [108, 110, 114], [109, 111, 114], [110, 111, 115],
    [111, 112, 115], [112, 113, 115], [113, 114, 116], [114, 114, 116],
    [114, 115, 116], [115, 116, 117], [116, 116, 117], [117, 117, 117],
    [118, 118, 118], [119, 119, 118], [119, 119, 119], [120, 120, 119],
    [121, 121, 119], [122, 122, 120], [123, 122, 120], [124, 123, 120],
    [125, 124, 120], [126, 124, 120], [126, 125, 120], [127, 126, 120],
    [128, 127, 120], [129, 127, 120], [130, 128, 121], [131, 129, 121],
    [132, 130, 121], [133, 130, 121], [134, 131, 121], [135, 132, 120],
    [136, 133, 120], [137, 133, 120], [138, 134, 120], [139, 135, 120],
    [140, 136, 120], [141, 136, 120], [142, 137, 120], [143, 138, 120],
    [144, 139, 120], [145, 139, 120], [146, 140, 120], [146, 141, 120],
    [147, 142, 120], [148, 142, 119], [149, 143, 119], [150, 144, 119],
    [151, 145, 119], [152, 146, 119], [153, 146, 119], [154, 147, 118],
    [155, 148, 118], [156, 149, 118], [157, 149, 118], [158, 150, 118],
    [159, 151, 117], [160, 152, 117], [161, 153, 117], [162, 153, 117],
    [163, 154, 116], [164, 155, 116], [165, 156, 116], [166, 156, 116],
    [167, 157, 115], [168, 158, 115], [169, 159, 115], [170, 160, 115],
    [171, 160, 114], [172, 161, 114], [173, 162, 114], [174, 163, 113],
    [175, 164, 113], [176, 165, 113], [177, 165, 112], [179, 166, 112],
    [180, 167, 111], [181, 168, 111], [182, 169, 111], [183, 169, 110],
    [184, 170, 110], [185, 171, 109], [186, 172, 109], [187, 173, 109],
    [188, 174, 108], [189, 174, 108], [190, 175, 107], [191, 176, 107],
    [192, 177, 106], [193, 178, 106], [194, 179, 105], [195, 179, 105],
    [196, 180, 104], [197, 181, 104], [198, 182, 103], [199, 183, 103],
    [200, 184, 102], [201, 185, 101], [203, 185, 101], [204, 186, 100],
    [205, 187, 99], [206, 188, 99], [207, 189, 98], [208, 190, 98],
    [209, 191, 97], [210, 192, 96], [211, 192, 95], [212, 193, 95],
    [213, 194, 94], [214, 195, 93], [215, 196, 92], [217, 197, 92],
    [218, 198, 91], [219, 199, 90], [220, 200, 89], [221, 200, 88],
    [222, 201, 88], [223, 202, 87], [224, 203, 86], [225, 204, 85],
    [226, 205, 84], [228, 206, 83], [229, 207, 82], [230, 208, 81],
    [231, 209, 80], [232, 210, 79], [233, 211, 78], [234, 211, 76],
    [235, 212, 75], [237, 213, 74], [238, 214, 73], [239, 215, 72],
    [240, 216, 70], [241, 217, 69], [242, 218, 68], [243, 219, 66],
    [245, 220, 65], [246, 221, 63], [247, 222, 62], [248, 223, 60],
    [249, 224, 58], [251, 225, 56], [252, 226, 54], [253, 227, 52],
    [254, 228, 52], [254, 229, 53], [254, 230, 54], [254, 232, 56],
];

/// Entry `i` is grey level `i`.
pub(crate) const GREY: [[u8; 3]; 256] = {
    let mut table = [[0u8; 3]; 256];
    let mut i = 0;
    while i < 256 {
        table[i] = [i as u8, i as u8, i as u8];
        i += 1;
    }
    table
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nan_swatch_is_the_flag_under_the_hatch_and_opaque() {
        let mut px = Vec::new();
        let side = paint_nan_swatch(2, &mut px);
        assert_eq!(side, 8);
        assert_eq!(px.len(), 8 * 8 * 4);
        for (i, pixel) in px.chunks_exact(4).enumerate() {
            let (x, y) = (i % 8, i / 8);
            let stripe = (x + y) % HATCH_SCALE == HATCH_SCALE - 1;
            assert_eq!(pixel, if stripe { HATCH_RGBA } else { NAN_RGBA }, "pixel ({x}, {y})");
        }
    }

    #[test]
    fn ends_and_clipping_follow_matplotlib() {
        let map = Colormap::Viridis;
        assert_eq!(map.rgba(0.0), [68, 1, 84, 255]);
        assert_eq!(map.rgba(1.0), [253, 231, 37, 255]);
        assert_eq!(map.rgba(-3.0), map.rgba(0.0));
        assert_eq!(map.rgba(7.0), map.rgba(1.0));
        // floor(0.5 * 256) = 128
        let [r, g, b] = VIRIDIS[128];
        assert_eq!(map.rgba(0.5), [r, g, b, 255]);
        assert_eq!(map.rgba(f32::NAN), NAN_RGBA);
    }

    #[test]
    fn every_map_keeps_nan_apart_and_runs_dark_to_light() {
        for &map in Colormap::ALL {
            let [r0, g0, b0, _] = map.rgba(0.0);
            let [r1, g1, b1, _] = map.rgba(1.0);
            let luma = |r: u8, g: u8, b: u8| 0.2126 * f64::from(r) + 0.7152 * f64::from(g) + 0.0722 * f64::from(b);
            assert!(luma(r1, g1, b1) > luma(r0, g0, b0) + 150.0, "{map}");
            // No entry comes near the NaN flag colour (magenta).
            let near_flag = map.table().iter().any(|&[r, g, b]| r > 200 && g < 60 && b > 200);
            assert!(!near_flag, "{map}");
        }
        assert_eq!(Colormap::Grey.rgba(0.5), [128, 128, 128, 255]);
    }

    #[test]
    fn bar_runs_from_one_at_the_top_to_zero_at_the_bottom() {
        let mut bar = Vec::new();
        Colormap::Viridis.paint_bar(256, &mut bar);
        assert_eq!(bar.len(), 256 * 4);
        assert_eq!(&bar[..4], &[253, 231, 37, 255]);
        assert_eq!(&bar[bar.len() - 4..], &[68, 1, 84, 255]);
    }

    #[test]
    fn hatch_marks_only_nan_cells() {
        let mut px = Vec::new();
        paint_nan_hatch(&[0.5, f32::NAN], 2, &mut px, |_| false);
        let k = HATCH_SCALE;
        assert_eq!(px.len(), 2 * k * k * 4);
        let pixel = |x: usize, y: usize| &px[(y * 2 * k + x) * 4..(y * 2 * k + x) * 4 + 4];
        assert!(
            (0..k).all(|y| (0..k).all(|x| pixel(x, y)[3] == 0)),
            "the finite cell stays clear"
        );
        let striped = (0..k)
            .flat_map(|y| (k..2 * k).map(move |x| (x, y)))
            .filter(|&(x, y)| pixel(x, y) == HATCH_RGBA);
        assert_eq!(striped.count(), k);
    }

    #[test]
    fn hatch_overlays_stay_small_for_large_matrices() {
        assert_eq!(
            [4, 64, 256, 257, 512, 1024, 4096].map(hatch_scale),
            [4, 4, 4, 3, 2, 1, 1]
        );
        let t = 1024;
        let mut values = vec![0.1f32; t * t];
        values[..2 * t].fill(f32::NAN); // the first two rows broke
        let mut px = Vec::new();
        paint_nan_hatch(&values, t, &mut px, |_| false);
        assert_eq!(px.len(), t * t * 4, "one pixel per cell");
        let opaque = |x: usize, y: usize| px[(y * t + x) * 4 + 3] == 255;
        // Every fourth anti-diagonal, across cell boundaries; nothing below.
        assert!((0..t).all(|x| opaque(x, 0) == (x % 4 == 3) && opaque(x, 1) == (x % 4 == 2)));
        assert!((0..t).all(|x| !opaque(x, 2)));
    }

    #[test]
    fn bars_are_proportional_and_nan_rows_flagged() {
        let mut px = Vec::new();
        let bar = [143, 180, 255, 255];
        paint_row_bars(&[0.5, 1.0, 0.0, f32::NAN], 1.0, 4, bar, &mut px);
        let filled = |row: usize| (0..4).filter(|x| px[(row * 4 + x) * 4 + 3] == 255).count();
        assert_eq!([filled(0), filled(1), filled(2), filled(3)], [2, 4, 0, 4]);
        assert_eq!(&px[..4], &bar);
        assert_eq!(&px[(3 * 4) * 4..(3 * 4) * 4 + 4], &NAN_RGBA);
    }

    #[test]
    fn paint_writes_four_bytes_per_value() {
        let mut px = vec![0u8; 8];
        Colormap::Viridis.paint(Shading::Linear, &[0.0, 1.0], 2, &mut px);
        assert_eq!(px, vec![68, 1, 84, 255, 253, 231, 37, 255]);
    }

    #[test]
    fn per_row_shading_puts_each_row_maximum_at_the_top() {
        // Rows (0.1, 0.2) and (0.5, 0.25): positions 0.5, 1 and 1, 0.5.
        let mut px = vec![0u8; 16];
        Colormap::Grey.paint(Shading::PerRow, &[0.1, 0.2, 0.5, 0.25], 2, &mut px);
        let grey = |i: usize| px[i * 4];
        assert_eq!(
            [grey(0), grey(1), grey(2), grey(3)],
            [GREY[128][0], 255, 255, GREY[128][0]]
        );
        assert!(Shading::PerRow.position(f32::NAN, 0.5).is_nan());
    }

    #[test]
    fn log_shading_spans_four_decades() {
        // log10(1e-2) = -2: halfway; 1e-4 and below (and 0) at the bottom.
        for (value, want) in [
            (1.0, 1.0),
            (0.1, 0.75),
            (0.01, 0.5),
            (1e-3, 0.25),
            (1e-4, 0.0),
            (1e-9, 0.0),
            (0.0, 0.0),
        ] {
            let got = Shading::Log.position(value, 1.0);
            assert!((got - want).abs() < 1e-6, "{value}: {got}");
        }
        assert!(Shading::Log.position(f32::NAN, 1.0).is_nan());
        assert_eq!(Shading::Linear.position(0.3, 0.5), 0.3);
    }
}
