//! Four `f32` lanes at a time: WebAssembly SIMD (`v128`) when the crate is
//! built with the `simd128` target feature, as the web build is, and a plain
//! array elsewhere (which native compilers vectorise on their own).
//!
//! Only what the score kernel needs: loads, lane-wise `+` and `×`, and the
//! lanes back. Lane-wise IEEE arithmetic gives the same bits either way, so
//! the native tests of the kernel hold for the WebAssembly build too (and
//! the browser tests check it there).

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod lanes {
    use core::arch::wasm32::{f32x4, f32x4_add, f32x4_extract_lane, f32x4_mul, v128};

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
    }
}

pub(crate) use lanes::F32x4;
