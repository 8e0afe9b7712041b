//! Attention masks: which keys each query may not see, and what a row that
//! may see none becomes.
//!
//! A masked logit is replaced before the softmax (PyTorch's
//! `scores.masked_fill(~mask, value)`, d2l's `masked_softmax`), so its
//! weight is exactly 0 and a row's weights sum to 1 over the keys it sees.
//! The keys a row sees are always one run of columns: the first `pad` keys
//! are padding (left padding, as batched generation pads its prompts), and
//! a causal mask hides every key after the query. So with a causal mask
//! and `pad` padded keys, the first `pad` queries see no key at all; that
//! row's result is a convention, and frameworks differ:
//!
//! | fill | an all-masked row | who |
//! | --- | --- | --- |
//! | `−∞` | NaN (`−∞ − (−∞)`, or `0/0`) | `masked_fill(-inf)` then `softmax`; PyTorch before 2.5 |
//! | PyTorch SDPA | 0 (`_safe_softmax`) | `F.scaled_dot_product_attention` since 2.5 (PR #133882), ONNX `Attention` |
//! | the format's lowest value | uniform, `1/T` | `masked_fill(torch.finfo(dtype).min)` as Hugging Face does; d2l's `−10⁶` |
//!
//! The same three agree on every row that sees at least one key.

use std::ops::Range;

use crate::precision::Precision;

/// Which keys are hidden.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum MaskKind {
    /// None beyond the padding (with `pad = 0`, none at all).
    #[default]
    None,
    /// Each query sees itself and the keys before it (`is_causal=True`).
    Causal,
    /// The padded keys only.
    Padding,
}

named_enum!(MaskKind, "mask", None => "none", Causal => "causal", Padding => "padding");

/// What fills a masked logit, and so what a row with no key to see becomes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum MaskFill {
    /// PyTorch's `scaled_dot_product_attention` (2.5 and later): `−∞`, and
    /// a row with every key masked is all zeros.
    #[default]
    Sdpa,
    /// `−∞`: such a row is NaN.
    NegInf,
    /// The format's lowest finite value (`torch.finfo(dtype).min`): such a
    /// row is uniform over all T keys, masked as they are.
    Lowest,
}

named_enum!(MaskFill, "mask fill", Sdpa => "sdpa", NegInf => "inf", Lowest => "min");

/// The mask of a run: its kind, the padded keys, and the fill.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Mask {
    /// Which keys are hidden.
    pub kind: MaskKind,
    /// How many keys, from the first, are padding (ignored without a mask).
    pub pad: usize,
    /// What a masked logit becomes.
    pub fill: MaskFill,
}

impl Default for Mask {
    fn default() -> Self {
        Mask::NONE
    }
}

impl Mask {
    /// Every key seen by every query.
    pub const NONE: Mask = Mask {
        kind: MaskKind::None,
        pad: 0,
        fill: MaskFill::Sdpa,
    };

    /// Whether any cell of a `t × t` matrix is masked.
    pub fn hides_any(self, t: usize) -> bool {
        match self.kind {
            MaskKind::None => false,
            MaskKind::Causal => t > 1 || self.pad > 0,
            MaskKind::Padding => self.pad > 0,
        }
    }

    /// The keys row `row` of a `t × t` matrix sees: always one run of
    /// columns, empty when the row sees none.
    pub fn keys(self, row: usize, t: usize) -> Range<usize> {
        let (start, end) = match self.kind {
            MaskKind::None => (0, t),
            MaskKind::Causal => (self.pad, (row + 1).min(t)),
            MaskKind::Padding => (self.pad, t),
        };
        start.min(end)..end
    }

    /// Whether cell `(row, key)` of a `t × t` matrix is masked.
    pub fn hides(self, row: usize, key: usize, t: usize) -> bool {
        !self.keys(row, t).contains(&key)
    }

    /// How many rows of a `t × t` matrix see no key.
    pub fn empty_rows(self, t: usize) -> usize {
        (0..t).filter(|&i| self.keys(i, t).is_empty()).count()
    }

    /// How many cells of a `t × t` matrix are seen.
    pub fn visible_cells(self, t: usize) -> usize {
        (0..t).map(|i| self.keys(i, t).len()).sum()
    }

    /// The value a masked logit is replaced by, in `precision`.
    pub fn fill_value(self, precision: Precision) -> f32 {
        match self.fill {
            MaskFill::Sdpa | MaskFill::NegInf => f32::NEG_INFINITY,
            MaskFill::Lowest => match precision {
                Precision::F32 => f32::MIN,
                // bfloat16's largest finite value, 0x7F7F.
                Precision::Bf16 => -f32::from_bits(0x7F7F_0000),
                Precision::F16 => -65504.0,
            },
        }
    }

    /// Replaces the masked cells of `logits`, whole rows of a `t × t`
    /// matrix from row `first` on, by the fill value.
    pub fn apply(self, logits: &mut [f32], first: usize, t: usize, precision: Precision) {
        let fill = self.fill_value(precision);
        for (i, row) in logits.chunks_exact_mut(t.max(1)).enumerate() {
            let keys = self.keys(first + i, t);
            row[..keys.start].fill(fill);
            row[keys.end..].fill(fill);
        }
    }

    /// What PyTorch's SDPA does after its softmax: a row that sees no key
    /// becomes zeros (the other fills leave the softmax's result). `probs`
    /// holds whole rows from row `first` on.
    pub fn settle_empty_rows(self, probs: &mut [f32], first: usize, t: usize) {
        if self.fill != MaskFill::Sdpa || self.kind == MaskKind::None {
            return;
        }
        for (i, row) in probs.chunks_exact_mut(t.max(1)).enumerate() {
            if self.keys(first + i, t).is_empty() {
                row.fill(0.0);
            }
        }
    }

    /// Makes the masked cells of a painted `t × t` heatmap (RGBA, one pixel
    /// per cell) transparent where their weight is exactly 0, so the page
    /// draws them as masked rather than as weight 0. A masked cell with a
    /// weight (uniform, from the lowest-value fill) or NaN keeps its paint:
    /// it is what the row really holds.
    pub fn clear_hidden(self, probs: &[f32], t: usize, rgba: &mut [u8]) {
        if !self.hides_any(t) {
            return;
        }
        let rows = probs.chunks_exact(t).zip(rgba.chunks_exact_mut(4 * t));
        for (i, (row, pixels)) in rows.enumerate() {
            let seen = self.keys(i, t);
            for (j, (&p, pixel)) in row.iter().zip(pixels.chunks_exact_mut(4)).enumerate() {
                if p == 0.0 && !seen.contains(&j) {
                    pixel.fill(0);
                }
            }
        }
    }

    /// Whether `pad` fits a `t × t` matrix.
    pub fn is_valid(self, t: usize) -> bool {
        self.pad <= t
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn causal_rows_see_themselves_and_the_keys_before_them() {
        let causal = Mask {
            kind: MaskKind::Causal,
            ..Mask::NONE
        };
        assert_eq!(causal.keys(0, 4), 0..1);
        assert_eq!(causal.keys(3, 4), 0..4);
        assert!(causal.hides(1, 2, 4) && !causal.hides(2, 1, 4));
        assert_eq!(causal.visible_cells(4), 10); // T(T+1)/2
        assert_eq!(causal.empty_rows(4), 0);
    }

    #[test]
    fn padded_keys_are_the_first_ones_and_causal_padding_empties_rows() {
        let padding = Mask {
            kind: MaskKind::Padding,
            pad: 2,
            ..Mask::NONE
        };
        assert_eq!(padding.keys(0, 5), 2..5);
        assert_eq!(padding.empty_rows(5), 0);
        assert_eq!(Mask { pad: 5, ..padding }.empty_rows(5), 5);
        let both = Mask {
            kind: MaskKind::Causal,
            ..padding
        };
        // Queries 0 and 1 see only padding, so nothing.
        assert!(both.keys(0, 5).is_empty() && both.keys(1, 5).is_empty());
        assert_eq!(both.keys(2, 5), 2..3);
        assert_eq!(both.empty_rows(5), 2);
        assert_eq!(both.visible_cells(5), 1 + 2 + 3);
        assert!(!Mask::NONE.hides_any(5) && Mask { pad: 3, ..Mask::NONE }.keys(0, 5) == (0..5));
    }

    #[test]
    fn masked_cells_of_weight_zero_are_cleared_and_others_kept() {
        let both = Mask {
            kind: MaskKind::Causal,
            pad: 1,
            fill: MaskFill::Lowest,
        };
        // Row 0 sees nothing (uniform under this fill); row 1 sees key 1.
        let probs = [0.5, 0.5, 0.0, 1.0];
        let mut rgba = vec![9u8; 16];
        both.clear_hidden(&probs, 2, &mut rgba);
        let alpha: Vec<u8> = rgba.chunks(4).map(|p| p[3]).collect();
        assert_eq!(alpha, vec![9, 9, 0, 9]);
    }

    #[test]
    fn fills_are_the_frameworks_values() {
        let lowest = Mask {
            fill: MaskFill::Lowest,
            ..Mask::NONE
        };
        assert_eq!(lowest.fill_value(Precision::F32), -3.402_823_5e38);
        assert_eq!(lowest.fill_value(Precision::Bf16), -3.389_531_4e38);
        assert_eq!(lowest.fill_value(Precision::F16), -65504.0);
        assert_eq!(Mask::NONE.fill_value(Precision::F16), f32::NEG_INFINITY);
        let mut logits = vec![1.0; 9];
        let causal = Mask {
            kind: MaskKind::Causal,
            fill: MaskFill::NegInf,
            pad: 0,
        };
        causal.apply(&mut logits, 0, 3, Precision::F32);
        let ninf = f32::NEG_INFINITY;
        assert_eq!(logits, vec![1.0, ninf, ninf, 1.0, 1.0, ninf, 1.0, 1.0, 1.0]);
    }
}
