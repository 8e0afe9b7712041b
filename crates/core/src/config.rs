//! What to compute: the shape, the seed, and every mode of the experiment.
//!
//! Names of the modes (`self`, `independent`, `sqrt`, …) are the ones the
//! page puts in URLs and passes to the engine; `FromStr` here is the engine's
//! one parser for them.

use std::fmt;
use std::str::FromStr;

pub use crate::inputs::{Distribution, Inputs};
pub use crate::logits::{LogitControl, QkNorm};
pub use crate::mask::{Mask, MaskFill, MaskKind};
pub use crate::precision::Precision;
pub use crate::softmax::SoftmaxKind;

/// Largest number of tokens the engine accepts; the page allows fewer.
pub const MAX_TOKENS: usize = 4096;
/// Largest key dimension the engine accepts; the page allows fewer.
pub const MAX_DIM: usize = 65_536;
/// The notebook's `cosine_sim` epsilon.
pub const COSINE_EPS: f32 = 1e-9;

/// Where queries and keys come from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum QkSource {
    /// `Q = K = X`, as in the notebook. The diagonal holds `|x_i|² ≈ d_k`.
    #[default]
    SelfAttention,
    /// `Q` then `K` drawn independently from the seed's stream
    /// (`np.random.seed(s); Q = randn(T, d_k); K = randn(T, d_k)`): the case
    /// of learned projections and of the paper's footnote.
    Independent,
}

/// How a query and a key are compared.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ScoreFunction {
    /// `q · k`, unbounded: its spread grows like `√d_k`.
    #[default]
    Dot,
    /// The notebook's `cosine_sim`: `q/(|q|+eps) · k/(|k|+eps)`, in `[−1, 1]`.
    Cosine,
}

/// The factor applied to the scores of the "scaled" panel, as PyTorch's
/// `F.scaled_dot_product_attention(..., scale=None | float)` does.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub enum ScaleRule {
    /// `1/√d_k`, the paper's and PyTorch's default (`scale=None`).
    #[default]
    InverseSqrt,
    /// `1/d_k`.
    InverseDk,
    /// No scaling (`scale=1.0`).
    None,
    /// A given positive factor.
    Custom(f64),
    /// Scalable-Softmax on the scaled scores, `s · ln n / √d_k` for a row
    /// that sees `n` keys (Nakanishi 2025, "Scalable-Softmax Is Superior
    /// for Attention"): the logits' spread grows with ln n, so a row's
    /// largest weight does not fade as the context grows. Holds s.
    Scalable(f64),
}

impl ScaleRule {
    /// The factor for key dimension `d_k` in a row that sees `keys` keys,
    /// in `f64`; only [`ScaleRule::Scalable`] depends on `keys` (a row
    /// that sees none counts as one, so its factor is 0).
    pub fn factor(self, d_k: usize, keys: usize) -> f64 {
        match self {
            ScaleRule::InverseSqrt => 1.0 / (d_k as f64).sqrt(),
            ScaleRule::InverseDk => 1.0 / d_k as f64,
            ScaleRule::None => 1.0,
            ScaleRule::Custom(factor) => factor,
            ScaleRule::Scalable(s) => s * (keys.max(1) as f64).ln() / (d_k as f64).sqrt(),
        }
    }

    /// Whether the factor differs from row to row (it does for SSMax).
    pub fn per_row(self) -> bool {
        matches!(self, ScaleRule::Scalable(_))
    }
}

named_enum!(QkSource, "Q/K source", SelfAttention => "self", Independent => "independent");

/// How the random tokens relate across d_k.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Columns {
    /// A fresh draw for each d_k, as the notebook: `randn(T, d_k)`. Every
    /// token changes when d_k does, so only the trend means anything.
    #[default]
    Fresh,
    /// The same tokens at every d_k: X is the first d_k columns of one
    /// `randn(T, KEPT_WIDTH)` draw (and K the first d_k of the next, for
    /// independent Q and K), so growing d_k appends components.
    Keep,
}

named_enum!(Columns, "columns", Fresh => "fresh", Keep => "keep");

/// The most normals one run may draw (Q and K together, in f64 as NumPy
/// draws them: 128 MB). The page's largest run, T 1024 × d_k 4096 with
/// independent Q and K, takes half of it; a wasm32 module cannot allocate
/// much more than a few times this, and a failed allocation aborts.
pub const MAX_NORMALS: usize = 1 << 24;

/// The width of the one draw that [`Columns::Keep`] takes its columns from:
/// the page's largest d_k.
pub const KEPT_WIDTH: usize = 4096;
named_enum!(ScoreFunction, "score function", Dot => "dot", Cosine => "cosine");

impl fmt::Display for ScaleRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ScaleRule::InverseSqrt => f.write_str("sqrt"),
            ScaleRule::InverseDk => f.write_str("dk"),
            ScaleRule::None => f.write_str("none"),
            ScaleRule::Custom(v) => write!(f, "{v}"),
            ScaleRule::Scalable(_) => f.write_str("ssmax"),
        }
    }
}

impl ScaleRule {
    /// The rule named `sqrt`, `dk`, `none`, `custom` or `ssmax`; `custom`
    /// takes `factor` as its factor and `ssmax` as its s, which must be
    /// positive and finite. (The engine's JavaScript
    /// API passes the factor as a number, so the WebAssembly build carries no
    /// decimal parser.)
    pub fn from_name(rule: &str, factor: f64) -> Result<Self, String> {
        match rule {
            "sqrt" => Ok(ScaleRule::InverseSqrt),
            "dk" => Ok(ScaleRule::InverseDk),
            "none" => Ok(ScaleRule::None),
            "custom" if factor.is_finite() && factor > 0.0 => Ok(ScaleRule::Custom(factor)),
            "custom" => Err("a custom scale must be a positive number".to_string()),
            "ssmax" if factor.is_finite() && factor > 0.0 => Ok(ScaleRule::Scalable(factor)),
            "ssmax" => Err("SSMax's s must be a positive number".to_string()),
            _ => Err(format!(
                "unknown scale `{rule}` (expected one of sqrt, dk, none, custom, ssmax)"
            )),
        }
    }
}

impl FromStr for ScaleRule {
    type Err = String;

    /// `sqrt`, `dk`, `none`, `ssmax` (s = 1), or a positive finite number,
    /// as in URLs.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.parse::<f64>() {
            Ok(factor) => ScaleRule::from_name("custom", factor),
            Err(_) if s == "ssmax" => ScaleRule::from_name(s, 1.0),
            Err(_) => ScaleRule::from_name(s, f64::NAN),
        }
    }
}

/// Everything that determines one run of the experiment.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Config {
    /// T, the number of tokens (rows of Q and K, size of each heatmap).
    pub tokens: usize,
    /// d_k, the dimension of queries and keys.
    pub d_k: usize,
    /// The `np.random.seed` value.
    pub seed: u32,
    /// Where Q and K come from.
    pub qk: QkSource,
    /// Dot product or cosine similarity.
    pub score: ScoreFunction,
    /// The factor of the "scaled" panel.
    pub scale: ScaleRule,
    /// Softmax temperature τ for both panels: `softmax(s / τ)`.
    pub temperature: f64,
    /// Stable or naive softmax.
    pub softmax: SoftmaxKind,
    /// Number format of every step.
    pub precision: Precision,
    /// A fresh draw per d_k, or the same tokens at every d_k.
    pub columns: Columns,
    /// How the rows of Q and K are made from the draw.
    pub inputs: Inputs,
    /// QK-norm, its gain, and the soft cap.
    pub logits: LogitControl,
    /// The keys each query may not see, and what a row that sees none becomes.
    pub mask: Mask,
}

impl Config {
    /// The notebook's experiment: T = 10, d_k = 16, seed 42, Q = K = X, dot
    /// product, `1/√d_k`, τ = 1, stable softmax, float32.
    pub const NOTEBOOK: Config = Config {
        tokens: 10,
        d_k: 16,
        seed: 42,
        qk: QkSource::SelfAttention,
        score: ScoreFunction::Dot,
        scale: ScaleRule::InverseSqrt,
        temperature: 1.0,
        softmax: SoftmaxKind::Stable,
        precision: Precision::F32,
        columns: Columns::Fresh,
        inputs: Inputs::STANDARD,
        logits: LogitControl::NONE,
        mask: Mask::NONE,
    };

    /// Checks the engine's structural limits (not the page's UI ranges).
    pub fn validate(self) -> Result<Self, ConfigError> {
        if !(1..=MAX_TOKENS).contains(&self.tokens) {
            return Err(ConfigError::Tokens(self.tokens));
        }
        if !(1..=MAX_DIM).contains(&self.d_k) {
            return Err(ConfigError::Dimension(self.d_k));
        }
        if self.columns == Columns::Keep && self.d_k > KEPT_WIDTH {
            return Err(ConfigError::KeptDimension(self.d_k));
        }
        if self.normals() > MAX_NORMALS {
            return Err(ConfigError::TooLarge {
                tokens: self.tokens,
                d_k: self.d_k,
            });
        }
        if !(self.temperature.is_finite() && self.temperature > 0.0) {
            return Err(ConfigError::Temperature(self.temperature));
        }
        if let ScaleRule::Custom(v) | ScaleRule::Scalable(v) = self.scale
            && !(v.is_finite() && v > 0.0)
        {
            return Err(ConfigError::Scale(v));
        }
        if !self.mask.is_valid(self.tokens) {
            return Err(ConfigError::Padding {
                pad: self.mask.pad,
                tokens: self.tokens,
            });
        }
        if !self.inputs.is_valid() {
            return Err(ConfigError::Inputs);
        }
        if !self.logits.is_valid() {
            return Err(ConfigError::Logits);
        }
        Ok(self)
    }

    /// How many normals of the seed's stream a run of this config takes:
    /// T rows of d_k (or [`KEPT_WIDTH`]) for Q, as many again for K when Q
    /// and K are independent.
    pub fn normals(self) -> usize {
        let matrices = if self.qk == QkSource::Independent { 2 } else { 1 };
        self.tokens.saturating_mul(self.draw_width()).saturating_mul(matrices)
    }

    /// The width of the rows drawn for Q (and K): d_k, or [`KEPT_WIDTH`]
    /// when the tokens are kept, of which Q takes the first d_k columns.
    pub fn draw_width(self) -> usize {
        match self.columns {
            Columns::Fresh => self.d_k,
            Columns::Keep => KEPT_WIDTH,
        }
    }

    /// The factor PyTorch would multiply `q kᵀ` by for the scaled panel,
    /// with the temperature folded in: `scale / τ` (for SSMax, that of a
    /// row that sees all T keys).
    pub fn effective_scale(self) -> f64 {
        self.scale.factor(self.d_k, self.tokens) / self.temperature
    }
}

impl Default for Config {
    fn default() -> Self {
        Config::NOTEBOOK
    }
}

/// Why a [`Config`] was rejected.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ConfigError {
    /// T outside `1..=MAX_TOKENS`.
    Tokens(usize),
    /// d_k outside `1..=MAX_DIM`.
    Dimension(usize),
    /// τ not a positive finite number.
    Temperature(f64),
    /// A custom scale that is not a positive finite number.
    Scale(f64),
    /// σ not positive and finite, μ not finite, or ρ outside `[0, 1]`.
    Inputs,
    /// A gain not positive and finite, or a cap neither 0 nor from 10⁻³ up.
    Logits,
    /// More padded keys than tokens.
    Padding {
        /// The padded keys asked for.
        pad: usize,
        /// T.
        tokens: usize,
    },
    /// d_k above [`KEPT_WIDTH`] with [`Columns::Keep`].
    KeptDimension(usize),
    /// A Monte-Carlo sweep of more runs (d_k values × trials) than it may keep.
    SweepTooLarge {
        /// The runs asked for.
        runs: usize,
    },
    /// A run that would draw more than [`MAX_NORMALS`] normals.
    TooLarge {
        /// The T asked for.
        tokens: usize,
        /// The d_k asked for.
        d_k: usize,
    },
    /// T differs from the number of tokens of the text in use.
    TokenCount {
        /// Tokens in the text.
        tokens: usize,
        /// The T asked for.
        t: usize,
    },
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::Tokens(t) => write!(f, "T must be between 1 and {MAX_TOKENS}, got {t}"),
            ConfigError::Dimension(d) => write!(f, "d_k must be between 1 and {MAX_DIM}, got {d}"),
            ConfigError::KeptDimension(d) => write!(f, "keeping the tokens, d_k must be at most {KEPT_WIDTH}, got {d}"),
            ConfigError::SweepTooLarge { runs } => {
                write!(f, "a sweep of {runs} runs is more than the {} it may keep", 1 << 20)
            }
            ConfigError::TooLarge { tokens, d_k } => write!(
                f,
                "T {tokens} × d_k {d_k} needs more than {MAX_NORMALS} random numbers, more memory than the engine allows"
            ),
            // No value in these two: formatting an f64 would pull float
            // printing into the WebAssembly build for one error message.
            ConfigError::Temperature(_) => f.write_str("temperature must be a positive finite number"),
            ConfigError::Scale(_) => f.write_str("a custom scale must be a positive finite number"),
            ConfigError::Inputs => f.write_str("sigma must be positive and finite, mu finite, and rho from 0 to 1"),
            ConfigError::Logits => {
                f.write_str("the gain must be positive and finite, and the cap 0 (none) or at least 0.001")
            }
            ConfigError::Padding { pad, tokens } => {
                write!(f, "at most T = {tokens} keys can be padding, got {pad}")
            }
            ConfigError::TokenCount { tokens, t } => write!(f, "T must be the number of tokens, {tokens}, got {t}"),
        }
    }
}

impl std::error::Error for ConfigError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mode_names_round_trip() {
        for v in QkSource::ALL {
            assert_eq!(v.name().parse::<QkSource>(), Ok(*v));
        }
        for v in ScoreFunction::ALL {
            assert_eq!(v.name().parse::<ScoreFunction>(), Ok(*v));
        }
        for s in ["sqrt", "dk", "none", "0.125", "ssmax"] {
            assert_eq!(s.parse::<ScaleRule>().unwrap().to_string(), s);
        }
        for bad in ["0", "-1", "NaN", "inf", "abc", ""] {
            assert!(bad.parse::<ScaleRule>().is_err(), "{bad}");
        }
        assert_eq!(ScaleRule::from_name("custom", 0.5), Ok(ScaleRule::Custom(0.5)));
        assert_eq!(ScaleRule::from_name("dk", f64::NAN), Ok(ScaleRule::InverseDk));
        assert!(ScaleRule::from_name("custom", 0.0).is_err());
        assert!("both".parse::<QkSource>().unwrap_err().contains("self, independent"));
    }

    #[test]
    fn scale_factors() {
        assert_eq!(ScaleRule::InverseSqrt.factor(64, 10), 0.125);
        assert_eq!(ScaleRule::InverseDk.factor(64, 10), 1.0 / 64.0);
        assert_eq!(ScaleRule::None.factor(64, 10), 1.0);
        assert_eq!(ScaleRule::Custom(0.3).factor(64, 10), 0.3);
        // SSMax: s · ln n / √d_k; a row of one key (or none) gets 0.
        assert_eq!(ScaleRule::Scalable(2.0).factor(64, 10), 2.0 * 10f64.ln() / 8.0);
        assert_eq!(ScaleRule::Scalable(2.0).factor(64, 0), 0.0);
        assert!(ScaleRule::from_name("ssmax", 0.0).is_err());
        assert_eq!("ssmax".parse::<ScaleRule>(), Ok(ScaleRule::Scalable(1.0)));
        let c = Config {
            temperature: 2.0,
            d_k: 16,
            ..Config::NOTEBOOK
        };
        assert_eq!(c.effective_scale(), 0.125);
    }

    #[test]
    fn validation_rejects_what_the_engine_cannot_compute() {
        let ok = Config::NOTEBOOK;
        assert_eq!(ok.validate(), Ok(ok));
        assert_eq!(Config { tokens: 0, ..ok }.validate(), Err(ConfigError::Tokens(0)));
        assert_eq!(Config { d_k: 0, ..ok }.validate(), Err(ConfigError::Dimension(0)));
        assert!(Config { temperature: 0.0, ..ok }.validate().is_err());
        assert!(
            Config {
                temperature: f64::NAN,
                ..ok
            }
            .validate()
            .is_err()
        );
        assert!(
            Config {
                scale: ScaleRule::Custom(-1.0),
                ..ok
            }
            .validate()
            .is_err()
        );
    }
}
