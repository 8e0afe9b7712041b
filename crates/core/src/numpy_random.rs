//! NumPy's legacy random numbers, reproduced exactly.
//!
//! The notebook draws `X = np.random.randn(T, d_k)` after `np.random.seed(s)`.
//! That is NumPy's *legacy* `RandomState`: an MT19937 generator seeded with
//! `init_genrand(s)`, doubles built from two 32-bit outputs, and normals from
//! Marsaglia's polar method, which produces two values per accepted pair and
//! caches the second one for the next call. Reproducing all three steps gives
//! a student the very matrices (and so the very printed `std`) of the notebook.
//!
//! The generator itself is `rand_mt`'s reference MT19937, used through
//! `rand_core`'s [`Rng`] trait. Only the two small layers on top are NumPy's
//! own algorithms, written out here because no crate offers them.
//!
//! The logarithm is `libm::log`, FreeBSD's `e_log.c` written in plain Rust
//! (error below one unit in the last place), rather than `f64::ln`, which
//! calls the platform's C library natively and another implementation on
//! `wasm32`. It uses only IEEE 754 basic operations, so a seed gives the same
//! `X` natively, in every browser and in every future build. NumPy calls the
//! platform's `log` (glibc's on Linux), and the two disagree in the last bit of
//! about 3 draws in 100. The engine holds `X` in `float32`, and there they
//! agree: rounded to `float32`, 8 million of this log's draws (two seeds) equal
//! NumPy's bit for bit (`tests/fixtures/numpy_reference.json`, `randn_f32`).
//!
//! A correctly rounded `log` (`pxfm`) came closer in `f64` (3 draws in 10,000
//! differ) but made up 12 KB of the 63 KB gzipped engine for no difference in
//! any number the page shows. (`sqrt` is exact by IEEE 754 everywhere.)

use rand_core::Rng;
use rand_mt::Mt;

/// NumPy's `RandomState` restricted to what the explorer needs:
/// `seed(s)`, `random_sample()` and `standard_normal()` (i.e. `randn`).
#[derive(Clone, Debug)]
pub struct LegacyRandom<R = Mt> {
    bits: R,
    /// The second value of the last polar-method pair, returned next.
    cached_gauss: Option<f64>,
}

impl LegacyRandom<Mt> {
    /// The state after `np.random.seed(seed)` for an integer seed.
    ///
    /// NumPy accepts integer seeds in `0..=2**32 - 1` and seeds MT19937 with
    /// `init_genrand`, which is what `Mt::new` does.
    pub fn seed(seed: u32) -> Self {
        Self::from_bits(Mt::new(seed))
    }
}

impl<R: Rng> LegacyRandom<R> {
    /// Wraps any source of 32-bit words (MT19937 for NumPy compatibility).
    pub fn from_bits(bits: R) -> Self {
        Self {
            bits,
            cached_gauss: None,
        }
    }

    /// `np.random.random_sample()`: a double in `[0, 1)` with 53 random bits.
    pub fn next_double(&mut self) -> f64 {
        let a = self.bits.next_u32() >> 5;
        let b = self.bits.next_u32() >> 6;
        (f64::from(a) * 67_108_864.0 + f64::from(b)) / 9_007_199_254_740_992.0
    }

    /// `np.random.standard_normal()`: the polar method exactly as NumPy's
    /// `legacy_gauss` writes it, including which of the pair comes first.
    pub fn next_gauss(&mut self) -> f64 {
        if let Some(cached) = self.cached_gauss.take() {
            return cached;
        }
        loop {
            let x1 = 2.0 * self.next_double() - 1.0;
            let x2 = 2.0 * self.next_double() - 1.0;
            let r2 = x1 * x1 + x2 * x2;
            if r2 < 1.0 && r2 != 0.0 {
                let f = (-2.0 * libm::log(r2) / r2).sqrt();
                self.cached_gauss = Some(f * x1);
                return f * x2;
            }
        }
    }

    /// Fills `out` as `np.random.randn(*shape)` fills an array of that many
    /// elements: in row-major order.
    pub fn fill_gauss(&mut self, out: &mut [f64]) {
        for value in out {
            *value = self.next_gauss();
        }
    }
}

/// What a seed's stream holds: NumPy's `randn` values, or its
/// `random_sample` doubles in `[0, 1)` (from which `uniform` and a coin flip
/// are made).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Draws {
    /// `np.random.standard_normal()`, the polar method.
    Normal,
    /// `np.random.random_sample()`.
    Unit,
}

/// The stream of one seed, drawn lazily and kept.
///
/// For a fixed seed the values of `np.random.randn(T, d_k)` are the first
/// `T * d_k` values of one stream, laid out row by row (and so are those of
/// `np.random.random_sample((T, d_k))`, of the other kind). Moving the d_k
/// slider therefore never needs a new draw: a bigger matrix extends the
/// cached prefix, a smaller one reuses part of it.
#[derive(Clone, Debug)]
pub struct SampleStream {
    seed: u32,
    draws: Draws,
    source: LegacyRandom,
    drawn: Vec<f64>,
}

impl SampleStream {
    /// An empty stream of `draws` for `np.random.seed(seed)`.
    pub fn new(seed: u32, draws: Draws) -> Self {
        Self {
            seed,
            draws,
            source: LegacyRandom::seed(seed),
            drawn: Vec::new(),
        }
    }

    /// An empty stream of standard normals for `np.random.seed(seed)`.
    pub fn normal(seed: u32) -> Self {
        Self::new(seed, Draws::Normal)
    }

    /// The seed this stream was started from.
    pub fn seed(&self) -> u32 {
        self.seed
    }

    /// What the stream holds.
    pub fn draws(&self) -> Draws {
        self.draws
    }

    /// The first `n` values of the stream, drawing only those not yet drawn.
    pub fn prefix(&mut self, n: usize) -> &[f64] {
        self.draw_towards(n, usize::MAX);
        &self.drawn[..n]
    }

    /// Draws up to `at_most` more values towards a prefix of `n` (for a run
    /// done in slices: millions of draws take tens of milliseconds). Returns
    /// how many it drew.
    pub fn draw_towards(&mut self, n: usize, at_most: usize) -> usize {
        let start = self.drawn.len();
        let end = n.min(start.saturating_add(at_most)).max(start);
        self.drawn.resize(end, 0.0);
        match self.draws {
            Draws::Normal => self.source.fill_gauss(&mut self.drawn[start..]),
            Draws::Unit => self.drawn[start..]
                .iter_mut()
                .for_each(|v| *v = self.source.next_double()),
        }
        end - start
    }

    /// How many values have been drawn so far (for tests and diagnostics).
    pub fn drawn(&self) -> usize {
        self.drawn.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The first outputs of MT19937 seeded with `init_genrand(5489)`, from the
    /// reference implementation's published test vector.
    #[test]
    fn generator_is_reference_mt19937() {
        let mut rng = Mt::new(5489);
        assert_eq!(rng.next_u32(), 3_499_211_612);
        assert_eq!(rng.next_u32(), 581_869_302);
        assert_eq!(rng.next_u32(), 3_890_346_734);
    }

    #[test]
    fn doubles_lie_in_unit_interval() {
        let mut rng = LegacyRandom::seed(7);
        for _ in 0..10_000 {
            let x = rng.next_double();
            assert!((0.0..1.0).contains(&x));
        }
    }

    #[test]
    fn stream_prefix_equals_a_fresh_draw_in_any_request_order() {
        let mut fresh = LegacyRandom::seed(42);
        let mut expected = vec![0.0; 300];
        fresh.fill_gauss(&mut expected);

        let mut stream = SampleStream::normal(42);
        assert_eq!(stream.prefix(40), &expected[..40]);
        assert_eq!(stream.prefix(300), &expected[..]);
        assert_eq!(stream.prefix(7), &expected[..7]);
        assert_eq!(stream.drawn(), 300);
    }

    #[test]
    fn odd_lengths_keep_the_cached_half_of_a_pair() {
        // Drawing 3 then 3 must equal drawing 6: the polar method's cached
        // value must survive between calls, as in NumPy.
        let mut a = LegacyRandom::seed(1);
        let mut first = [0.0; 3];
        let mut second = [0.0; 3];
        a.fill_gauss(&mut first);
        a.fill_gauss(&mut second);
        let mut b = LegacyRandom::seed(1);
        let mut all = [0.0; 6];
        b.fill_gauss(&mut all);
        assert_eq!([first, second].concat(), all.to_vec());
    }
}
