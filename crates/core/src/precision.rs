//! Number formats of attention: float32, bfloat16 and IEEE half (float16).
//!
//! Low precision is *emulated*: every arithmetic step (a product, a sum, the
//! scaling, the max-subtraction, `exp`, the division) is done in `f32` and its
//! result rounded to the format, to nearest with ties to even (bit for bit
//! what the `half` crate's conversions give, checked in the tests). For
//! products and sums of two half or bfloat16 values the `f32` result is
//! exact or within half an `f32` ulp, so rounding it gives the same value
//! as native hardware would, except in rare double-rounding ties; this
//! is also how NumPy computes on `float16` scalars (and `ml_dtypes` on
//! `bfloat16`), which the reference tests use.
//!
//! What the formats mean here:
//! - `f32`: 8 exponent bits, 24-bit significand; `exp` overflows above 88.72.
//! - `bf16`: f32's 8 exponent bits (same range, same overflow point) but an
//!   8-bit significand: about 2-3 decimal digits.
//! - `f16`: 5 exponent bits, 11-bit significand; largest finite value 65504,
//!   so `exp` overflows above 11.09.
//!
//! The engine is generic over [`Format`], so the `f32` path compiles to plain
//! arithmetic with no rounding calls at all.

/// A number format that values are rounded to after each step.
pub trait Format: Copy + 'static {
    /// Rounds `x` to the nearest value of this format (ties to even); the
    /// result is exactly representable in both this format and `f32`.
    fn round(x: f32) -> f32;

    /// Which format this is: the score kernel picks its SIMD rounding
    /// ([`round_lanes`]) and its blocking by it, at compile time.
    const PRECISION: Precision;
}

/// IEEE single precision: rounding is the identity.
#[derive(Clone, Copy, Debug, Default)]
pub struct F32;

/// bfloat16: float32's range with an 8-bit significand.
#[derive(Clone, Copy, Debug, Default)]
pub struct Bf16;

/// IEEE half precision (binary16).
#[derive(Clone, Copy, Debug, Default)]
pub struct F16;

impl Format for F32 {
    const PRECISION: Precision = Precision::F32;

    #[inline(always)]
    fn round(x: f32) -> f32 {
        x
    }
}

// Both roundings are written without branches (integer adds and masks on
// the bits, and selects), and `round_lanes` below does the same on four
// lanes at once for the score kernel; the `half` crate's conversions branch
// per value and made the low-precision kernel ~70 times slower than f32
// (now ~5 times in bf16, ~14 in f16). The tests check them against `half`
// over a dense sweep of all f32 bit patterns.

impl Format for Bf16 {
    const PRECISION: Precision = Precision::Bf16;

    #[inline(always)]
    fn round(x: f32) -> f32 {
        // Round the low 16 bits away, to nearest, ties to even; a carry
        // into the exponent is the right result (up to ∞ past the largest).
        let bits = x.to_bits();
        // (Only NaN patterns can wrap around, and those are kept as they are.)
        let rounded = f32::from_bits(bits.wrapping_add(0x7FFF + ((bits >> 16) & 1)) & 0xFFFF_0000);
        if x.is_nan() { x } else { rounded }
    }
}

use crate::simd::F32x4;

/// The smallest normal float16, 2⁻¹⁴.
const F16_MIN_NORMAL: f32 = 6.103_515_6e-5;

impl Format for F16 {
    const PRECISION: Precision = Precision::F16;

    #[inline(always)]
    fn round(x: f32) -> f32 {
        let magnitude = x.abs();
        // Normal range: keep 11 significant bits, ties to even; from 65520
        // on the result is 65536, past float16's largest finite value.
        let bits = magnitude.to_bits();
        let normal = f32::from_bits((bits + 0x0FFF + ((bits >> 13) & 1)) & !0x1FFF);
        let normal = if normal >= 65536.0 { f32::INFINITY } else { normal };
        // Subnormal range: multiples of 2⁻²⁴, which is the f32 spacing at
        // 0.5, so adding and removing 0.5 rounds to nearest, ties to even.
        let subnormal = (magnitude + 0.5) - 0.5;
        let rounded = if magnitude < F16_MIN_NORMAL { subnormal } else { normal };
        if x.is_nan() { x } else { rounded.copysign(x) }
    }
}

/// [`Format::round`] of `precision` on four lanes at once, with the same bit
/// operations and selects as the scalar roundings above, so each lane gets
/// the same bits (tested over the same sweep of all f32 patterns).
#[inline(always)]
pub(crate) fn round_lanes(precision: Precision, x: F32x4) -> F32x4 {
    match precision {
        Precision::F32 => x,
        Precision::Bf16 => {
            let carry = x.bits_shr(16).bits_and(1).bits_add(F32x4::splat_bits(0x7FFF));
            x.bits_add(carry).bits_and(0xFFFF_0000).nan_from(x)
        }
        Precision::F16 => {
            let magnitude = x.bits_and(0x7FFF_FFFF);
            let carry = magnitude.bits_shr(13).bits_and(1).bits_add(F32x4::splat_bits(0x0FFF));
            let normal = magnitude.bits_add(carry).bits_and(!0x1FFF);
            let normal = normal.select_lt(F32x4::splat(65536.0), normal, F32x4::splat(f32::INFINITY));
            let half = F32x4::splat(0.5);
            let subnormal = magnitude.add(half).sub(half);
            let rounded = magnitude.select_lt(F32x4::splat(F16_MIN_NORMAL), subnormal, normal);
            rounded.copysign(x).nan_from(x)
        }
    }
}

/// The format chosen at run time; see the module docs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Precision {
    /// float32, the default.
    #[default]
    F32,
    /// bfloat16.
    Bf16,
    /// IEEE half.
    F16,
}

impl Precision {
    /// Rounds `x` to this format.
    pub fn round(self, x: f32) -> f32 {
        match self {
            Precision::F32 => F32::round(x),
            Precision::Bf16 => Bf16::round(x),
            Precision::F16 => F16::round(x),
        }
    }
}

named_enum!(Precision, "precision", F32 => "f32", Bf16 => "bf16", F16 => "f16");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn half_range_and_ties_to_even() {
        assert_eq!(F16::round(65504.0), 65504.0);
        assert_eq!(F16::round(65520.0), f32::INFINITY); // halfway to the next binade rounds up
        assert_eq!(F16::round(1.0 + 1.0 / 2048.0), 1.0); // tie, to even
        assert_eq!(F16::round(1.0 + 3.0 / 2048.0), 1.0 + 2.0 / 1024.0);
        assert_eq!(F16::round(libm::expf(11.0)), 59872.0);
        assert_eq!(F16::round(libm::expf(11.1)), f32::INFINITY);
    }

    #[test]
    fn bfloat16_keeps_the_f32_range_with_few_digits() {
        assert_eq!(Bf16::round(1.0 + 1.0 / 256.0), 1.0); // tie, to even
        assert_eq!(Bf16::round(1.7), 1.703125); // 8 significant bits
        assert_eq!(Bf16::round(1e38), 9.969_21e37); // ml_dtypes.bfloat16(np.float32(1e38))
        assert!(Bf16::round(libm::expf(88.0)).is_finite());
        assert_eq!(Bf16::round(libm::expf(89.0)), f32::INFINITY);
    }

    /// Every 61st f32 bit pattern (70 million, every exponent and sign,
    /// NaN and ∞) and every pattern near the rounding boundaries of both
    /// formats: the same value as the `half` crate's conversions. (Checked
    /// once over all 2³² patterns, too.)
    #[test]
    fn branchless_rounding_equals_the_half_crate() {
        let check = |bits: u32| {
            let x = f32::from_bits(bits);
            let (ours, theirs) = (F16::round(x), half::f16::from_f32(x).to_f32());
            assert!(
                ours.to_bits() == theirs.to_bits() || (ours.is_nan() && theirs.is_nan()),
                "f16 of {x:e}: {ours:e} vs {theirs:e}"
            );
            let (ours, theirs) = (Bf16::round(x), half::bf16::from_f32(x).to_f32());
            assert!(
                ours.to_bits() == theirs.to_bits() || (ours.is_nan() && theirs.is_nan()),
                "bf16 of {x:e}: {ours:e} vs {theirs:e}"
            );
        };
        for bits in (0..=u32::MAX).step_by(61) {
            check(bits);
        }
        // The four-lane versions give the same bits as the scalar ones.
        for start in (0..=u32::MAX - 3).step_by(4 * 61 + 1) {
            let x: [f32; 4] = std::array::from_fn(|l| f32::from_bits(start.wrapping_add(l as u32 * 0x2345_6789)));
            for (precision, scalar) in [
                (Precision::Bf16, Bf16::round as fn(f32) -> f32),
                (Precision::F16, F16::round),
            ] {
                let lanes = round_lanes(precision, F32x4::load(&x)).to_array();
                for (got, &v) in lanes.iter().zip(&x) {
                    let want = scalar(v);
                    assert!(
                        got.to_bits() == want.to_bits() || (got.is_nan() && want.is_nan()),
                        "{precision} lanes of {v:e}: {got:e} vs {want:e}"
                    );
                }
            }
        }
        // Halfway points and their neighbours, for every exponent and sign.
        for high in 0..=0x1FFu32 {
            for half_bit in [0x1000u32, 0x8000] {
                for low in [
                    0u32,
                    1,
                    2,
                    half_bit - 1,
                    half_bit,
                    half_bit + 1,
                    2 * half_bit - 1,
                    2 * half_bit,
                    2 * half_bit + 1,
                ] {
                    for mantissa_top in [0u32, 0x1000, 0x2000, 0x7F_0000, 0x7F_E000, 0x7F_FFFF & !0x1FFF] {
                        check((high << 23) | ((mantissa_top | low) & 0x7F_FFFF));
                    }
                }
            }
        }
    }

    #[test]
    fn names_round_trip() {
        for &p in Precision::ALL {
            assert_eq!(p.name().parse::<Precision>(), Ok(p));
        }
        assert!("f64".parse::<Precision>().is_err());
    }
}
