//! Four `f32` lanes at a time: WebAssembly SIMD (`v128`) when the crate is
//! built with the `simd128` target feature, as the web build is, and a plain
//! array elsewhere (which native compilers vectorise on their own).
//!
//! Only what the kernels need: loads, lane-wise `+`, `−` and `×`, the lanes
//! back, the bit operations and selects that round to bfloat16 and float16
//! (see `precision::round_lanes`), and rounding to integers and powers of
//! two for `exp` and `ln` on four lanes (see `lane_math`). Lane-wise IEEE arithmetic
//! and bit operations give the same bits either way, so the native tests of
//! the kernel hold for the WebAssembly build too (and the browser tests
//! check it there).

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod lanes {
    use core::arch::wasm32::{
        f32x4, f32x4_add, f32x4_convert_i32x4, f32x4_extract_lane, f32x4_lt, f32x4_mul, f32x4_ne, f32x4_nearest,
        f32x4_splat, f32x4_sub, i32x4_add, i32x4_shl, i32x4_splat, i32x4_trunc_sat_f32x4, u32x4_shr, u32x4_splat, v128,
        v128_and, v128_bitselect, v128_or,
    };

    /// Four `f32` lanes in one SIMD register.
    #[derive(Clone, Copy)]
    pub(crate) struct F32x4(v128);

    impl F32x4 {
        /// All lanes zero.
        #[inline(always)]
        pub(crate) fn zero() -> Self {
            Self(f32x4(0.0, 0.0, 0.0, 0.0))
        }

        /// The four values (the compiler turns this into one `v128.load`).
        #[inline(always)]
        pub(crate) fn load(v: &[f32; 4]) -> Self {
            Self(f32x4(v[0], v[1], v[2], v[3]))
        }

        /// `self + other`, lane by lane.
        #[inline(always)]
        pub(crate) fn add(self, other: Self) -> Self {
            Self(f32x4_add(self.0, other.0))
        }

        /// `self × other`, lane by lane.
        #[inline(always)]
        pub(crate) fn mul(self, other: Self) -> Self {
            Self(f32x4_mul(self.0, other.0))
        }

        /// The lanes, in order.
        #[inline(always)]
        pub(crate) fn to_array(self) -> [f32; 4] {
            [
                f32x4_extract_lane::<0>(self.0),
                f32x4_extract_lane::<1>(self.0),
                f32x4_extract_lane::<2>(self.0),
                f32x4_extract_lane::<3>(self.0),
            ]
        }

        /// Every lane `v`.
        #[inline(always)]
        pub(crate) fn splat(v: f32) -> Self {
            Self(f32x4_splat(v))
        }

        /// `self − other`, lane by lane.
        #[inline(always)]
        pub(crate) fn sub(self, other: Self) -> Self {
            Self(f32x4_sub(self.0, other.0))
        }

        /// The bit patterns plus `other`'s, as wrapping `u32` additions.
        #[inline(always)]
        pub(crate) fn bits_add(self, other: Self) -> Self {
            Self(i32x4_add(self.0, other.0))
        }

        /// The bit patterns and `mask`.
        #[inline(always)]
        pub(crate) fn bits_and(self, mask: u32) -> Self {
            Self(v128_and(self.0, u32x4_splat(mask)))
        }

        /// The bit patterns shifted right by `n`, filling with zeros.
        #[inline(always)]
        pub(crate) fn bits_shr(self, n: u32) -> Self {
            Self(u32x4_shr(self.0, n))
        }

        /// Every lane the bit pattern `bits`.
        #[inline(always)]
        pub(crate) fn splat_bits(bits: u32) -> Self {
            Self(u32x4_splat(bits))
        }

        /// Per lane, `if_less` where `self < other`, else `otherwise`.
        #[inline(always)]
        pub(crate) fn select_lt(self, other: Self, if_less: Self, otherwise: Self) -> Self {
            Self(v128_bitselect(if_less.0, otherwise.0, f32x4_lt(self.0, other.0)))
        }

        /// Per lane, `x` where `x` is NaN, else `self`.
        #[inline(always)]
        pub(crate) fn nan_from(self, x: Self) -> Self {
            Self(v128_bitselect(x.0, self.0, f32x4_ne(x.0, x.0)))
        }

        /// The magnitudes of `self` with the signs of `sign`.
        #[inline(always)]
        pub(crate) fn copysign(self, sign: Self) -> Self {
            Self(v128_bitselect(sign.0, self.0, u32x4_splat(0x8000_0000)))
        }

        /// Each lane rounded to the nearest integer, ties to even.
        #[inline(always)]
        pub(crate) fn nearest(self) -> Self {
            Self(f32x4_nearest(self.0))
        }

        /// `2ⁿ` for lanes holding integers `n` in −126..=127.
        #[inline(always)]
        pub(crate) fn pow2(n: Self) -> Self {
            Self(i32x4_shl(i32x4_add(i32x4_trunc_sat_f32x4(n.0), i32x4_splat(127)), 23))
        }

        /// The bit patterns, read as `i32`, converted to `f32` values.
        #[inline(always)]
        pub(crate) fn bits_to_float(self) -> Self {
            Self(f32x4_convert_i32x4(self.0))
        }

        /// The bit patterns or `mask`.
        #[inline(always)]
        pub(crate) fn bits_or(self, mask: u32) -> Self {
            Self(v128_or(self.0, u32x4_splat(mask)))
        }
    }
}

#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
mod lanes {
    /// Four `f32` lanes.
    #[derive(Clone, Copy)]
    pub(crate) struct F32x4([f32; 4]);

    impl F32x4 {
        /// All lanes zero.
        #[inline(always)]
        pub(crate) fn zero() -> Self {
            Self([0.0; 4])
        }

        /// The four values.
        #[inline(always)]
        pub(crate) fn load(v: &[f32; 4]) -> Self {
            Self(*v)
        }

        /// `self + other`, lane by lane.
        #[inline(always)]
        pub(crate) fn add(self, other: Self) -> Self {
            Self(std::array::from_fn(|l| self.0[l] + other.0[l]))
        }

        /// `self × other`, lane by lane.
        #[inline(always)]
        pub(crate) fn mul(self, other: Self) -> Self {
            Self(std::array::from_fn(|l| self.0[l] * other.0[l]))
        }

        /// The lanes, in order.
        #[inline(always)]
        pub(crate) fn to_array(self) -> [f32; 4] {
            self.0
        }

        /// Every lane `v`.
        #[inline(always)]
        pub(crate) fn splat(v: f32) -> Self {
            Self([v; 4])
        }

        /// `self − other`, lane by lane.
        #[inline(always)]
        pub(crate) fn sub(self, other: Self) -> Self {
            Self(std::array::from_fn(|l| self.0[l] - other.0[l]))
        }

        /// The bit patterns plus `other`'s, as wrapping `u32` additions.
        #[inline(always)]
        pub(crate) fn bits_add(self, other: Self) -> Self {
            self.bits_map(|b, l| b.wrapping_add(other.0[l].to_bits()))
        }

        /// The bit patterns and `mask`.
        #[inline(always)]
        pub(crate) fn bits_and(self, mask: u32) -> Self {
            self.bits_map(|b, _| b & mask)
        }

        /// The bit patterns shifted right by `n`, filling with zeros.
        #[inline(always)]
        pub(crate) fn bits_shr(self, n: u32) -> Self {
            self.bits_map(|b, _| b >> n)
        }

        /// Every lane the bit pattern `bits`.
        #[inline(always)]
        pub(crate) fn splat_bits(bits: u32) -> Self {
            Self([f32::from_bits(bits); 4])
        }

        /// Per lane, `if_less` where `self < other`, else `otherwise`.
        #[inline(always)]
        pub(crate) fn select_lt(self, other: Self, if_less: Self, otherwise: Self) -> Self {
            Self(std::array::from_fn(|l| {
                if self.0[l] < other.0[l] {
                    if_less.0[l]
                } else {
                    otherwise.0[l]
                }
            }))
        }

        /// Per lane, `x` where `x` is NaN, else `self`.
        #[inline(always)]
        pub(crate) fn nan_from(self, x: Self) -> Self {
            Self(std::array::from_fn(
                |l| if x.0[l].is_nan() { x.0[l] } else { self.0[l] },
            ))
        }

        /// The magnitudes of `self` with the signs of `sign`.
        #[inline(always)]
        pub(crate) fn copysign(self, sign: Self) -> Self {
            Self(std::array::from_fn(|l| self.0[l].copysign(sign.0[l])))
        }

        /// Each lane rounded to the nearest integer, ties to even.
        #[inline(always)]
        pub(crate) fn nearest(self) -> Self {
            Self(self.0.map(f32::round_ties_even))
        }

        /// `2ⁿ` for lanes holding integers `n` in −126..=127.
        #[inline(always)]
        pub(crate) fn pow2(n: Self) -> Self {
            Self(n.0.map(|n| f32::from_bits(((n as i32 + 127) << 23) as u32)))
        }

        /// The bit patterns, read as `i32`, converted to `f32` values.
        #[inline(always)]
        pub(crate) fn bits_to_float(self) -> Self {
            Self(self.0.map(|v| v.to_bits() as i32 as f32))
        }

        /// The bit patterns or `mask`.
        #[inline(always)]
        pub(crate) fn bits_or(self, mask: u32) -> Self {
            self.bits_map(|b, _| b | mask)
        }

        #[inline(always)]
        fn bits_map(self, f: impl Fn(u32, usize) -> u32) -> Self {
            Self(std::array::from_fn(|l| f32::from_bits(f(self.0[l].to_bits(), l))))
        }
    }
}

pub(crate) use lanes::F32x4;
