//! `exp` and `ln` on four `f32` lanes at a time, for the float32 softmax and
//! entropy: libm's one-value-at-a-time calls were half of a run's time
//! outside the score kernel.
//!
//! Both are Cephes' single-precision algorithms (S. L. Moshier): reduce the
//! argument by a power of two, evaluate a short polynomial, put the power
//! back. Every step is one IEEE `f32` operation in a fixed order, so native
//! and WebAssembly builds give the same bits. Their error is under one unit
//! in the last place of the exact result (0.96 for `exp`, 0.78 for `ln`,
//! the worst over a dense sweep in the tests), as libm's is; NumPy's own
//! float32 `exp` differs from both in the last place now and then.

use crate::simd::F32x4;

const LOG2_E: f32 = std::f32::consts::LOG2_E;
/// ln 2 in two parts: the first exact in few bits, so that `n · LN2_HIGH` is exact.
const LN2_HIGH: f32 = 0.693_359_4;
const LN2_LOW: f32 = -2.121_944_4e-4;
/// Beyond these, `exp` is +∞ or 0 in `f32` whatever the polynomial says.
const EXP_MAX: f32 = 89.0;
const EXP_MIN: f32 = -104.0;
const EXP_POLY: [f32; 6] = [
    1.987_569_1e-4,
    1.398_199_9e-3,
    8.333_452e-3,
    4.166_579_6e-2,
    0.166_666_65,
    0.5,
];
const LN_POLY: [f32; 9] = [
    7.037_683_6e-2,
    -0.115_146_1,
    0.116_769_98,
    -0.124_201_41,
    0.142_493_23,
    -0.166_680_57,
    0.200_007_15,
    -0.249_999_94,
    0.333_333_3,
];

/// `eˣ` per lane: +∞ above ~88.72, 0 below ~−103.97 (subnormal results
/// on the way, rounded once), NaN for NaN.
#[inline(always)]
pub(crate) fn exp(x: F32x4) -> F32x4 {
    let (low, high, zero) = (F32x4::splat(EXP_MIN), F32x4::splat(EXP_MAX), F32x4::zero());
    // Lanes below the range are worked out as 0 (and replaced by 0 at the
    // end): a multiplication that underflows costs a microcode assist on
    // x86, and a saturated row has hundreds of such lanes. Comparisons are
    // false for NaN: NaN passes through.
    let input = x;
    let x = x.select_lt(low, zero, x);
    let x = high.select_lt(x, high, x);
    let n = x.mul(F32x4::splat(LOG2_E)).nearest();
    let r = x.sub(n.mul(F32x4::splat(LN2_HIGH))).sub(n.mul(F32x4::splat(LN2_LOW)));
    let poly = EXP_POLY[1..]
        .iter()
        .fold(F32x4::splat(EXP_POLY[0]), |p, &c| p.mul(r).add(F32x4::splat(c)));
    let e_r = poly.mul(r.mul(r)).add(r).add(F32x4::splat(1.0));
    // 2ⁿ for n in −150..=128 as two factors in range: no overflow on the way,
    // and a subnormal result is rounded once, by the last multiplication.
    let half = n.mul(F32x4::splat(0.5)).nearest();
    let e_x = e_r.mul(F32x4::pow2(half)).mul(F32x4::pow2(n.sub(half)));
    input.select_lt(low, zero, e_x)
}

/// `ln x` per lane for positive, finite `x` (subnormals included); what
/// other lanes hold is unspecified.
#[inline(always)]
pub(crate) fn ln(x: F32x4) -> F32x4 {
    // Subnormals are scaled into the normal range first.
    let subnormal = |a: F32x4, b: F32x4| x.select_lt(F32x4::splat(f32::MIN_POSITIVE), a, b);
    let x = subnormal(x.mul(F32x4::splat(8_388_608.0)), x);
    let bias = subnormal(F32x4::splat(127.0 + 23.0), F32x4::splat(127.0));
    // x = m · 2ᵉ with m in [1, 2), then m in [√½, √2).
    let e = x.bits_shr(23).bits_to_float().sub(bias);
    let m = x.bits_and(0x007f_ffff).bits_or(0x3f80_0000);
    let root2 = F32x4::splat(std::f32::consts::SQRT_2);
    let (m, e) = (
        root2.select_lt(m, m.mul(F32x4::splat(0.5)), m),
        root2.select_lt(m, e.add(F32x4::splat(1.0)), e),
    );
    let f = m.sub(F32x4::splat(1.0));
    let z = f.mul(f);
    let poly = LN_POLY[1..]
        .iter()
        .fold(F32x4::splat(LN_POLY[0]), |p, &c| p.mul(f).add(F32x4::splat(c)));
    let y = poly
        .mul(f)
        .mul(z)
        .add(e.mul(F32x4::splat(LN2_LOW)))
        .sub(z.mul(F32x4::splat(0.5)));
    f.add(y).add(e.mul(F32x4::splat(LN2_HIGH)))
}

/// `f` on four lanes over a slice of any length: the last, short chunk is
/// padded with `pad` (which `f` must accept) and the padding dropped.
#[inline(always)]
pub(crate) fn map_lanes(values: &mut [f32], pad: f32, f: impl Fn(F32x4) -> F32x4) {
    let mut chunks = values.chunks_exact_mut(4);
    for chunk in &mut chunks {
        let lanes: &mut [f32; 4] = chunk.try_into().expect("4 lanes");
        *lanes = f(F32x4::load(lanes)).to_array();
    }
    let rest = chunks.into_remainder();
    if !rest.is_empty() {
        let mut padded = [pad; 4];
        padded[..rest.len()].copy_from_slice(rest);
        let out = f(F32x4::load(&padded)).to_array();
        rest.copy_from_slice(&out[..rest.len()]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exp1(x: f32) -> f32 {
        exp(F32x4::splat(x)).to_array()[0]
    }

    fn ln1(x: f32) -> f32 {
        ln(F32x4::splat(x)).to_array()[0]
    }

    /// Units in the last place of `f32` between `got` and the exact `want`.
    fn ulps(got: f32, want: f64) -> f64 {
        let spacing = if want == 0.0 {
            f64::from(f32::from_bits(1))
        } else {
            let w = want.abs() as f32;
            let above = f32::from_bits(w.to_bits() + 1);
            f64::from(above - w).max(f64::from(f32::from_bits(1)))
        };
        (f64::from(got) - want).abs() / spacing
    }

    /// Every 97th float from −104 to 89 (about 1.1 million values), against
    /// f64's `exp`, including the subnormal results below −87.3.
    #[test]
    fn exp_is_within_one_unit_everywhere_it_is_finite() {
        let mut worst = (0.0, 0.0f32);
        let mut x = -104.0f32;
        while x < 88.72 {
            let e = ulps(exp1(x), f64::from(x).exp());
            if e > worst.0 {
                worst = (e, x);
            }
            x = f32::from_bits(if x < 0.0 { x.to_bits() - 97 } else { x.to_bits() + 97 });
            if x == 0.0 || x.to_bits() == 0x8000_0000 {
                x = f32::from_bits(1);
            }
        }
        assert!(worst.0 <= 1.0, "{} ulps at {}", worst.0, worst.1);
    }

    #[test]
    fn exp_edges() {
        assert_eq!(exp1(0.0), 1.0);
        assert_eq!(exp1(f32::NEG_INFINITY), 0.0);
        assert_eq!(exp1(-200.0), 0.0);
        assert_eq!(exp1(f32::INFINITY), f32::INFINITY);
        assert_eq!(exp1(88.8), f32::INFINITY);
        assert!(exp1(88.72).is_finite());
        assert!(exp1(f32::NAN).is_nan());
        // Where float32's exp overflows, as libm and the naive softmax's legend say.
        assert_eq!(exp1(88.722_84), f32::INFINITY);
        assert!(exp1(88.722_83).is_finite());
        assert_eq!(
            exp1(f32::from_bits(0x42b1_7217)),
            libm::expf(f32::from_bits(0x42b1_7217))
        );
        assert!(exp1(-100.0) > 0.0 && exp1(-100.0) < f32::MIN_POSITIVE);
    }

    /// Every 61st positive float, subnormals included, against f64's `ln`.
    #[test]
    fn ln_is_within_one_unit_of_every_positive_float() {
        let mut worst = (0.0, 0.0f32);
        for bits in (1..0x7f80_0000u32).step_by(61) {
            let x = f32::from_bits(bits);
            let e = ulps(ln1(x), f64::from(x).ln());
            if e > worst.0 {
                worst = (e, x);
            }
        }
        assert!(worst.0 <= 1.0, "{} ulps at {}", worst.0, worst.1);
        assert_eq!(ln1(1.0), 0.0);
    }

    #[test]
    fn map_lanes_covers_short_tails() {
        let mut v = [0.0f32, 1.0, -1.0, 2.0, 3.0, 0.5, -0.5];
        map_lanes(&mut v, 0.0, exp);
        for (got, x) in v.iter().zip([0.0f64, 1.0, -1.0, 2.0, 3.0, 0.5, -0.5]) {
            assert!(ulps(*got, x.exp()) <= 1.0);
        }
    }
}
