//! Colour maps that turn probabilities in `[0, 1]` into RGBA pixels.
//!
//! Heatmap cells and the colour bar are painted by the same function from the
//! same table, so the legend cannot disagree with the picture. Values map to
//! table entries exactly as matplotlib's `Colormap.__call__` does for floats:
//! `index = floor(v * 256)`, with `v = 1.0` landing on the last entry and
//! values outside `[0, 1]` clipped to the ends.

/// A perceptually uniform colour map.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Colormap {
    /// matplotlib's viridis: dark purple (0) through teal to yellow (1).
    #[default]
    Viridis,
}

/// The colour of a cell whose value is NaN: opaque magenta, outside every
/// map here, so a broken cell is never mistaken for a probability. The
/// hatch overlay ([`paint_nan_hatch`]) adds white stripes on top, so the flag
/// does not rely on colour alone.
pub const NAN_RGBA: [u8; 4] = [255, 0, 255, 255];

/// The stripes of the NaN hatch.
pub const HATCH_RGBA: [u8; 4] = [255, 255, 255, 255];

/// The colour of the per-row gradient bars.
pub const BAR_RGBA: [u8; 4] = [44, 95, 179, 255];

/// Pixels per cell side in the hatch overlay: stripes need a few pixels.
pub const HATCH_SCALE: usize = 4;

/// Paints a transparent overlay of `cols`-wide `values` at [`HATCH_SCALE`]
/// pixels per cell, with diagonal white stripes over each NaN cell.
pub fn paint_nan_hatch(values: &[f32], cols: usize, rgba: &mut Vec<u8>) {
    let k = HATCH_SCALE;
    let rows = values.len().checked_div(cols).unwrap_or(0);
    let width = cols * k;
    rgba.clear();
    rgba.resize(width * rows * k * 4, 0);
    for (cell, value) in values.iter().enumerate() {
        if !value.is_nan() {
            continue;
        }
        let (row, col) = (cell / cols, cell % cols);
        for dy in 0..k {
            for dx in 0..k {
                // One stripe per cell along the anti-diagonal, continuous
                // across neighbouring NaN cells.
                if (dx + dy) % k == k - 1 {
                    let at = ((row * k + dy) * width + col * k + dx) * 4;
                    rgba[at..at + 4].copy_from_slice(&HATCH_RGBA);
                }
            }
        }
    }
}

/// Paints one horizontal bar per value, `width` pixels wide at full length
/// (`value == max`): a row of `round(width · value / max)` bar pixels, the
/// rest transparent. NaN rows are painted as a full-width NaN flag.
pub fn paint_row_bars(values: &[f32], max: f32, width: usize, rgba: &mut Vec<u8>) {
    rgba.clear();
    rgba.resize(values.len() * width * 4, 0);
    for (row, &value) in values.iter().enumerate() {
        let (length, colour) = if value.is_nan() {
            (width, NAN_RGBA)
        } else {
            let fraction = if max > 0.0 { (value / max).clamp(0.0, 1.0) } else { 0.0 };
            ((fraction * width as f32).round() as usize, BAR_RGBA)
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

    /// Paints `values` (row-major) into `rgba`, four bytes per value.
    ///
    /// # Panics
    /// If `rgba` is not exactly four times as long as `values`.
    pub fn paint(self, values: &[f32], rgba: &mut [u8]) {
        assert_eq!(rgba.len(), values.len() * 4, "pixel buffer has the wrong size");
        for (pixel, &v) in rgba.chunks_exact_mut(4).zip(values) {
            pixel.copy_from_slice(&self.rgba(v));
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

#[cfg(test)]
mod tests {
    use super::*;

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
        paint_nan_hatch(&[0.5, f32::NAN], 2, &mut px);
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
    fn bars_are_proportional_and_nan_rows_flagged() {
        let mut px = Vec::new();
        paint_row_bars(&[0.5, 1.0, 0.0, f32::NAN], 1.0, 4, &mut px);
        let filled = |row: usize| (0..4).filter(|x| px[(row * 4 + x) * 4 + 3] == 255).count();
        assert_eq!([filled(0), filled(1), filled(2), filled(3)], [2, 4, 0, 4]);
        assert_eq!(&px[(3 * 4) * 4..(3 * 4) * 4 + 4], &NAN_RGBA);
    }

    #[test]
    fn paint_writes_four_bytes_per_value() {
        let mut px = vec![0u8; 8];
        Colormap::Viridis.paint(&[0.0, 1.0], &mut px);
        assert_eq!(px, vec![68, 1, 84, 255, 253, 231, 37, 255]);
    }
}
