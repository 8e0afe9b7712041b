//! The float32 score kernel: `out = a · bᵀ` as a register-blocked matrix
//! product over packed keys.
//!
//! Each pass computes an `MR × NR` tile of dot products in `MR · NR / 4`
//! SIMD accumulators: for every component `k` it loads `NR` keys' `k`-th
//! components (contiguous, because the keys are packed as `bᵀ` in panels of
//! `NR`), broadcasts each of the `MR` rows' `k`-th component, and adds the
//! `MR · NR` products, so every value loaded is used `MR` or `NR / 4` times.
//!
//! The order of the sums is fixed, so the kernel has a scalar twin, [`dot`]:
//! the components are taken in blocks of [`KC`]; within a block the products
//! are added one by one to a running sum that starts at zero, and each
//! block's sum is added to the total in block order. The blocks keep the
//! running sums short (a rounding error that grows with `KC + d / KC`, not
//! `d`) and the keys a block touches in cache.

use std::ops::Range;

use crate::simd::F32x4;

/// Keys per packed panel: two `F32x4` accumulators per row of a tile.
pub const NR: usize = 8;
/// Rows of `a` per pass: `MR × 2` accumulators, which with the two key
/// vectors and a broadcast fit the 16 SIMD registers of x86-64.
pub const MR: usize = 4;
/// Components per block of the running sum.
pub const KC: usize = 256;

/// The dot product of two equally long vectors in the kernel's order.
///
/// # Panics
/// If the lengths differ.
pub fn dot(a: &[f32], b: &[f32]) -> f32 {
    assert_eq!(a.len(), b.len(), "dot product of vectors of different length");
    let mut total = 0.0f32;
    for (block_a, block_b) in a.chunks(KC).zip(b.chunks(KC)) {
        let mut sum = 0.0f32;
        for (x, y) in block_a.iter().zip(block_b) {
            sum += x * y;
        }
        total += sum;
    }
    total
}

/// The rows of a matrix `b` (T × d, row-major) as the kernel reads them:
/// `bᵀ` in panels of [`NR`] rows of `b`, panel `p` holding, for each `k`,
/// the `k`-th components of rows `p·NR .. p·NR + NR` (zeros past the last).
#[derive(Clone, Debug, Default)]
pub struct PackedKeys {
    data: Vec<f32>,
    keys: usize,
    width: usize,
}

impl PackedKeys {
    /// Packs `keys` rows of `width` values (reusing the buffer).
    ///
    /// # Panics
    /// If `b` does not hold `keys × width` values.
    pub fn pack(&mut self, b: &[f32], keys: usize, width: usize) {
        assert_eq!(b.len(), keys * width, "keys must be whole rows");
        self.keys = keys;
        self.width = width;
        self.data.clear();
        self.data.resize(keys.div_ceil(NR) * NR * width, 0.0);
        for (p, panel) in b.chunks(NR * width.max(1)).enumerate() {
            let packed = &mut self.data[p * NR * width..(p + 1) * NR * width];
            for (c, row) in panel.chunks_exact(width.max(1)).enumerate() {
                for (k, &v) in row.iter().enumerate() {
                    packed[k * NR + c] = v;
                }
            }
        }
    }

    /// `b` packed, at once.
    pub fn new(b: &[f32], keys: usize, width: usize) -> Self {
        let mut packed = Self::default();
        packed.pack(b, keys, width);
        packed
    }

    /// How many rows of `b` are packed.
    pub fn keys(&self) -> usize {
        self.keys
    }

    /// The length of each row of `b`.
    pub fn width(&self) -> usize {
        self.width
    }

    /// Components `ks` of panel `p`, `NR` values per component.
    fn panel(&self, p: usize, ks: &Range<usize>) -> &[f32] {
        let start = p * NR * self.width;
        &self.data[start + ks.start * NR..start + ks.end * NR]
    }
}

/// Rows `rows` of the row-major `out = a · bᵀ` (`a` row-major with
/// `keys.width()` columns, `out` with `keys.keys()` columns), each cell in
/// [`dot`]'s order. With `upper`, only the panels from the one holding the
/// diagonal on (every cell `j ≥ i`, and a few just left of it).
///
/// # Panics
/// If `a` or `out` are too short for `rows`, or `a`'s width differs.
pub fn product_rows(a: &[f32], keys: &PackedKeys, out: &mut [f32], rows: Range<usize>, upper: bool) {
    let (width, cols) = (keys.width, keys.keys);
    assert!(a.len() >= rows.end * width, "a has too few rows");
    assert!(out.len() >= rows.end * cols, "out has too few rows");
    // On the stack (4 KB): a slider step allocates nothing.
    let mut packed_a = [0.0f32; MR * KC];
    let mut k0 = 0;
    loop {
        let ks = k0..(k0 + KC).min(width);
        let mut i = rows.start;
        while i < rows.end {
            let band = Band {
                first: i,
                ks: ks.clone(),
                first_block: k0 == 0,
                upper,
            };
            i += match rows.end - i {
                1 => band.compute::<1>(a, keys, out, &mut packed_a),
                2 => band.compute::<2>(a, keys, out, &mut packed_a),
                3 => band.compute::<3>(a, keys, out, &mut packed_a),
                _ => band.compute::<MR>(a, keys, out, &mut packed_a),
            };
        }
        k0 += KC;
        if k0 >= width {
            break;
        }
    }
}

/// The multiply-adds [`product_rows`] performs for rows `rows` of `keys`
/// keys of `width` (padding and the cells just left of the diagonal
/// included): what a benchmark divides by.
pub fn multiply_adds(rows: Range<usize>, keys: usize, width: usize, upper: bool) -> u64 {
    let padded = keys.div_ceil(NR) * NR;
    let mut total = 0u64;
    let mut i = rows.start;
    while i < rows.end {
        let band = (rows.end - i).min(MR);
        let from = if upper { i / NR * NR } else { 0 };
        total += ((padded - from) * band * width) as u64;
        i += band;
    }
    total
}

/// Up to `MR` rows of `a` from `first`, over the components `ks`.
struct Band {
    first: usize,
    ks: Range<usize>,
    first_block: bool,
    upper: bool,
}

impl Band {
    /// Adds this band's block sums to every panel of `out` it covers;
    /// returns `R`, the rows done.
    fn compute<const R: usize>(
        &self,
        a: &[f32],
        keys: &PackedKeys,
        out: &mut [f32],
        packed_a: &mut [f32; MR * KC],
    ) -> usize {
        let (width, cols) = (keys.width, keys.keys);
        // The band's rows interleaved, component by component, so the
        // inner loop reads both operands front to back.
        let packed_a = &mut packed_a[..R * self.ks.len()];
        for (k, lanes) in self.ks.clone().zip(packed_a.chunks_exact_mut(R)) {
            for (r, lane) in lanes.iter_mut().enumerate() {
                *lane = a[(self.first + r) * width + k];
            }
        }
        let from = if self.upper { self.first / NR } else { 0 };
        for p in from..cols.div_ceil(NR) {
            let tile = tile::<R>(packed_a, keys.panel(p, &self.ks));
            let j = p * NR;
            let n = (cols - j).min(NR);
            for (r, sums) in tile.iter().enumerate() {
                let cells = &mut out[(self.first + r) * cols + j..][..n];
                for (cell, &sum) in cells.iter_mut().zip(sums) {
                    *cell = if self.first_block { 0.0 + sum } else { *cell + sum };
                }
            }
        }
        R
    }
}

/// One `R × NR` tile of running sums over interleaved rows `a` (`R` values
/// per component) and one key panel `b` (`NR` values per component).
#[inline(always)]
fn tile<const R: usize>(a: &[f32], b: &[f32]) -> [[f32; NR]; R] {
    let mut acc = [[F32x4::zero(); 2]; R];
    for (ak, bk) in a.chunks_exact(R).zip(b.chunks_exact(NR)) {
        let low = F32x4::load(bk[..4].try_into().expect("4 lanes"));
        let high = F32x4::load(bk[4..].try_into().expect("4 lanes"));
        for r in 0..R {
            let v = F32x4::splat(ak[r]);
            acc[r][0] = acc[r][0].add(v.mul(low));
            acc[r][1] = acc[r][1].add(v.mul(high));
        }
    }
    acc.map(|[low, high]| {
        let (low, high) = (low.to_array(), high.to_array());
        std::array::from_fn(|c| if c < 4 { low[c] } else { high[c - 4] })
    })
}

/// Multiply-adds per step of [`peak`]: two rounds of six four-lane ones.
pub const PEAK_PER_STEP: u64 = 2 * 6 * 4;

/// The ceiling the kernel is measured against: the machine's rate of the
/// kernel's two instructions (`f32x4.mul`, then `f32x4.add` into an
/// accumulator) with nothing to load. Six independent chains of products
/// (`m = m × a`, alternately × 1/a so that nothing grows or underflows) feed
/// six of sums (`acc = acc + m`), enough to keep every multiplier and adder
/// busy rather than wait on one result. Returns a sum of the lanes, so that
/// the loop cannot be left out.
pub fn peak(steps: u32) -> f32 {
    let mut m: [F32x4; 6] = std::array::from_fn(|i| F32x4::splat(1.0 + i as f32 * 1e-3));
    let mut acc = [F32x4::zero(); 6];
    let (a, inverse) = (F32x4::splat(1.000_1), F32x4::splat(1.0 / 1.000_1));
    for _ in 0..steps {
        for factor in [a, inverse] {
            for (m, acc) in m.iter_mut().zip(&mut acc) {
                *m = m.mul(factor);
                *acc = acc.add(*m);
            }
        }
    }
    acc.iter().flat_map(|v| v.to_array()).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Counted by hand: T = 18 keys pad to three panels (24); the bands
    /// start at rows 0, 4, 8, 12, 16 (the last of 2 rows), and with `upper`
    /// each starts at the panel holding its first row: 0, 0, 8, 8, 16.
    #[test]
    fn multiply_adds_count_what_the_kernel_does() {
        let width = 10;
        let upper = (24 * 4 + 24 * 4 + 16 * 4 + 16 * 4 + 8 * 2) * width;
        assert_eq!(multiply_adds(0..18, 18, width, true), upper as u64);
        assert_eq!(multiply_adds(0..18, 18, width, false), (24 * 18 * width) as u64);
        // Rows 5..9: bands of 4 (from row 5, panel 0) and 0 left over.
        assert_eq!(multiply_adds(5..9, 18, width, true), (24 * 4 * width) as u64);
    }

    #[test]
    fn packing_puts_each_key_in_its_panel_column() {
        // Key j's component k is 100 j + k.
        let (keys, width) = (10, 3);
        let b: Vec<f32> = (0..keys * width)
            .map(|n| (100 * (n / width) + n % width) as f32)
            .collect();
        let packed = PackedKeys::new(&b, keys, width);
        assert_eq!(
            packed.panel(1, &(0..width)),
            [
                800.0, 900.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 801.0, 901.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 802.0, 902.0,
                0.0, 0.0, 0.0, 0.0, 0.0, 0.0
            ]
        );
        assert_eq!(packed.panel(0, &(2..3))[..3], [2.0, 102.0, 202.0]);
    }

    /// Products are exact small integers here, so the blocked sum and a
    /// plain one agree; the order shows only in rounding.
    #[test]
    fn dot_sums_every_block() {
        let a: Vec<f32> = (0..600).map(|i| (i % 7) as f32).collect();
        let b: Vec<f32> = (0..600).map(|i| (i % 5) as f32).collect();
        let plain: f32 = a.iter().zip(&b).map(|(x, y)| x * y).sum();
        assert_eq!(dot(&a, &b), plain);
    }

    #[test]
    fn the_peak_loop_neither_grows_nor_vanishes() {
        let sum = peak(100_000);
        // Six chains of four lanes, each adding about 1 per round, 2 rounds a step.
        assert!((sum / (24.0 * 2.0 * 100_000.0) - 1.0).abs() < 0.01, "{sum}");
    }
}
