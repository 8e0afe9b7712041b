//! Vectors for the words of a visitor's own text.
//!
//! These are random vectors, not a trained model's embeddings: each token
//! gets its own NumPy normal stream, seeded from the token's text and the page
//! seed, and its vector at key dimension d_k is the first d_k values of that
//! stream. So
//! - identical tokens get identical vectors (and, with Q = K, attend to each
//!   other as strongly as to themselves);
//! - growing d_k only appends components: the slider shows the effect of
//!   dimension on the same tokens, not a new draw;
//! - anyone can regenerate a token's vector with NumPy:
//!   `np.random.seed(token_seed(text, seed, role)); np.random.randn(d_k)`.
//!
//! The text is normalised by the caller (the page uses Unicode NFC and
//! lower case); here it is only bytes.

use crate::numpy_random::{Draws, SampleStream};

/// Which matrix a token's vector is for. Q = K uses `Query` for both.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// Rows of Q (and of K when Q = K).
    Query = 0,
    /// Rows of K when Q and K are independent.
    Key = 1,
}

/// The NumPy seed of a token's stream: FNV-1a 64 over the page seed (4
/// bytes, little-endian), the role byte, and the token's UTF-8 bytes, folded
/// to 32 bits by XOR of its halves.
pub fn token_seed(text: &str, seed: u32, role: Role) -> u32 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let bytes = seed.to_le_bytes().into_iter().chain([role as u8]).chain(text.bytes());
    for byte in bytes {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    (hash as u32) ^ ((hash >> 32) as u32)
}

/// The tokens of a text and the cached streams of its distinct tokens.
#[derive(Clone, Debug)]
pub struct TokenVectors {
    tokens: Vec<String>,
    seed: u32,
    /// Per position, an index into `streams` (one per distinct token and role).
    query: Vec<usize>,
    key: Vec<usize>,
    streams: Vec<SampleStream>,
}

impl TokenVectors {
    /// Vectors for `tokens` (already normalised) under page seed `seed`,
    /// each token's stream of `draws` (normals, or doubles for the other
    /// distributions: `RandomState(token_seed).random_sample(d_k)`).
    pub fn new(tokens: Vec<String>, seed: u32, draws: Draws) -> Self {
        let mut streams: Vec<SampleStream> = Vec::new();
        let mut index = |text: &str, role| {
            let s = token_seed(text, seed, role);
            match streams.iter().position(|stream| stream.seed() == s) {
                Some(i) => i,
                None => {
                    streams.push(SampleStream::new(s, draws));
                    streams.len() - 1
                }
            }
        };
        let query = tokens.iter().map(|t| index(t, Role::Query)).collect();
        let key = tokens.iter().map(|t| index(t, Role::Key)).collect();
        TokenVectors {
            tokens,
            seed,
            query,
            key,
            streams,
        }
    }

    /// The tokens, in text order.
    pub fn tokens(&self) -> &[String] {
        &self.tokens
    }

    /// The page seed the vectors were made for.
    pub fn seed(&self) -> u32 {
        self.seed
    }

    /// What the tokens' streams hold.
    pub fn draws(&self) -> Draws {
        self.streams.first().map_or(Draws::Normal, SampleStream::draws)
    }

    /// Writes the token vectors of `role`, `d_k` components each, row by
    /// row into `out` (cleared first), as f64 as drawn.
    pub fn fill(&mut self, role: Role, d_k: usize, out: &mut Vec<f64>) {
        out.clear();
        let positions = match role {
            Role::Query => &self.query,
            Role::Key => &self.key,
        };
        for &i in positions {
            out.extend_from_slice(self.streams[i].prefix(d_k));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vectors(text: &[&str], seed: u32, d_k: usize, role: Role) -> Vec<f64> {
        let mut v = TokenVectors::new(text.iter().map(|s| s.to_string()).collect(), seed, Draws::Normal);
        let mut out = Vec::new();
        v.fill(role, d_k, &mut out);
        out
    }

    #[test]
    fn identical_tokens_get_identical_vectors() {
        let v = vectors(&["the", "cat", "the"], 42, 8, Role::Query);
        assert_eq!(v[..8], v[16..]);
        assert_ne!(v[..8], v[8..16]);
    }

    #[test]
    fn vectors_depend_on_text_seed_and_role() {
        let base = vectors(&["word"], 1, 4, Role::Query);
        assert_eq!(base, vectors(&["word"], 1, 4, Role::Query));
        assert_ne!(base, vectors(&["words"], 1, 4, Role::Query));
        assert_ne!(base, vectors(&["word"], 2, 4, Role::Query));
        assert_ne!(base, vectors(&["word"], 1, 4, Role::Key));
    }

    #[test]
    fn growing_dk_appends_components() {
        let short = vectors(&["mot", "كلمة", "词"], 7, 16, Role::Key);
        let long = vectors(&["mot", "كلمة", "词"], 7, 64, Role::Key);
        for row in 0..3 {
            assert_eq!(short[row * 16..(row + 1) * 16], long[row * 64..row * 64 + 16]);
        }
    }

    #[test]
    fn a_token_is_numpys_randn_from_its_seed() {
        let seed = token_seed("cat", 42, Role::Query);
        let mut expected = vec![0.0; 5];
        crate::numpy_random::LegacyRandom::seed(seed).fill_gauss(&mut expected);
        assert_eq!(vectors(&["cat"], 42, 5, Role::Query), expected);
        // FNV-1a 64 of [42, 0, 0, 0, 0, b'c', b'a', b't'], folded, as the
        // Python recipe in tests/fixtures/generate.py computes it.
        assert_eq!(seed, 1_827_939_989);
        assert_eq!(token_seed("cat", 42, Role::Key), 588_928_618);
    }
}
