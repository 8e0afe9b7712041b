//! Number formats of attention: float32, bfloat16 and IEEE half (float16).
//!
//! Low precision is *emulated*: every arithmetic step (a product, a sum, the
//! scaling, the max-subtraction, `exp`, the division) is done in `f32` and its
//! result rounded to the format, to nearest with ties to even, by the `half`
//! crate. For products and sums of two half or bfloat16 values the `f32`
//! result is exact or within half an `f32` ulp, so rounding it gives the same
//! value as native hardware would, except in rare double-rounding ties; this
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

    /// Whether this is `f32` itself, where rounding is the identity and the
    /// score kernel can use SIMD lanes (see `scores`).
    const IS_F32: bool = false;
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
    const IS_F32: bool = true;

    #[inline(always)]
    fn round(x: f32) -> f32 {
        x
    }
}

impl Format for Bf16 {
    #[inline(always)]
    fn round(x: f32) -> f32 {
        half::bf16::from_f32(x).to_f32()
    }
}

impl Format for F16 {
    #[inline(always)]
    fn round(x: f32) -> f32 {
        half::f16::from_f32(x).to_f32()
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

    #[test]
    fn names_round_trip() {
        for &p in Precision::ALL {
            assert_eq!(p.name().parse::<Precision>(), Ok(p));
        }
        assert!("f64".parse::<Precision>().is_err());
    }
}
